"""The load's building steps after the extracts are in: declared, not discovered.

The loader (this package) knows how to read, validate, build and publish a drop; what is
computed from the drop's tables afterwards -- today the indicator library's materialisation --
is handed to it as a list of `Step`s, the way Datasette declares its hooks. The load package
never imports a layer above it: the composition happens in an entry point,
`scst_metrics.nightly`, which declares the steps and registers them as the default for
`load_drop` (so `from scst_metrics.load import load_drop` keeps computing the indicators).

A step runs in the *detail* file being built (it can read every child-level table) and names
the aggregate tables it writes that the board may read (`board_tables`); only those are
copied into the board's file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb


class Refused(Exception):
    """The load cannot publish; the message says what to do (file, line, column, rule)."""


@dataclass(frozen=True)
class StepContext:
    as_at: date  # the extract date: no series runs past it
    targets_csv: Path | None
    log: Callable[[str], None]


@dataclass(frozen=True)
class Step:
    name: str
    # Builds tables in the open detail file; returns one line for the load log (or None).
    # Raises Refused (naming file, line and rule) when the load must not publish.
    run: Callable[[duckdb.DuckDBPyConnection, StepContext], str | None]
    # Aggregate tables this step writes for the board (no child-level rows).
    board_tables: tuple[str, ...] = ()


_default: tuple[Step, ...] | None = None


def set_default_steps(steps: Sequence[Step]) -> None:
    """Declare the steps `load_drop` runs when it is given none (done by scst_metrics.nightly)."""
    global _default
    _default = tuple(steps)


def default_steps() -> tuple[Step, ...]:
    if _default is None:
        raise RuntimeError(
            "No load steps declared: pass steps=... to load_drop, or import scst_metrics.nightly "
            "(which declares the nightly load's steps)."
        )
    return _default
