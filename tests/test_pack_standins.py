"""STAND-INS, for the pack's tests only, until h-spc and h-catalogue are merged into main.

The pack's adapter (scst_metrics/pack/sources.py) imports `scst_metrics.summary.summary_matrix`
(h-spc), `scst_metrics.indicators.small_numbers` (h-catalogue) and the MDC words in
`scst_metrics.spc` (h-spc). When main does not have them yet, `install()` puts minimal local
stand-ins in their place for this test process -- nothing is installed when the real modules
are importable, so after the merge the tests run against the real ones. Delete this file then.

The stand-ins follow the real modules' signatures and columns:
- summary_matrix: the latest value per indicator (per chosen hub for those split by hub),
  exceptions first = RAG red first, then catalogue order (the real one also ranks SPC).
- suppress: DfE's convention, counts 1-5 and % / rates with numerator or denominator 1-5.
"""

from __future__ import annotations

import importlib.util
import math
import sys
import types

import pandas as pd


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _small(n) -> bool:
    return not _missing(n) and 0 < float(n) <= 5


def suppress(value, numerator, denominator, unit):
    if _missing(value):
        return value
    if unit == "count":
        return "c" if _small(value if _missing(numerator) else numerator) else value
    return "c" if _small(numerator) or _small(denominator) else value


def summary_matrix(conn, *, hubs=None, end=None, area=None) -> pd.DataFrame:
    from scst_metrics import api

    cat = api.catalogue(area, conn=conn)
    trust = api.latest(area, hubs=None, end=end, conn=conn)
    by_hub = api.latest(area, hubs=list(hubs), end=end, conn=conn) if hubs else trust[:0]
    names = dict(api.hubs(conn=conn)[["hub_id", "hub_name"]].itertuples(index=False))
    rows = []
    for order, ind in enumerate(cat):
        for hub in list(hubs) if hubs and ind.splits_by_hub else [None]:
            src = trust if hub is None else by_hub
            got = src[(src["indicator_id"] == ind.id) & (src["hub_id"].eq(hub) if hub else True)]
            r = got.iloc[0].to_dict() if len(got) else {}
            rag = r.get("rag")
            end_ = r.get("period_end")
            rows.append(
                dict(
                    indicator_id=ind.id,
                    title=ind.title,
                    service_area=ind.service_area,
                    unit=ind.unit,
                    polarity=ind.polarity,
                    period=ind.period,
                    hub_id=hub,
                    hub_name="Whole Trust" if hub is None else names[hub],
                    period_end=end_,
                    period_label=None if end_ is None else pd.Timestamp(end_).strftime("%b %Y"),
                    value=r.get("value"),
                    numerator=r.get("numerator"),
                    denominator=r.get("denominator"),
                    target=r.get("target"),
                    target_low=r.get("target_low"),
                    target_high=r.get("target_high"),
                    rag=rag,
                    judged_period_end=end_,
                    change_since_last_month=r.get("change", math.nan),
                    change_since_last_year=math.nan,
                    variation=None,
                    assurance=None,
                    exception_rank=3 if rag == "red" else 4,
                    exception="Off target" if rag == "red" else None,
                    _order=order,
                )
            )
    frame = pd.DataFrame(rows).sort_values(["exception_rank", "_order"], kind="stable")
    return frame.drop(columns="_order").reset_index(drop=True)


def install() -> list[str]:
    """Put the stand-ins in place where main lacks the real modules; returns what was stood in."""
    stood_in = []
    if importlib.util.find_spec("scst_metrics.summary") is None:
        mod = types.ModuleType("scst_metrics.summary")
        mod.summary_matrix = summary_matrix
        sys.modules["scst_metrics.summary"] = mod
        stood_in.append("scst_metrics.summary")
    if importlib.util.find_spec("scst_metrics.indicators.small_numbers") is None:
        mod = types.ModuleType("scst_metrics.indicators.small_numbers")
        mod.suppress = suppress
        mod.SUPPRESSED = "c"
        mod.FOOTNOTE = (
            '"c": a count of 1 to 5, or a percentage or rate whose numerator or denominator '
            "is 1 to 5, is suppressed (DfE convention for published children's social care "
            "statistics)."
        )
        sys.modules["scst_metrics.indicators.small_numbers"] = mod
        stood_in.append("scst_metrics.indicators.small_numbers")
    import scst_metrics.spc as spc

    if not hasattr(spc, "VARIATION_WORDS"):
        spc.VARIATION_WORDS = {"concern_high": "Special cause concern: higher"}
        spc.ASSURANCE_WORDS = {"consistent_fail": "Consistently misses the target"}
        stood_in.append("scst_metrics.spc words")
    return stood_in
