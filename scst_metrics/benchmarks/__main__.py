"""python -m scst_metrics.benchmarks --from PATH [--out PATH] [--neighbours-from PATH]

Rebuilds the shipped benchmarks file from DfE's own download (LAIT's long file,
bds_long_0.parquet or bds_long.csv), keeping only the measures our indicators compare with.

From an explore-education-statistics CSV instead, name the measure each column holds and any
filter, and the rows replace those of the same measure, year and geography in --out:
  python -m scst_metrics.benchmarks --from cla_rates.csv --ees LAC=rate_per_10000 \
      --where population_count=Children looked after at 31 March
With --neighbours-from (a CSV with list, la_number, rank, neighbour_la_number, e.g. DfE's
sn_may_2025 / sn_april_2021 lists in long form) it rewrites the statistical neighbours file too.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from scst_metrics.benchmarks import FIGURES, NEIGHBOURS
from scst_metrics.benchmarks.figures import (
    BenchmarksFileError,
    merge_figures,
    read_ees,
    read_figures,
    read_lait,
)
from scst_metrics.benchmarks.figures import write_figures as _write
from scst_metrics.benchmarks.neighbours import COLUMNS, read_neighbours


def _pair(text: str, option: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise BenchmarksFileError(f"{option} {text!r}: expected NAME=VALUE")
    return name.strip(), value.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scst_metrics.benchmarks")
    parser.add_argument(
        "--from",
        dest="source",
        type=Path,
        required=True,
        help="DfE's LAIT long file (parquet or CSV)",
    )
    parser.add_argument("--out", type=Path, default=FIGURES)
    parser.add_argument(
        "--ees",
        action="append",
        default=[],
        metavar="MEASURE=COLUMN",
        help="read --from as an EES CSV: this measure is in this column",
    )
    parser.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help="EES: keep only rows where COLUMN holds VALUE",
    )
    parser.add_argument("--neighbours-from", type=Path, default=None)
    parser.add_argument("--neighbours-out", type=Path, default=NEIGHBOURS)
    args = parser.parse_args(argv)
    try:
        if args.ees:
            columns = dict(_pair(x, "--ees") for x in args.ees)
            where = dict(_pair(x, "--where") for x in args.where)
            frame = read_ees(args.source, columns, where)
            if args.out.exists():
                frame = merge_figures(read_figures(args.out), frame)
        else:
            frame = read_lait(args.source)
        _write(frame, args.out)
        check = read_figures(args.out)
        print(
            f"{args.out}: {len(check)} rows, {check.measure.nunique()} measures, "
            f"years {check.year.min()}-{check.year.max()}"
        )
        if args.neighbours_from:
            lists = read_neighbours(args.neighbours_from)
            args.neighbours_out.parent.mkdir(parents=True, exist_ok=True)
            with args.neighbours_out.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow(COLUMNS)
                n = 0
                for name, las in lists.items():
                    for la in sorted(las):
                        for rank, neighbour in enumerate(las[la], start=1):
                            writer.writerow([name, la, rank, neighbour])
                            n += 1
            print(f"{args.neighbours_out}: {n} rows")
    except BenchmarksFileError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
