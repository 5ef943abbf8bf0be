"""Rules across rows and tables, applied after each file has been read on its own.

- episodes of care (SSDA903), hub allocations and foster placements of one child must not
  overlap: the first kept, the overlapping later one kept out;
- every SSDA903 record belongs to a child in the Header table;
- local records refer to children, hubs and fostering households the drop knows about.

A rule is skipped (with a note in the log) when the table it checks against is not in the
drop: keeping out every row because a reference table is missing would lose data.
"""

from __future__ import annotations

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


def no_overlaps(
    tables: dict, name: str, who: str, start: str, end: str, what: str
) -> list[LoadIssue]:
    """Keep out a period of `who` that starts before the previous kept one has ended."""
    frame = tables.get(name)
    if frame is None or frame.empty:
        return []
    order = frame.sort_values([who, start], kind="stable")
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
                    frame,
                    i,
                    label,
                    _fmt(starts[k]),
                    "overlapping_periods",
                    f"This {what} starts on {_fmt(starts[k])}, before the {what} on row "
                    f"{int(frame.at[prev_i, 'source_row'])} of {frame.at[prev_i, 'source_file']} "
                    f"ended ({_fmt(prev_end)}): {what}s of one child must not overlap. The "
                    f"earlier one was kept; correct the dates at source.",
                )
            )
            drop.append(i)
            continue
        prev_end, prev_i = ends[k], idx[k]
    if drop:
        tables[name] = frame.drop(index=drop).reset_index(drop=True)
    return issues


def known(
    tables: dict, name: str, column: str, allowed: set, what: str, label: str | None = None
) -> list[LoadIssue]:
    """Keep out rows of `name` whose `column` is not in `allowed`."""
    frame = tables.get(name)
    if frame is None or frame.empty:
        return []
    values = frame[column]
    bad = values.notna() & ~values.isin(list(allowed))
    shown = label or column
    issues = [
        _issue(
            frame,
            i,
            shown,
            values.at[i],
            "unknown_reference",
            f"{shown} {_quoted(shown, values.at[i])}is not a known {what}: the record was kept "
            f"out. Check the {what} is in the drop, or correct the reference at source.",
        )
        for i in frame.index[bad.to_numpy(dtype=bool)]
    ]
    if issues:
        tables[name] = frame[~bad.to_numpy(dtype=bool)].reset_index(drop=True)
    return issues


def check_drop(tables: dict, log) -> list[LoadIssue]:
    """Apply the cross-table rules in place; return the issues."""
    issues: list[LoadIssue] = []
    issues += no_overlaps(tables, "s903_episodes", "child", "decom", "dec", "episode of care")
    if "s903_header" in tables:
        children = set(tables["s903_header"]["child"].dropna())
        for t in SSDA903_TABLES:
            if t.name != "s903_header":
                issues += known(
                    tables,
                    t.name,
                    "child",
                    children,
                    "child in the SSDA903 Header table",
                    "CHILD",
                )
    elif "s903_episodes" in tables:
        log("  note: no SSDA903 Header in the drop; children of other 903 tables not checked")

    children: set = set()
    for name, col in (("s903_header", "child"), ("cin_children", "child_id")):
        if name in tables:
            children |= set(tables[name][col].dropna())
    if "hubs" in tables:
        hub_ids = set(tables["hubs"]["hub_id"].dropna())
        for name in ("allocations", "social_workers"):
            issues += known(tables, name, "hub_id", hub_ids, "hub (hubs.csv)")
    issues += no_overlaps(tables, "allocations", "child_id", "start_date", "end_date", "allocation")
    if "allocations" in tables:
        children |= set(tables["allocations"]["child_id"].dropna())
    if children:
        for name in ("visits", "peps", "attendance", "suspensions", "foster_placements"):
            issues += known(
                tables, name, "child_id", children, "child (SSDA903, CIN or allocations)"
            )
    if "fostering_households" in tables:
        households = set(tables["fostering_households"]["household_id"].dropna())
        issues += known(
            tables, "foster_placements", "household_id", households, "fostering household"
        )
    issues += no_overlaps(
        tables, "foster_placements", "child_id", "start_date", "end_date", "foster placement"
    )
    return issues
