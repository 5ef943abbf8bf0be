"""Chart images for board reports, rendered on the server by kaleido.

kaleido drives a headless Chrome/Chromium (Debian: `apt-get install chromium`; set
$BROWSER_PATH to use another). Starting a browser takes seconds, rendering a chart a fraction
of one, so ONE warm renderer is started on first use and reused for every image: kaleido's
persistent sync server. Its queue hands results back in order for one caller at a time, so
calls from the app's many script threads are serialised by a lock.
"""

from __future__ import annotations

import atexit
import os
import shutil
import threading
from pathlib import Path

import kaleido
import plotly.graph_objects as go

# The size of a chart pasted into an A4 board report; PNG doubled for print resolution.
WIDTH = 1100
HEIGHT = 560
PNG_SCALE = 2

_LOCK = threading.Lock()
_STARTED = False


def chromium_path() -> str | None:
    """The browser kaleido drives: $BROWSER_PATH, else Chromium/Chrome on the PATH."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


class NoBrowser(RuntimeError):
    pass


def _ensure_renderer() -> None:
    global _STARTED
    if _STARTED:
        return
    path = chromium_path()
    if path is None:
        raise NoBrowser(
            "Chart images need Chrome or Chromium. On Debian/Ubuntu: "
            "`sudo apt-get install chromium` (or set BROWSER_PATH)."
        )
    # mathjax=False: no network fetch; the board's charts use no LaTeX.
    kaleido.start_sync_server(path=path, mathjax=False, silence_warnings=True)
    _STARTED = True
    atexit.register(stop_renderer)


def stop_renderer() -> None:
    global _STARTED
    with _LOCK:
        if _STARTED:
            kaleido.stop_sync_server(silence_warnings=True)
            _STARTED = False


def image_size(fig: go.Figure, width: int = WIDTH) -> tuple[int, int]:
    """Width and height (CSS pixels) of the figure's image: the report width, the figure's
    own height (which grows with its legend)."""
    return width, int(fig.layout.height or HEIGHT)


def render(
    fig: go.Figure, fmt: str = "png", *, width: int = WIDTH, height: int | None = None
) -> bytes:
    """The figure as PNG (at scale 2) or SVG bytes, from the one warm renderer."""
    height = height or image_size(fig, width)[1]
    if fmt not in ("png", "svg"):
        raise ValueError(f"format must be png or svg, not {fmt!r}")
    opts = {"format": fmt, "width": width, "height": height}
    if fmt == "png":
        opts["scale"] = PNG_SCALE
    with _LOCK:
        _ensure_renderer()
        return kaleido.calc_fig_sync(fig, opts=opts)


def write(fig: go.Figure, path: str | Path, **kw) -> Path:
    """Write the figure to path; the format follows the suffix (.png or .svg)."""
    path = Path(path)
    path.write_bytes(render(fig, path.suffix.lstrip(".").lower(), **kw))
    return path
