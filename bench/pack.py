"""Time and size of the whole board's pack (every indicator), PowerPoint and PDF.

    .venv/bin/python bench/pack.py --db data/scst.duckdb          # an existing published file
    .venv/bin/python bench/pack.py --scale 1                      # build the demo Trust first

Goal (issue 12): under 30 s for the whole board's pack. The first pack of a process also
starts the one warm chart renderer (Chromium), timed separately here as "renderer start".
Prints a Markdown table for docs/performance.md. Not a test: nothing is asserted.
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
sys.path.insert(0, str(ROOT))

from scst_metrics.export.images import render  # noqa: E402
from scst_metrics.pack import build_pack  # noqa: E402


def demo_db(root: Path, scale: float, as_of: str) -> Path:
    from scst_metrics.load import load_drop

    drop, db = root / "drop", root / "scst.duckdb"
    cmd = [sys.executable, "-m", "scst_metrics.demo", "--out", str(drop), "--as-of", as_of]
    cmd += ["--seed", "1", "--scale", f"{scale:g}"]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    outcome = load_drop(drop, db, log=lambda _line: None)
    if outcome.status != "published":
        sys.exit(outcome.message)
    return db


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, help="a published DuckDB file (default: build the demo)")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--as-of", default="2026-11-24")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ.setdefault("SCST_NOTES_URL", f"sqlite:///{tmp / 'notes.sqlite'}")
        db = args.db or demo_db(tmp, args.scale, args.as_of)
        print(
            f"machine: {platform.platform()}, {os.cpu_count()} CPUs, load average "
            f"{os.getloadavg()[0]:.1f}, python {platform.python_version()}; db {db}"
        )
        import plotly.graph_objects as go

        t0 = time.perf_counter()
        render(go.Figure(), "png", width=100, height=100)
        print(f"renderer start: {time.perf_counter() - t0:.1f} s")
        print("| pack | indicators | slides/pages | seconds | MB |")
        print("|---|---|---|---|---|")
        for ext in ("pptx", "pdf"):
            out = tmp / f"board.{ext}"
            seen: list[int] = []

            def progress(done: int, total: int, what: str, seen: list[int] = seen) -> None:
                seen.append(total)

            t0 = time.perf_counter()
            build_pack(db, out=out, progress=progress)
            seconds = time.perf_counter() - t0
            if ext == "pptx":
                from pptx import Presentation

                count = len(Presentation(str(out)).slides)
            else:
                from pypdf import PdfReader

                count = len(PdfReader(str(out)).pages)
            size = out.stat().st_size / 1e6
            print(f"| whole board .{ext} | {seen[-1]} | {count} | {seconds:.1f} | {size:.1f} |")


if __name__ == "__main__":
    main()
