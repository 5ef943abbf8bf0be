"""The sign-in harness: a real OpenID Connect provider (npm's oidc-provider on Node.js) and a
real Streamlit server whose [auth] points at it, both on loopback, both stopped afterwards.

The server runs either the small test app (tests/oidc/app.py) or the board itself (app.py,
with $SCST_DB naming a published demo file). Its working folder is a temporary folder holding
.streamlit/secrets.toml (the [auth] section) beside a copy of the repository's
.streamlit/config.toml: nothing is ever written into the repository.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TEST_APP = HERE / "app.py"
BOARD_APP = ROOT / "app.py"
CLIENT_ID = "performance-board"
LOOPBACK = ("localhost", "127.0.0.1")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def install_provider() -> None:
    """npm ci from the lock file when tests/oidc/node_modules is missing."""
    if (HERE / "node_modules" / "oidc-provider" / "package.json").is_file():
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise RuntimeError(
            "Node.js and npm are needed for the sign-in tests: apt-get install nodejs npm"
        )
    proc = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=HERE,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"npm ci in {HERE} failed:\n{proc.stdout}\n{proc.stderr}")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class SignInStack:
    """Provider + Streamlit app, started in `folder`; `url` is the app's address.

    `app`: the script to run (the test app, or BOARD_APP); `env`: more environment for the
    server (e.g. SCST_DB for the board)."""

    def __init__(
        self,
        folder: Path,
        users: dict[str, dict],
        access_csv: str,
        *,
        app: Path = TEST_APP,
        env: dict[str, str] | None = None,
    ) -> None:
        self.folder = folder
        self.app = app
        self.env = env or {}
        self.provider_port = free_port()
        self.app_port = free_port()
        self.url = f"http://localhost:{self.app_port}"
        self.client_secret = secrets.token_urlsafe(24)
        self.users = users
        self.access_csv = access_csv
        self.procs: list[subprocess.Popen] = []
        self.notes_url = f"sqlite:///{folder / 'notes.sqlite'}"

    def start(self) -> SignInStack:
        install_provider()
        self._start_provider()
        self._start_app()
        return self

    def _start_provider(self) -> None:
        config = self.folder / "provider.json"
        config.write_text(
            json.dumps(
                {
                    "port": self.provider_port,
                    "client_id": CLIENT_ID,
                    "client_secret": self.client_secret,
                    "redirect_uri": f"{self.url}/oauth2callback",
                    "users": self.users,
                }
            )
        )
        log = (self.folder / "provider.log").open("w")
        proc = subprocess.Popen(
            ["node", str(HERE / "provider.mjs"), str(config)],
            cwd=HERE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        self.procs.append(proc)
        ready = threading.Event()

        def watch() -> None:
            for line in proc.stdout:
                if line.startswith("READY "):
                    ready.set()

        threading.Thread(target=watch, daemon=True).start()
        if not ready.wait(30):
            self.stop()
            raise RuntimeError(
                f"oidc-provider did not start: {(self.folder / 'provider.log').read_text()}"
            )

    def _start_app(self) -> None:
        streamlit_dir = self.folder / ".streamlit"
        streamlit_dir.mkdir(exist_ok=True)
        shutil.copy(ROOT / ".streamlit" / "config.toml", streamlit_dir / "config.toml")
        # Test-only values, in a temporary folder: never committed.
        (streamlit_dir / "secrets.toml").write_text(
            "[auth]\n"
            f'redirect_uri = "{self.url}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
            f'client_id = "{CLIENT_ID}"\n'
            f'client_secret = "{self.client_secret}"\n'
            f'server_metadata_url = "http://127.0.0.1:{self.provider_port}'
            '/.well-known/openid-configuration"\n'
            # Streamlit asks for prompt=select_account (Entra's account picker), which the
            # test provider does not offer; "login" is its sign-in form.
            'client_kwargs = { prompt = "login" }\n'
        )
        access = self.folder / "access.csv"
        access.write_text(self.access_csv)
        env = dict(os.environ, SCST_ACCESS=str(access), PYTHONPATH=str(ROOT), **self.env)
        env["SCST_NOTES_URL"] = self.notes_url
        cmd = [sys.executable, "-m", "streamlit", "run", str(self.app)]
        cmd += ["--server.port", str(self.app_port), "--server.address", "127.0.0.1"]
        cmd += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
        log = self.folder / "streamlit.log"
        proc = subprocess.Popen(
            cmd, cwd=self.folder, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        self.procs.append(proc)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self.stop()
                raise RuntimeError(f"streamlit exited: {log.read_text()[-2000:]}")
            try:
                health = f"http://127.0.0.1:{self.app_port}/_stcore/health"
                with urllib.request.urlopen(health, timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("streamlit did not start within 60 s")

    def stop(self) -> None:
        for proc in reversed(self.procs):
            stop(proc)
        self.procs.clear()


def loopback_only(context) -> None:
    """Let a Playwright browser context reach loopback only: the provider's development login
    page asks for web fonts on the internet, which are refused here."""

    def route(r) -> None:
        r.continue_() if urlsplit(r.request.url).hostname in LOOPBACK else r.abort()

    context.route("**/*", route)


def sign_in(page, stack: SignInStack, login: str) -> None:
    """Open the app, press Sign in and sign in at the provider's own form as `login`; returns
    when the browser is back at the app."""
    page.goto(stack.url)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector('input[name="login"]', timeout=30_000)
    assert page.url.startswith(f"http://127.0.0.1:{stack.provider_port}/")
    page.fill('input[name="login"]', login)
    page.fill('input[name="password"]', "test")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(f"{stack.url}/**", timeout=30_000)
