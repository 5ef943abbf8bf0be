"""Chart images that leave the building: the board's own figure, made safe to paste.

`chart_figure(series, indicator, ...)` is `charts.trend_chart` with the same layers the screen
draws (SPC, icons, DfE benchmarks: pass what the read API returns), plus small-number
suppression when the image is of a single hub: a hub holds few children, and a figure of 1
to 5 about one hub can identify a child once a report circulates. DfE's convention
(indicators/small_numbers.py): such a figure is not drawn and reads "c" in the labels and
hover, and the footnote says "Figures of 1 to 5 are shown as c (DfE's convention)". The whole
Trust's figures are the ones the Trust reports anyway and are left as they are.

`suppress_small=False` turns it off, for an image that stays inside the Trust.
`chart_image(...)` renders the same figure to PNG or SVG bytes. `comparison_figure(...)` is
the hubs-compared chart for export: each bar is one hub's figure, so it is suppressed too.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from ..charts.compare import hub_comparison_chart
from ..charts.trend import trend_chart
from .images import render


def single_hub(series: pd.DataFrame) -> bool:
    """The series is of exactly one hub (not the whole Trust, not several hubs)."""
    hubs = set(series["hub_id"].dropna())
    return len(hubs) == 1 and series["hub_id"].notna().all()


def chart_figure(
    series: pd.DataFrame,
    indicator: Mapping,
    *,
    suppress_small: bool = True,
    **chart_kw,
) -> go.Figure:
    """The figure an export renders: trend_chart(series, indicator, **chart_kw), with
    suppression on for a single hub unless `suppress_small` is False."""
    return trend_chart(
        series, indicator, suppress_small=suppress_small and single_hub(series), **chart_kw
    )


def comparison_figure(
    series: pd.DataFrame,
    indicator: Mapping,
    *,
    suppress_small: bool = True,
    **chart_kw,
) -> go.Figure:
    """The hubs-compared image: every bar is one hub's figure, so suppression is on unless
    `suppress_small` is False."""
    return hub_comparison_chart(series, indicator, suppress_small=suppress_small, **chart_kw)


def chart_image(
    series: pd.DataFrame,
    indicator: Mapping,
    fmt: str = "png",
    *,
    suppress_small: bool = True,
    width: int | None = None,
    **chart_kw,
) -> bytes:
    """The exported image (PNG at scale 2, or SVG) of `chart_figure`."""
    fig = chart_figure(series, indicator, suppress_small=suppress_small, **chart_kw)
    return render(fig, fmt) if width is None else render(fig, fmt, width=width)
