"""Plotly figures for the board, built from an indicator's series and its target.

No Streamlit here: the same figures are drawn on screen, by the chart toolbar's download and
by the server-side image export (scst_metrics.export).
"""

from . import benchmarks, data, formatting, icons, mdc, theme, tiles
from .compare import hub_comparison_chart, latest_per_hub
from .data import wants_hub_comparison
from .theme import Rag
from .trend import trend_chart

__all__ = [
    "Rag",
    "benchmarks",
    "data",
    "formatting",
    "hub_comparison_chart",
    "icons",
    "latest_per_hub",
    "mdc",
    "theme",
    "tiles",
    "trend_chart",
    "wants_hub_comparison",
]
