"""How fast the board's pages are: server-side run (cold and warm cache) and, in Chromium,
the time until every chart is drawn. A measurement script, not a test.

    .venv/bin/python bench/pages.py                 # the demo Trust (scale 1)
    .venv/bin/python bench/pages.py --scale 40      # a Trust 40 times the size
    .venv/bin/python bench/pages.py --db data/scst.duckdb   # an existing database

Prints a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/ itself must not be on the path: this file would shadow the app's pages/ package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

# The board's page scripts, read from the product's pages/ folder (its own list,
# pages/_board.pages(), builds st.Page objects, which need a running Streamlit app).
PAGES = {p.stem: f"pages/{p.name}" for p in sorted((ROOT / "pages").glob("[!_]*.py"))}


def server_side(page: str, runs: int) -> tuple[float, float]:
    """Seconds for one AppTest run of app.py + page: cold (caches cleared), warm (median)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    def once() -> float:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.switch_page(PAGES[page])
        t0 = time.perf_counter()
        at.run()
        took = time.perf_counter() - t0
        assert not at.exception, [e.value for e in at.exception]
        return took

    st.cache_data.clear()
    cold = once()
    warm = statistics.median(once() for _ in range(runs))
    return cold, warm


def in_browser(db: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Seconds from navigation until every chart is drawn: first visit, then median."""
    from board import PATHS, expected_charts, wait_for_board
    from conftest import CHROMIUM, CHROMIUM_ARGS, free_port, start_server
    from playwright.sync_api import sync_playwright

    port = free_port()
    proc = start_server(db, port, Path(tempfile.mkdtemp()) / "streamlit.log")
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, path in PATHS.items():
                n = expected_charts(name, db)
                times = []
                for _ in range(runs + 1):
                    ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
                    page = ctx.new_page()
                    t0 = time.perf_counter()
                    page.goto(f"http://127.0.0.1:{port}/{path}")
                    wait_for_board(page, n, timeout=600)
                    times.append(time.perf_counter() - t0)
                    ctx.close()
                out[name] = (times[0], statistics.median(times[1:]), n)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--db", type=Path, help="use this database instead of building a demo")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    os.chdir(ROOT)
    if args.db:
        db = args.db.resolve()
    else:
        from conftest import build_demo_db

        t0 = time.perf_counter()
        db = build_demo_db(Path(tempfile.mkdtemp(prefix="bench-pages-")), scale=args.scale)
        print(f"built demo Trust x{args.scale} + load: {time.perf_counter() - t0:.0f} s")
    os.environ["SCST_DB"] = str(db)
    import scst_metrics as sm

    values = sm.series("lac_count", hubs="all", db=db)
    print(f"database {db} ({db.stat().st_size / 1e6:.0f} MB); lac_count rows: {len(values)}")
    with sm.snapshot(db) as conn:
        children = conn.exec_driver_sql("SELECT count(*) FROM s903_header").scalar()
        stored = conn.exec_driver_sql("SELECT count(*) FROM indicator_values").scalar()
    print(f"SSDA903 Header records: {children:,}; indicator values stored: {stored:,}")
    browser = in_browser(db, args.runs)
    print(
        f"\nMachine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, "
        + (f"database {args.db}\n" if args.db else f"scale {args.scale}\n")
    )
    print(
        "| page | charts | server cold (s) | server warm (s) | browser first (s) "
        "| browser warm (s) |"
    )
    print("|---|---|---|---|---|---|")
    for name in PAGES:
        cold, warm = server_side(name, args.runs)
        first, again, n = browser[name]
        print(f"| {name} | {n} | {cold:.2f} | {warm:.2f} | {first:.2f} | {again:.2f} |")


if __name__ == "__main__":
    main()
