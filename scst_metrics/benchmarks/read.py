"""What pages read about DfE's benchmarks from the published database (no Streamlit, no SQL in
pages). Each function takes `conn`, an open snapshot connection
(`scst_metrics.published.snapshot()`), as the read API does.

    with snapshot() as conn:
        rows = for_indicator(conn, "lac_rate")        # -> charts.benchmarks
        column = overview_column(conn)                 # one line per indicator
        checks = reconciliation(conn)                  # the data quality page

A database published before benchmarks were loaded has neither table: every read then
returns an empty frame with its columns, and the page shows nothing for benchmarks.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from scst_metrics.benchmarks.compare import COLUMNS, COMPARATORS
from scst_metrics.benchmarks.labels import is_missing, value_words
from scst_metrics.benchmarks.reconcile import COLUMNS as RECONCILIATION_COLUMNS
from scst_metrics.benchmarks.reconcile import TABLE as RECONCILIATION

BENCHMARKS = "indicator_benchmarks"
OVERVIEW_COLUMNS = (
    "indicator_id",
    "year",
    "period_end",
    "us",
    "neighbours",
    "england",
    "quartile",
    "publication",
    "text",
)


def _has(conn: sa.Connection, table: str) -> bool:
    found = conn.exec_driver_sql(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND table_name = ?",
        (table,),
    ).fetchone()
    return bool(found[0])


def _frame(conn: sa.Connection, sql: str, params: tuple, columns) -> pd.DataFrame:
    result = conn.exec_driver_sql(sql, params)
    frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    return frame[list(columns)]


def _empty(columns) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def for_indicator(conn: sa.Connection, indicator_id: str) -> pd.DataFrame:
    """The `indicator_benchmarks` rows of one indicator, oldest year first, comparators in
    the order us_published, neighbours, region, england. Empty when the indicator has no
    DfE measure (or the database holds no benchmarks)."""
    if not _has(conn, BENCHMARKS):
        return _empty(COLUMNS)
    order = " ".join(f"WHEN '{c}' THEN {n}" for n, c in enumerate(COMPARATORS))
    frame = _frame(
        conn,
        f"SELECT * FROM {BENCHMARKS} WHERE indicator_id = ? "
        f"ORDER BY year, CASE comparator {order} END",
        (indicator_id,),
        COLUMNS,
    )
    frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    for col in ("rank", "rank_of", "geography_code"):
        frame[col] = frame[col].astype("Int64")
    return frame


def overview_column(conn: sa.Connection) -> pd.DataFrame:
    """One row per indicator with a DfE measure, for the overview's compact column: DfE's
    latest published year, our published figure, the neighbours' average, England, our
    quartile, and `text` ("neighbours 41 / England 67 (2025)")."""
    from scst_metrics.indicators.catalogue import get

    if not _has(conn, BENCHMARKS):
        return _empty(OVERVIEW_COLUMNS)
    rows = _frame(
        conn,
        f"SELECT indicator_id, year, period_end, comparator, value, quartile, publication "
        f"FROM {BENCHMARKS} ORDER BY indicator_id, year",
        (),
        ("indicator_id", "year", "period_end", "comparator", "value", "quartile", "publication"),
    )
    out = []
    for indicator_id, rows_of in rows.groupby("indicator_id", sort=True):
        year = int(rows_of.year.max())
        this = rows_of[rows_of.year == year].set_index("comparator")

        def pick(comparator: str, column: str = "value", this=this) -> object:
            return this[column].get(comparator) if comparator in this.index else None

        unit = get(indicator_id).unit
        us, sn, eng = pick("us_published"), pick("neighbours"), pick("england")
        text = f"neighbours {value_words(sn, unit)} / England {value_words(eng, unit)} ({year})"
        quartile = pick("us_published", "quartile")
        out.append(
            {
                "indicator_id": indicator_id,
                "year": year,
                "period_end": pd.Timestamp(this.period_end.iloc[0]).date(),
                "us": None if is_missing(us) else float(us),
                "neighbours": None if is_missing(sn) else float(sn),
                "england": None if is_missing(eng) else float(eng),
                "quartile": None if is_missing(quartile) else str(quartile),
                "publication": this.publication.iloc[0],
                "text": text,
            }
        )
    return pd.DataFrame(out, columns=list(OVERVIEW_COLUMNS))


def reconciliation(
    conn: sa.Connection, beyond_only: bool = False, years: int | None = None
) -> pd.DataFrame:
    """The `benchmark_reconciliation` rows (write_reconciliation()), newest year first.
    `beyond_only`: just those beyond tolerance, whose `message` the data quality page shows;
    `years`: only the newest `years` DfE years held (e.g. 1 = the latest publication)."""
    if not _has(conn, RECONCILIATION):
        return _empty(RECONCILIATION_COLUMNS)
    where = ["beyond_tolerance"] if beyond_only else []
    params: tuple = ()
    if years is not None:
        where.append(f"year > (SELECT max(year) FROM {RECONCILIATION}) - ?")
        params = (int(years),)
    frame = _frame(
        conn,
        f"SELECT * FROM {RECONCILIATION} "
        f"{'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY year DESC, indicator_id",
        params,
        RECONCILIATION_COLUMNS,
    )
    frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    return frame
