"""Time and memory of the nightly load on the demo Trust, at scale 1 and larger.

    .venv/bin/python bench/load.py --scale 1 --scale 40

For each scale: generate the demo drop (timed), load it into a fresh database (timed, peak
memory of the load process), and print row counts. Results go to stdout as a Markdown table
for docs/performance.md. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def run(cmd: list[str]) -> tuple[float, int, str]:
    """Wall time, peak RSS (MiB) of the child, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stdout}\n{out.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) // 1024, out.stdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, action="append", default=None)
    ap.add_argument("--as-of", default="2026-11-24")
    args = ap.parse_args()
    scales = args.scale or [1]
    print(
        f"machine: {platform.platform()}, {platform.processor() or 'cpu'}, "
        f"python {platform.python_version()}"
    )
    print("| scale | generate s | files MB | load s | load peak MiB | rows kept | db MB |")
    print("|---|---|---|---|---|---|---|")
    for k in scales:
        with tempfile.TemporaryDirectory() as tmp:
            drop, db = Path(tmp) / "drop", Path(tmp) / "scst.duckdb"
            gen_s, _, _ = run(
                [
                    PY,
                    "-m",
                    "scst_metrics.demo",
                    "--out",
                    str(drop),
                    "--as-of",
                    args.as_of,
                    "--seed",
                    "1",
                    "--scale",
                    str(k),
                ]
            )
            size = sum(p.stat().st_size for p in drop.rglob("*") if p.is_file()) / 1e6
            # peak RSS is per process: run the load in its own child for a clean figure
            load_s, peak, out = run(
                [
                    PY,
                    "-c",
                    (
                        "import resource,sys; from scst_metrics.load.__main__ import main; "
                        f"rc = main(['--extracts', r'{drop}', '--db', r'{db}']); "
                        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024; "
                        "print('PEAK', peak); "
                        "sys.exit(rc)"
                    ),
                ]
            )
            peak = int(out.rsplit("PEAK", 1)[1].split()[0])
            kept = next((ln for ln in out.splitlines() if ln.startswith("Published run")), "")
            rows = kept.split(":", 1)[1].split("rows kept")[0].strip() if kept else "?"
            print(
                f"| {k} | {gen_s:.1f} | {size:.1f} | {load_s:.1f} | {peak} | {rows} | "
                f"{db.stat().st_size / 1e6:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
