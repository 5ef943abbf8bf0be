"""Writing the demo Trust from tests: the real CLI, as `make demo` runs it. The session's shared
full-size Trust is the `demo_drop` / `demo_db` fixtures in tests/conftest.py."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_AS_OF = date(2026, 11, 24)
DEMO_SEED = 1


def write_demo(
    out: Path, seed: int = DEMO_SEED, scale: float = 1, as_of: date = DEMO_AS_OF
) -> Path:
    """The demo Trust's drop, written to `out` by `python -m scst_metrics.demo`."""
    cmd = [sys.executable, "-m", "scst_metrics.demo", "--out", str(out)]
    cmd += ["--as-of", as_of.isoformat(), "--seed", str(seed), "--scale", f"{scale:g}"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return out
