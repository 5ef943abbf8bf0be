"""The sign-in harness: a real OpenID Connect provider (npm's oidc-provider on Node.js) and a
real Streamlit server whose [auth] points at it, both on loopback, both stopped afterwards.

The secrets.toml is written into a temporary folder (the Streamlit server's working folder),
never into the repository.
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

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CLIENT_ID = "performance-board"


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
    """Provider + Streamlit app, started in `folder`; `url` is the app's address."""

    def __init__(self, folder: Path, users: dict[str, dict], access_csv: str) -> None:
        self.folder = folder
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
        env = dict(os.environ, SCST_ACCESS=str(access), PYTHONPATH=str(ROOT))
        env["SCST_NOTES_URL"] = self.notes_url
        cmd = [sys.executable, "-m", "streamlit", "run", str(HERE / "app.py")]
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
