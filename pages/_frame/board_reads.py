"""Cached reads for the overview matrix and meeting mode, on the same terms as reads.py (one
file identity per run, a new load mid-run reruns the page). Everything comes from the
library: scst_metrics.summary, scst_metrics.benchmarks.read, scst_metrics.notes."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

import scst_metrics as sm
from scst_metrics import notes, summary
from scst_metrics.benchmarks.read import overview_column

from . import reads
from .view import View


@st.cache_data(show_spinner=False, max_entries=200)
def _matrix(key: tuple, hubs: tuple[str, ...], end: date | None) -> pd.DataFrame:
    return reads._checked(
        key, lambda conn: summary.summary_matrix(conn, hubs=list(hubs) or None, end=end)
    )


@st.cache_data(show_spinner=False, max_entries=8)
def _compare(key: tuple) -> pd.DataFrame:
    return reads._checked(key, overview_column)


@st.cache_data(show_spinner=False, max_entries=500)
def _spc(
    key: tuple, indicator_id: str, hubs: tuple, start: date | None, end: date | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    def read(conn):
        return (
            sm.spc_points(indicator_id, list(hubs), start=start, end=end, conn=conn),
            sm.spc_summary(indicator_id, list(hubs), conn=conn),
            sm.events(indicator_id, conn=conn),
        )

    return reads._checked(key, read)


def matrix(view: View) -> pd.DataFrame:
    """The MDC summary matrix for the view's hubs, to the view's last month."""
    view.read_hubs(None, view.hubs or (None,))  # a hub-restricted person: their hubs only
    return reads.fresh(_matrix, view.key, view.hubs, view.end)


def compare(view: View) -> pd.DataFrame:
    return reads.fresh(_compare, view.key)


def spc(
    view: View, indicator_id: str, hub_id: str | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """SPC points over the view's months, summary and process-change events of one
    indicator, for one hub (None: the whole Trust)."""
    hubs = view.read_hubs(indicator_id, (hub_id,))
    return reads.fresh(_spc, view.key, indicator_id, hubs, view.start, view.end)


def noted(hubs: tuple[str, ...] = ()) -> set[str]:
    """Indicators with commentary for the whole Trust or any of `hubs` (not cached: people
    write it while the board is open)."""
    found = notes.indicators_with_notes()
    for hub in hubs:
        found |= notes.indicators_with_notes(hub_id=hub)
    return found


def commentary(indicator_id: str, hub_id: str | None) -> list[notes.Note]:
    """The indicator's commentary, newest month first."""
    return notes.for_indicator(indicator_id, hub_id=hub_id)


def series(view: View, indicator_id: str, hub_id: str | None) -> pd.DataFrame:
    """One series over the view's months: a hub's, or the whole Trust's (hub_id None)."""
    hubs = view.read_hubs(indicator_id, () if hub_id is None else (hub_id,))
    return reads.fresh(reads.series, view.key, indicator_id, hubs, view.start, view.end)
