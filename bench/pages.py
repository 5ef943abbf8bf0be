"""How fast the board's pages are: server-side run (cold; warm: reruns of one session, with
the CPU seconds of the script's thread); in Chromium, the
time until every chart in view is drawn, beside a bare Streamlit page with one plotly chart
timed in the same run and browser (and their ratio); and the app server's memory after five
browser sessions have each visited every page. A measurement script, not a test.

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
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/ itself must not be on the path: this file would shadow the app's pages/ package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

# The board's page scripts, read from the product's pages/ folder (its own list,
# pages/_board.pages(), builds st.Page objects, which need a running Streamlit app).
PAGES = {p.stem: f"pages/{p.name}" for p in sorted((ROOT / "pages").glob("[!_]*.py"))}
PATHS = {name: "" if name == "overview" else name for name in PAGES}  # in the browser


def server_side(page: str, runs: int) -> tuple[float, float, float]:
    """Seconds for the server-side run of app.py + page through AppTest: cold (caches
    cleared, a new session), warm (the median of `runs` reruns of that session, as a reader
    who comes back to the page), and the CPU seconds of the script's thread in a warm run.

    A new AppTest also scans every installed package for Streamlit components before its
    first run (a server does that once, at start): that is the harness's, not the page's, so
    the warm runs reuse one AppTest (see `harness`)."""
    import streamlit as st
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.testing.v1 import AppTest

    cpu: list[float] = []
    run_script = script_runner.ScriptRunner._run_script

    def timed(self, rerun_data):  # the CPU time of the script's own thread
        c0 = time.thread_time()
        try:
            return run_script(self, rerun_data)
        finally:
            cpu.append(time.thread_time() - c0)

    script_runner.ScriptRunner._run_script = timed
    try:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.switch_page(PAGES[page])

        def once() -> float:
            t0 = time.perf_counter()
            at.run()
            took = time.perf_counter() - t0
            assert not at.exception, [e.value for e in at.exception]
            return took

        cold = once()
        warm = [once() for _ in range(runs)]
        return cold, statistics.median(warm), statistics.median(cpu[-runs:])
    finally:
        script_runner.ScriptRunner._run_script = run_script


def harness(runs: int) -> float:
    """Seconds for a new AppTest's first run of an empty script (its component scan)."""
    from streamlit.testing.v1 import AppTest

    def once() -> float:
        at = AppTest.from_string("pass", default_timeout=600)
        t0 = time.perf_counter()
        at.run()
        return time.perf_counter() - t0

    return statistics.median(once() for _ in range(runs))


# The yardstick: a bare Streamlit page showing one plotly chart (24 monthly points, one line).
BARE_APP = """
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(layout="wide")
st.title("One chart")
months = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 13)]
st.plotly_chart(go.Figure(go.Scatter(x=months, y=list(range(24)))))
"""


def _rss_mb(pid: int) -> float:
    """The process's resident memory (VmRSS in /proc/<pid>/status), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def _timed_visits(browser, url: str, runs: int) -> tuple[float, float]:
    """Seconds from navigation until every chart in view is drawn, each visit in a fresh
    browser context: the first visit, then the median of `runs` more."""
    from board import wait_for_view

    times = []
    for _ in range(runs + 1):
        ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = ctx.new_page()
        t0 = time.perf_counter()
        page.goto(url)
        times.append(time.perf_counter() - t0 + wait_for_view(page, timeout=600))
        ctx.close()
    return times[0], statistics.median(times[1:])


def in_browser(db: Path, runs: int) -> tuple[dict[str, tuple], tuple[float, float], dict]:
    """Per page: (first, median, charts in view, charts on the page); the bare page's (first,
    median); the server's RSS at start, after one session and after five sessions that each
    visited every page (scrolled to the bottom, so every chart is drawn)."""
    from board import expected_charts, wait_for_board
    from conftest import CHROMIUM, CHROMIUM_ARGS, free_port, start_server
    from playwright.sync_api import sync_playwright

    logs = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    port, bare_port = free_port(), free_port()
    proc = start_server(db, port, logs / "streamlit.log")
    (logs / "bare").mkdir()
    (logs / "bare" / "bare.py").write_text(BARE_APP)
    bare = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "bare.py", "--server.port", str(bare_port)]
        + ["--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=logs / "bare",
        stdout=(logs / "bare.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    out: dict[str, tuple] = {}
    rss = {"at start": _rss_mb(proc.pid)}
    try:
        _wait_healthy(bare_port)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            base = f"http://127.0.0.1:{port}"
            bare_times = _timed_visits(browser, f"http://127.0.0.1:{bare_port}/", runs)
            print(f"  bare page: first {bare_times[0]:.2f} s, warm {bare_times[1]:.2f} s")
            for name, path in PATHS.items():
                first, again = _timed_visits(browser, f"{base}/{path}", runs)
                out[name] = (first, again, expected_charts(name, db))
                print(f"  {name}: first {first:.2f} s, warm {again:.2f} s", flush=True)
            # the bare page again, after the board: the machine is shared and noisy
            late = _timed_visits(browser, f"http://127.0.0.1:{bare_port}/", runs)
            bare_times = (bare_times[0], statistics.median([bare_times[1], late[1]]))
            for session in range(5):
                ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
                page = ctx.new_page()
                for name, path in PATHS.items():
                    page.goto(f"{base}/{path}")
                    wait_for_board(page, out[name][2], timeout=600)
                ctx.close()
                if session == 0:
                    rss["after 1 session"] = _rss_mb(proc.pid)
            rss["after 5 sessions"] = _rss_mb(proc.pid)
            browser.close()
    finally:
        for server in (proc, bare):
            server.terminate()
            server.wait(timeout=10)
    return out, bare_times, rss


def _wait_healthy(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the bare page's server on port {port} did not start within 60 s")


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
    import duckdb

    import scst_metrics as sm
    from scst_metrics.published import DETAIL_SUFFIX

    values = sm.series("lac_count", hubs="all", db=db)
    print(f"database {db} ({db.stat().st_size / 1e6:.0f} MB); lac_count rows: {len(values)}")
    with sm.snapshot(db) as conn:
        stored = conn.exec_driver_sql("SELECT count(*) FROM indicator_values").scalar()
    detail = db.with_name(db.stem + DETAIL_SUFFIX)  # child-level rows: only counted here
    with duckdb.connect(str(detail), read_only=True) as conn:
        children = conn.execute("SELECT count(*) FROM s903_header").fetchone()[0]
    print(f"SSDA903 Header records: {children:,}; indicator values stored: {stored:,}")
    load_before = os.getloadavg()
    browser, (bare_first, bare), rss = in_browser(db, args.runs)
    print(
        f"\nMachine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, "
        + (f"database {args.db}" if args.db else f"scale {args.scale}")
        + f"; load average before {load_before[0]:.2f}, after the browser runs "
        f"{os.getloadavg()[0]:.2f}\n"
    )
    print(f"bare Streamlit page, one plotly chart: first {bare_first:.2f} s, warm {bare:.2f} s\n")
    print(
        f"AppTest's own start per new session (an empty script): {harness(args.runs):.2f} s "
        "(not in the warm runs below)\n"
    )
    print(
        "| page | charts | server cold (s) | server warm (s) | warm script CPU (s) "
        "| browser first (s) | browser warm (s) | warm / bare page |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name in PAGES:
        cold, warm, cpu = server_side(name, args.runs)
        first, again, n = browser[name]
        print(
            f"| {name} | {n} | {cold:.2f} | {warm:.2f} | {cpu:.3f} | {first:.2f} | {again:.2f} "
            f"| {again / bare:.1f} |"
        )
    print(
        "\nStreamlit server RSS: "
        + ", ".join(f"{when} {mb:.0f} MB" for when, mb in rss.items())
        + " (five browser sessions, each visiting every page)"
    )


if __name__ == "__main__":
    main()
