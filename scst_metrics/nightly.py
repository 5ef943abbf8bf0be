"""The nightly load, composed: the loader plus the steps that run on the drop's tables.

This is an entry point (a top-level module, like app.py): it may import every layer. It
declares the load's steps in order and registers them as `load_drop`'s default, so the layer
order reads here, in one place:

    extracts (readers) -> load (validate, build the detail file) -> indicators (materialise)
    -> board file (aggregates only) -> published

`python -m scst_metrics.load` and `from scst_metrics.load import load_drop` both run these
steps (the package `scst_metrics` imports this module once).
"""

from __future__ import annotations

import time

import duckdb

from .indicators import materialise
from .indicators.targets import TargetsError
from .load.steps import Refused, Step, StepContext, set_default_steps

# What the indicator library writes that the board reads (scst_metrics.api). Aggregates and
# the catalogue only: every row is a count or rate per month per hub, never a child.
INDICATOR_TABLES = (
    "indicators",
    "indicator_values",
    "indicator_availability",
    "targets",
    "indicator_targets",
)


def _materialise(con: duckdb.DuckDBPyConnection, ctx: StepContext) -> str:
    stage = time.perf_counter()
    try:
        materialise(con, ctx.as_at, targets_csv=ctx.targets_csv)
    except TargetsError as e:  # people edit the targets file: say which line
        raise Refused(f"{e} The last good database keeps serving.") from e
    n = con.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
    return f"building indicators: {n:,} values ({time.perf_counter() - stage:.2f}s)"


INDICATORS = Step("indicators", _materialise, board_tables=INDICATOR_TABLES)

STEPS: tuple[Step, ...] = (INDICATORS,)

set_default_steps(STEPS)
