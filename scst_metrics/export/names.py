"""What an exported chart is called, and the chart toolbar's download settings.

A file name says which indicator, which hubs and which month: `lac_count_whole-trust_2025-10`,
so a folder of pasted charts sorts and reads sensibly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..charts.formatting import slug
from .images import HEIGHT, PNG_SCALE, WIDTH


def file_name(
    indicator_id: str,
    hubs: Sequence[str] = (),
    end: date | None = None,
    ext: str | None = None,
    *,
    suffix: str = "",
) -> str:
    if not hubs:
        where = "whole-trust"
    elif len(hubs) <= 3:
        where = "-".join(slug(h) for h in hubs)
    else:
        where = f"{len(hubs)}-hubs"
    parts = [indicator_id + suffix, where]
    if end is not None:
        parts.append(f"{end:%Y-%m}")
    name = "_".join(parts)
    return f"{name}.{ext}" if ext else name


def toolbar_config(filename: str, fig=None) -> dict:
    """plotly.js config: the camera button saves a report-resolution PNG with that name."""
    height = int(fig.layout.height or HEIGHT) if fig is not None else HEIGHT
    return {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": "png",
            "filename": filename,
            "width": WIDTH,
            "height": height,
            "scale": PNG_SCALE,
        },
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    }
