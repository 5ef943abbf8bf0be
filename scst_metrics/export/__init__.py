"""Chart images for board reports (PNG at scale 2, SVG), from one warm kaleido renderer."""

from .images import (
    HEIGHT,
    PNG_SCALE,
    WIDTH,
    NoBrowser,
    chromium_path,
    image_size,
    render,
    stop_renderer,
    write,
)
from .names import file_name, toolbar_config

__all__ = [
    "HEIGHT",
    "PNG_SCALE",
    "WIDTH",
    "NoBrowser",
    "chromium_path",
    "file_name",
    "image_size",
    "render",
    "stop_renderer",
    "toolbar_config",
    "write",
]
