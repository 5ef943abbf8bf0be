"""Everything the pack reads or draws through the rest of the library, in one place.

The pack's other modules call only this adapter, so a changed signature upstream (the API,
the charts, the summary matrix, small numbers, notes, benchmarks) is fixed here once.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import sqlalchemy as sa

from .. import access, api
from ..benchmarks import read_authority
from ..charts import data as chart_data
from ..charts import formatting as fmt
from ..charts.theme import Rag
from ..charts.trend import trend_chart
from ..export.images import NoBrowser, render
from ..indicators.catalogue import PERCENT, SERVICE_AREAS
from ..indicators.small_numbers import FOOTNOTE as SMALL_NUMBERS_FOOTNOTE
from ..indicators.small_numbers import SUPPRESSED, suppress
from ..notes import KINDS as NOTE_KINDS
from ..notes import for_indicator
from ..published import snapshot
from ..quality import LoadStatus, load_status
from ..spc import ASSURANCE_WORDS, VARIATION_WORDS
from ..summary import summary_matrix

RAG_WORDS = Rag.WORD
LEFT_OUT = f'Figures of 1 to 5 not drawn ("{SUPPRESSED}")'
Allowed = frozenset[str] | None  # the hubs the person may read (None: every hub)

__all__ = [
    "NoBrowser",
    "ASSURANCE_WORDS",
    "RAG_WORDS",
    "VARIATION_WORDS",
    "NOTE_KINDS",
    "PERCENT",
    "SERVICE_AREAS",
    "SMALL_NUMBERS_FOOTNOTE",
    "SUPPRESSED",
    "LoadStatus",
    "benchmarks",
    "catalogue",
    "chart",
    "commentary",
    "fmt",
    "hub_names",
    "hubs_of_view",
    "matrix",
    "open_snapshot",
    "periods",
    "png",
    "published_as_at",
    "series",
    "status",
    "suppress",
    "trust_name",
]


def open_snapshot(db: str | os.PathLike) -> AbstractContextManager[sa.Connection]:
    return snapshot(db)


def catalogue(conn: sa.Connection) -> dict[str, dict]:
    """Indicator id -> its declaration as the published file recorded it (chart fields too:
    period_words, unit_words, polarity_words)."""
    frame = chart_data.catalogue_frame(api.catalogue(conn=conn))
    return {row["id"]: row for row in frame.to_dict("records")}


def hub_names(conn: sa.Connection) -> dict[str, str]:
    frame = api.hubs(conn=conn)
    return dict(zip(frame["hub_id"], frame["hub_name"], strict=True))


def periods(conn: sa.Connection) -> list[date]:
    return api.periods(conn=conn)


def published_as_at(conn: sa.Connection) -> date:
    return pd.Timestamp(api.as_at(conn=conn)).date()


def status(conn: sa.Connection, db: str | os.PathLike) -> LoadStatus:
    return load_status(conn, db)


def trust_name() -> str:
    """'Slough Children's Services Trust': the authority named in data/authority.toml."""
    return read_authority().trust_name


def hubs_of_view(allowed: Allowed, asked: Sequence[str], known: Sequence[str]) -> list[str]:
    """The pack's hubs, as the pages choose them for the same person (access.hubs_of_view):
    another hub is refused (HubNotAllowed), none asked by a restricted person means theirs."""
    return list(access.hubs_of_view(allowed, asked, known))


def matrix(
    conn: sa.Connection, *, hubs: Sequence[str], end: date, area: str | None, allowed: Allowed
) -> pd.DataFrame:
    """The summary matrix, exceptions first (scst_metrics.summary.summary_matrix), if the
    person may read it (access.check_read, as the pages' matrix: their hubs only)."""
    access.check_read(allowed, None, tuple(hubs) or (None,), splits_by_hub=True)
    return summary_matrix(conn, hubs=list(hubs) or None, end=end, area=area)


def series(
    conn: sa.Connection,
    indicator: dict,
    hubs: Sequence[str],
    start: date,
    end: date,
    allowed: Allowed,
) -> pd.DataFrame:
    """The chart's series frame (charts.data shape) for the chosen hubs (none: the Trust), if
    the person may read it (access.check_read, as View.series on the pages)."""
    indicator_id = indicator["id"]
    access.check_read(allowed, indicator_id, hubs, splits_by_hub=indicator["splits_by_hub"])
    raw = api.series(indicator_id, hubs=list(hubs) or None, start=start, end=end, conn=conn)
    return chart_data.series_frame(raw)


def chart_layers(
    conn: sa.Connection,
    indicator: dict,
    hubs: Sequence[str],
    start: date,
    end: date,
    allowed: Allowed,
) -> dict[str, pd.DataFrame]:
    """What the chart draws beside the line (SPC, events, DfE figures), as on screen, if the
    person may read it (access.check_read, as View.chart_layers)."""
    indicator_id = indicator["id"]
    access.check_read(allowed, indicator_id, hubs, splits_by_hub=indicator["splits_by_hub"])
    return api.chart_layers(indicator_id, hubs=list(hubs) or None, start=start, end=end, conn=conn)


def chart(
    frame: pd.DataFrame,
    indicator: dict,
    *,
    hubs: Sequence[str],
    names: dict[str, str],
    period_label: str,
    as_at: date,
    left_out: bool = False,
    layers: dict[str, pd.DataFrame] | None = None,
    suppress_small: bool = False,
) -> go.Figure:
    """The indicator's trend chart, styled as on screen (with its SPC limits, icons, events
    and DfE figures: `layers` from `chart_layers`); `left_out`: small figures were taken out
    of `frame`, and the chart says so above the plot, with its other notes (never over the
    SPC icons' words: charts.trend lays them out)."""
    return trend_chart(
        frame,
        indicator,
        hub_names=names,
        hub_label=chart_data.hub_label(hubs, names),
        period_label=period_label,
        as_at=as_at,
        suppress_small=suppress_small,
        notes=[LEFT_OUT] if left_out else [],
        **(layers or {}),
    )


def png(fig: go.Figure, width: int) -> bytes:
    """The chart as PNG from the one warm renderer (scst_metrics.export.images)."""
    return render(fig, "png", width=width)


def commentary(
    indicator_id: str, *, hub_id: str | None, month: date, url: str | None
) -> list[tuple[str, str]]:
    """(heading, text) of the indicator's notes for that month and hub (None: the Trust)."""
    notes = for_indicator(indicator_id, hub_id=hub_id, month=month, url=url)
    return [(NOTE_KINDS.get(n.kind, n.kind), n.text) for n in notes]


def benchmarks(conn: sa.Connection) -> pd.DataFrame | None:
    """The published `indicator_benchmarks` table (scst_metrics.benchmarks), or None when the
    published file has none."""
    found = conn.execute(
        sa.text(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_name = 'indicator_benchmarks'"
        )
    ).scalar_one()
    if not found:
        return None
    result = conn.execute(sa.text("SELECT * FROM indicator_benchmarks"))
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
