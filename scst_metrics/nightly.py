"""The nightly load, composed: the loader plus the steps that run on the drop's tables.

This is an entry point (a top-level module, like app.py): it may import every layer. It
declares the load's steps in order and registers them as `load_drop`'s default, so the layer
order reads here, in one place:

    extracts (readers) -> load (validate, build the detail file) -> indicators (materialise)
    -> SPC (limits and icons) -> summary (the overview's matrix at every month)
    -> benchmarks (DfE's figures, reconciliation) -> board file (aggregates only) -> published

`python -m scst_metrics.load` and `from scst_metrics.load import load_drop` both run these
steps (the package `scst_metrics` imports this module once).
"""

from __future__ import annotations

import time

import duckdb

from .benchmarks import TABLE as BENCHMARKS_TABLE
from .benchmarks import BenchmarksFileError, publish_benchmarks
from .benchmarks.reconcile import TABLE as RECONCILIATION_TABLE
from .indicators import materialise
from .indicators.spc_step import EventsError, materialise_spc, read_events
from .indicators.targets import TargetsError
from .load.steps import Refused, Step, StepContext, set_default_steps
from .summary import TABLE as SUMMARY_TABLE
from .summary import materialise_summary

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


def _spc(con: duckdb.DuckDBPyConnection, ctx: StepContext) -> str:
    """Making Data Count: XmR limits and icons for every series, from the values just built;
    the events people listed in data/events.csv are published for the charts' annotations."""
    stage = time.perf_counter()
    try:
        events = read_events()
        materialise_spc(con, as_at=ctx.as_at)
    except EventsError as e:  # people edit the events file: say which line
        raise Refused(f"{e} The last good database keeps serving.") from e
    con.execute(
        "CREATE OR REPLACE TABLE board_events (event_date DATE, scope VARCHAR, what VARCHAR)"
    )
    con.executemany(
        "INSERT INTO board_events VALUES (?, ?, ?)", [(e.when, e.scope, e.what) for e in events]
    )
    n = con.execute("SELECT count(*) FROM indicator_spc_summary").fetchone()[0]
    return f"SPC: {n:,} series ({time.perf_counter() - stage:.2f}s)"


def _summary(con: duckdb.DuckDBPyConnection, ctx: StepContext) -> str:
    """The overview's Making Data Count summary matrix (scst_metrics.summary), worked out for
    every month, hub and the whole Trust, so that the overview and meeting mode only look
    their rows up."""
    stage = time.perf_counter()
    n = materialise_summary(con)
    return f"summary matrix: {n:,} rows ({time.perf_counter() - stage:.2f}s)"


def _benchmarks(con: duckdb.DuckDBPyConnection, ctx: StepContext) -> str:
    """DfE's published figures for us, our statistical neighbours, region and England
    (data/benchmarks/, for the authority in data/authority.toml), and our own year-end
    figures beside DfE's (the reconciliation)."""
    stage = time.perf_counter()
    try:
        n, rec = publish_benchmarks(con)
    except BenchmarksFileError as e:
        raise Refused(f"{e} The last good database keeps serving.") from e
    beyond = int(rec["beyond_tolerance"].sum()) if len(rec) else 0
    return (
        f"benchmarks: {n:,} DfE figures; reconciliation {len(rec)} rows, {beyond} beyond "
        f"tolerance ({time.perf_counter() - stage:.2f}s)"
    )


INDICATORS = Step("indicators", _materialise, board_tables=INDICATOR_TABLES)
SPC = Step("spc", _spc, board_tables=("indicator_spc", "indicator_spc_summary", "board_events"))
SUMMARY = Step("summary", _summary, board_tables=(SUMMARY_TABLE,))
BENCHMARKS = Step("benchmarks", _benchmarks, board_tables=(BENCHMARKS_TABLE, RECONCILIATION_TABLE))

STEPS: tuple[Step, ...] = (INDICATORS, SPC, SUMMARY, BENCHMARKS)

set_default_steps(STEPS)
