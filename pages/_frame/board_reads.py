"""Cached reads for the overview matrix and meeting mode, on the same terms as reads.py (one
file identity per run, a new load mid-run reruns the page). Everything comes from the
library: the summary matrix the nightly load stored (scst_metrics.api.summary_matrix),
scst_metrics.benchmarks.read, scst_metrics.notes."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import scst_metrics as sm
from scst_metrics import api, charts, export, meeting, notes
from scst_metrics.benchmarks.read import overview_column
from scst_metrics.notes import lookups

from . import reads
from .view import View


@st.cache_data(show_spinner=False, max_entries=200)
def _matrix(key: tuple, hubs: tuple[str, ...], end: date | None) -> pd.DataFrame:
    return reads._checked(key, lambda conn: api.summary_matrix(list(hubs) or None, end, conn=conn))


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


@st.cache_data(show_spinner=False, max_entries=200)
def _overview_table(
    key: tuple,
    hubs: tuple[str, ...],
    start: date | None,
    end: date | None,
    noted: frozenset[str],
    _view: View,
) -> pd.DataFrame:
    return meeting.overview_table(
        matrix(_view), compare(_view), noted, lambda a, ind: _view.link(a, ind)
    )


def overview_table(view: View, noted: set[str]) -> pd.DataFrame:
    """The overview's rows (scst_metrics.meeting.overview_table), worded once per file, view
    and set of indicators with commentary (its links carry the view's filters)."""
    matrix(view)  # the access check of a matrix read, on every run
    return reads.fresh(
        _overview_table, view.key, view.hubs, view.start, view.end, frozenset(noted), view
    )


@st.cache_data(show_spinner=False, max_entries=200)
def _tiles(
    key: tuple, hubs: tuple[str, ...], end: date | None, names: tuple, _view: View
) -> list[tuple[str, list]]:
    return _view.tiles()


def tiles(view: View) -> list[tuple[str, list]]:
    """The overview's tiles by service area (View.tiles), made once per file and view."""
    view.latest()  # the access check of the tiles' read, on every run
    names = tuple(sorted(view.hub_names.items()))
    return reads.fresh(_tiles, view.key, view.hubs, view.end, names, view)


def spc(
    view: View, indicator_id: str, hub_id: str | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """SPC points over the view's months, summary and process-change events of one
    indicator, for one hub (None: the whole Trust)."""
    hubs = view.read_hubs(indicator_id, (hub_id,))
    return reads.fresh(_spc, view.key, indicator_id, hubs, view.start, view.end)


@st.cache_data(show_spinner=False, max_entries=200)
def _noted(url: str, stamp: tuple[int, ...], hubs: tuple[str | None, ...]) -> set[str]:
    return lookups.indicators_noted(hubs, url=url)


def noted(hubs: tuple[str, ...] = ()) -> set[str]:
    """Indicators with commentary for the whole Trust or any of `hubs`: one query, cached
    until the next write (people write while the board is open: the notes database's
    stamp is part of the key)."""
    url = notes.notes_url()
    return _noted(url, lookups.stamp(url=url), (None, *hubs))


@st.cache_data(show_spinner=False, max_entries=500)
def _commentary(
    url: str, stamp: tuple[int, ...], indicator_id: str, hub_id: str | None
) -> list[notes.Note]:
    return notes.for_indicator(indicator_id, hub_id=hub_id, url=url)


def commentary(indicator_id: str, hub_id: str | None) -> list[notes.Note]:
    """The indicator's commentary, newest month first (cached until the next write)."""
    url = notes.notes_url()
    return _commentary(url, lookups.stamp(url=url), indicator_id, hub_id)


def series(view: View, indicator_id: str, hub_id: str | None) -> pd.DataFrame:
    """One series over the view's months: a hub's, or the whole Trust's (hub_id None)."""
    hubs = view.read_hubs(indicator_id, () if hub_id is None else (hub_id,))
    return reads.fresh(reads.series, view.key, indicator_id, hubs, view.start, view.end)


@st.cache_resource(show_spinner=False, max_entries=200, ttl=3600)
def _meeting_chart(
    key: tuple,
    indicator_id: str,
    hub_id: str | None,
    where: str,
    start: date | None,
    end: date | None,
    _view: View,
    _ind: dict,
) -> tuple[go.Figure, dict]:
    """Meeting mode's chart and toolbar config, built once per file, exception and view and
    shared by every session (never changed after it is built: st.plotly_chart only reads it)."""
    view = _view
    points, summary_rows, events = spc(view, indicator_id, hub_id)
    fig = charts.trend_chart(
        series(view, indicator_id, hub_id),
        _ind,
        hub_names=view.hub_names,
        hub_label=where,
        period_label=view.period_label,
        as_at=view.status.as_at,
        height=560,
        spc=points,
        spc_summary=summary_rows,
        events=events,
    )
    name = export.file_name(indicator_id, (hub_id,) if hub_id else ())
    return fig, export.toolbar_config(name, fig)


def meeting_chart(view: View, ind: dict, hub_id: str | None, where: str):
    """The trend chart of one exception in meeting mode, with its toolbar config: one hub's
    series (None: the whole Trust) over the view's months, SPC and events drawn."""
    view.read_hubs(ind["id"], (hub_id,))  # the access check, on every run
    return _meeting_chart(view.key, ind["id"], hub_id, where, view.start, view.end, view, ind)
