"""python -m scst_metrics.load --extracts DIR --db FILE [--as-at YYYY-MM-DD] [--allow-older]

Writes the board's file at --db and the detail file (child-level tables, owner-only) beside
it, `<db stem>.detail.duckdb`. Exit status: 0 when a load is published, 1 when it is refused
(the published files are left as they were), 2 when the command line is wrong.

An entry point: it composes the loader with the steps `scst_metrics.nightly` declares.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..nightly import STEPS
from .pipeline import load_drop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scst_metrics.load",
        description="Validate the night's extracts and publish them as one DuckDB file.",
    )
    parser.add_argument(
        "--extracts",
        type=Path,
        default=Path("data/extracts"),
        help="the drop folder (default data/extracts)",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=Path("data/scst.duckdb"),
        help="the board's database (default data/scst.duckdb); the detail file is written "
        "beside it as <name>.detail.duckdb",
    )
    parser.add_argument(
        "--as-at",
        type=date.fromisoformat,
        default=None,
        help="date the extract was taken (default: the drop's as_at.txt, else the latest "
        "date the drop's files cover)",
    )
    parser.add_argument(
        "--allow-older",
        action="store_true",
        help="publish a drop whose extract date is older than the published one "
        "(refused otherwise)",
    )
    args = parser.parse_args(argv)
    outcome = load_drop(
        args.extracts,
        args.db,
        as_at=args.as_at,
        allow_older=args.allow_older,
        steps=STEPS,
        log=lambda line: print(line, flush=True),
    )
    return 0 if outcome.published else 1


if __name__ == "__main__":
    sys.exit(main())
