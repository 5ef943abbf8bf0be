"""Performance boards for a children's services trust: load, indicators, read API."""

from .api import (
    TRUST,
    as_at,
    availability,
    benchmark_overview,
    benchmark_rows,
    catalogue,
    chart_layers,
    events,
    hubs,
    latest,
    periods,
    series,
    spc_points,
    spc_summary,
)
from .published import snapshot

# The nightly load's steps (indicators after the drop's tables) are declared in the entry point
# scst_metrics.nightly; importing it here makes them load_drop's default for every caller.
from . import nightly  # noqa: E402,F401  isort: skip

__all__ = [
    "TRUST",
    "as_at",
    "availability",
    "benchmark_overview",
    "benchmark_rows",
    "catalogue",
    "chart_layers",
    "events",
    "hubs",
    "latest",
    "periods",
    "series",
    "snapshot",
    "spc_points",
    "spc_summary",
]
