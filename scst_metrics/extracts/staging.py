"""Where the readers put the rows they keep: DuckDB tables, not pandas frames held in memory.

Each file's kept rows are appended to the staging table of its table as soon as the file (or,
for the CIN census, a batch of its records) has been checked; once a source's files are all
read, `combine` turns the staged rows into the table itself, in SQL: a duplicate key within a
collection year keeps the later row out (the first file's row wins), across years the latest
year's row wins (unless the table's records belong to their year), rows sorted by key and year.

The nightly load stages straight into the detail file it is building (DuckDB spills to disk
past its memory limit, so the load's memory does not grow with the drop); a reader called on
its own (the reader tests) stages into an in-memory database and hands back pandas frames.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from .problems import ROW_KEPT_OUT, LoadIssue, SourceResult
from .schema import CODE, DATE, DECIMAL, FLAG, ID, INT, POSTCODE, TEXT, Table

SQL_TYPES = {
    ID: "VARCHAR",
    TEXT: "VARCHAR",
    CODE: "VARCHAR",
    POSTCODE: "VARCHAR",
    DATE: "DATE",
    INT: "BIGINT",
    DECIMAL: "DOUBLE",
    FLAG: "BOOLEAN",
}
# The pandas dtypes cells.check_table gives each kind of column (frames handed back match).
PANDAS_TYPES = {
    ID: "string",
    TEXT: "string",
    CODE: "string",
    POSTCODE: "string",
    DATE: "datetime64[ns]",
    INT: "Int64",
    DECIMAL: "Float64",
    FLAG: "boolean",
}


def columns_of(t: Table) -> list[str]:
    """The table's columns in the database, in order."""
    return (
        [c.db_name for c in t.columns]
        + (["collection_year"] if t.yearly else [])
        + ["source_file", "source_row"]
    )


def create_sql(t: Table, name: str | None = None, *, staged: bool = False) -> str:
    cols = [f"{c.db_name} {SQL_TYPES[c.kind]}" for c in t.columns]
    if t.yearly:
        cols.append("collection_year INTEGER")
    cols += ["source_file VARCHAR", "source_row BIGINT"]
    if staged:
        # the order files were read in (the first one wins) and the order of rows in each
        cols += ["file_seq BIGINT", "row_seq BIGINT"]
    return f"CREATE TABLE {name or t.name} ({', '.join(cols)})"


def typed_frame(t: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """A frame fetched from DuckDB with the dtypes cells.check_table gives."""
    for c in t.columns:
        frame[c.db_name] = frame[c.db_name].astype(PANDAS_TYPES[c.kind])
    if t.yearly:
        frame["collection_year"] = frame["collection_year"].astype("Int64")
    frame["source_file"] = frame["source_file"].astype("string")
    frame["source_row"] = frame["source_row"].astype("Int64")
    return frame


def _cols(alias: str, cols: list[str]) -> str:
    return ", ".join(f"{alias}.{c}" for c in cols)


def _same(a: str, b: str, cols: list[str]) -> str:
    """Rows of `a` and `b` alike in `cols` (NULL alike NULL, as GROUP BY and PARTITION BY)."""
    return " AND ".join(f"{a}.{c} IS NOT DISTINCT FROM {b}.{c}" for c in cols)


class Staging:
    """Staging tables in a DuckDB database, one per declared table of the drop."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.present: dict[str, Table] = {}  # tables with at least one file read (maybe 0 rows)
        self.combined: set[str] = set()
        self._next = 0  # file_seq of the next file read

    @classmethod
    def in_memory(cls) -> Staging:
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        return cls(con)

    @staticmethod
    def stage(t: Table) -> str:
        return f"_stage_{t.name}"

    def next_file(self) -> int:
        self._next += 1
        return self._next - 1

    def reserve(self, n: int) -> int:
        """Numbers for n files read in turn (or by other processes): the first of them."""
        self._next += n
        return self._next - n

    def ensure(self, t: Table) -> str:
        """The staging table of `t`, created when first needed."""
        if t.name not in self.present:
            self.con.execute(create_sql(t, self.stage(t), staged=True))
            self.present[t.name] = t
        return self.stage(t)

    def append(
        self, t: Table, frame: pd.DataFrame, file_seq: int, first: int = 0, seq=None
    ) -> None:
        """Kept rows of one file, or of a batch of its rows starting at row `first` of the
        file's rows kept (columns as cells.check_table gives, plus collection_year); `seq`:
        the rows' order in the file, if not their order in `frame`."""
        stage = self.ensure(t)
        if not len(frame):
            return
        rows = frame[columns_of(t)]
        rows.insert(len(rows.columns), "file_seq", int(file_seq))
        order = np.arange(first, first + len(rows)) if seq is None else seq
        rows.insert(len(rows.columns), "row_seq", order)
        view = f"_rows_{t.name}"
        self.con.register(view, rows)
        try:
            self.con.execute(f"INSERT INTO {stage} SELECT * FROM {view}")
        finally:
            self.con.unregister(view)

    def combine(self, t: Table) -> list[LoadIssue]:
        """The table `t` from its staged rows (see the module); the staging table dropped."""
        stage = self.ensure(t)
        key = [k.lower() for k in t.key]
        within = key + (["collection_year"] if t.yearly else [])
        con = self.con
        # Only rows that share their key (and year) with another can be duplicates: the keys
        # shared are found by grouping and the window runs on their rows alone (DuckDB spills
        # a grouping past its memory limit; a window over every row of a table of 100
        # million rows ran out of memory).
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _shared AS SELECT {', '.join(within)} FROM {stage} "
            f"GROUP BY ALL HAVING count(*) > 1"
        )
        ranked = (
            f"SELECT s.*, row_number() OVER (PARTITION BY {_cols('s', within)} "
            f"ORDER BY s.file_seq, s.row_seq) > 1 AS _dup FROM {stage} s "
            f"SEMI JOIN _shared d ON {_same('s', 'd', within)}"
        )
        dups = con.execute(
            f"SELECT {', '.join(columns_of(t))} FROM ({ranked}) WHERE _dup "
            "ORDER BY file_seq, row_seq"
        ).fetchdf()
        issues = []
        if len(dups):
            dups = typed_frame(t, dups)
            for _, r in dups.iterrows():
                issues.append(
                    LoadIssue(
                        str(r["source_file"]),
                        int(r["source_row"]),
                        " + ".join(t.key),
                        " / ".join(str(r[k])[:10] for k in key),
                        "duplicate_key",
                        f"Duplicate {t.label} record: the same {' + '.join(t.key)} is in "
                        "another file of the same year. The first file's row was kept; remove "
                        "one of the files.",
                        ROW_KEPT_OUT,
                    )
                )
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _dups AS SELECT file_seq, row_seq FROM ({ranked}) "
            "WHERE _dup"
        )
        kept = (
            f"SELECT s.* FROM {stage} s ANTI JOIN _dups d "
            "ON s.file_seq = d.file_seq AND s.row_seq = d.row_seq"
        )
        if t.yearly and not t.per_year:
            # across years the latest year's row wins (no two rows of one year share a key):
            # the window again only over the rows whose key is in several years
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE _years AS SELECT {', '.join(key)} FROM ({kept}) "
                "GROUP BY ALL HAVING count(*) > 1"
            )
            kept = (
                f"SELECT k.* FROM ({kept}) k ANTI JOIN _years y ON {_same('k', 'y', key)} "
                "UNION ALL "
                f"SELECT * FROM (SELECT k.* FROM ({kept}) k SEMI JOIN _years y "
                f"ON {_same('k', 'y', key)}) QUALIFY row_number() OVER (PARTITION BY "
                f"{', '.join(key)} ORDER BY collection_year DESC) = 1"
            )
        order = ", ".join(f"{k} NULLS FIRST" for k in within)
        con.execute(
            f"CREATE TABLE {t.name} AS SELECT {', '.join(columns_of(t))} FROM ({kept}) "
            f"ORDER BY {order}"
        )
        con.execute(f"DROP TABLE {stage}")
        con.execute("DROP TABLE IF EXISTS _shared; DROP TABLE IF EXISTS _dups")
        con.execute("DROP TABLE IF EXISTS _years")
        self.combined.add(t.name)
        return issues

    def rows_by_file(self) -> dict[str, int]:
        """Rows kept per file, over the combined tables."""
        kept: dict[str, int] = {}
        for name in sorted(self.combined):
            for f, n in self.con.execute(
                f"SELECT source_file, count(*) FROM {name} GROUP BY source_file"
            ).fetchall():
                kept[str(f)] = kept.get(str(f), 0) + int(n)
        return kept

    def rows(self, name: str) -> int:
        return int(self.con.execute(f"SELECT count(*) FROM {name}").fetchone()[0])

    def frame(self, name: str) -> pd.DataFrame:
        """A combined table as a pandas frame (the reader tests read these)."""
        t = self.present[name]
        return typed_frame(t, self.con.execute(f"SELECT * FROM {name} ORDER BY rowid").fetchdf())

    def finish(self, result: SourceResult, tables, *, own: bool) -> None:
        """A source's files all read: each of `tables` with staged rows becomes the table
        itself (`combine`, its issues added to `result`); rows kept are counted per file; a
        reader called on its own (`own`: an in-memory staging) hands back pandas frames."""
        for t in tables:
            if t.name in self.present:
                result.issues.extend(self.combine(t))
                result.present.add(t.name)
        kept = self.rows_by_file()
        for read in result.files:
            read.rows_kept = kept.get(read.path, 0)
        if own:
            result.tables = {name: self.frame(name) for name in sorted(result.present)}
            self.con.close()
