"""Write a demo Trust's extract drop: python -m scst_metrics.demo --out DIR --as-of DATE."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

from .generate import SHARD_SCALE, generate


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
        help="multiply the Trust K times (40 ~ England's looked-after population, 420 ~ its "
        "children in need)",
    )
    ap.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="processes simulating shards at once (Trusts bigger than --shard-scale only)",
    )
    ap.add_argument(
        "--shard-scale",
        type=float,
        default=SHARD_SCALE,
        help="largest Trust simulated whole; a bigger one is written as independent shards "
        f"of at most this scale (default {SHARD_SCALE:g}; memory grows with it)",
    )
    args = ap.parse_args(argv)
    if args.as_of < dt.date(2016, 1, 1):
        ap.error("--as-of must be 2016-01-01 or later (the Trust took over on 1 Oct 2015)")
    if args.scale <= 0:
        ap.error("--scale must be positive")
    if args.jobs < 1 or args.shard_scale <= 0:
        ap.error("--jobs must be 1 or more and --shard-scale positive")
    t = time.perf_counter()

    def say(msg: str) -> None:
        print(f"[{time.perf_counter() - t:6.1f}s] {msg}", flush=True)

    how = {k: getattr(args, k) for k in ("seed", "scale", "jobs", "shard_scale")}
    counts = generate(args.out, args.as_of, progress=say, **how)
    for name, n in counts.items():
        print(f"  {name:32s} {n:>10,}")
    say(f"done: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
