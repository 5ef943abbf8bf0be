"""Chart images for board reports (PNG at scale 2, SVG), from one warm kaleido renderer."""

from .charts import chart_figure, chart_image, comparison_figure, single_hub
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
    "chart_figure",
    "chart_image",
    "comparison_figure",
    "chromium_path",
    "file_name",
    "image_size",
    "render",
    "single_hub",
    "stop_renderer",
    "toolbar_config",
    "write",
]
