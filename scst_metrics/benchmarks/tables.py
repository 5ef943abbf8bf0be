"""The two tables the benchmarks publish, each declared once: its columns (as in SQL) give the
CREATE TABLE, the frame's column order and the INSERT."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd


@dataclass(frozen=True)
class Table:
    name: str
    columns_sql: str  # "name TYPE [NOT NULL], ..." as in CREATE TABLE
    key: str  # the primary key's columns, "a, b"

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c.split()[0] for c in self.columns_sql.split(","))

    @property
    def ddl(self) -> str:
        return (
            f"CREATE OR REPLACE TABLE {self.name} ({self.columns_sql.strip()}, "
            f"PRIMARY KEY ({self.key}))"
        )

    def write(self, con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> int:
        """Create the table in the database being built and fill it from `frame` (its columns
        in any order; NaN and NA as NULL); returns the number of rows."""
        cols = list(self.columns)
        con.execute(self.ddl)
        data = frame[cols].astype(object).where(frame[cols].notna(), None)
        con.register("_rows", data)
        try:
            con.execute(f"INSERT INTO {self.name} SELECT {', '.join(cols)} FROM _rows")
        finally:
            con.unregister("_rows")
        return len(frame)


# The published table other tools rely on (issue 11): one row per indicator, DfE year and
# comparator; value NULL where DfE suppressed it, its symbol kept; rank/quartile for us only.
# period_end: the day DfE's year ends (31 March; 30 September for the workforce census;
# 31 July for an academic year), where a chart puts the figure.
BENCHMARKS = Table(
    "indicator_benchmarks",
    """indicator_id VARCHAR NOT NULL, year INTEGER NOT NULL, period_end DATE NOT NULL,
    comparator VARCHAR NOT NULL, value DOUBLE, symbol VARCHAR, rank INTEGER, rank_of INTEGER,
    quartile VARCHAR, dfe_measure VARCHAR NOT NULL, geography_code INTEGER,
    geography_name VARCHAR, publication VARCHAR NOT NULL, detail VARCHAR""",
    key="indicator_id, year, comparator",
)
# Our year-end figure beside DfE's published figure for us (the data quality page reads it)
RECONCILIATION = Table(
    "benchmark_reconciliation",
    """indicator_id VARCHAR NOT NULL, year INTEGER NOT NULL, period_end DATE NOT NULL,
    ours DOUBLE NOT NULL, dfe DOUBLE, dfe_symbol VARCHAR, difference DOUBLE,
    tolerance DOUBLE NOT NULL, beyond_tolerance BOOLEAN NOT NULL, dfe_measure VARCHAR NOT NULL,
    publication VARCHAR NOT NULL, message VARCHAR NOT NULL""",
    key="indicator_id, year",
)
