"""Time and memory of the nightly load against the floor: DuckDB's own read of the same drop.

    .venv/bin/python bench/load.py --scale 1 --scale 10      # generate, then measure
    .venv/bin/python bench/load.py --drop /tmp/s10           # an existing drop
    .venv/bin/python bench/load.py --drop /tmp/s1 --profile  # + cProfile of the load

For each drop, in the same run and each in its own child process:

- the load: `python -m scst_metrics.load` into a fresh database (wall time; peak RSS of the
  load process, from getrusage(RUSAGE_SELF) at its end, and of the largest of the worker
  processes that read a big drop's CIN census files, RUSAGE_CHILDREN; CPU seconds of all);
- the floor: DuckDB counting every CSV of the drop as text (`read_csv(..., all_varchar=true)`)
  plus the standard library's expat `xml.etree.ElementTree.iterparse` walking every XML file
  (every element, cleared as it ends).

It prints load s, floor s, their ratio and the load's peak RSS, and the CPU seconds (user +
system, every thread) of each and their ratio, as a Markdown table for docs/performance.md,
with the machine and its load average. The machine may be shared: the wall-time ratio moves
with the contention (both halves are measured minutes apart), the CPU ratio far less (but a
process with two busy threads gets more of a shared machine than one with one). Not a test:
nothing is asserted. `--profile` runs the load once more under cProfile and prints the 30 functions
with the most cumulative and the most own time.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

# Run in a child: the wall time includes importing duckdb, as the load's does.
FLOOR = r"""
import sys, time, resource
from pathlib import Path
import xml.etree.ElementTree as ET
import duckdb
drop = Path(sys.argv[1])
t0 = time.perf_counter()
con = duckdb.connect()
rows = 0
for p in sorted(drop.rglob("*.csv")):
    rows += con.execute(
        "SELECT count(*) FROM read_csv(?, all_varchar=true)", [str(p)]
    ).fetchone()[0]
t_csv = time.perf_counter() - t0
elements = 0
for p in sorted(drop.rglob("*.xml")):
    for _event, el in ET.iterparse(p, events=("end",)):
        elements += 1
        el.clear()
t = time.perf_counter() - t0
use = resource.getrusage(resource.RUSAGE_SELF)
peak = use.ru_maxrss // 1024
print(f"FLOOR {t:.3f} {t_csv:.3f} {rows} {elements} {peak} {use.ru_utime + use.ru_stime:.3f}")
"""

LOAD = (
    "import resource,sys; from scst_metrics.load.__main__ import main; "
    "rc = main(['--extracts', sys.argv[1], '--db', sys.argv[2]]); "
    "u = resource.getrusage(resource.RUSAGE_SELF); "
    "c = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print('PEAK', u.ru_maxrss // 1024, u.ru_utime + u.ru_stime + c.ru_utime + c.ru_stime, "
    "c.ru_maxrss // 1024); "
    "sys.exit(rc)"
)

PROFILE = (
    "import cProfile,pstats,sys; from scst_metrics.load.__main__ import main; "
    "pr = cProfile.Profile(); pr.enable(); "
    "main(['--extracts', sys.argv[1], '--db', sys.argv[2]]); pr.disable(); "
    "st = pstats.Stats(pr); st.sort_stats('cumulative').print_stats(30); "
    "st.sort_stats('tottime').print_stats(30)"
)


def run(cmd: list[str]) -> tuple[float, str]:
    """Wall time and output of a child process (exit on failure)."""
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd[:3])} ... failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    return seconds, out.stdout


def generate(drop: Path, scale: int, as_of: str) -> float:
    seconds, _ = run(
        [PY, "-m", "scst_metrics.demo", "--out", str(drop), "--as-of", as_of, "--seed", "1"]
        + ["--scale", str(scale)]
    )
    return seconds


def measure(label: str, drop: Path, tmp: Path, *, profile: bool) -> None:
    size = sum(p.stat().st_size for p in drop.rglob("*") if p.is_file()) / 1e6
    db = tmp / "scst.duckdb"
    floor_s, out = run([PY, "-c", FLOOR, str(drop)])
    _total, csv_s, csv_rows, elements, floor_peak, floor_cpu = out.rsplit("FLOOR", 1)[1].split()[:6]
    load_s, out = run([PY, "-c", LOAD, str(drop), str(db)])
    peak, load_cpu, worker_peak = out.rsplit("PEAK", 1)[1].split()[:3]
    peak = f"{int(peak):,}" + (f" (workers {int(worker_peak):,})" if int(worker_peak) else "")
    kept = next((ln for ln in out.splitlines() if ln.startswith("Published run")), "")
    rows = kept.split(":", 1)[1].split("rows kept")[0].strip() if kept else "?"
    print(
        f"| {label} | {size:,.0f} | {load_s:.1f} | {floor_s:.1f} (csv {float(csv_s):.1f}) "
        f"| {load_s / floor_s:.1f} | {peak} | {int(floor_peak):,} | {rows} "
        f"| {int(csv_rows):,} / {int(elements):,} | {float(load_cpu):.1f} / {float(floor_cpu):.1f} "
        f"= {float(load_cpu) / float(floor_cpu):.1f} | {os.getloadavg()[0]:.1f} |",
        flush=True,
    )
    stages = [ln for ln in out.splitlines() if ln.endswith("s)")]
    for ln in stages:
        print(f"    {ln}", file=sys.stderr)
    if profile:
        _, out = run([PY, "-c", PROFILE, str(drop), str(tmp / "profiled.duckdb")])
        print(out[out.find("   Ordered by") - 200 :], file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, action="append", default=[])
    ap.add_argument("--drop", type=Path, action="append", default=[])
    ap.add_argument("--as-of", default="2026-11-24")
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    if not args.scale and not args.drop:
        args.scale = [1]
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, "
        f"python {platform.python_version()}, load average at start "
        f"{os.getloadavg()[0]:.1f}"
    )
    print(
        "| drop | files MB | load s | floor s | load / floor | load peak MiB | floor peak MiB "
        "| rows kept | floor CSV rows / XML elements | CPU s load / floor | load avg |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for drop in args.drop:
        with tempfile.TemporaryDirectory() as tmp:
            measure(str(drop), drop, Path(tmp), profile=args.profile)
    for k in args.scale:
        with tempfile.TemporaryDirectory() as tmp:
            drop = Path(tmp) / "drop"
            gen_s = generate(drop, k, args.as_of)
            print(f"    scale {k}: generated in {gen_s:.1f} s", file=sys.stderr)
            measure(f"scale {k}", drop, Path(tmp), profile=args.profile)


if __name__ == "__main__":
    main()
