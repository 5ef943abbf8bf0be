"""Rules across rows and tables, applied in SQL to the drop's tables once every file is read.

- episodes of care (SSDA903), hub allocations and foster placements of one child must not
  overlap: the first kept, the overlapping later one kept out;
- every SSDA903 record belongs to a child in the Header table;
- local records refer to children, hubs and fostering households the drop knows about.

A rule is skipped (with a note in the log) when the table it checks against is not in the
drop: keeping out every row because a reference table is missing would lose data.

The tables are DuckDB tables (the detail file being built, see scst_metrics.extracts.staging),
in their order (rowid); only the rows a rule keeps out -- and, for the overlaps, the rows of
the children who have an overlap at all -- are fetched into Python, for the messages.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from ..extracts.problems import ROW_KEPT_OUT, LoadIssue, identifying
from ..extracts.schema import SSDA903_TABLES, TABLES


def _issue(frame: pd.DataFrame, i, column: str, value, rule: str, message: str) -> LoadIssue:
    return LoadIssue(
        file=str(frame.at[i, "source_file"]),
        row=int(frame.at[i, "source_row"]),
        column=column,
        value=None
        if value is None or (not isinstance(value, str) and pd.isna(value))
        else str(value),
        rule=rule,
        message=message,
        action=ROW_KEPT_OUT,
    )


def _quoted(column: str, value) -> str:
    """The value in quotes for a message, or nothing when it identifies a person."""
    return "" if identifying(column) else f"'{value}' "


def _fmt(d) -> str:
    return "open" if pd.isna(d) else pd.Timestamp(d).strftime("%d/%m/%Y")


def _has_rows(con: duckdb.DuckDBPyConnection, present: set, name: str) -> bool:
    return name in present and con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] > 0


def _delete(con: duckdb.DuckDBPyConnection, name: str, rowids: list[int]) -> None:
    con.register("_out", pd.DataFrame({"rid": pd.Series(rowids, dtype="int64")}))
    try:
        con.execute(f"DELETE FROM {name} WHERE rowid IN (SELECT rid FROM _out)")
    finally:
        con.unregister("_out")


def overlapping(order: pd.DataFrame, name: str, who: str, start: str, end: str, what: str):
    """The sequential rule on rows sorted by (who, start): a period that starts before the
    previous *kept* one of the same person has ended is kept out. Returns the issues and the
    index labels of the rows kept out."""
    whos = order[who].to_numpy()
    starts = order[start].to_numpy()
    ends = order[end].to_numpy()
    idx = order.index.to_numpy()
    issues, drop = [], []
    prev_who, prev_end, prev_i = None, None, None
    for k in range(len(order)):
        if whos[k] != prev_who:
            prev_who, prev_end, prev_i = whos[k], ends[k], idx[k]
            continue
        if pd.isna(prev_end) or prev_end > starts[k]:
            i = idx[k]
            label = TABLES[name].column(start.upper() if name.startswith("s903") else start).name
            issues.append(
                _issue(
                    order,
                    i,
                    label,
                    _fmt(starts[k]),
                    "overlapping_periods",
                    f"This {what} starts on {_fmt(starts[k])}, before the {what} on row "
                    f"{int(order.at[prev_i, 'source_row'])} of {order.at[prev_i, 'source_file']} "
                    f"ended ({_fmt(prev_end)}): {what}s of one child must not overlap. The "
                    f"earlier one was kept; correct the dates at source.",
                )
            )
            drop.append(i)
            continue
        prev_end, prev_i = ends[k], idx[k]
    return issues, drop


def no_overlaps(
    con: duckdb.DuckDBPyConnection,
    present: set,
    name: str,
    who: str,
    start: str,
    end: str,
    what: str,
) -> list[LoadIssue]:
    """Keep out a period of `who` that starts before the previous kept one has ended.

    Nothing is kept out for a person none of whose periods starts before the one before it
    (in order of start) has ended; SQL finds the others, and the rule runs on their rows."""
    if not _has_rows(con, present, name):
        return []
    # pandas' stable sort by (who, start), NaT last, as the rule was first written
    order = f"ORDER BY {start} NULLS LAST, rowid"
    rows = con.execute(
        f"""
        WITH o AS (
            SELECT {who} AS w, {start} AS s,
                   lag({end}) OVER (PARTITION BY {who} {order}) AS prev_end,
                   row_number() OVER (PARTITION BY {who} {order}) AS k
            FROM {name}),
        people AS (
            SELECT DISTINCT w FROM o WHERE k > 1 AND (prev_end IS NULL OR prev_end > s))
        SELECT rowid AS rid, {who}, {start}, {end}, source_file, source_row FROM {name}
        WHERE {who} IN (SELECT w FROM people) ORDER BY {who}, {start} NULLS LAST, rowid
        """
    ).fetchdf()
    if not len(rows):
        return []
    rows = rows.set_index("rid")
    issues, drop = overlapping(rows, name, who, start, end, what)
    if drop:
        _delete(con, name, [int(i) for i in drop])
    return issues


def known(
    con: duckdb.DuckDBPyConnection,
    present: set,
    name: str,
    column: str,
    allowed: str,
    what: str,
    label: str | None = None,
) -> list[LoadIssue]:
    """Keep out rows of `name` whose `column` is not in `allowed` (SQL giving the values)."""
    if not _has_rows(con, present, name):
        return []
    bad = con.execute(
        f"""
        SELECT rowid AS rid, {column} AS v, source_file, source_row FROM {name} t
        WHERE {column} IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM ({allowed}) a(v) WHERE a.v = t.{column})
        ORDER BY rowid
        """
    ).fetchdf()
    if not len(bad):
        return []
    bad = bad.set_index("rid")
    shown = label or column
    issues = [
        _issue(
            bad,
            i,
            shown,
            bad.at[i, "v"],
            "unknown_reference",
            f"{shown} {_quoted(shown, bad.at[i, 'v'])}is not a known {what}: the record was "
            f"kept out. Check the {what} is in the drop, or correct the reference at source.",
        )
        for i in bad.index
    ]
    _delete(con, name, [int(i) for i in bad.index])
    return issues


def check_drop(con: duckdb.DuckDBPyConnection, present: set, log) -> list[LoadIssue]:
    """Apply the cross-table rules to the tables `present` in `con`; return the issues."""
    issues: list[LoadIssue] = []
    issues += no_overlaps(con, present, "s903_episodes", "child", "decom", "dec", "episode of care")
    if "s903_header" in present:
        children = "SELECT child FROM s903_header"
        for t in SSDA903_TABLES:
            if t.name != "s903_header":
                issues += known(
                    con,
                    present,
                    t.name,
                    "child",
                    children,
                    "child in the SSDA903 Header table",
                    "CHILD",
                )
    elif "s903_episodes" in present:
        log("  note: no SSDA903 Header in the drop; children of other 903 tables not checked")

    sources = [
        f"SELECT {col} FROM {name}"
        for name, col in (("s903_header", "child"), ("cin_children", "child_id"))
        if name in present
    ]
    if "hubs" in present:
        for name in ("allocations", "social_workers"):
            issues += known(
                con, present, name, "hub_id", "SELECT hub_id FROM hubs", "hub (hubs.csv)"
            )
    issues += no_overlaps(
        con, present, "allocations", "child_id", "start_date", "end_date", "allocation"
    )
    if "allocations" in present:
        sources.append("SELECT child_id FROM allocations")
    if sources:
        # the children known now (the allocations after their own rules), for every rule below
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _children AS SELECT DISTINCT v FROM ("
            + " UNION ALL ".join(sources)
            + ") s(v) WHERE v IS NOT NULL"
        )
        if con.execute("SELECT count(*) FROM _children").fetchone()[0]:
            for name in ("visits", "peps", "attendance", "suspensions", "foster_placements"):
                issues += known(
                    con,
                    present,
                    name,
                    "child_id",
                    "SELECT v FROM _children",
                    "child (SSDA903, CIN or allocations)",
                )
        con.execute("DROP TABLE _children")
    if "fostering_households" in present:
        issues += known(
            con,
            present,
            "foster_placements",
            "household_id",
            "SELECT household_id FROM fostering_households",
            "fostering household",
        )
    issues += no_overlaps(
        con,
        present,
        "foster_placements",
        "child_id",
        "start_date",
        "end_date",
        "foster placement",
    )
    return issues
