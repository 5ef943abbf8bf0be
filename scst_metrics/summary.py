"""The Making Data Count summary matrix: one row per indicator, exceptions first (issue 10).

`summary_matrix(conn, hubs=..., end=..., area=...)` reads the published tables (indicators,
indicator_values, indicator_targets, indicator_spc, indicator_spc_summary, hubs, load_meta)
through an open snapshot connection (`scst_metrics.published.snapshot()`); no Streamlit, no
arithmetic left for the page.

Definitions (each a choice, stated here):

- Rows: one per indicator and chosen hub (the whole Trust when no hub is chosen); an indicator
  not split by hub gives its whole-Trust row whatever hubs are chosen (`hub_id` None). A hub
  with no values for an indicator (children it does not hold) keeps its row with no value,
  sorted last, so nothing disappears silently.
- Latest: the latest period on or before `end` (default: the whole load). It may be the month
  in progress (`part_month`, labelled "1-12 Jun 2019"); a month in progress is not judged:
  RAG for sorting, variation, assurance and the changes come from the latest COMPLETE period
  (`judged_period_end`), which is the latest period itself when it is not a part month.
- Variation: the MDC icon of the stored SPC point at the judged period (indicator_spc), i.e.
  the summary's variation when the judged period is the latest complete month. Assurance: the
  stored summary's (limits and target at the latest complete month); with an `end` before
  that month it is left empty (`spc_note` says why) rather than recomputed with hindsight.
  Year-to-date counts have SPC on their in-month figure (`spc_basis`).
- Change since last month / last year: judged value less the value of the calendar month
  before / twelve months before (NaN when that month has no value).
- Sparkline: the last 13 values up to and including the latest (None for no data).
- Exceptions first (`exception_rank`): 0 special cause concern, 1 consistently misses the
  target, 2 inconsistent and off target (RAG red), 3 off target with no SPC assurance or
  another assurance (our addition: a red rolling-12-month figure must not hide among the
  rest), 4 the rest; then rows with a value before rows without; then catalogue order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

import pandas as pd
import sqlalchemy as sa

from .api import TRUST
from .indicators.spc_step import IMPROVEMENT, is_part_month, period_label
from .spc import variation_of

SPARKLINE_POINTS = 13

EXCEPTIONS = {
    0: "Special cause concern",
    1: "Consistently misses the target",
    2: "Inconsistent and off target",
    3: "Off target",
}

COLUMNS = [
    "indicator_id",
    "title",
    "service_area",
    "unit",
    "polarity",
    "period",
    "hub_id",
    "hub_name",
    "period_end",
    "period_label",
    "part_month",
    "value",
    "numerator",
    "denominator",
    "target",
    "target_low",
    "target_high",
    "rag",
    "judged_period_end",
    "judged_value",
    "judged_rag",
    "variation",
    "assurance",
    "trial_limits",
    "spc_basis",
    "spc_note",
    "sparkline",
    "sparkline_periods",
    "change_since_last_month",
    "change_since_last_year",
    "exception_rank",
    "exception",
]

_VALUES_SQL = """
SELECT v.indicator_id, v.hub_id, v.period_end, v.numerator, v.denominator, v.value,
    t.target, t.low AS target_low, t.high AS target_high, t.rag
FROM indicator_values v
LEFT JOIN indicator_targets t ON t.indicator_id = v.indicator_id
    AND t.period_end = v.period_end AND t.hub_id IS NOT DISTINCT FROM v.hub_id
WHERE {where}
ORDER BY v.indicator_id, v.hub_id NULLS FIRST, v.period_end
"""


def _frame(conn: sa.Connection, sql: str, params: dict | None = None) -> pd.DataFrame:
    result = conn.execute(sa.text(sql), params or {})
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NaT


def _month_number(d: pd.Timestamp) -> int:
    return d.year * 12 + d.month


def summary_matrix(
    conn: sa.Connection,
    *,
    hubs: Sequence[str] | None = None,
    end: date | None = None,
    area: str | None = None,
) -> pd.DataFrame:
    """The MDC summary matrix (columns COLUMNS), sorted exceptions first; see module doc."""
    cat = _frame(
        conn,
        "SELECT id, title, service_area, unit, polarity, period, splits_by_hub, display_order "
        "FROM indicators"
        + (" WHERE service_area = :area" if area else "")
        + " ORDER BY display_order",
        {"area": area} if area else {},
    )
    if area and cat.empty:
        known = _frame(conn, "SELECT DISTINCT service_area FROM indicators")["service_area"]
        raise ValueError(
            f"Unknown service area {area!r}; choose one of {', '.join(sorted(known))}."
        )
    chosen: list[str | None] = list(dict.fromkeys(hubs)) if hubs else [None]
    hub_names = dict(
        _frame(conn, "SELECT hub_id, hub_name FROM hubs").itertuples(index=False, name=None)
    )
    unknown = [h for h in chosen if h is not None and h not in hub_names]
    if unknown:
        raise ValueError(f"Unknown hub id(s) {', '.join(unknown)}; see the hubs table.")
    as_at_rows = _frame(conn, "SELECT max(as_at) AS as_at FROM load_meta")["as_at"]
    as_at = None if _missing(as_at_rows.iloc[0]) else pd.Timestamp(as_at_rows.iloc[0]).date()

    params: dict = {}
    where = "v.hub_id IS NULL"
    hub_ids = [h for h in chosen if h is not None]
    if hub_ids:
        where = "(v.hub_id IS NULL OR v.hub_id IN :hubs)"
        params["hubs"] = hub_ids
    if end is not None:
        where += " AND v.period_end <= :end"
        params["end"] = end
    sql = sa.text(_VALUES_SQL.format(where=where))
    if hub_ids:
        sql = sql.bindparams(sa.bindparam("hubs", expanding=True))
    result = conn.execute(sql, params)
    values = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    values["period_end"] = pd.to_datetime(values["period_end"])
    values["hub_id"] = values["hub_id"].astype(object).where(values["hub_id"].notna(), None)

    spc_sql = sa.text(
        "SELECT v.indicator_id, v.hub_id, v.period_end, v.point_type FROM indicator_spc v "
        "WHERE NOT v.part_month AND v.point_type IS NOT NULL AND " + where
    )
    if hub_ids:
        spc_sql = spc_sql.bindparams(sa.bindparam("hubs", expanding=True))
    result = conn.execute(spc_sql, params)
    spc_points = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    spc_points["period_end"] = pd.to_datetime(spc_points["period_end"])
    point_type: dict[tuple, list[tuple[pd.Timestamp, str]]] = {}
    for r in spc_points.sort_values("period_end").itertuples(index=False):
        key = (r.indicator_id, None if _missing(r.hub_id) else r.hub_id)
        point_type.setdefault(key, []).append((r.period_end, r.point_type))
    summaries = _frame(conn, "SELECT * FROM indicator_spc_summary")
    summary_of = {
        (r["indicator_id"], None if _missing(r["hub_id"]) else r["hub_id"]): r
        for r in summaries.to_dict("records")
    }
    trust = "<whole Trust>"  # not a hub id: hub ids are short codes
    keys = values["hub_id"].where(values["hub_id"].notna(), trust)
    by_series = dict(list(values.groupby([values["indicator_id"], keys], sort=False)))

    rows = []
    for ind in cat.to_dict("records"):
        targets = chosen if ind["splits_by_hub"] else [None]
        for hub in targets:
            series = by_series.get((ind["id"], trust if hub is None else hub))
            rows.append(_row(ind, hub, series, hub_names, as_at, point_type, summary_of))
    frame = pd.DataFrame(rows, columns=COLUMNS + ["_has_value", "_order"])
    frame = frame.sort_values(
        ["exception_rank", "_has_value", "_order"], ascending=[True, False, True], kind="stable"
    )
    frame = frame[COLUMNS].reset_index(drop=True)
    for col in _TEXT:  # None, never NaN, for "nothing to say"
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return frame


_TEXT = (
    "hub_id",
    "period_label",
    "rag",
    "judged_rag",
    "variation",
    "assurance",
    "spc_basis",
    "spc_note",
    "exception",
    "period_end",
    "judged_period_end",
    "trial_limits",
)


def _row(ind, hub, series, hub_names, as_at, point_type, summary_of) -> dict:
    row = {c: None for c in COLUMNS}
    row.update(
        indicator_id=ind["id"],
        title=ind["title"],
        service_area=ind["service_area"],
        unit=ind["unit"],
        polarity=ind["polarity"],
        period=ind["period"],
        hub_id=hub,
        hub_name=TRUST if hub is None else hub_names.get(hub, hub),
        part_month=False,
        sparkline=[],
        sparkline_periods=[],
        exception_rank=4,
        _order=ind["display_order"],
        _has_value=False,
    )
    summary = summary_of.get((ind["id"], hub))
    if series is None or series["value"].notna().sum() == 0:
        row["spc_note"] = "No values for this selection."
        return row
    s = series[series["value"].notna()].reset_index(drop=True)
    last = s.iloc[-1]
    part = is_part_month(ind["period"], last["period_end"], as_at)
    row.update(
        period_end=last["period_end"].date(),
        period_label=period_label(last["period_end"], part),
        part_month=part,
        value=float(last["value"]),
        numerator=_num(last["numerator"]),
        denominator=_num(last["denominator"]),
        target=_num(last["target"]),
        target_low=_num(last["target_low"]),
        target_high=_num(last["target_high"]),
        rag=None if _missing(last["rag"]) else last["rag"],
        _has_value=True,
    )
    tail = series.iloc[-SPARKLINE_POINTS:]
    row["sparkline"] = [_num(v) for v in tail["value"]]
    row["sparkline_periods"] = [d.date() for d in tail["period_end"]]

    judged = s.iloc[-2] if part and len(s) > 1 else (None if part else last)
    if judged is None:
        row["spc_note"] = "Only the month in progress so far."
        return row
    j_end = judged["period_end"]
    row.update(
        judged_period_end=j_end.date(),
        judged_value=float(judged["value"]),
        judged_rag=None if _missing(judged["rag"]) else judged["rag"],
    )
    by_month = dict(zip(s["period_end"].map(_month_number), s["value"], strict=True))
    for col, back in (("change_since_last_month", 1), ("change_since_last_year", 12)):
        before = by_month.get(_month_number(j_end) - back)
        row[col] = float("nan") if before is None else float(judged["value"]) - float(before)

    if summary is not None:
        row["spc_basis"] = summary["basis"]
        reason = summary["reason_if_none"]
        if not _missing(reason):
            row["spc_note"] = reason
        else:
            # the latest SPC point on or before the judged period (an in-month figure taken
            # from a year-to-date one can end earlier: a month with no base has none)
            up_to = [(d, t) for d, t in point_type.get((ind["id"], hub), []) if d <= j_end]
            spc_end = up_to[-1][0] if up_to else None
            if up_to and not _missing(up_to[-1][1]):
                row["variation"] = variation_of(up_to[-1][1], IMPROVEMENT[ind["polarity"]])
            if spc_end is not None and spc_end != j_end:
                row["spc_note"] = f"SPC on the in-month figure to {spc_end.strftime('%b %Y')}."
            latest = summary["latest_period_end"]
            if not _missing(latest) and pd.Timestamp(latest) == spc_end:
                row["assurance"] = None if _missing(summary["assurance"]) else summary["assurance"]
                row["trial_limits"] = bool(summary["trial_limits"])
                if row["trial_limits"]:
                    row["spc_note"] = " ".join(
                        x for x in (row["spc_note"], "Trial limits: fewer than 12 points.") if x
                    )
            elif not _missing(latest):
                row["spc_note"] = (
                    f"Assurance is worked out for the latest month "
                    f"({pd.Timestamp(latest).strftime('%b %Y')}) only."
                )
    rank = 4
    off = row["judged_rag"] == "red"
    if row["variation"] in ("concern_high", "concern_low"):
        rank = 0
    elif row["assurance"] == "consistent_fail":
        rank = 1
    elif row["assurance"] == "inconsistent" and off:
        rank = 2
    elif off:
        rank = 3
    row["exception_rank"] = rank
    row["exception"] = EXCEPTIONS.get(rank)
    return row


def _num(x: object) -> float | None:
    return None if _missing(x) or pd.isna(x) else float(x)
