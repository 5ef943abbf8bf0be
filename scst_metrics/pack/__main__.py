"""python -m scst_metrics.pack --db data/scst.duckdb --area lac [--hub H03 ...] [--month YYYY-MM]
[--for person@trust.example] --out pack.pptx|pack.pdf

For the scheduler, after the nightly load. Exit 0 written; 2 a bad argument (area, hub, month,
extension, no database, a hub the person of --for may not read); 1 no Chromium for the charts.
The message says what to change.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .. import access
from . import build_pack
from .content import ALL_AREAS, PackError
from .sources import NoBrowser


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scst_metrics.pack",
        description="Write the board pack (PowerPoint or PDF) from the published database.",
    )
    parser.add_argument("--db", default="data/scst.duckdb", help="the published DuckDB file")
    parser.add_argument(
        "--area",
        default=ALL_AREAS,
        help="service area: hubs, lac, fostering, virtual_school, or all (default)",
    )
    parser.add_argument("--hub", action="append", default=[], help="a hub id (repeat for several)")
    parser.add_argument("--month", help="YYYY-MM (default: the latest month in the data)")
    parser.add_argument("--out", required=True, type=Path, help="pack.pptx or pack.pdf")
    parser.add_argument(
        "--exact-small-numbers",
        action="store_true",
        help="show counts of 1 to 5 exactly (for internal use only; default: 'c')",
    )
    parser.add_argument(
        "--for",
        dest="person",
        metavar="EMAIL",
        help="the pack this person may see (data/access.csv, $SCST_ACCESS): only their hubs, "
        "as on the board; default: every hub",
    )
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    allowed = None
    if args.person:
        try:
            if access.role_of(args.person) is None:
                print(f"error: {args.person} is not in {access.access_path()}.", file=sys.stderr)
                return 2
            allowed = access.allowed_hubs(args.person)
        except access.AccessFileError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2

    def progress(done: int, total: int, what: str) -> None:
        if done < total:
            print(f"[{done + 1}/{total}] {what}", file=sys.stderr)

    try:
        out = build_pack(
            args.db,
            area=args.area,
            hubs=args.hub,
            month=args.month,
            out=args.out,
            suppress_small=not args.exact_small_numbers,
            progress=progress,
            allowed=allowed,
        )
    except (PackError, access.HubNotAllowed) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except NoBrowser as exc:  # the charts need Chromium: say how to install it
        print(f"error: {exc}", file=sys.stderr)
        return 1
    size = out.stat().st_size
    print(f"Wrote {out} ({size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
