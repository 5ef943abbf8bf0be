"""Cached reads of the published file, one file identity per page run.

Reads go through the scst_metrics API (no SQL here), figures' frames through
scst_metrics.charts. The file's identity is taken once at the start of a run and is part of
every cache key; each read checks afterwards that the file it read is still that file, and
reruns the page if a new load was published meanwhile. So a page never mixes two loads, and
the next interaction after a publish shows the new data.

A file that cannot be read (damaged, not a database, unreadable) raises
failure.DatabaseUnusable, which app.py turns into a clear message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pandas as pd
import sqlalchemy as sa
import streamlit as st

import scst_metrics as sm
from scst_metrics import charts, quality
from scst_metrics.extracts.problems import WARNING
from scst_metrics.load.history import log_path
from scst_metrics.published import db_path, identity, snapshot

from .failure import unreadable

# what reading a damaged or foreign file raises (DuckDB's own errors arrive wrapped by
# SQLAlchemy; OSError for a file that cannot be opened at all)
_UNREADABLE = (duckdb.Error, sa.exc.SQLAlchemyError, OSError)


class _NewLoadPublished(Exception):
    """The published file changed while a page was reading it."""


def _checked(key: tuple, read: Callable[..., Any], *args, **kwargs) -> Any:
    """Run read(conn, ...) in a snapshot; fail if the file is no longer the one keyed."""
    try:
        with snapshot() as conn:
            result = read(conn, *args, **kwargs)
    except _UNREADABLE as e:
        if identity() != key:  # replaced while we read: read the new one
            raise _NewLoadPublished from e
        raise unreadable(db_path()) from e
    if identity() != key:
        raise _NewLoadPublished
    return result


def fresh(cached: Callable[..., Any], key: tuple, *args, **kwargs) -> Any:
    """Call a cached reader; if a new load was published mid-run, start the run again."""
    try:
        return cached(key, *args, **kwargs)
    except _NewLoadPublished:
        st.rerun()


def log_mtime() -> float | None:
    """When the load log (refused runs) last changed: part of the status's cache key."""
    path = log_path(db_path())
    return path.stat().st_mtime if path.exists() else None


@st.cache_data(show_spinner=False, max_entries=8)
def status(key: tuple, log_mtime: float | None) -> quality.LoadStatus:
    return _checked(key, lambda conn: quality.load_status(conn))


@dataclass(frozen=True)
class Warnings:
    """The published load's warnings: how many, and a few of them (already redacted)."""

    count: int
    examples: pd.DataFrame  # file, message


@st.cache_data(show_spinner=False, max_entries=8)
def warnings(key: tuple) -> Warnings:
    def read(conn):
        by_rule = quality.issues_by_rule(conn)
        examples = quality.issue_examples(conn)
        count = int(by_rule.loc[by_rule["action"] == WARNING, "issues"].sum())
        shown = examples.loc[examples["action"] == WARNING, ["file", "message"]]
        return Warnings(count, shown.reset_index(drop=True))

    return _checked(key, read)


@st.cache_data(show_spinner=False, max_entries=8)
def catalogue(key: tuple) -> pd.DataFrame:
    return _checked(key, lambda conn: charts.data.catalogue_frame(sm.catalogue(conn=conn)))


@st.cache_data(show_spinner=False, max_entries=8)
def hubs(key: tuple) -> pd.DataFrame:
    return _checked(key, lambda conn: charts.data.hubs_frame(sm.hubs(conn=conn)))


@st.cache_data(show_spinner=False, max_entries=8)
def periods(key: tuple) -> list[date]:
    return _checked(key, lambda conn: sm.periods(conn=conn))


@st.cache_data(show_spinner=False, max_entries=2000)
def series(
    key: tuple, indicator_id: str, hubs: tuple[str, ...], start: date | None, end: date | None
) -> pd.DataFrame:
    def read(conn):
        frame = sm.series(indicator_id, hubs=list(hubs) or None, start=start, end=end, conn=conn)
        return charts.data.series_frame(frame)

    return _checked(key, read)


@st.cache_data(show_spinner=False, max_entries=2000)
def chart_layers(
    key: tuple, indicator_id: str, hubs: tuple[str, ...], start: date | None, end: date | None
) -> dict[str, pd.DataFrame]:
    """What a chart draws beside its line: SPC points and icons, events, DfE figures."""
    return _checked(
        key,
        lambda conn: sm.chart_layers(
            indicator_id, hubs=list(hubs) or None, start=start, end=end, conn=conn
        ),
    )


@st.cache_data(show_spinner=False, max_entries=200)
def latest(key: tuple, hubs: tuple[str, ...], end: date | None) -> pd.DataFrame:
    """Tile rows: the chosen hubs for indicators that split by hub, the Trust for the rest,
    at the last month of the chosen period."""

    def read(conn):
        cat = charts.data.catalogue_frame(sm.catalogue(conn=conn))
        trust = sm.latest(hubs=None, end=end, conn=conn)
        by_hub = sm.latest(hubs=list(hubs), end=end, conn=conn) if hubs else None
        return charts.tiles.combine_latest(cat, trust, by_hub)

    return _checked(key, read)


@st.cache_data(show_spinner=False, max_entries=8)
def availability(key: tuple) -> pd.DataFrame:
    cat = catalogue(key)
    return _checked(
        key, lambda conn: charts.data.availability_frame(sm.availability(conn=conn), cat)
    )


@st.cache_data(show_spinner=False, max_entries=8)
def quality_tables(key: tuple) -> dict[str, pd.DataFrame]:
    def read(conn):
        return {
            "history": quality.load_history(conn),
            "by_rule": quality.issues_by_rule(conn),
            "examples": quality.issue_examples(conn),
            "files": quality.files_of_run(conn),
        }

    return _checked(key, read)
