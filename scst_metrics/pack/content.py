"""What a board pack says, worked out once for both formats (PowerPoint and PDF).

`gather()` reads the published file (through `sources`, the pack's one adapter) and returns a
`Pack`: the cover, the summary matrix as display text, then one `Item` per indicator in the
summary matrix's order (exceptions first), each with its chart as PNG bytes. The writers only
lay it out.

Small numbers (on by default): DfE's convention for published children's social care
statistics, applied through `scst_metrics.indicators.small_numbers.suppress` -- a count of 1 to
5, or a percentage or rate whose numerator or denominator is 1 to 5, reads "c"; so does a
change from or to such a figure (the change would give it away), and the chart leaves such a
point out. The pack then carries the footnote.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from . import sources as src

CHART_MONTHS = 24  # months drawn on each indicator's chart, ending at the pack's month
IMAGE_WIDTH = 900  # CSS px of a chart image (PNG at scale 2): labels readable at slide size
ALL_AREAS = "all"
ANNUAL = "annual_at_31_march"  # the catalogue's period code of a yearly figure

Progress = Callable[[int, int, str], None]


class PackError(ValueError):
    """A pack asked for something the published data does not have (area, hub, month)."""


@dataclass(frozen=True)
class Figure:
    """One row of an indicator's numbers (one per hub in the pack)."""

    hub: str
    month: str
    value: str
    made_of: str  # "42 of 61", "c", or ""
    target: str
    rag: str
    change: str
    change_label: str  # "Change on last month", or "... last year" for an annual figure
    variation: str
    assurance: str


@dataclass(frozen=True)
class Item:
    indicator_id: str
    title: str
    service_area: str
    exception: str | None  # why it is an exception, None for the rest
    png: bytes
    figures: list[Figure]
    compare: str | None  # how we compare (DfE benchmarks), None where unknown
    definition: str
    speaker_notes: str
    commentary: list[tuple[str, str]]
    note: str | None  # e.g. "Trust-wide figure: not split by hub"


@dataclass(frozen=True)
class MatrixRow:
    title: str
    hub: str
    month: str
    value: str
    target: str
    rag: str
    change: str
    exception: str


@dataclass
class Pack:
    trust: str
    board: str
    month: str  # "October 2026"
    as_at: str  # "24 November 2026"
    load_status: str
    hubs_label: str
    period_label: str
    footnote: str | None  # the small-numbers footnote when anything may be suppressed
    matrix: list[MatrixRow] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.board}: {self.month}"


def parse_month(text: str) -> date:
    """'2026-10' -> 1 October 2026; PackError for anything else."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise PackError(f"Month {text!r} is not a month: write it as YYYY-MM, e.g. 2026-10.")
    return date(int(m.group(1)), int(m.group(2)), 1)


def _check_area(area: str | None) -> str | None:
    if area in (None, ALL_AREAS):
        return None
    if area not in src.SERVICE_AREAS:
        known = ", ".join([*src.SERVICE_AREAS, ALL_AREAS])
        raise PackError(f"Unknown service area {area!r}: choose one of {known}.")
    return area


def _check_hubs(hubs: Sequence[str], names: dict[str, str]) -> list[str]:
    chosen = list(dict.fromkeys(hubs))
    unknown = [h for h in chosen if h not in names]
    if unknown:
        raise PackError(
            f"Unknown hub {', '.join(unknown)}: the published data has {', '.join(sorted(names))}."
        )
    return chosen


def _end_of(month: date | None, periods: list[date]) -> date:
    """The pack's period end: the latest in the data, or the latest in the month asked for."""
    if not periods:
        raise PackError("The published data holds no indicator values: run the nightly load.")
    if month is None:
        return periods[-1]
    within = [p for p in periods if (p.year, p.month) == (month.year, month.month)]
    if not within:
        raise PackError(
            f"No data for {month:%Y-%m}: the published data runs from {periods[0]:%Y-%m} "
            f"to {periods[-1]:%Y-%m}."
        )
    return within[-1]


def _chart_start(end: date) -> date:
    n = end.year * 12 + end.month - 1 - (CHART_MONTHS - 1)
    return date(n // 12, n % 12 + 1, 1)


def _missing(x: object) -> bool:
    return src.fmt.is_missing(x)


def _str(x: object, default: str = "") -> str:
    """Text from the matrix, `default` where it has none (None or NaN)."""
    return default if _missing(x) else str(x)


def _hidden(suppress_small: bool, value, numerator, denominator, unit: str) -> bool:
    if not suppress_small or _missing(value):
        return False
    num = None if _missing(numerator) else float(numerator)
    den = None if _missing(denominator) else float(denominator)
    return src.suppress(float(value), num, den, unit) == src.SUPPRESSED


def _target_text(row: dict, unit: str) -> str:
    return (
        src.fmt.format_target(row["target"], row["target_low"], row["target_high"], unit)
        or "no target"
    )


def _previous_hidden(
    row: dict, frame: pd.DataFrame, unit: str, suppress_small: bool, back: int = 1
) -> bool:
    """Is the figure the change is measured from (`back` months before the judged one) small?"""
    if not suppress_small or _missing(row.get("judged_period_end")):
        return False
    judged = pd.Timestamp(row["judged_period_end"])
    before = judged.year * 12 + judged.month - back
    hub = row["hub_id"]
    mine = frame[frame["hub_id"].isna()] if _missing(hub) else frame[frame["hub_id"] == hub]
    months = mine["period_end"].dt.year * 12 + mine["period_end"].dt.month
    prev = mine[months == before]
    return any(
        _hidden(True, r.value, r.numerator, r.denominator, unit)
        for r in prev.itertuples(index=False)
    )


def _figure(row: dict, frame: pd.DataFrame, suppress_small: bool) -> tuple[Figure, bool]:
    unit = row["unit"]
    hidden = _hidden(suppress_small, row["value"], row["numerator"], row["denominator"], unit)
    percent = unit == src.PERCENT  # the catalogue's unit code
    if hidden:
        value, made_of = src.SUPPRESSED, ""
    else:
        value = src.fmt.format_value(row["value"], unit)
        made_of = src.fmt.fraction_text(row["numerator"], row["denominator"]) if percent else ""
    # an annual figure changes from year to year; the rest from month to month
    annual = row["period"] == ANNUAL
    back, change_label = (12, "Change on last year") if annual else (1, "Change on last month")
    change = row["change_since_last_year" if annual else "change_since_last_month"]
    if _missing(row["value"]):
        change_text = ""  # no value, no change to show
    elif _missing(change):
        change_text = "no earlier year" if annual else "no earlier month"
    elif hidden or _previous_hidden(row, frame, unit, suppress_small, back):
        change_text = src.SUPPRESSED
    else:
        change_text = src.fmt.format_change(change, unit) or ""
    rag = src.RAG_WORDS.get(_str(row["rag"]), "not rated")
    figure = Figure(
        hub=row["hub_name"],
        month=_str(row["period_label"], "no data"),
        value=value,
        made_of=made_of,
        target=_target_text(row, unit),
        rag=rag,
        change=change_text,
        change_label=change_label,
        variation=src.VARIATION_WORDS.get(_str(row["variation"]), ""),
        assurance=src.ASSURANCE_WORDS.get(_str(row["assurance"]), ""),
    )
    return figure, hidden


def _chart_frame(frame: pd.DataFrame, unit: str, suppress_small: bool) -> pd.DataFrame:
    """The series with small figures left out of the drawing (their point is not drawn)."""
    if not suppress_small or frame.empty:
        return frame
    hide = [
        _hidden(True, r.value, r.numerator, r.denominator, unit)
        for r in frame.itertuples(index=False)
    ]
    out = frame.copy()
    out.loc[hide, ["value", "numerator", "denominator"]] = math.nan
    return out


def _compare_text(
    bench: pd.DataFrame | None, indicator_id: str, unit: str, hub_pack: bool = False
) -> str | None:
    """DfE's latest year: our published figure (rank, quartile), neighbours, region, England.
    They are the authority's figures: a hub's slide says so rather than set a hub against
    them."""
    if bench is None or bench.empty:
        return None
    rows = bench[bench["indicator_id"] == indicator_id]
    if rows.empty:
        return None
    year = int(rows["year"].max())
    rows = rows[rows["year"] == year].set_index("comparator")
    parts = []
    for comparator, label in (
        ("us_published", "our published figure"),
        ("neighbours", "statistical neighbours"),
        ("region", None),
        ("england", "England"),
    ):
        if comparator not in rows.index:
            continue
        r = rows.loc[comparator]
        name = label or (r["geography_name"] or "region")
        shown = (
            src.fmt.format_value(r["value"], unit)
            if not _missing(r["value"])
            else (r["symbol"] or "not published")
        )
        extra = ""
        if comparator == "us_published" and not _missing(r["rank"]):
            extra = f" (rank {int(r['rank'])} of {int(r['rank_of'])}"
            extra += f", quartile {r['quartile']})" if isinstance(r["quartile"], str) else ")"
        parts.append(f"{name} {shown}{extra}")
    if not parts:
        return None
    whose = "The whole authority, not this hub: " if hub_pack else ""
    return f"{whose}DfE {year}: " + "; ".join(parts)


def _plain_definition(ind: dict) -> str:
    """The definition and why it matters, as plain text (the screen's version is Markdown)."""
    text = str(ind.get("plain_definition") or ind["definition"] or "")
    if ind.get("why"):
        text += f" Why it matters: {ind['why']} Source: {ind['why_source']}."
    return text


def _speaker_notes(ind: dict) -> str:
    lines = [f"{ind['title']}: {_plain_definition(ind)}"]
    if ind.get("numerator"):
        lines.append(f"Numerator: {ind['numerator']}")
    if ind.get("denominator"):
        lines.append(f"Denominator: {ind['denominator']}")
    lines.append(f"Unit: {ind['unit_words']}; {ind['period_words']}; {ind['polarity_words']}.")
    if ind.get("dfe_definition"):
        lines.append(f"DfE definition: {ind['dfe_definition']}")
    if ind.get("dfe_difference"):  # the catalogue's: how ours differs from DfE's measure
        lines.append(f"Beside DfE's {ind['dfe_measure']}: {ind['dfe_difference']}")
    if ind.get("sources"):
        lines.append(f"Source: {ind['sources']}")
    return "\n".join(lines)


def _status_line(status: src.LoadStatus) -> str:
    when = status.last_run_at.strftime("%-d %B %Y %H:%M") if status.last_run_at else "never"
    line = f"Last load: {status.last_run_status} ({when})"
    if status.last_run_status != "published":
        line += f": {status.last_run_message}"
    if status.stale:
        line += " -- the data is more than 36 hours old"
    return line


def gather(
    db: str | os.PathLike,
    *,
    area: str | None = None,
    hubs: Sequence[str] = (),
    month: date | None = None,
    suppress_small: bool = True,
    notes_url: str | None = None,
    progress: Progress | None = None,
    allowed: frozenset[str] | None = None,
) -> Pack:
    """Read everything a pack shows, from one snapshot of the published file at `db`.

    `allowed`: the hubs the person may read (scst_metrics.access; None: every hub). Every
    read goes through the rule the pages apply (access.check_read): another hub is refused
    with HubNotAllowed, no hub means theirs, and of an indicator split by hub they get their
    hubs' figures, never the Trust total; Trust-wide indicators are the Trust's, as on screen."""
    if not Path(db).exists():
        raise PackError(f"No published database at {db}: run the nightly load first.")
    area = _check_area(area)
    with src.open_snapshot(db) as conn:
        names = src.hub_names(conn)
        if allowed is not None:  # the others are not in their view at all (as on the pages)
            names = {h: n for h, n in names.items() if h in allowed}
        chosen = _check_hubs(src.hubs_of_view(allowed, hubs, list(names)), names)
        end = _end_of(month, src.periods(conn))
        start = _chart_start(end)
        as_at = src.published_as_at(conn)
        status = src.status(conn, db)
        cat = src.catalogue(conn)
        matrix = src.matrix(conn, hubs=chosen, end=end, area=area, allowed=allowed)
        bench = src.benchmarks(conn)
        order = list(dict.fromkeys(matrix["indicator_id"]))
        period = src.fmt.period_label(start, end)
        pack = Pack(
            trust=src.trust_name(),
            board=(
                "Performance board: all service areas"
                if area is None
                else f"Performance board: {src.SERVICE_AREAS[area]}"
            ),
            month=f"{end:%B %Y}",
            as_at=src.fmt.long_date(as_at),
            load_status=_status_line(status),
            hubs_label=src.chart_data.hub_label(chosen, names),
            period_label=period,
            footnote=src.SMALL_NUMBERS_FOOTNOTE if suppress_small else None,
        )
        rows = matrix.to_dict("records")
        pending: list[dict] = []
        made: dict[tuple, MatrixRow] = {}  # (indicator id, hub id): the row as shown
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pack-render") as renderer:
            for n, indicator_id in enumerate(order):
                ind = cat[indicator_id]
                if progress:
                    progress(n, len(order), ind["title"])
                shown_hubs = chosen if ind["splits_by_hub"] else []
                frame = src.series(conn, ind, shown_hubs, start, end, allowed)
                mine = [r for r in rows if r["indicator_id"] == indicator_id]
                figures = []
                for r in mine:
                    figure, _ = _figure(r, frame, suppress_small)
                    figures.append(figure)
                    made[(indicator_id, r["hub_id"])] = MatrixRow(
                        title=r["title"],
                        hub=r["hub_name"],
                        month=figure.month,
                        value=figure.value,
                        target=figure.target,
                        rag=figure.rag,
                        change=figure.change,
                        exception=_str(r["exception"]),
                    )
                drawn = _chart_frame(frame, ind["unit"], suppress_small)
                fig = src.chart(
                    drawn,
                    ind,
                    hubs=shown_hubs,
                    names=names,
                    period_label=period,
                    as_at=as_at,
                    left_out=bool(drawn["value"].isna().sum() > frame["value"].isna().sum()),
                    layers=src.chart_layers(conn, ind, shown_hubs, start, end, allowed),
                    suppress_small=suppress_small,
                )
                # Chromium draws this chart while the next one's data is read and laid out
                png = renderer.submit(src.png, fig, IMAGE_WIDTH)
                notes_hub = chosen[0] if len(chosen) == 1 and ind["splits_by_hub"] else None
                pending.append(
                    dict(
                        indicator_id=indicator_id,
                        title=ind["title"],
                        service_area=ind["service_area"],
                        exception=_str(mine[0]["exception"]) or None if mine else None,
                        png=png,
                        figures=figures,
                        compare=_compare_text(
                            bench, indicator_id, ind["unit"], hub_pack=bool(shown_hubs)
                        ),
                        definition=_plain_definition(ind),
                        speaker_notes=_speaker_notes(ind),
                        commentary=src.commentary(
                            indicator_id, hub_id=notes_hub, month=end, url=notes_url
                        ),
                        note=(
                            "Trust-wide figure: not split by hub."
                            if chosen and not ind["splits_by_hub"]
                            else None
                        ),
                    )
                )
            pack.items = [Item(**(kw | {"png": kw["png"].result()})) for kw in pending]
        # the table in the summary matrix's own order (exceptions first, row by row)
        pack.matrix = [made[(r["indicator_id"], r["hub_id"])] for r in rows]
        if progress:
            progress(len(order), len(order), "done")
    return pack
