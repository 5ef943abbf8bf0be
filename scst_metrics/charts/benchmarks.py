"""How we compare, on a chart card: DfE's published figures beside our monthly line.

`rows` are the `indicator_benchmarks` rows of one indicator
(`scst_metrics.benchmarks.read.for_indicator(conn, indicator_id)`).

- add_benchmarks(fig, rows): markers at each DfE year end (31 March; 30 September for the
  workforce census; 31 July for an academic year) for DfE's figure for us, the statistical
  neighbours' average, the region and England. Each has its own marker shape AND colour
  (colour is never the only cue), a legend entry, and a hover naming the DfE year and
  publication. Never joined by lines: the figures are annual, published months after the
  year ends, and must not read as a monthly series.
- comparison_table(rows): the "how we compare" table for DfE's latest published year: us,
  neighbours, region, England, our rank among all authorities (1 = best) and quartile band
  A-D (A = best quarter), with a caption naming the year and publication. One row a
  comparator and one column of figures: it fits the narrow card of the board's two-column
  layout and reflows when zoomed (WCAG 1.4.10), where a row of seven columns was cut off.
- comparison_trend(rows): the same rows for the last five DfE years, a column a year
  ("Mar 2025", "2024/25"), newest first.
"""

from __future__ import annotations

import warnings
from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go

from scst_metrics.benchmarks.labels import (
    COMPARATOR_WORDS,
    period_words,
    rank_words,
    value_words,
    year_words,
)
from scst_metrics.benchmarks.measures import HIGH, LOW, MEASURES
from scst_metrics.indicators.catalogue import get

# Shapes outside the RAG set (circle, diamond, x) so a benchmark never reads as a RAG point;
# colours from the board's blues/purples/greys (red, amber and green are kept for RAG).
STYLE = {
    "us_published": {"symbol": "star", "colour": "#1F4E79", "size": 15},
    "neighbours": {"symbol": "square", "colour": "#7B4FA0", "size": 12},
    "region": {"symbol": "triangle-up", "colour": "#0B7285", "size": 13},
    "england": {"symbol": "hexagon-open", "colour": "#212529", "size": 13},
}
LEGEND_GROUP = "dfe_benchmarks"
TREND_YEARS = 5


def _check(rows: pd.DataFrame) -> str:
    ids = rows["indicator_id"].unique()
    if len(ids) != 1:
        raise ValueError(
            f"benchmark rows must be of one indicator (read.for_indicator); got {list(ids)}"
        )
    return str(ids[0])


def _name(comparator: str, rows: pd.DataFrame) -> str:
    """'Slough (DfE published)', 'South East', 'England', "Statistical neighbours' average"."""
    if comparator in COMPARATOR_WORDS:
        return COMPARATOR_WORDS[comparator]
    names = rows.loc[rows.comparator == comparator, "geography_name"].dropna()
    name = str(names.iloc[-1]) if len(names) else comparator.replace("_", " ")
    return f"{name} (DfE published)" if comparator == "us_published" else name


def _x_range(fig: go.Figure) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The dates the figure's existing traces span (None if it has none)."""
    xs: list[pd.Timestamp] = []
    for trace in fig.data:
        x = getattr(trace, "x", None)
        if x is None or len(x) == 0:
            continue
        with warnings.catch_warnings():  # category labels are not dates: coerced to NaT
            warnings.simplefilter("ignore", UserWarning)
            stamps = pd.to_datetime(pd.Series(list(x)), errors="coerce").dropna()
        if len(stamps):  # a category or number axis holds no dates
            xs += [stamps.min(), stamps.max()]
    return (min(xs), max(xs)) if xs else None


def add_benchmarks(
    fig: go.Figure,
    rows: pd.DataFrame,
    *,
    start: date | datetime | None = None,
    end: date | datetime | None = None,
) -> go.Figure:
    """Add DfE's annual figures to `fig` as markers (one trace per comparator) at each DfE
    year end between `start` and `end` (default: the span of the figure's existing traces;
    every year if it has none). Suppressed figures get no marker. Returns `fig`."""
    if rows.empty:
        return fig
    indicator_id = _check(rows)
    unit = get(indicator_id).unit
    span = _x_range(fig)
    low = pd.Timestamp(start) if start is not None else (span[0] if span else None)
    high = pd.Timestamp(end) if end is not None else (span[1] if span else None)
    when = pd.to_datetime(rows["period_end"])
    inside = rows["value"].notna()
    if low is not None:
        inside &= when >= low
    if high is not None:
        inside &= when <= high
    keep = rows[inside]
    for comparator, style in STYLE.items():
        these = keep[keep.comparator == comparator].sort_values("year")
        if these.empty:
            continue
        name = _name(comparator, rows)
        # the legend says the figures are DfE's and annual (one entry a line, no group title:
        # the board's chart frame sizes its legend by counting entries)
        label = name.replace(" (DfE published)", " as published")
        label = f"{label} (DfE, {period_words(indicator_id)})"
        hover = []
        for r in these.itertuples(index=False):
            lines = [
                f"<b>{name}</b>",
                f"{year_words(indicator_id, r.year)}: {value_words(r.value, unit)}",
            ]
            if comparator == "us_published" and not pd.isna(r.rank):
                quartile = "" if pd.isna(r.quartile) else f", quartile {r.quartile}"
                lines.append(f"rank {rank_words(r.rank, r.rank_of)}{quartile} (1 = best)")
            if comparator == "neighbours" and isinstance(r.detail, str) and r.detail:
                lines.append(r.detail)
            lines.append(f"{r.publication} ({r.year})")
            hover.append("<br>".join(lines))
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(these["period_end"]),
                y=these["value"].astype(float),
                mode="markers",  # never lines: annual figures, not a monthly series
                name=label,
                legendgroup=LEGEND_GROUP,
                marker=dict(
                    symbol=style["symbol"],
                    size=style["size"],
                    color=style["colour"],
                    line=dict(width=1.5, color=style["colour"]),
                ),
                hovertext=hover,
                hoverinfo="text",
                meta={"benchmark": comparator},
            )
        )
    _fit_y(fig, keep["value"])
    return fig


def _fit_y(fig: go.Figure, values: pd.Series) -> None:
    """A chart that fixed its y range to its own line (a percentage from 0) is widened to
    show every marker, so no benchmark is silently cut off."""
    shown = fig.layout.yaxis.range
    if shown is None or values.empty:
        return
    low, high = float(shown[0]), float(shown[1])
    top, bottom = float(values.max()), float(values.min())
    if top > high:
        high = top * 1.04
    if bottom < low:
        low = bottom - 0.04 * abs(bottom)
    fig.update_yaxes(range=[low, high])


def _latest_year(rows: pd.DataFrame) -> int:
    """DfE's latest year in the rows (our figure may be suppressed in it: the table says so)."""
    return int(rows["year"].max())


COMPARED = "Compared with"  # the first column: what each row's figures are
RANK = "Rank (1 = best)"
QUARTILE = "Quartile (A = best)"


def short_year(indicator_id: str, year: int) -> str:
    """A DfE year as a column heading: 'Mar 2025' (the year's last day's month), '2024/25'
    for an academic year. year_words says it in full, in the caption."""
    words = year_words(indicator_id, year)
    if words.startswith("academic year "):
        return words[len("academic year ") :]
    end = MEASURES[indicator_id].period_end(int(year))
    return f"{end:%b %Y}"


def _table(rows: pd.DataFrame, years: list[int], heading) -> pd.DataFrame:
    """One row a comparator (us, neighbours, region, England), then our rank and quartile;
    one column of figures a DfE year, headed heading(indicator_id, year)."""
    indicator_id = _check(rows)
    unit = get(indicator_id).unit
    labels = [_name(c, rows) for c in STYLE] + [RANK, QUARTILE]
    columns: dict[str, list[str]] = {COMPARED: labels}
    for year in years:
        this = rows[rows.year == year].set_index("comparator")
        figures = []
        for comparator in STYLE:
            if comparator in this.index:
                r = this.loc[comparator]
                figures.append(value_words(r["value"], unit, r["symbol"]))
            else:
                figures.append("no figure")
        us = this.loc["us_published"] if "us_published" in this.index else None
        figures.append(rank_words(*(us[["rank", "rank_of"]] if us is not None else (None, None))))
        quartile = None if us is None else us["quartile"]
        figures.append(quartile if isinstance(quartile, str) and quartile else "no band")
        columns[heading(indicator_id, year)] = figures
    return pd.DataFrame(columns)


def caption(rows: pd.DataFrame, year: int | None = None) -> str:
    """The words under the table: the DfE year, the publication, and how rank and quartile
    read."""
    indicator_id = _check(rows)
    year = _latest_year(rows) if year is None else year
    publication = rows.loc[rows.year == year, "publication"].iloc[0]
    if MEASURES[indicator_id].polarity in (HIGH, LOW):
        ranking = (
            "Rank among all English authorities with a figure (1 = best); quartile A = the "
            "best quarter of authorities."
        )
    else:
        ranking = "DfE gives this measure no better direction, so it is not ranked or banded."
    return (
        f"DfE published figures, {year_words(indicator_id, year)}: {publication} ({year}). "
        f"Annual figures, published months after the year ends. {ranking} Statistical "
        "neighbours' average: the mean of our DfE statistical neighbours' published figures."
    )


def comparison_table(rows: pd.DataFrame) -> pd.DataFrame:
    """DfE's latest published year: a row each for us, neighbours' average, region, England,
    rank ("84 of 153") and quartile (A-D); columns "Compared with" and the DfE year in words
    ("Year to 31 March 2025"). The caption is in `.attrs["caption"]`."""
    if rows.empty:
        return pd.DataFrame()
    year = _latest_year(rows)
    table = _table(rows, [year], lambda i, y: year_words(i, y)[0].upper() + year_words(i, y)[1:])
    table.attrs["caption"] = caption(rows, year)
    return table


def comparison_trend(rows: pd.DataFrame, years: int = TREND_YEARS) -> pd.DataFrame:
    """The same rows for the last `years` DfE years up to the latest, a column a year
    headed short_year ("Mar 2025"), newest first."""
    if rows.empty:
        return pd.DataFrame()
    latest = _latest_year(rows)
    have = sorted({int(y) for y in rows.year if y <= latest}, reverse=True)[:years]
    table = _table(rows, have, short_year)
    table.attrs["caption"] = caption(rows, latest)
    return table
