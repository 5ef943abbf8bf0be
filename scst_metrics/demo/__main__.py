"""Write a demo Trust's extract drop: python -m scst_metrics.demo --out DIR --as-of DATE."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from .generate import generate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scst_metrics.demo", description=__doc__)
    ap.add_argument("--out", required=True, type=Path, help="folder to write the drop into")
    ap.add_argument(
        "--as-of",
        required=True,
        type=dt.date.fromisoformat,
        help="date the extract is taken (YYYY-MM-DD)",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiply the Trust K times (40 ~ England's looked-after population)",
    )
    args = ap.parse_args(argv)
    if args.as_of < dt.date(2016, 1, 1):
        ap.error("--as-of must be 2016-01-01 or later (the Trust took over on 1 Oct 2015)")
    if args.scale <= 0:
        ap.error("--scale must be positive")
    t = time.perf_counter()

    def say(msg: str) -> None:
        print(f"[{time.perf_counter() - t:6.1f}s] {msg}", flush=True)

    counts = generate(args.out, args.as_of, seed=args.seed, scale=args.scale, progress=say)
    for name, n in counts.items():
        print(f"  {name:32s} {n:>10,}")
    say(f"done: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
