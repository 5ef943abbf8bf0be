"""Do two published files hold the same indicator tables? For checking that a change to the
library leaves the numbers alone.

    python -m scst_metrics.demo --out /tmp/drop --as-of 2026-11-24 --seed 1 --scale 0.2
    (old checkout) python -m scst_metrics.load --extracts /tmp/drop --db /tmp/before.duckdb
    (new checkout) python -m scst_metrics.load --extracts /tmp/drop --db /tmp/after.duckdb
    python -m scst_metrics.indicators.same_tables /tmp/before.duckdb /tmp/after.duckdb

For each indicator table (and any other table named on the command line with --table), it
compares the rows on the columns both files have (as multisets: EXCEPT ALL both ways), and
lists the columns only one file has. Exit status 0 when every compared table is identical.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

TABLES = (
    "indicators",
    "indicator_values",
    "indicator_targets",
    "indicator_availability",
    "targets",
    "working_days",
)


DECIMALS = 9  # doubles compared to 9 decimal places: DuckDB's parallel sum of doubles (FTE)
# may differ in the last bit between two loads of the same drop by the same code


def _columns(con: duckdb.DuckDBPyConnection, db: str, table: str) -> dict[str, str]:
    rows = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = ? AND table_name = ? ORDER BY column_index",
        [db, table],
    ).fetchall()
    return dict(rows)


def compare(before: Path, after: Path, tables: tuple[str, ...] = TABLES) -> list[str]:
    """One line per table: 'same', or what differs. Lines of differences start with '!'."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{before}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{after}' AS b (READ_ONLY)")
    out = []
    for table in tables:
        ca, cb = _columns(con, "a", table), _columns(con, "b", table)
        if not ca or not cb:
            out.append(f"! {table}: missing from {'before' if not ca else 'after'}")
            continue
        common = [c for c in ca if c in cb]
        cols = ", ".join(
            f'round("{c}", {DECIMALS})' if ca[c] == "DOUBLE" else f'"{c}"' for c in common
        )
        only_a = con.execute(
            f"SELECT count(*) FROM (SELECT {cols} FROM a.{table} EXCEPT ALL "
            f"SELECT {cols} FROM b.{table})"
        ).fetchone()[0]
        only_b = con.execute(
            f"SELECT count(*) FROM (SELECT {cols} FROM b.{table} EXCEPT ALL "
            f"SELECT {cols} FROM a.{table})"
        ).fetchone()[0]
        n = con.execute(f"SELECT count(*) FROM a.{table}").fetchone()[0]
        extra = [c for c in cb if c not in ca]
        gone = [c for c in ca if c not in cb]
        note = ""
        if extra:
            note += f"; new columns: {', '.join(extra)}"
        if gone:
            note += f"; columns gone: {', '.join(gone)}"
        if only_a or only_b or gone:
            out.append(f"! {table}: {only_a} rows only before, {only_b} only after (of {n}){note}")
        else:
            out.append(f"{table}: same {n} rows on {len(common)} columns{note}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scst_metrics.indicators.same_tables")
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--table", action="append", default=[], help="another table to compare")
    args = ap.parse_args(argv)
    lines = compare(args.before, args.after, TABLES + tuple(args.table))
    print("\n".join(lines))
    return 1 if any(line.startswith("!") for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
