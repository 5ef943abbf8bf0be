"""Overview tiles: each indicator's latest value, target, RAG and change on last month, as
the words and numbers a tile shows. Off-target first, grouped by service area.

With what the read API returns, a tile also says (issues 10 and 11):
- which month each value is: "Oct 2026", or "1-24 Nov 2026" for the month in progress (an
  in-the-month or year-to-date figure at an extract date inside a month; spc_step's rule);
- the MDC variation and assurance of each line, in words (icons.label: the text equivalent
  of the icons), from `spc_summary` (scst_metrics.spc_summary() of every indicator);
- how we compare, from `comparisons` (scst_metrics.benchmark_overview()): "neighbours 41 /
  England 67 (2025)" -- DfE's year is in the words, since the figures are annual.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..indicators.catalogue import BAND, HIGHER, LOWER, NEUTRAL, PERCENT, SERVICE_AREAS, TRUST
from ..indicators.spc_step import is_part_month, period_label
from . import formatting as fmt
from . import icons
from .theme import Rag


def area_title(area: str) -> str:
    """The service area's title, as the catalogue declares it."""
    try:
        return SERVICE_AREAS[area]
    except KeyError:
        raise KeyError(
            f"Unknown service area {area!r}. Known: {', '.join(SERVICE_AREAS)}"
        ) from None


def tile_base(row: Mapping, unit: str) -> str | None:
    """The count behind a percentage, '0 of 1', so a figure about one child never reads like
    one about a hundred; None for other units and for no data."""
    if unit != PERCENT or fmt.is_missing(row["value"]):
        return None
    return fmt.fraction_text(row["numerator"], row["denominator"])


@dataclass(frozen=True)
class TileLine:
    hub_name: str
    value: str
    rag: str | None
    rag_word: str
    change: str | None  # "+2.1 pts"; "no change" when it rounds to nothing
    target: str | None
    steady: bool = False  # no change on the period before: no arrow, no colour
    base: str | None = None  # a percentage's count behind it: "0 of 1"
    month: str = ""  # which month the value is: "Oct 2026", "1-24 Nov 2026" (month to date)
    variation: str | None = None  # the MDC variation (icons.py names); None = no SPC
    assurance: str | None = None  # the MDC assurance; None = none (no target, no SPC)
    spc_note: str | None = None  # why there is no SPC ("SPC not applied: rolling ...")

    @property
    def variation_words(self) -> str:
        """The variation icon's text equivalent: 'Special cause concern: higher' or 'No SPC'."""
        return icons.label(self.variation)

    @property
    def assurance_words(self) -> str | None:
        return None if self.assurance is None else icons.label(self.assurance)

    @property
    def icons_text(self) -> str:
        """Both icons in one line (for a tile's caption or alt text)."""
        return icons.icons_text(self.variation, self.assurance)

    @property
    def value_with_base(self) -> str:
        """'0.0% (0 of 1)': for a place wider than a quarter-width tile's big number, which
        truncates anything longer than about 10 characters."""
        return f"{self.value} ({self.base})" if self.base else self.value


@dataclass(frozen=True)
class Tile:
    indicator_id: str
    title: str
    service_area: str
    month: str
    lines: tuple[TileLine, ...]
    delta_color: str  # st.metric: 'normal' (higher is better), 'inverse', 'off'
    worst: int  # sort key: red 0, amber 1, green 2, no RAG 3
    comparison: str | None = None  # DfE: "neighbours 41 / England 67 (2025)"; None = no measure

    @property
    def first(self) -> TileLine:
        return self.lines[0]


_DELTA_COLOUR = {HIGHER: "normal", LOWER: "inverse", NEUTRAL: "off", BAND: "off"}


def _polarity_delta(polarity: object) -> str:
    """st.metric's delta colour for the catalogue's polarity; anything else raises."""
    try:
        return _DELTA_COLOUR[polarity]  # type: ignore[index]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown polarity {polarity!r}: the catalogue's are {', '.join(_DELTA_COLOUR)}"
        ) from None


def _summaries(spc_summary: pd.DataFrame | None) -> dict[tuple[str, str | None], dict]:
    if spc_summary is None or spc_summary.empty:
        return {}
    out = {}
    for r in spc_summary.to_dict("records"):
        hub = None if fmt.is_missing(r["hub_id"]) else r["hub_id"]
        out[(r["indicator_id"], hub)] = r
    return out


def _spc_words(summary: dict | None) -> tuple[str | None, str | None, str | None]:
    """(variation, assurance, note) of a series from its spc_summary row."""
    from .mdc import spc_off_reason

    if summary is None:
        return None, None, None
    off = spc_off_reason(summary)
    if off is not None:
        return None, None, off

    def text(key: str) -> str | None:
        v = summary.get(key)
        return None if fmt.is_missing(v) else str(v)

    return text("variation"), text("assurance"), None


def value_month(period_end: object, period: str, as_at: date | None) -> str:
    """'Oct 2026'; '1-24 Nov 2026' for the month in progress (spc_step's rule)."""
    if fmt.is_missing(period_end):
        return "no data"
    return period_label(period_end, is_part_month(period, period_end, as_at))


def tiles(
    latest: pd.DataFrame,
    catalogue: pd.DataFrame,
    hub_names: Mapping[str, str],
    *,
    as_at: date | None = None,
    spc_summary: pd.DataFrame | None = None,
    comparisons: pd.DataFrame | None = None,
) -> list:
    """One tile per indicator of the catalogue, worst RAG first within each service area.

    `as_at` (scst_metrics.as_at()) marks the month in progress; `spc_summary`
    (scst_metrics.spc_summary() of every indicator) gives each line its icons' words;
    `comparisons` (scst_metrics.benchmark_overview()) the DfE comparison text."""
    out: list[Tile] = []
    by_id = {i: g for i, g in latest.groupby("indicator_id", sort=False)} if len(latest) else {}
    spc = _summaries(spc_summary)
    compare = (
        {}
        if comparisons is None or comparisons.empty
        else dict(zip(comparisons["indicator_id"], comparisons["text"], strict=True))
    )
    for order, ind in enumerate(catalogue.to_dict("records")):
        rows = by_id.get(ind["id"])
        lines: list[TileLine] = []
        month = "no data"
        if rows is not None:
            for r in rows.to_dict("records"):
                rag = Rag.normal(r["rag"])
                hub = r["hub_id"]
                change = fmt.format_change(r["change"], ind["unit"])
                # "+0", "+0.0 pts": no change worth an arrow (no non-zero digit shown)
                steady = change is not None and not any(c in "123456789" for c in change)
                if rag:
                    word = Rag.WORD[rag]
                elif r["rag_note"]:
                    word = str(r["rag_note"]).capitalize()  # "Too few to rate"
                else:
                    word = "No target"
                hub_key = None if fmt.is_missing(hub) else hub
                variation, assurance, note = _spc_words(spc.get((ind["id"], hub_key)))
                lines.append(
                    TileLine(
                        hub_name=TRUST if fmt.is_missing(hub) else hub_names.get(hub, hub),
                        # short: a rate's "per 10,000" is in the title, and a long value is
                        # cut off in a quarter-width tile (the count behind it: base)
                        value=fmt.format_value(r["value"], ind["unit"], short=True),
                        base=tile_base(r, ind["unit"]),
                        rag=rag,
                        rag_word=word,
                        change="no change" if steady else change,
                        target=fmt.format_target(
                            r["target"], r["target_low"], r["target_high"], ind["unit"]
                        ),
                        steady=steady,
                        month=value_month(r["period_end"], ind["period"], as_at),
                        variation=variation,
                        assurance=assurance,
                        spc_note=note,
                    )
                )
                if not fmt.is_missing(r["period_end"]):
                    # the tile's month ("Nov 2026"); each line's own `month` says more
                    # precisely which figure it is ("1-24 Nov 2026", "24 Nov 2026")
                    month = fmt.month_label(r["period_end"])
        if not lines:
            lines.append(TileLine(TRUST, "no data", None, "No data", "○", None, None))
        worst = min((Rag.ORDER.get(line.rag, 3) for line in lines), default=3)
        out.append(
            Tile(
                indicator_id=ind["id"],
                title=ind["title"],
                service_area=ind["service_area"],
                month=month,
                lines=tuple(lines),
                delta_color=_polarity_delta(ind["polarity"]),
                worst=worst * 1000 + order,
                comparison=compare.get(ind["id"]),
            )
        )
    return out


def by_area(all_tiles: list[Tile]) -> list[tuple[str, list[Tile]]]:
    """Service areas in the board's order, tiles off-target first within each."""
    for t in all_tiles:
        area_title(t.service_area)  # an unknown area raises, naming the known ones
    grouped = []
    for area in SERVICE_AREAS:
        group = sorted((t for t in all_tiles if t.service_area == area), key=lambda t: t.worst)
        if group:
            grouped.append((area, group))
    return grouped


def combine_latest(
    catalogue: pd.DataFrame, trust: pd.DataFrame, by_hub: pd.DataFrame | None
) -> pd.DataFrame:
    """Tile rows: per chosen hub for indicators split by hub, the whole Trust otherwise."""
    if by_hub is None:
        return trust.reset_index(drop=True)
    split = set(catalogue.loc[catalogue["splits_by_hub"], "id"])
    keep_trust = trust[~trust["indicator_id"].isin(split)]
    keep_hubs = by_hub[by_hub["indicator_id"].isin(split)]
    frames = [f for f in (keep_hubs, keep_trust) if len(f)]
    if not frames:
        return trust.iloc[0:0]
    out = pd.concat(frames, ignore_index=True)
    order = {i: n for n, i in enumerate(catalogue["id"])}
    out["_order"] = out["indicator_id"].map(order)
    return out.sort_values(["_order"], kind="stable").drop(columns="_order")
