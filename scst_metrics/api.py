"""The app-facing read surface: everything a page needs, without SQL.

Every function reads the published database's small, precomputed tables (the nightly load
computes all series). Each accepts `conn`, an open snapshot connection
(`scst_metrics.published.snapshot()`), so a page can do all its reads against one snapshot; if
`conn` is None the function opens its own snapshot of `db` (default: $SCST_DB, else
data/scst.duckdb).

    from scst_metrics import series, latest, periods, snapshot
    with snapshot() as conn:
        months = periods(conn=conn)                  # the period ends in the data
        tiles = latest("lac", conn=conn)             # the newest period's tiles
        march = latest("lac", end=months[-3], conn=conn)  # the tiles of an earlier month
        lac = series("lac_count", hubs="all", conn=conn)
        # what the board's chart draws beside the line: spc_points (mean, limits, points by
        # type), spc_summary (icons, or why no SPC), events (process changes), benchmark_rows
        # (DfE's annual figures) -- all four at once, as charts.trend_chart's keywords:
        fig = trend_chart(frame, ind, **chart_layers("lac_count", conn=conn))

One catalogue per snapshot: `series` and `latest` take ids, titles, units and polarity from
the catalogue stored in the file they read (table `indicators`), never from this code's
declarations, so a file loaded before a deploy reads the same after it.

Hub selection (`hubs`): None = the whole Trust only; "all" = the whole Trust and every hub;
a list of hub IDs = those hubs (put None in the list for the whole Trust too).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from datetime import date
from typing import Literal

import pandas as pd
import sqlalchemy as sa

from .indicators.catalogue import INDICATORS, SERVICE_AREAS, TRUST, Indicator
from .published import snapshot

HubSelection = Sequence[str | None] | Literal["all"] | None

__all__ = [
    "availability",
    "as_at",
    "benchmark_overview",
    "benchmark_rows",
    "events",
    "spc_points",
    "spc_summary",
    "summary_matrix",
    "catalogue",
    "chart_layers",
    "hubs",
    "latest",
    "periods",
    "series",
    "TRUST",
]


@contextmanager
def _connection(
    conn: sa.Connection | None, db: str | os.PathLike | None
) -> Iterator[sa.Connection]:
    if conn is not None:
        yield conn
    else:
        with snapshot(db) as own:
            yield own


def _frame(conn: sa.Connection, sql: str, params: dict | None = None) -> pd.DataFrame:
    result = conn.execute(sa.text(sql), params or {})
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def catalogue(
    service_area: str | None = None,
    *,
    conn: sa.Connection | None = None,
    db: str | os.PathLike | None = None,
) -> list[Indicator]:
    """The indicator declarations, in board order (optionally one service area's).

    Without `conn` or `db`: the declarations in this code. With either: the catalogue as the
    published file recorded it when its values were computed (its `indicators` table), so
    titles and definitions always match the numbers read through the same snapshot.
    """
    if service_area is not None and service_area not in SERVICE_AREAS:
        raise KeyError(f"Unknown service area '{service_area}'. Known: {', '.join(SERVICE_AREAS)}")
    if conn is None and db is None:
        declared: Sequence[Indicator] = INDICATORS
    else:
        with _connection(conn, db) as c:
            declared = _published_catalogue(c)
    return [i for i in declared if service_area in (None, i.service_area)]


_INDICATOR_FIELDS = tuple(f.name for f in fields(Indicator))
_TUPLE_FIELDS = ("sources", "hub_kinds")  # stored as "a, b, c"


def _published_catalogue(c: sa.Connection) -> list[Indicator]:
    frame = _frame(c, "SELECT * FROM indicators ORDER BY display_order")
    out = []
    for row in frame.to_dict("records"):
        kw = {name: row[name] for name in _INDICATOR_FIELDS if name in row}
        for name in _TUPLE_FIELDS:
            if name in kw:
                kw[name] = tuple(p.strip() for p in str(kw[name] or "").split(",") if p.strip())
        kw["splits_by_hub"] = bool(kw["splits_by_hub"])
        for name in ("dfe_definition", "why", "why_source"):  # absent from older files
            kw[name] = kw[name] if isinstance(kw.get(name), str) else ""
        for name in ("derived_from", "dfe_measure"):  # NULL (NaN in a frame) = None
            kw[name] = kw[name] if isinstance(kw.get(name), str) else None
        out.append(Indicator(**kw))
    return out


def _known(declared: Sequence[Indicator], indicator_id: str) -> None:
    if not any(i.id == indicator_id for i in declared):
        known = ", ".join(sorted(i.id for i in declared))
        raise KeyError(f"Unknown indicator '{indicator_id}'. Known: {known}")


def periods(conn: sa.Connection | None = None, db: str | os.PathLike | None = None) -> list[date]:
    """Every period end the published data holds a value for, oldest first.

    Month ends from the start of the data, then the extract date itself when it is not a
    month end (the month to date), as `series` and `latest` report them.
    """
    with _connection(conn, db) as c:
        frame = _frame(c, "SELECT DISTINCT period_end FROM indicator_values ORDER BY period_end")
    return [pd.Timestamp(d).date() for d in frame["period_end"]]


def as_at(conn: sa.Connection | None = None, db: str | os.PathLike | None = None) -> date:
    """The date the published data was extracted."""
    with _connection(conn, db) as c:
        return _frame(c, "SELECT as_at FROM load_meta")["as_at"].iloc[0]


def hubs(conn: sa.Connection | None = None, db: str | os.PathLike | None = None) -> pd.DataFrame:
    """Hubs from the published data: hub_id, hub_name, hub_kind, opened, closed, is_open
    (open at the extract date)."""
    with _connection(conn, db) as c:
        return _frame(
            c,
            "SELECT hub_id, hub_name, hub_kind, opened, closed, "
            "(closed IS NULL OR closed > (SELECT as_at FROM load_meta)) AS is_open "
            "FROM hubs ORDER BY hub_kind, hub_id",
        )


def availability(
    conn: sa.Connection | None = None, db: str | os.PathLike | None = None
) -> pd.DataFrame:
    """Per indicator: available (its source tables were in the drop) and the reason if not."""
    with _connection(conn, db) as c:
        return _frame(c, "SELECT indicator_id, available, reason FROM indicator_availability")


def _hub_filter(selection: HubSelection) -> tuple[str, dict]:
    if selection is None:
        return "v.hub_id IS NULL", {}
    if selection == "all":
        return "TRUE", {}
    ids = [h for h in selection if h is not None]
    parts = ["v.hub_id IN :hub_ids"] if ids else []
    if any(h is None for h in selection):
        parts.append("v.hub_id IS NULL")
    if not parts:
        return "FALSE", {}
    return "(" + " OR ".join(parts) + ")", ({"hub_ids": tuple(ids)} if ids else {})


_SERIES_SQL = """
SELECT v.indicator_id, v.period_end, v.hub_id,
    coalesce(h.hub_name, CASE WHEN v.hub_id IS NULL THEN :trust END) AS hub_name,
    v.numerator, v.denominator, v.value,
    t.target, t.amber, t.low AS target_low, t.high AS target_high, t.target_source, t.rag,
    {rag_note} AS rag_note, i.unit, i.polarity
FROM indicator_values v
JOIN indicators i ON i.id = v.indicator_id
LEFT JOIN hubs h ON h.hub_id = v.hub_id
LEFT JOIN indicator_targets t ON t.indicator_id = v.indicator_id
    AND t.period_end = v.period_end AND t.hub_id IS NOT DISTINCT FROM v.hub_id
WHERE v.indicator_id IN :ids AND {hubs} {dates}
ORDER BY v.indicator_id, v.hub_id NULLS FIRST, v.period_end
"""


def _has_column(c: sa.Connection, table: str, column: str) -> bool:
    found = c.execute(
        sa.text(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_name = :table AND column_name = :column"
        ),
        {"table": table, "column": column},
    ).scalar()
    return bool(found)


def _values(
    c: sa.Connection,
    ids: Sequence[str],
    hubs_: HubSelection,
    start: date | None,
    end: date | None,
) -> pd.DataFrame:
    where, params = _hub_filter(hubs_)
    dates = ""
    if start is not None:
        dates += " AND v.period_end >= :start"
        params["start"] = start
    if end is not None:
        dates += " AND v.period_end <= :end"
        params["end"] = end
    # a file published before rag_note existed (read between a deploy and the next load)
    rag_note = "t.rag_note" if _has_column(c, "indicator_targets", "rag_note") else "NULL"
    sql = sa.text(_SERIES_SQL.format(hubs=where, dates=dates, rag_note=rag_note)).bindparams(
        sa.bindparam("ids", expanding=True),
        *([sa.bindparam("hub_ids", expanding=True)] if "hub_ids" in params else []),
    )
    params |= {"ids": list(ids), "trust": TRUST}
    if "hub_ids" in params:
        params["hub_ids"] = list(params["hub_ids"])
    result = c.execute(sql, params)
    frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    for text in (
        "rag",
        "rag_note",
        "target_source",
        "hub_id",
        "hub_name",
    ):  # None, never NaN, for no rating
        frame[text] = frame[text].astype(object).where(frame[text].notna(), None)
    return frame


def series(
    indicator_id: str,
    hubs: HubSelection = None,
    start: date | None = None,
    end: date | None = None,
    *,
    conn: sa.Connection | None = None,
    db: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """One indicator's series, oldest first, one row per period (per hub asked for).

    Columns: indicator_id, period_end, hub_id (None = whole Trust), hub_name, numerator,
    denominator, value (None = no data), target, amber, target_low, target_high (a band),
    target_source, rag ("green"/"amber"/"red"/None), rag_note ("too few to rate" when a
    percentage's denominator is too small to rate, else None), unit, polarity.
    """
    with _connection(conn, db) as c:
        _known(_published_catalogue(c), indicator_id)  # a clear KeyError for an unknown id
        return _values(c, [indicator_id], hubs, start, end).drop(columns="indicator_id")


def latest(
    service_area: str | None = None,
    hubs: HubSelection = None,
    *,
    end: date | None = None,
    conn: sa.Connection | None = None,
    db: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """Overview tiles: for each available indicator (of a service area), its latest period
    (on or before `end` if given: the tiles as they stood at an earlier month).

    Columns: indicator_id, title, service_area, unit, polarity, period_end, hub_id, hub_name,
    numerator, denominator, value, target, amber, target_low, target_high, target_source, rag,
    rag_note, previous_period_end, previous_value, change (value less the previous period's
    value; for annual indicators the previous year). An indicator with no value on or before
    `end` has no row.
    """
    with _connection(conn, db) as c:
        wanted = catalogue(service_area, conn=c)
        frame = _values(c, [i.id for i in wanted], hubs, None, end)
    if frame.empty:
        cols = ["indicator_id", "title", "service_area", "period_end", "value", "rag"]
        return pd.DataFrame(columns=cols)
    key = ["indicator_id", "hub_id"]
    frame = frame.sort_values(["indicator_id", "period_end"])
    grouped = frame.groupby(key, dropna=False, sort=False)
    frame["previous_period_end"] = grouped["period_end"].shift(1)
    frame["previous_value"] = grouped["value"].shift(1)
    last = frame.groupby(key, dropna=False, sort=False).tail(1).copy()
    last["change"] = last["value"] - last["previous_value"]
    meta = {i.id: i for i in wanted}
    last["title"] = last["indicator_id"].map(lambda x: meta[x].title)
    last["service_area"] = last["indicator_id"].map(lambda x: meta[x].service_area)
    order = {i.id: n for n, i in enumerate(wanted)}
    last["_order"] = last["indicator_id"].map(order)
    last = last.sort_values(["_order", "hub_id"], na_position="first").drop(columns="_order")
    first = ["indicator_id", "title", "service_area", "unit", "polarity", "period_end"]
    rest = [c for c in last.columns if c not in first]
    return last[first + rest].reset_index(drop=True)


# --- Making Data Count (issue 10) and DfE benchmarks (issue 11) --------------------------------
# The nightly load stores them (scst_metrics/nightly.py: SPC after the indicators, then the
# benchmarks); these read them back as plain frames that charts.trend_chart takes as they are
# (named so as not to shadow the modules scst_metrics.spc and scst_metrics.benchmarks).
# A file published before those steps existed has no such tables: every read is then empty.


def _table_exists(c: sa.Connection, table: str) -> bool:
    found = c.execute(
        sa.text("SELECT count(*) FROM information_schema.tables WHERE table_name = :t"),
        {"t": table},
    ).scalar()
    return bool(found)


def _spc_rows(
    c: sa.Connection,
    table: str,
    columns: Sequence[str],
    indicator_id: str | None,
    hubs_: HubSelection,
    dates: str = "",
    params: dict | None = None,
) -> pd.DataFrame:
    if indicator_id is not None:
        _known(_published_catalogue(c), indicator_id)
    if not _table_exists(c, table):
        return pd.DataFrame({col: pd.Series(dtype=object) for col in columns})
    where, hub_params = _hub_filter(hubs_)
    which = "v.indicator_id = :id" if indicator_id is not None else "TRUE"
    sql = sa.text(
        f"SELECT {', '.join('v.' + col for col in columns)} FROM {table} v "
        f"WHERE {which} AND {where} {dates} ORDER BY v.indicator_id, v.hub_id NULLS FIRST"
        f"{', v.period_end' if 'period_end' in columns else ''}"
    )
    if "hub_ids" in hub_params:
        sql = sql.bindparams(sa.bindparam("hub_ids", expanding=True))
        hub_params["hub_ids"] = list(hub_params["hub_ids"])
    result = c.execute(sql, {"id": indicator_id} | hub_params | (params or {}))
    frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    frame["hub_id"] = frame["hub_id"].astype(object).where(frame["hub_id"].notna(), None)
    return frame


def spc_points(
    indicator_id: str,
    hubs: HubSelection = None,
    start: date | None = None,
    end: date | None = None,
    *,
    conn: sa.Connection | None = None,
    db: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """The SPC points of one indicator's series (table indicator_spc), oldest first per hub.

    Columns: indicator_id, hub_id (None = whole Trust), period_end, value (the figure SPC ran
    on: a year-to-date count's in-month figure), mean, lpl, upl, nlpl, nupl (limits and the
    2-sigma lines), special_cause, special_cause_type, point_type (common_cause,
    special_cause_improvement, _concern, _neutral_high, _neutral_low), rebase_group,
    part_month (the month in progress: drawn, not used for the limits). Empty for a series
    without SPC (its `spc_summary` row says why)."""
    from .indicators.spc_step import SPC_COLUMNS

    dates, params = "", {}
    if start is not None:
        dates += " AND v.period_end >= :start"
        params["start"] = start
    if end is not None:
        dates += " AND v.period_end <= :end"
        params["end"] = end
    with _connection(conn, db) as c:
        frame = _spc_rows(c, "indicator_spc", SPC_COLUMNS, indicator_id, hubs, dates, params)
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    return frame


def spc_summary(
    indicator_id: str | None = None,
    hubs: HubSelection = None,
    *,
    conn: sa.Connection | None = None,
    db: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """One row per series (hub) of indicator_spc_summary -- of one indicator, or of every
    indicator when `indicator_id` is None (the tiles' icons): indicator_id, hub_id,
    variation and assurance (the MDC icons, None without SPC), trial_limits, baseline_start,
    baseline_points, reason_if_none (why there is no SPC), basis ("value", or
    "in_month_from_year_to_date"), latest_period_end, latest_point_type, part_month_end,
    target, band_low, band_high, rebase_events."""
    from .indicators.spc_step import SUMMARY_COLUMNS

    with _connection(conn, db) as c:
        return _spc_rows(c, "indicator_spc_summary", SUMMARY_COLUMNS, indicator_id, hubs)


EVENT_COLUMNS = ["event_date", "scope", "what"]


def events(
    indicator_id: str | None = None,
    *,
    conn: sa.Connection | None = None,
    db: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """The process changes the load recorded (board_events, from data/events.csv), oldest
    first: event_date, scope, what. With `indicator_id`, only those that apply to it
    (scope 'all', its service area, or its id) -- the ones its chart marks."""
    with _connection(conn, db) as c:
        if indicator_id is not None:
            cat = _published_catalogue(c)
            _known(cat, indicator_id)
            area = next(i.service_area for i in cat if i.id == indicator_id)
        if not _table_exists(c, "board_events"):
            return pd.DataFrame({col: pd.Series(dtype=object) for col in EVENT_COLUMNS})
        frame = _frame(c, "SELECT event_date, scope, what FROM board_events ORDER BY event_date")
    if indicator_id is not None:
        frame = frame[frame["scope"].isin(["all", area, indicator_id])]
    frame["event_date"] = pd.to_datetime(frame["event_date"]).dt.date
    return frame.reset_index(drop=True)


def benchmark_rows(
    indicator_id: str,
    *,
    conn: sa.Connection | None = None,
    db: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """DfE's published figures for one indicator (indicator_benchmarks; see
    scst_metrics.benchmarks.read.for_indicator): us as published, statistical neighbours'
    average, region and England at each DfE year end, with rank and quartile. Empty when the
    indicator has no DfE measure."""
    from .benchmarks.read import for_indicator

    with _connection(conn, db) as c:
        _known(_published_catalogue(c), indicator_id)
        return for_indicator(c, indicator_id)


def benchmark_overview(
    conn: sa.Connection | None = None, db: str | os.PathLike | None = None
) -> pd.DataFrame:
    """One row per indicator with a DfE measure, for the overview's compact column and the
    tiles (scst_metrics.benchmarks.read.overview_column): indicator_id, year, us, neighbours,
    england, quartile, publication, text ("neighbours 41 / England 67 (2025)")."""
    from .benchmarks.read import overview_column

    with _connection(conn, db) as c:
        return overview_column(c)


def chart_layers(
    indicator_id: str,
    hubs: HubSelection = None,
    start: date | None = None,
    end: date | None = None,
    *,
    conn: sa.Connection | None = None,
    db: str | os.PathLike | None = None,
) -> dict[str, pd.DataFrame]:
    """Everything charts.trend_chart draws beside an indicator's line, read from one
    snapshot, keyed by trend_chart's keywords: spc, spc_summary, events, benchmarks. Pass the
    same `hubs`, `start` and `end` as to `series`; the chart picks its series' rows (and
    says why there is no SPC when several hubs share one chart)."""
    with _connection(conn, db) as c:
        return {
            "spc": spc_points(indicator_id, hubs, start, end, conn=c),
            "spc_summary": spc_summary(indicator_id, hubs, conn=c),
            "events": events(indicator_id, conn=c),
            "benchmarks": benchmark_rows(indicator_id, conn=c),
        }


def summary_matrix(
    hubs: Sequence[str] | None = None,
    end: date | None = None,
    *,
    area: str | None = None,
    conn: sa.Connection | None = None,
    db: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """The overview's Making Data Count summary matrix, exceptions first, for `hubs` (None:
    the whole Trust) at `end` (None: the latest month), optionally one service `area`: rows
    the nightly load worked out (scst_metrics.summary, whose doc defines every column)."""
    from .summary import summary_matrix as stored_matrix

    with _connection(conn, db) as c:
        return stored_matrix(c, hubs=hubs, end=end, area=area)
