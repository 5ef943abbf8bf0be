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

import bisect
import math
from collections.abc import Sequence
from datetime import date

import duckdb
import pandas as pd
import pyarrow as pa
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

# The matrix is worked out at load time for every period end the data holds (the nightly
# step "summary", scst_metrics/nightly.py) and stored in TABLE: one row per period end,
# indicator and hub (and the whole Trust). `summary_matrix` then picks the rows of a view;
# a file published before that step existed is worked out from the tables as before.
TABLE = "indicator_summary_matrix"

# stored beside COLUMNS: which view a row belongs to, and its place in the catalogue
_KEYS = ["matrix_end", "splits_by_hub", "display_order", "has_value"]

_CHANGES = ("change_since_last_month", "change_since_last_year")

# the stored type of each column that is not text
_TYPES = {
    "matrix_end": pa.date32(),
    "splits_by_hub": pa.bool_(),
    "display_order": pa.int64(),
    "has_value": pa.bool_(),
    "period_end": pa.date32(),
    "part_month": pa.bool_(),
    "judged_period_end": pa.date32(),
    "trial_limits": pa.bool_(),
    "sparkline": pa.list_(pa.float64()),
    "sparkline_periods": pa.list_(pa.date32()),
    "exception_rank": pa.int64(),
    **{
        c: pa.float64()
        for c in (
            "value",
            "numerator",
            "denominator",
            "target",
            "target_low",
            "target_high",
            "judged_value",
            "change_since_last_month",
            "change_since_last_year",
        )
    },
}

_CATALOGUE_SQL = (
    "SELECT id, title, service_area, unit, polarity, period, splits_by_hub, display_order "
    "FROM indicators ORDER BY display_order"
)
_VALUES_SQL = """
SELECT v.indicator_id, v.hub_id, v.period_end, v.numerator, v.denominator, v.value,
    t.target, t.low AS target_low, t.high AS target_high, t.rag
FROM indicator_values v
LEFT JOIN indicator_targets t ON t.indicator_id = v.indicator_id
    AND t.period_end = v.period_end AND t.hub_id IS NOT DISTINCT FROM v.hub_id
ORDER BY v.indicator_id, v.hub_id NULLS FIRST, v.period_end
"""
_SPC_SQL = (
    "SELECT indicator_id, hub_id, period_end, point_type FROM indicator_spc "
    "WHERE NOT part_month AND point_type IS NOT NULL ORDER BY period_end"
)


def _frame(conn: sa.Connection | duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    """A query's rows as a frame, from the board's snapshot (SQLAlchemy) or the load's
    DuckDB connection."""
    if isinstance(conn, duckdb.DuckDBPyConnection):
        return conn.execute(sql).df()
    result = conn.execute(sa.text(sql))
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NaT


def _month_number(d: pd.Timestamp) -> int:
    return d.year * 12 + d.month


def _num(x: object) -> float | None:
    return None if _missing(x) or pd.isna(x) else float(x)


def _text(x: object) -> str | None:
    return None if _missing(x) else x


class _Series:
    """One indicator's series for one hub (or the Trust), oldest first, as plain values."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.ends = list(pd.to_datetime(frame["period_end"]))
        self.dates = [d.date() for d in self.ends]
        self.values = [_num(v) for v in frame["value"]]
        self.numerator = [_num(v) for v in frame["numerator"]]
        self.denominator = [_num(v) for v in frame["denominator"]]
        self.target = [_num(v) for v in frame["target"]]
        self.target_low = [_num(v) for v in frame["target_low"]]
        self.target_high = [_num(v) for v in frame["target_high"]]
        self.rag = [_text(v) for v in frame["rag"]]
        self.with_value = [i for i, v in enumerate(self.values) if v is not None]
        # the last value of each calendar month (for the changes since last month / year)
        self.by_month = {_month_number(self.ends[i]): self.values[i] for i in self.with_value}


class _Inputs:
    """Everything the matrix is made of, read once from a file (all hubs, all periods)."""

    def __init__(self, conn: sa.Connection | duckdb.DuckDBPyConnection) -> None:
        self.catalogue = _frame(conn, _CATALOGUE_SQL).to_dict("records")
        hubs = _frame(conn, "SELECT hub_id, hub_name FROM hubs")
        self.hub_names = dict(zip(hubs["hub_id"], hubs["hub_name"], strict=True))
        as_at = _frame(conn, "SELECT max(as_at) AS as_at FROM load_meta")["as_at"].iloc[0]
        self.as_at = None if _missing(as_at) else pd.Timestamp(as_at).date()
        values = _frame(conn, _VALUES_SQL)
        values["hub_id"] = values["hub_id"].astype(object).where(values["hub_id"].notna(), None)
        self.period_ends = sorted(set(pd.to_datetime(values["period_end"])))
        trust = "<whole Trust>"  # not a hub id: hub ids are short codes
        keys = values["hub_id"].where(values["hub_id"].notna(), trust)
        self.series = {
            (ind, None if hub == trust else hub): _Series(frame)
            for (ind, hub), frame in values.groupby([values["indicator_id"], keys], sort=False)
        }
        spc = _frame(conn, _SPC_SQL)
        self.points: dict[tuple, list[tuple[pd.Timestamp, str]]] = {}
        for r in zip(spc["indicator_id"], spc["hub_id"], pd.to_datetime(spc["period_end"]),
                     spc["point_type"], strict=True):  # fmt: skip
            key = (r[0], None if _missing(r[1]) else r[1])
            self.points.setdefault(key, []).append((r[2], r[3]))
        self.point_ends = {k: [d for d, _ in v] for k, v in self.points.items()}
        summaries = _frame(conn, "SELECT * FROM indicator_spc_summary")
        self.summary_of = {
            (r["indicator_id"], None if _missing(r["hub_id"]) else r["hub_id"]): r
            for r in summaries.to_dict("records")
        }
        self._labels: dict[tuple, tuple[bool, str]] = {}

    def label(self, period: str, end: pd.Timestamp) -> tuple[bool, str]:
        """(month in progress, its label) of a period end (a few hundred distinct ones)."""
        key = (period, end)
        if key not in self._labels:
            part = is_part_month(period, end, self.as_at)
            self._labels[key] = (part, period_label(end, part))
        return self._labels[key]

    def rows(self, ind: dict, hub: str | None, ends: Sequence[pd.Timestamp | None]):
        """The matrix row of `ind` and `hub` as it stands at each of `ends` (None: the
        whole load), with `_has_value` and `_order` for sorting."""
        series = self.series.get((ind["id"], hub))
        for end in ends:
            yield _row(ind, hub, series, end, self)


def _row(ind: dict, hub: str | None, series: _Series | None, end, inputs: _Inputs) -> dict:
    row = dict.fromkeys(COLUMNS)
    row.update(
        indicator_id=ind["id"],
        title=ind["title"],
        service_area=ind["service_area"],
        unit=ind["unit"],
        polarity=ind["polarity"],
        period=ind["period"],
        hub_id=hub,
        hub_name=TRUST if hub is None else inputs.hub_names.get(hub, hub),
        part_month=False,
        sparkline=[],
        sparkline_periods=[],
        exception_rank=4,
        _order=ind["display_order"],
        _has_value=False,
    )
    # the series up to `end`: its first k rows, of which the first j have a value
    k = 0 if series is None else len(series.ends)
    if series is not None and end is not None:
        k = bisect.bisect_right(series.ends, end)
    j = 0 if series is None else bisect.bisect_left(series.with_value, k)
    if j == 0:
        row["spc_note"] = "No values for this selection."
        return row
    last = series.with_value[j - 1]
    part, label = inputs.label(ind["period"], series.ends[last])
    row.update(
        period_end=series.dates[last],
        period_label=label,
        part_month=part,
        value=series.values[last],
        numerator=series.numerator[last],
        denominator=series.denominator[last],
        target=series.target[last],
        target_low=series.target_low[last],
        target_high=series.target_high[last],
        rag=series.rag[last],
        _has_value=True,
    )
    first = max(0, k - SPARKLINE_POINTS)  # the last 13 periods, with or without a value
    row["sparkline"] = series.values[first:k]
    row["sparkline_periods"] = series.dates[first:k]

    judged = (series.with_value[j - 2] if j > 1 else None) if part else last
    if judged is None:
        row["spc_note"] = "Only the month in progress so far."
        return row
    j_end = series.ends[judged]
    row.update(
        judged_period_end=series.dates[judged],
        judged_value=series.values[judged],
        judged_rag=series.rag[judged],
    )
    for col, back in (("change_since_last_month", 1), ("change_since_last_year", 12)):
        before = series.by_month.get(_month_number(j_end) - back)
        row[col] = float("nan") if before is None else series.values[judged] - before

    summary = inputs.summary_of.get((ind["id"], hub))
    if summary is not None:
        row["spc_basis"] = _text(summary["basis"])
        reason = summary["reason_if_none"]
        if not _missing(reason):
            row["spc_note"] = reason
        else:
            # the latest SPC point on or before the judged period (an in-month figure taken
            # from a year-to-date one can end earlier: a month with no base has none)
            key = (ind["id"], hub)
            n = bisect.bisect_right(inputs.point_ends.get(key, []), j_end)
            spc_end, point_type = inputs.points[key][n - 1] if n else (None, None)
            if spc_end is not None and not _missing(point_type):
                row["variation"] = variation_of(point_type, IMPROVEMENT[ind["polarity"]])
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


def _sorted(rows: list[dict]) -> pd.DataFrame:
    """Rows (in catalogue order, then the chosen hubs' order) as the matrix: exceptions
    first, then rows with a value, then catalogue order."""
    frame = pd.DataFrame(rows, columns=COLUMNS + ["_has_value", "_order"])
    frame = frame.sort_values(
        ["exception_rank", "_has_value", "_order"], ascending=[True, False, True], kind="stable"
    )
    frame = frame[COLUMNS].reset_index(drop=True)
    for col in _TEXT:  # None, never NaN, for "nothing to say"
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return frame


def _has_table(conn: sa.Connection, table: str) -> bool:
    found = conn.execute(
        sa.text("SELECT count(*) FROM information_schema.tables WHERE table_name = :t"),
        {"t": table},
    ).scalar()
    return bool(found)


def summary_matrix(
    conn: sa.Connection,
    *,
    hubs: Sequence[str] | None = None,
    end: date | None = None,
    area: str | None = None,
) -> pd.DataFrame:
    """The MDC summary matrix (columns COLUMNS), sorted exceptions first; see module doc.

    Read from the rows the load stored (TABLE) for the latest period end on or before `end`
    -- the same rows, since no value lies between the two -- or, for a file without them,
    worked out here."""
    cat = _frame(conn, _CATALOGUE_SQL)
    if area:
        cat = cat[cat["service_area"] == area]
        if cat.empty:
            known = _frame(conn, "SELECT DISTINCT service_area FROM indicators")["service_area"]
            raise ValueError(
                f"Unknown service area {area!r}; choose one of {', '.join(sorted(known))}."
            )
    chosen: list[str | None] = list(dict.fromkeys(hubs)) if hubs else [None]
    known_hubs = set(_frame(conn, "SELECT hub_id FROM hubs")["hub_id"])
    unknown = [h for h in chosen if h is not None and h not in known_hubs]
    if unknown:
        raise ValueError(f"Unknown hub id(s) {', '.join(unknown)}; see the hubs table.")
    stored_end = _stored_end(conn, end) if _has_table(conn, TABLE) else None
    if stored_end is None:  # a file from before the load stored the matrix
        inputs = _Inputs(conn)
        at = None if end is None else pd.Timestamp(end)
        rows = [
            next(inputs.rows(ind, hub, [at]))
            for ind in cat.to_dict("records")
            for hub in (chosen if ind["splits_by_hub"] else [None])
        ]
        return _sorted(rows)
    return _sorted(_stored_rows(conn, stored_end, chosen, area))


def _stored_end(conn: sa.Connection, end: date | None) -> date | None:
    """The matrix end stored for `end`: the latest on or before it (None: none stored)."""
    sql = f"SELECT max(matrix_end) FROM {TABLE}" + (" WHERE matrix_end <= :end" if end else "")
    found = conn.execute(sa.text(sql), {"end": end} if end else {}).scalar()
    return None if found is None else pd.Timestamp(found).date()


def _stored_rows(
    conn: sa.Connection, matrix_end: date, chosen: list[str | None], area: str | None
) -> list[dict]:
    """The stored rows of one view, in catalogue order, then the chosen hubs' order."""
    hub_ids = [h for h in chosen if h is not None]
    which = "hub_id IS NULL"
    if hub_ids:
        which = "(hub_id IS NULL AND NOT splits_by_hub) OR (splits_by_hub AND hub_id IN :hubs)"
    sql = sa.text(
        f"SELECT {', '.join(COLUMNS)}, has_value AS _has_value, display_order AS _order "
        f"FROM {TABLE} WHERE matrix_end = :end AND ({which})"
        + (" AND service_area = :area" if area else "")
    )
    params: dict = {"end": matrix_end, "area": area}
    if hub_ids:
        sql = sql.bindparams(sa.bindparam("hubs", expanding=True))
        params["hubs"] = hub_ids
    result = conn.execute(sql, params)
    names = list(result.keys())
    rows = [dict(zip(names, r, strict=True)) for r in result.fetchall()]
    for row in rows:  # NULL stored for NaN: the worked-out matrix says NaN
        for col in _CHANGES:
            if row[col] is None:
                row[col] = float("nan")
    place = {h: n for n, h in enumerate(chosen)}
    rows.sort(key=lambda r: (r["_order"], place.get(r["hub_id"], 0)))
    return rows


def materialise_summary(con: duckdb.DuckDBPyConnection) -> int:
    """Work out the matrix at every period end the data holds, for the whole Trust and every
    hub, into TABLE (write access; the load's step "summary"). Returns its number of rows."""
    inputs = _Inputs(con)
    ends = inputs.period_ends
    dates = [end.date() for end in ends]
    rows = []
    for ind in inputs.catalogue:
        hubs = [None, *sorted(inputs.hub_names)] if ind["splits_by_hub"] else [None]
        keys = {"splits_by_hub": bool(ind["splits_by_hub"]), "display_order": ind["display_order"]}
        for hub in hubs:
            for date_, row in zip(dates, inputs.rows(ind, hub, ends), strict=True):
                row.update(keys, matrix_end=date_, has_value=row["_has_value"])
                rows.append(row)
    table = pa.table(
        {
            # NaN (no change to show) stored as NULL: a stored row equals itself
            c: pa.array([r[c] for r in rows], type=_TYPES.get(c, pa.string()), from_pandas=True)
            for c in _KEYS + COLUMNS
        }
    )
    con.register("_summary_rows", table)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {TABLE} AS SELECT * FROM _summary_rows")
    finally:
        con.unregister("_summary_rows")
    return table.num_rows
