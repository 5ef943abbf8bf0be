"""The view of this run: the filters the URL asks for, and the published file they apply to.

app.py builds it once per run (build_view) and the page reads it (current_view); every read a
page makes goes through it, so all of a run's reads use one file identity.

A person the access file restricts to some hubs (access.Who.hubs) gets a view of those hubs
only: the sidebar offers only them, a URL naming no hub shows them, and every read of a hub's
figures passes `read_hubs`, which raises HubNotAllowed rather than read another hub's rows or
the whole Trust's total of an indicator split by hub (which, less their own hubs, would give
the others away). Indicators not split by hub (e.g. fostering) are Trust-wide figures and read
as such (docs/signin.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from scst_metrics import charts, quality
from scst_metrics.access import HubNotAllowed as HubNotAllowed  # the pages catch it here
from scst_metrics.access import check_read
from scst_metrics.published import db_path, identity

from . import access, reads, url
from .text import plain

VIEW_KEY = "_board_view"  # set by app.py for the page of this run only
LAST_VIEW_KEY = "_board_last_view"


@dataclass(frozen=True)
class View:
    """The filters of this run and the published file they apply to."""

    key: tuple
    status: quality.LoadStatus
    hubs: tuple[str, ...]  # selected hub ids; () = the whole Trust
    start: date | None  # first month end shown
    end: date | None  # last month end shown
    hub_names: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # problems with the URL, shown once (as plain text)
    hub_kinds: dict[str, str] = field(default_factory=dict)  # hub id -> kind of team
    months: tuple[date, ...] = ()  # every month end the published file covers
    allowed: frozenset[str] | None = None  # the hubs this person may read; None: every hub

    @property
    def hub_label(self) -> str:
        return charts.data.hub_label(self.hubs, self.hub_names)

    @property
    def period_label(self) -> str:
        return charts.formatting.period_label(self.start, self.end)

    def query(self) -> dict[str, list[str]]:
        """The URL query string of this view, for links between pages."""
        return url.encode(self.hubs, self.start, self.end)

    def link(self, page: str, anchor: str = "") -> str:
        """A relative link to another page of the board, keeping this view's filters."""
        query = urlencode(self.query(), doseq=True)
        return f"{page}?{query}" + (f"#{anchor}" if anchor else "")

    def catalogue(self) -> pd.DataFrame:
        return reads.fresh(reads.catalogue, self.key)

    def read_hubs(self, indicator_id: str | None, hubs: tuple[str | None, ...]) -> tuple:
        """`hubs` (() or None in it: the whole Trust), if this person may read them for this
        indicator (None: every indicator, e.g. a matrix); else HubNotAllowed."""
        if self.allowed is None:
            return hubs
        splits = indicator_id is None or bool(
            self.catalogue().set_index("id").loc[indicator_id, "splits_by_hub"]
        )  # the rule is the library's, shared with the board packs
        return check_read(self.allowed, indicator_id, hubs, splits_by_hub=splits)

    def indicators(self, service_area: str) -> pd.DataFrame:
        cat = self.catalogue()
        return cat[cat["service_area"] == service_area]

    def series(self, indicator_id: str, *, trust_wide: bool = False) -> pd.DataFrame:
        hubs = self.read_hubs(indicator_id, () if trust_wide else self.hubs)
        return reads.fresh(reads.series, self.key, indicator_id, hubs, self.start, self.end)

    def chart_layers(self, indicator_id: str, *, trust_wide: bool = False) -> dict:
        """SPC, events and DfE figures for the chart of `series(indicator_id)`."""
        hubs = self.read_hubs(indicator_id, () if trust_wide else self.hubs)
        return reads.fresh(reads.chart_layers, self.key, indicator_id, hubs, self.start, self.end)

    def hub_series(self, indicator_id: str) -> pd.DataFrame:
        """Every hub's series over the period (for hub comparison charts)."""
        ids = self.read_hubs(indicator_id, tuple(self.hub_names) if not self.hubs else self.hubs)
        return reads.fresh(reads.series, self.key, indicator_id, ids, self.start, self.end)

    def latest(self) -> pd.DataFrame:
        """Tiles: Trust totals are kept only for indicators not split by hub when hubs are
        chosen (charts.tiles.combine_latest), and a restricted person always has hubs."""
        self.read_hubs(None, self.hubs or ((None,) if self.allowed is not None else ()))
        return reads.fresh(reads.latest, self.key, self.hubs, self.end)

    def availability(self) -> pd.DataFrame:
        return reads.fresh(reads.availability, self.key)

    def unavailable(self) -> pd.DataFrame:
        return charts.data.unavailable(self.availability())

    def unavailable_reason(self, indicator_id: str) -> str | None:
        return charts.data.unavailable_reason(self.availability(), indicator_id)

    def tiles(self):
        """Overview tiles, grouped by service area, off-target first."""
        all_tiles = charts.tiles.tiles(self.latest(), self.catalogue(), self.hub_names)
        return charts.tiles.by_area(all_tiles)

    def warnings(self) -> reads.Warnings:
        return reads.fresh(reads.warnings, self.key)

    def quality_tables(self) -> dict[str, pd.DataFrame]:
        return reads.fresh(reads.quality_tables, self.key)


def build_view() -> View:
    """Read the filters from the URL against the published file; set the widgets and the
    address bar to match, and remember the view for the page. A person restricted to some
    hubs (access.current()) sees only those: the others are not in the view at all."""
    key = identity()
    if key is None:
        st.error(f"No published database at {plain(str(db_path()))}.")
        st.stop()
    status = reads.fresh(reads.status, key, reads.log_mtime())
    hubs_frame = reads.fresh(reads.hubs, key)
    hub_names = dict(zip(hubs_frame["hub_id"], hubs_frame["hub_name"], strict=True))
    hub_kinds = dict(zip(hubs_frame["hub_id"], hubs_frame["hub_kind"], strict=True))
    allowed = access.current().hubs
    if allowed is not None:
        hub_names = {h: n for h, n in hub_names.items() if h in allowed}
        hub_kinds = {h: k for h, k in hub_kinds.items() if h in allowed}
    months = reads.fresh(reads.periods, key)
    query = {name: st.query_params.get_all(name) for name in url.KEYS}
    f = url.resolve(query, list(hub_names), months)
    if allowed is not None and not f.hubs:  # never the whole Trust: their hubs
        f = url.Filters(tuple(hub_names), f.start, f.end, f.notes)

    # Widgets follow the URL (a pasted link wins over what the session remembers).
    if st.session_state.get("f_hubs") != list(f.hubs):
        st.session_state["f_hubs"] = list(f.hubs)
    if months and st.session_state.get("f_period") != (f.start, f.end):
        st.session_state["f_period"] = (f.start, f.end)
    url.write(st.query_params, f.hubs, f.start, f.end)  # a link always names its period

    view = View(
        key, status, f.hubs, f.start, f.end, hub_names, f.notes, hub_kinds, tuple(months), allowed
    )
    st.session_state[VIEW_KEY] = view
    st.session_state[LAST_VIEW_KEY] = view
    return view


def last_period() -> tuple[date | None, date | None]:
    """The period the widgets show now (or the last view's)."""
    period = st.session_state.get("f_period")
    if isinstance(period, tuple | list) and len(period) == 2:
        return period[0], period[1]
    view = st.session_state.get(LAST_VIEW_KEY)
    return (view.start, view.end) if view else (None, None)


def current_view() -> View:
    """The view app.py built for this run."""
    view = st.session_state.get(VIEW_KEY)
    if view is None:
        # Streamlit runs a script under pages/ on its own (its old multipage mode) until the
        # process has seen st.navigation once: e.g. a fresh server's first visitor arrives at
        # /hubs. Declaring the navigation switches the process over; the rerun then goes
        # through app.py like every other run.
        from .navigation import pages

        st.navigation(pages(), position="hidden")
        st.rerun()
    return view


def end_of_run() -> None:
    """The page has run: its view must not be mistaken for the next run's."""
    st.session_state.pop(VIEW_KEY, None)
