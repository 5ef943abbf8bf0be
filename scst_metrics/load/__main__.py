"""python -m scst_metrics.load --extracts DIR --db FILE [--as-at YYYY-MM-DD]

Exit status: 0 when a load is published, 1 when it is refused (the published database is
left as it was), 2 when the command line is wrong.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

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
        help="the published database (default data/scst.duckdb)",
    )
    parser.add_argument(
        "--as-at",
        type=date.fromisoformat,
        default=None,
        help="date the extract was taken (default: the drop's as_at.txt, else today)",
    )
    args = parser.parse_args(argv)
    outcome = load_drop(
        args.extracts, args.db, as_at=args.as_at, log=lambda line: print(line, flush=True)
    )
    return 0 if outcome.published else 1


if __name__ == "__main__":
    sys.exit(main())
