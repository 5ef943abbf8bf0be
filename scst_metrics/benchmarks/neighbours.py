"""DfE's statistical neighbours: ten per authority, two lists.

Shipped as data/benchmarks/statistical_neighbours.csv (list, la_number, rank,
neighbour_la_number), taken from DfE's sn_may_2025.xlsx and sn_april_2021.xlsx (LAIT repository,
01_data/02_prod/). The May 2025 model applies to figures for 2025 onwards, the April 2021 list
to earlier years (an authority created since, e.g. Cumberland, has only the May 2025 list,
used for every year). Note: LAIT itself applies the May 2025 list to every year.
"""

from __future__ import annotations

import csv
from pathlib import Path

from scst_metrics.benchmarks.figures import BenchmarksFileError

MAY_2025 = "sn_may_2025"
APRIL_2021 = "sn_april_2021"
LISTS = (MAY_2025, APRIL_2021)
MAY_2025_FROM_YEAR = 2025  # first DfE year the May 2025 model applies to
COLUMNS = ("list", "la_number", "rank", "neighbour_la_number")


def read_neighbours(path: Path) -> dict[str, dict[int, list[int]]]:
    """{list: {la_number: [neighbour la_number by rank 1..10]}}; refuses a malformed file
    naming file, line and column."""
    path = Path(path)
    if not path.is_file():
        raise BenchmarksFileError(f"{path}: no such file (statistical neighbours).")
    out: dict[str, dict[int, dict[int, int]]] = {name: {} for name in LISTS}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise BenchmarksFileError(
                f"{path}: line 1: missing column(s) {', '.join(missing)}; expected "
                f"{','.join(COLUMNS)}."
            )
        at = {c: header.index(c) for c in COLUMNS}
        for line, fields in enumerate(reader, start=2):
            if not fields:
                continue
            rec = {c: fields[at[c]].strip() if at[c] < len(fields) else "" for c in COLUMNS}
            if rec["list"] not in LISTS:
                raise BenchmarksFileError(
                    f"{path}: line {line}, column 'list': {rec['list']!r} is not one of "
                    f"{', '.join(LISTS)}."
                )
            for col in ("la_number", "rank", "neighbour_la_number"):
                if not rec[col].isdigit():
                    raise BenchmarksFileError(
                        f"{path}: line {line}, column '{col}': {rec[col]!r} is not a number."
                    )
            ranks = out[rec["list"]].setdefault(int(rec["la_number"]), {})
            rank = int(rec["rank"])
            if rank in ranks:
                raise BenchmarksFileError(
                    f"{path}: line {line}, column 'rank': authority {rec['la_number']} has "
                    f"rank {rank} twice in {rec['list']}."
                )
            ranks[rank] = int(rec["neighbour_la_number"])
    return {
        name: {la: [by_rank[r] for r in sorted(by_rank)] for la, by_rank in las.items()}
        for name, las in out.items()
    }


def neighbours_for(
    lists: dict[str, dict[int, list[int]]], la_number: int, year: int
) -> tuple[str, list[int]]:
    """(list name, neighbour LA numbers) applying to `la_number`'s figures for DfE year `year`."""
    if year < MAY_2025_FROM_YEAR and la_number in lists.get(APRIL_2021, {}):
        return APRIL_2021, lists[APRIL_2021][la_number]
    if la_number in lists.get(MAY_2025, {}):
        return MAY_2025, lists[MAY_2025][la_number]
    raise KeyError(f"LA {la_number} has no statistical neighbours in DfE's lists")
