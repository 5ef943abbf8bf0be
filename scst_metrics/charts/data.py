"""The shapes the charts draw from, made from what the scst_metrics API returns.

The API (scst_metrics.api) is the only reader of indicator data; these functions turn its
answers into the fixed column sets the charts, tiles and file names use, so a renamed column
upstream is adapted here once, not on every page.

series frame: period_end (datetime64), hub_id (None = whole Trust), numerator, denominator,
value, target, target_low, target_high (float, NaN where absent), rag ('green' / 'amber' /
'red' / None).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, is_dataclass

import pandas as pd

from .theme import Rag

SERIES_COLUMNS = [
    "indicator_id",
    "period_end",
    "hub_id",
    "numerator",
    "denominator",
    "value",
    "target",
    "target_low",
    "target_high",
    "rag",
]

# Alternative spellings the API may use for a column.
_ALIASES = {
    "period_end": ("period_end", "period", "month_end", "date"),
    "target": ("target", "target_value"),
    "target_low": ("target_low", "band_low", "target_min", "lower", "low"),
    "target_high": ("target_high", "band_high", "target_max", "upper", "high"),
    "rag": ("rag", "RAG", "rag_status", "status"),
    "hub_id": ("hub_id", "hub"),
    "indicator_id": ("indicator_id", "id", "indicator"),
}


def _frame(obj) -> pd.DataFrame:
    if isinstance(obj, pd.DataFrame):
        return obj.copy()
    if obj is None:
        return pd.DataFrame()
    if isinstance(obj, Mapping):
        return pd.DataFrame([obj])
    rows = []
    for item in obj:
        if is_dataclass(item):
            rows.append(asdict(item))
        elif isinstance(item, Mapping):
            rows.append(dict(item))
        elif hasattr(item, "_asdict"):
            rows.append(item._asdict())
        else:
            rows.append(dict(vars(item)))
    return pd.DataFrame(rows)


def _rename(frame: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    for name in names:
        if name in frame.columns:
            continue
        for alias in _ALIASES.get(name, ()):
            if alias in frame.columns:
                frame = frame.rename(columns={alias: name})
                break
    return frame


def series_frame(raw) -> pd.DataFrame:
    """The API's series answer in the charts' series shape."""
    frame = _rename(_frame(raw), SERIES_COLUMNS)
    for col in SERIES_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    frame = frame[SERIES_COLUMNS].copy()
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    for col in ("numerator", "denominator", "value", "target", "target_low", "target_high"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    frame["hub_id"] = frame["hub_id"].astype(object).where(frame["hub_id"].notna(), None)
    frame["rag"] = [Rag.normal(r) for r in frame["rag"]]
    return frame.sort_values(["hub_id", "period_end"], na_position="first").reset_index(drop=True)


CATALOGUE_COLUMNS = [
    "id",
    "title",
    "service_area",
    "definition",
    "numerator",
    "denominator",
    "unit",
    "polarity",
    "period",
    "frequency",
    "splits_by_hub",
    "sources",
    "dfe_definition",
    "has_band",
    "hub_kinds",
]

# How the catalogue's codes read on a chart and in the definition panel.
_PERIOD_WORDS = {
    "month_end_snapshot": "month-end snapshot",
    "in_the_month": "in the month",
    "rolling_12_months": "rolling 12 months",
    "financial_year_to_date": "financial year to date",
    "academic_year_to_date": "academic year to date",
    "annual_at_31_march": "annual, at 31 March",
}
_POLARITY_WORDS = {
    "higher_is_better": "higher is better",
    "lower_is_better": "lower is better",
    "neutral": "neutral: context, not rated",
    "within_band": "best within the target band",
}
_UNIT_WORDS = {
    "percent": "%",
    "count": "count",
    "rate_per_10000": "rate per 10,000 children",
    "ratio": "per FTE",
}


def catalogue_frame(raw) -> pd.DataFrame:
    """The catalogue (scst_metrics.catalogue()), one row per indicator, in board order."""
    items = list(raw) if raw is not None else []
    frame = _frame(items)
    if items and not isinstance(items[0], Mapping) and hasattr(items[0], "frequency"):
        frame["frequency"] = [getattr(i, "frequency", None) for i in items]  # a property
    if "id" not in frame.columns:
        for alias in ("indicator_id", "name"):
            if alias in frame.columns:
                frame = frame.rename(columns={alias: "id"})
                break
    for col in CATALOGUE_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    frame["sources"] = [
        ", ".join(map(str, s)) if isinstance(s, list | tuple) else (s or "")
        for s in frame["sources"]
    ]
    frame["splits_by_hub"] = frame["splits_by_hub"].fillna(False).astype(bool)
    # (scst_metrics.catalogue() gives tuples, from the code or the published file alike)
    frame["hub_kinds"] = [
        tuple(k) if isinstance(k, list | tuple) else () for k in frame["hub_kinds"]
    ]
    frame["has_band"] = frame["polarity"].eq("within_band") | frame["has_band"].fillna(False)
    frame["period_words"] = [_PERIOD_WORDS.get(p, p) for p in frame["period"]]
    frame["polarity_words"] = [_POLARITY_WORDS.get(p, p) for p in frame["polarity"]]
    frame["unit_words"] = [_UNIT_WORDS.get(u, u) for u in frame["unit"]]
    return frame.reset_index(drop=True)


def hubs_frame(raw) -> pd.DataFrame:
    """hub_id, hub_name (closed hubs marked), open hubs first, for the hub filter."""
    frame = _frame(raw)
    if "hub_name" not in frame.columns:
        frame["hub_name"] = frame.get("name", frame["hub_id"])
    if "is_open" in frame.columns:
        is_open = frame["is_open"].fillna(True).astype(bool)
        frame["hub_name"] = frame["hub_name"].where(is_open, frame["hub_name"] + " (closed)")
        frame = pd.concat([frame[is_open], frame[~is_open]])
    if "hub_kind" not in frame.columns:
        frame["hub_kind"] = None
    return frame[["hub_id", "hub_name", "hub_kind"]].reset_index(drop=True)


def wants_hub_comparison(indicator: Mapping, hub_series: pd.DataFrame) -> bool:
    """A hub comparison helps where hubs are held to a band (e.g. 40 to 70 children)."""
    if not indicator.get("splits_by_hub") or hub_series.empty:
        return False
    per_hub = hub_series[hub_series["hub_id"].notna()]
    return bool(per_hub["target_low"].notna().any() and per_hub["target_high"].notna().any())


def availability_frame(raw, catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """indicator_id, title, service_area, available, reason."""
    frame = _rename(_frame(raw), ["indicator_id"])
    if catalogue is not None and "title" not in frame.columns and len(frame):
        names = catalogue[["id", "title", "service_area"]].rename(columns={"id": "indicator_id"})
        frame = frame.merge(names, on="indicator_id", how="left")
    for col in ("indicator_id", "title", "service_area", "available", "reason"):
        if col not in frame.columns:
            frame[col] = None
    frame["available"] = frame["available"].fillna(True).astype(bool)
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
        return "Whole Trust"
    if len(hubs) == 1:
        return hub_names.get(hubs[0], hubs[0])
    return f"{len(hubs)} hubs"


# How a kind of team reads in a sentence ("counted for the LAC hubs and leaving care teams").
_HUB_KIND_WORDS = {
    "locality": "the locality hubs",
    "lac": "the LAC hubs",
    "leaving_care": "the leaving care teams",
    "assessment": "the assessment team",
    "disabled_children": "the children with disabilities team",
}


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
    counted = tuple(indicator.get("hub_kinds") or ())
    if not hubs or not indicator.get("splits_by_hub") or not counted:
        return None
    has_values = series is not None and not series.empty and "value" in series.columns
    if has_values and series[series["hub_id"].isin(hubs)]["value"].notna().any():
        return None
    if any(hub_kinds.get(h) in counted or hub_kinds.get(h) is None for h in hubs):
        return None
    words = [_HUB_KIND_WORDS.get(k, k) for k in counted]
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
