"""The shapes the charts draw from, made from what the scst_metrics API returns.

The API (scst_metrics.api) is the only reader of indicator data, and it returns one shape:
these functions take exactly that shape and fail loudly on anything else (a missing column,
an unknown unit or RAG word, an object that is not the library's), so a change upstream shows
up as a clear error here rather than as a silently wrong chart. Words (units, periods,
polarity, service areas, "Whole Trust") come from the catalogue, never from a copy here.

series frame: period_end (datetime64), hub_id (None = whole Trust), numerator, denominator,
value, target, target_low, target_high (float, NaN where absent), rag ('green' / 'amber' /
'red' / None), rag_note ("too few to rate" / None).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, fields

import pandas as pd

from ..indicators.catalogue import HUB_KIND_WORDS, TRUST, Indicator
from .theme import Rag

SERIES_COLUMNS = [
    "period_end",
    "hub_id",
    "numerator",
    "denominator",
    "value",
    "target",
    "target_low",
    "target_high",
    "rag",
    "rag_note",
]
HUB_COLUMNS = ["hub_id", "hub_name", "hub_kind", "is_open"]
AVAILABILITY_COLUMNS = ["indicator_id", "available", "reason"]
CATALOGUE_COLUMNS = [f.name for f in fields(Indicator)] + [
    "plain_definition",
    "frequency",
    "unit_words",
    "period_words",
    "polarity_words",
    "why_text",
    "source_words",
]


def _require(frame: object, columns: Sequence[str], reader: str) -> pd.DataFrame:
    """The frame scst_metrics.<reader>() returns, or a clear error saying what is wrong."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"expected the DataFrame scst_metrics.{reader}() returns, got {type(frame).__name__}"
        )
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"not the frame scst_metrics.{reader}() returns: no column {', '.join(missing)}"
        )
    return frame


def series_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """The API's series answer (scst_metrics.series) in the charts' series shape."""
    frame = _require(raw, SERIES_COLUMNS, "series")[SERIES_COLUMNS].copy()
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    for col in ("numerator", "denominator", "value", "target", "target_low", "target_high"):
        frame[col] = pd.to_numeric(frame[col]).astype("float64")
    for col in ("hub_id", "rag_note"):
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    frame["rag"] = [Rag.normal(r) for r in frame["rag"]]
    return frame.sort_values(["hub_id", "period_end"], na_position="first").reset_index(drop=True)


def catalogue_frame(raw: Iterable[Indicator]) -> pd.DataFrame:
    """The catalogue (scst_metrics.catalogue()), one row per indicator, in board order.

    Columns: every Indicator field (sources joined as "a, b"; hub_kinds a tuple), frequency,
    the catalogue's words for the card -- unit_words, period_words, polarity_words -- and
    `definition` as the card's "What this measures" shows it: the plain definition followed by
    why it matters and its source (the plain text is `plain_definition`).
    """
    items = list(raw)
    wrong = {type(i).__name__ for i in items if not isinstance(i, Indicator)}
    if wrong:
        raise TypeError(
            "expected the Indicator declarations scst_metrics.catalogue() returns, got "
            + ", ".join(sorted(wrong))
        )
    rows = []
    for ind in items:
        row = asdict(ind)
        row["sources"] = ", ".join(ind.sources)
        row["plain_definition"] = ind.definition
        if ind.why_text:
            row["definition"] = f"{ind.definition}\n\n**Why it matters:** {ind.why_text}"
        row["frequency"] = ind.frequency
        row["unit_words"] = ind.unit_label
        row["period_words"] = ind.period_words
        row["polarity_words"] = ind.polarity_words
        row["why_text"] = ind.why_text
        row["source_words"] = ind.source_words  # the footnote's "Source: SSDA903 return"
        rows.append(row)
    return pd.DataFrame(rows, columns=CATALOGUE_COLUMNS)


def hubs_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """hub_id, hub_name (closed hubs marked), hub_kind; open hubs first, for the hub filter."""
    frame = _require(raw, HUB_COLUMNS, "hubs").copy()
    is_open = frame["is_open"].astype(bool)
    frame["hub_name"] = frame["hub_name"].where(is_open, frame["hub_name"] + " (closed)")
    frame = pd.concat([frame[is_open], frame[~is_open]])
    return frame[["hub_id", "hub_name", "hub_kind"]].reset_index(drop=True)


def wants_hub_comparison(indicator: Mapping, hub_series: pd.DataFrame) -> bool:
    """A hub comparison helps where hubs are held to a band (e.g. 40 to 70 children)."""
    if not indicator["splits_by_hub"] or hub_series.empty:
        return False
    per_hub = hub_series[hub_series["hub_id"].notna()]
    return bool(per_hub["target_low"].notna().any() and per_hub["target_high"].notna().any())


def availability_frame(raw: pd.DataFrame, catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """indicator_id, available, reason (scst_metrics.availability), with title and
    service_area from the catalogue frame when given."""
    frame = _require(raw, AVAILABILITY_COLUMNS, "availability")[AVAILABILITY_COLUMNS].copy()
    frame["available"] = frame["available"].astype(bool)
    if catalogue is not None:
        names = catalogue[["id", "title", "service_area"]].rename(columns={"id": "indicator_id"})
        frame = frame.merge(names, on="indicator_id", how="left")
    return frame


def unavailable(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[~frame["available"]].reset_index(drop=True)


def unavailable_reason(frame: pd.DataFrame, indicator_id: str) -> str | None:
    rows = frame[(frame["indicator_id"] == indicator_id) & ~frame["available"]]
    if rows.empty:
        return None
    return str(rows["reason"].iloc[0] or "no reason recorded")


def hub_label(hubs: Iterable[str], hub_names: Mapping[str, str]) -> str:
    hubs = list(hubs)
    if not hubs:
        return TRUST
    if len(hubs) == 1:
        return hub_names.get(hubs[0], hubs[0])
    return f"{len(hubs)} hubs"


def hubs_not_counted_note(
    indicator: Mapping,
    hubs: Iterable[str],
    hub_kinds: Mapping[str, str | None],
    hub_names: Mapping[str, str],
    series: pd.DataFrame | None = None,
) -> str | None:
    """Why a hub-split chart is empty for the chosen hubs, when none of them is of a kind the
    indicator is counted for (children looked after are held by the LAC hubs, not by a
    locality hub); None when at least one chosen hub counts, for the whole Trust, or when the
    chosen hubs do have values in `series` (a child briefly held elsewhere)."""
    hubs = list(hubs)
    counted = tuple(indicator["hub_kinds"])
    if not hubs or not indicator["splits_by_hub"] or not counted:
        return None
    has_values = series is not None and not series.empty and "value" in series.columns
    if has_values and series[series["hub_id"].isin(hubs)]["value"].notna().any():
        return None
    if any(hub_kinds.get(h) in counted or hub_kinds.get(h) is None for h in hubs):
        return None
    words = [HUB_KIND_WORDS[k] for k in counted]
    teams = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    who = (
        f"{hub_label(hubs, hub_names)} holds"
        if len(hubs) == 1
        else f"The {len(hubs)} chosen hubs hold"
    )
    return (
        f"{who} none of these children: this indicator is counted for {teams}. "
        "Choose one of those, or the whole Trust, to see it."
    )


def rows_of(items: list, n: int) -> list[list]:
    """Items in rows of n (a grid whose rows line up)."""
    return [items[i : i + n] for i in range(0, len(items), n)]
