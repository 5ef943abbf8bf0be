"""Time and memory of writing (and optionally loading) demo Trusts of growing size.

    .venv/bin/python bench/scale.py --scale 1 --scale 10 --scale 40
    .venv/bin/python bench/scale.py --scale 40 --load              # + the real nightly load
    .venv/bin/python bench/scale.py --scale 420 --out /tmp/big --keep
    .venv/bin/python bench/scale.py --drop /tmp/big/s420        # load a drop already written

For each scale it runs `python -m scst_metrics.demo --scale K` (seed 1, as at 24 Nov 2026) in
a child process and samples the memory of that process and every process it starts (the shard
processes of a big Trust) five times a second from /proc: the peak of the largest one and the
peak of their sum. With `--load` it then runs `python -m scst_metrics.load` on the drop the
same way. One line per scale: seconds, drop size, the two peaks, the load average. Drops are
deleted afterwards unless `--keep`. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = os.sysconf("SC_PAGE_SIZE")
AS_OF = "2026-11-24"


def _children() -> dict[int, list[int]]:
    """parent pid -> child pids, from /proc."""
    out: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        out.setdefault(ppid, []).append(int(d))
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def run_measured(cmd: list[str], log: Path) -> tuple[float, int, int, int]:
    """(seconds, peak RSS of the largest process, peak RSS of the tree, exit code)."""
    t0 = time.perf_counter()
    with open(log, "w") as f:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=f, stderr=subprocess.STDOUT)
        top = tree = 0
        while proc.poll() is None:
            kids, todo, pids = _children(), [proc.pid], []
            while todo:
                p = todo.pop()
                pids.append(p)
                todo.extend(kids.get(p, ()))
            sizes = [_rss(p) for p in pids]
            top, tree = max(top, max(sizes)), max(tree, sum(sizes))
            time.sleep(0.2)
    return time.perf_counter() - t0, top, tree, proc.returncode


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, action="append", default=[])
    ap.add_argument("--drop", type=Path, action="append", default=[], help="load this drop")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--out", type=Path, default=Path("/tmp/scst_scale"), help="work folder")
    ap.add_argument("--load", action="store_true", help="also run the real nightly load")
    ap.add_argument("--keep", action="store_true", help="keep the drops (and databases)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    mib = 1 << 20
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; --jobs {args.jobs}"
    )
    print(
        "| scale | generate s | drop MB | generate peak MiB (largest process / all) "
        "| load s | load peak MiB | load avg |"
    )
    print("|---|---|---|---|---|---|---|")
    for drop in args.drop:
        db = args.out / f"{drop.name}.duckdb"
        cmd = [sys.executable, "-m", "scst_metrics.load", "--extracts", str(drop), "--db", str(db)]
        lsecs, ltop, ltree, lrc = run_measured(cmd, args.out / f"{drop.name}.load.log")
        load = f"{lsecs:.1f}" if lrc == 0 else f"failed ({lrc}) after {lsecs:.1f}"
        print(
            f"| {drop} (loaded) | - | {_size_mb(drop):,.0f} | - | {load} "
            f"| {ltop / mib:,.0f} (all processes {ltree / mib:,.0f}) "
            f"| {os.getloadavg()[0]:.1f} |",
            flush=True,
        )
        if not args.keep:
            for p in args.out.glob(f"{drop.name}.*duckdb*"):
                p.unlink()
    for k in args.scale:
        drop = args.out / f"s{k:g}"
        cmd = [sys.executable, "-m", "scst_metrics.demo", "--out", str(drop), "--as-of", AS_OF]
        cmd += ["--scale", f"{k:g}", "--jobs", str(args.jobs)]
        secs, top, tree, rc = run_measured(cmd, args.out / f"s{k:g}.generate.log")
        gen = f"{secs:.1f}" if rc == 0 else f"failed ({rc}) after {secs:.1f}"
        size = _size_mb(drop) if drop.exists() else 0.0
        load = "-", "-"
        if args.load and rc == 0:
            db = args.out / f"s{k:g}.duckdb"
            cmd = [sys.executable, "-m", "scst_metrics.load", "--extracts", str(drop)]
            cmd += ["--db", str(db)]
            lsecs, ltop, _ltree, lrc = run_measured(cmd, args.out / f"s{k:g}.load.log")
            load = (
                (f"{lsecs:.1f}" if lrc == 0 else f"failed ({lrc}) after {lsecs:.1f}"),
                (f"{ltop / mib:,.0f}"),
            )
        print(
            f"| {k:g} | {gen} | {size:,.0f} | {top / mib:,.0f} / {tree / mib:,.0f} "
            f"| {load[0]} | {load[1]} | {os.getloadavg()[0]:.1f} |",
            flush=True,
        )
        if not args.keep:
            shutil.rmtree(drop, ignore_errors=True)
            for p in args.out.glob(f"s{k:g}.*duckdb*"):
                p.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
