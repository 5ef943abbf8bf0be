"""A real Streamlit server on a free port, against the database the real loader built from the
demo Trust drop (the session's `demo_db`, tests/conftest.py), driven by Debian's Chromium
through Playwright (sync API)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AS_OF = date(2026, 11, 24)


def write_demo_drop(
    drop: Path, scale: float = 1, as_of: date = AS_OF, *, wait: bool = True
) -> subprocess.Popen:
    """Write the demo Trust's drop (seed 1) to `drop`; wait=False returns the running process."""
    cmd = [sys.executable, "-m", "scst_metrics.demo", "--out", str(drop)]
    cmd += ["--as-of", as_of.isoformat(), "--seed", "1", "--scale", f"{scale:g}"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if wait:
        finish(proc)
    return proc


def finish(proc: subprocess.Popen) -> None:
    out, _ = proc.communicate()
    assert proc.returncode == 0, out.decode(errors="replace")[-2000:]


def publish(drop: Path, db: Path) -> None:
    """The real nightly load of `drop`, published at `db`."""
    from scst_metrics.load import load_drop

    outcome = load_drop(drop, db, log=lambda _line: None)
    assert outcome.status == "published", outcome.message


def build_demo_db(root: Path, scale: float = 1, as_of: date = AS_OF) -> Path:
    """The demo Trust as of `as_of`, loaded by the real nightly load into root/scst.duckdb."""
    drop = root / "drop"
    write_demo_drop(drop, scale, as_of)
    publish(drop, root / "scst.duckdb")
    return root / "scst.duckdb"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    db: Path, port: int, log: Path, env: dict[str, str] | None = None
) -> subprocess.Popen:
    env = dict(os.environ, SCST_DB=str(db), **(env or {}))
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    cmd += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("streamlit did not start within 60 s")


@pytest.fixture(scope="session")
def board_db(demo_db) -> Path:
    """The session's full-size demo Trust (tests/conftest.py), shared with the page tests.
    The board only reads it."""
    return demo_db


@pytest.fixture(scope="session")
def server(board_db, tmp_path_factory):
    port = free_port()
    proc = start_server(board_db, port, tmp_path_factory.mktemp("server") / "streamlit.log")
    yield f"http://127.0.0.1:{port}"
    stop_server(proc)


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser():
    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: apt-get install chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's axe.min.js, for injecting into the board's pages.

    Installed here by the test suite itself: `npm ci` in tests/browser, from package.json and
    package-lock.json (axe-core pinned), the first time the browser tests run on a machine."""
    script = HERE / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        assert npm, "npm not found: apt-get install -y npm (the browser tests install axe-core)"
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True
        )
    return script.read_text(encoding="utf-8")
