"""What every page of the board shares: the filters (kept in the URL), the freshness banner,
cached reads of the published database, and the card that shows one indicator.

Not a page (st.navigation in app.py lists the pages). Streamlit only: no SQL and no
indicator arithmetic here -- reads go through the scst_metrics API, figures through
scst_metrics.charts, images through scst_metrics.export.

One page run reads one published file. The file's identity is taken once at the start of
the run and is part of every cache key; each read checks afterwards that the file it read
is still that file, and reruns the page if a new load was published meanwhile. So a page
never mixes two loads, and the next interaction after a publish shows the new data.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

import scst_metrics as sm
from scst_metrics import charts, export, quality
from scst_metrics.published import db_path, identity, snapshot

VIEW_KEY = "_board_view"  # set by app.py for the page of this run only
LAST_VIEW_KEY = "_board_last_view"


# --- reading the published file, one identity per run ----------------------------------------


class _NewLoadPublished(Exception):
    """The published file changed while a page was reading it."""


def _checked(key: tuple, read, *args, **kwargs):
    """Run read(conn, ...) in a snapshot; fail if the file is no longer the one keyed."""
    with snapshot() as conn:
        result = read(conn, *args, **kwargs)
    if identity() != key:
        raise _NewLoadPublished
    return result


def _fresh(cached, key: tuple, *args, **kwargs):
    """Call a cached reader; if a new load was published mid-run, start the run again."""
    try:
        return cached(key, *args, **kwargs)
    except _NewLoadPublished:
        st.rerun()


@st.cache_data(show_spinner=False, max_entries=8)
def _status(key: tuple, log_mtime: float | None) -> quality.LoadStatus:
    return _checked(key, lambda conn: quality.load_status(conn))


@st.cache_data(show_spinner=False, max_entries=8)
def _catalogue(key: tuple) -> pd.DataFrame:
    return _checked(key, lambda conn: charts.data.catalogue_frame(sm.catalogue(conn=conn)))


@st.cache_data(show_spinner=False, max_entries=8)
def _hubs(key: tuple) -> pd.DataFrame:
    return _checked(key, lambda conn: charts.data.hubs_frame(sm.hubs(conn=conn)))


@st.cache_data(show_spinner=False, max_entries=8)
def _periods(key: tuple) -> list[date]:
    return _checked(key, lambda conn: sm.periods(conn=conn))


@st.cache_data(show_spinner=False, max_entries=2000)
def _series(
    key: tuple, indicator_id: str, hubs: tuple[str, ...], start: date | None, end: date | None
) -> pd.DataFrame:
    def read(conn):
        frame = sm.series(indicator_id, hubs=list(hubs) or None, start=start, end=end, conn=conn)
        return charts.data.series_frame(frame)

    return _checked(key, read)


@st.cache_data(show_spinner=False, max_entries=200)
def _latest(key: tuple, hubs: tuple[str, ...], end: date | None) -> pd.DataFrame:
    """Tile rows: the chosen hubs for indicators that split by hub, the Trust for the rest,
    at the last month of the chosen period."""

    def read(conn):
        cat = charts.data.catalogue_frame(sm.catalogue(conn=conn))
        trust = sm.latest(hubs=None, end=end, conn=conn)
        by_hub = sm.latest(hubs=list(hubs), end=end, conn=conn) if hubs else None
        return charts.tiles.combine_latest(cat, trust, by_hub)

    return _checked(key, read)


@st.cache_data(show_spinner=False, max_entries=8)
def _availability(key: tuple) -> pd.DataFrame:
    cat = _catalogue(key)
    return _checked(
        key, lambda conn: charts.data.availability_frame(sm.availability(conn=conn), cat)
    )


@st.cache_data(show_spinner=False, max_entries=8)
def _quality_tables(key: tuple) -> dict[str, pd.DataFrame]:
    def read(conn):
        return {
            "history": quality.load_history(conn),
            "by_rule": quality.issues_by_rule(conn),
            "examples": quality.issue_examples(conn),
            "files": quality.files_of_run(conn),
        }

    return _checked(key, read)


# --- the view: what the URL asks for ------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """The filters of this run and the published file they apply to."""

    key: tuple
    status: quality.LoadStatus
    hubs: tuple[str, ...]  # selected hub ids; () = the whole Trust
    start: date | None  # first month end shown
    end: date | None  # last month end shown
    hub_names: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # problems with the URL, shown once
    hub_kinds: dict[str, str] = field(default_factory=dict)  # hub id -> kind of team

    @property
    def hub_label(self) -> str:
        return charts.data.hub_label(self.hubs, self.hub_names)

    @property
    def period_label(self) -> str:
        return charts.formatting.period_label(self.start, self.end)

    def query(self) -> dict[str, Any]:
        """The URL query string of this view, for links between pages."""
        q: dict[str, Any] = {}
        if self.hubs:
            q["hub"] = list(self.hubs)
        if self.start:
            q["from"] = self.start.strftime("%Y-%m")
        if self.end:
            q["to"] = self.end.strftime("%Y-%m")
        return q

    def catalogue(self) -> pd.DataFrame:
        return _fresh(_catalogue, self.key)

    def indicators(self, service_area: str) -> pd.DataFrame:
        cat = self.catalogue()
        return cat[cat["service_area"] == service_area]

    def series(self, indicator_id: str, *, trust_wide: bool = False) -> pd.DataFrame:
        hubs = () if trust_wide else self.hubs
        return _fresh(_series, self.key, indicator_id, hubs, self.start, self.end)

    def hub_series(self, indicator_id: str) -> pd.DataFrame:
        """Every hub's series over the period (for hub comparison charts)."""
        ids = tuple(self.hub_names) if not self.hubs else self.hubs
        return _fresh(_series, self.key, indicator_id, ids, self.start, self.end)

    def latest(self) -> pd.DataFrame:
        return _fresh(_latest, self.key, self.hubs, self.end)

    def availability(self) -> pd.DataFrame:
        return _fresh(_availability, self.key)

    def unavailable(self) -> pd.DataFrame:
        return charts.data.unavailable(self.availability())

    def unavailable_reason(self, indicator_id: str) -> str | None:
        return charts.data.unavailable_reason(self.availability(), indicator_id)

    def tiles(self):
        """Overview tiles, grouped by service area, off-target first."""
        all_tiles = charts.tiles.tiles(self.latest(), self.catalogue(), self.hub_names)
        return charts.tiles.by_area(all_tiles)

    def link(self, page: str, anchor: str = "") -> str:
        """A relative link to another page of the board, keeping this view's filters."""
        query = urlencode(self.query(), doseq=True)
        return f"{page}?{query}" + (f"#{anchor}" if anchor else "")

    def quality_tables(self) -> dict[str, pd.DataFrame]:
        return _fresh(_quality_tables, self.key)


def current_view() -> View:
    """The view app.py built for this run."""
    view = st.session_state.get(VIEW_KEY)
    if view is None:
        # Streamlit runs a script under pages/ on its own (its old multipage mode) until the
        # process has seen st.navigation once: e.g. a fresh server's first visitor arrives at
        # /hubs. Declaring the navigation switches the process over; the rerun then goes
        # through app.py like every other run.
        st.navigation(pages(), position="hidden")
        st.rerun()
    return view


def end_of_run() -> None:
    """The page has run: its view must not be mistaken for the next run's."""
    st.session_state.pop(VIEW_KEY, None)


def pages() -> list:
    """The board's pages and their URLs (other tools rely on these paths)."""
    return [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page(
            "pages/hubs.py", title="Hubs (CIN and CP)", icon=":material/groups:", url_path="hubs"
        ),
        st.Page(
            "pages/lac.py", title="Looked after children", icon=":material/home:", url_path="lac"
        ),
        st.Page(
            "pages/fostering.py",
            title="Fostering",
            icon=":material/family_restroom:",
            url_path="fostering",
        ),
        st.Page(
            "pages/virtual_school.py",
            title="Virtual School",
            icon=":material/school:",
            url_path="virtual_school",
        ),
        st.Page(
            "pages/data_quality.py",
            title="Data quality",
            icon=":material/fact_check:",
            url_path="data_quality",
        ),
    ]


def _write_url(hubs: tuple[str, ...], start: date | None, end: date | None) -> None:
    """Put the filters in the URL query string (only the keys the board owns)."""
    qp = st.query_params
    if hubs:
        qp["hub"] = list(hubs)
    elif "hub" in qp:
        del qp["hub"]
    if start:
        qp["from"] = start.strftime("%Y-%m")
    if end:
        qp["to"] = end.strftime("%Y-%m")


def _period_state() -> tuple[date | None, date | None]:
    period = st.session_state.get("f_period")
    if isinstance(period, tuple | list) and len(period) == 2:
        return period[0], period[1]
    view = st.session_state.get(LAST_VIEW_KEY)
    return (view.start, view.end) if view else (None, None)


def _on_filters_change() -> None:
    _write_url(tuple(st.session_state.get("f_hubs") or ()), *_period_state())


def _log_mtime() -> float | None:
    log = db_path().with_suffix(".loadlog.jsonl")
    alt = Path(str(db_path()) + ".loadlog.jsonl")
    for p in (alt, log):
        if p.exists():
            return p.stat().st_mtime
    return None


def build_view(pages: list) -> View:
    """Read the filters from the URL, draw the sidebar, and remember the view for the page."""
    key = identity()
    if key is None:
        st.error(f"No published database at {db_path()}.")
        st.stop()
    status = _fresh(_status, key, _log_mtime())
    hubs_frame = _fresh(_hubs, key)
    hub_names = dict(zip(hubs_frame["hub_id"], hubs_frame["hub_name"], strict=True))
    months = _fresh(_periods, key)
    query = {name: st.query_params.get_all(name) for name in ("hub", "from", "to")}
    f = charts.filters.resolve(query, list(hub_names), months)
    hubs, start, end, notes = f.hubs, f.start, f.end, f.notes

    # Widgets follow the URL (a pasted link wins over what the session remembers).
    if st.session_state.get("f_hubs") != list(hubs):
        st.session_state["f_hubs"] = list(hubs)
    if months and st.session_state.get("f_period") != (start, end):
        st.session_state["f_period"] = (start, end)
    _write_url(hubs, start, end)  # a link always names its period

    hub_kinds = dict(zip(hubs_frame["hub_id"], hubs_frame["hub_kind"], strict=True))
    view = View(key, status, hubs, start, end, hub_names, tuple(notes), hub_kinds)
    st.session_state[VIEW_KEY] = view
    st.session_state[LAST_VIEW_KEY] = view

    with st.sidebar:
        st.markdown("### Slough Children's Services Trust")
        st.caption("Performance board")
        for page in pages:
            st.page_link(page, query_params=view.query())
        st.divider()
        st.multiselect(
            "Hubs",
            options=list(hub_names),
            format_func=lambda h: hub_names.get(h, h),
            key="f_hubs",
            on_change=_on_filters_change,
            placeholder="Whole Trust (all hubs)",
            help="Leave empty for the whole Trust. Pick one hub, or several to compare them.",
        )
        if months:
            st.select_slider(
                "Months shown",
                options=months,
                key="f_period",
                format_func=charts.formatting.month_label,
                on_change=_on_filters_change,
            )
        st.caption("The link in your browser's address bar reproduces this view exactly.")
    return view


# --- the freshness banner ---------------------------------------------------------------------


def banner(view: View) -> None:
    s = view.status
    when = s.last_published.strftime("%-d %b %Y %H:%M") if s.last_published else "never"
    line = (
        f"**Data as at {charts.formatting.long_date(s.as_at)}** · "
        f"last successful load {when} · showing **{view.hub_label}**, {view.period_label}"
    )
    st.caption(line)
    if s.last_run_status != "published":
        at = s.last_run_at.strftime("%-d %b %Y %H:%M") if s.last_run_at else "recently"
        st.error(
            f"The last load ({at}) was **{s.last_run_status}**: {s.last_run_message} "
            "The board still shows the previous data. See Data quality."
        )
    if s.stale:
        st.warning(
            "This data is more than 36 hours old: the last successful load was "
            f"{when}. The nightly load may have failed; see Data quality."
        )
    for note in view.notes:
        st.info(note)


# --- first run: build the demo Trust ----------------------------------------------------------

_BUILD_LOCK = threading.Lock()
DEMO_SCALE_ENV = "SCST_DEMO_SCALE"  # first run only: a smaller demo Trust (e.g. 0.2 in tests)


def _demo_scale() -> float:
    """The demo Trust's size for the first run: $SCST_DEMO_SCALE if a positive number, else 1."""
    raw = os.environ.get(DEMO_SCALE_ENV, "").strip()
    try:
        scale = float(raw) if raw else 1.0
    except ValueError:
        return 1.0
    return scale if scale > 0 else 1.0


def ensure_database() -> None:
    """No published database yet: build the demo Trust and load it, showing progress.

    The drop is written next to the database (data/demo/extracts for data/scst.duckdb, as
    `make nightly` does); $SCST_DEMO_SCALE makes a smaller Trust for a quick first run.
    """
    target = db_path()
    if target.exists():
        return
    with _BUILD_LOCK:
        if target.exists():  # another session built it while we waited
            return
        st.title("Performance board")
        st.info(
            f"No database at `{target}` yet, so this first run builds the demo Trust "
            "(generated extracts, loaded by the real nightly load). It takes a minute or two."
        )
        with st.status("Building the demo Trust...", expanded=True) as status:
            drop = target.parent / "demo" / "extracts"
            drop.parent.mkdir(parents=True, exist_ok=True)
            as_of = date.today() - timedelta(days=1)
            scale = _demo_scale()
            size = "" if scale == 1 else f" (scale {scale:g})"
            st.write(f"1/2 Writing the demo Trust's extracts{size} as at {as_of:%-d %B %Y}...")
            progress = st.empty()
            new = drop.with_name(drop.name + ".new")
            if new.exists():  # left by an interrupted first run
                shutil.rmtree(new)
            cmd = [sys.executable, "-m", "scst_metrics.demo", "--out", str(new.resolve())]
            cmd += ["--as-of", as_of.isoformat(), "--seed", "1", "--scale", f"{scale:g}"]
            root = Path(__file__).resolve().parents[1]  # where scst_metrics is importable
            with subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=root
            ) as proc:
                assert proc.stdout is not None
                for line in proc.stdout:
                    if line.strip():
                        progress.caption(line.strip())
            if proc.returncode != 0:
                status.update(label="Building the demo Trust failed", state="error")
                st.stop()
            if drop.exists():
                shutil.rmtree(drop)
            new.rename(drop)
            st.write("2/2 Loading the extracts (validate, compute indicators, publish)...")
            from scst_metrics.load import load_drop

            outcome = load_drop(drop, target, log=lambda line: progress.caption(line.strip()))
            if outcome.status != "published":
                status.update(label=f"Load refused: {outcome.message}", state="error")
                st.stop()
            status.update(label="Demo Trust ready", state="complete", expanded=False)
    st.rerun()


# --- one indicator: its chart, its definition, its downloads -------------------------------


def _definition(ind: dict) -> None:
    with st.expander("What this measures"):
        st.markdown(ind.get("definition") or "No definition recorded.")
        facts = []
        for label, name in (
            ("Counts", "numerator"),
            ("Out of", "denominator"),
            ("Unit", "unit_words"),
            ("Better when", "polarity_words"),
            ("Each month shows", "period_words"),
            ("Follows", "dfe_definition"),
            ("Source tables", "sources"),
        ):
            value = ind.get(name)
            if value and str(value) != "nan":
                facts.append(f"- **{label}:** {value}")
        facts.append(f"- **Indicator id:** `{ind['id']}`")
        st.markdown("\n".join(facts))


def _downloads(fig, ind: dict, hubs: tuple[str, ...], end: date | None) -> None:
    """Server-side PNG and SVG, rendered only when clicked (one warm renderer)."""
    row = st.container(horizontal=True, gap="small")
    for ext, mime in (("png", "image/png"), ("svg", "image/svg+xml")):
        row.download_button(
            f"{ext.upper()} image",
            data=lambda fig=fig, ext=ext: export.render(fig, ext),
            file_name=export.file_name(ind["id"], hubs, end, ext),
            mime=mime,
            icon=":material/download:",
            on_click="ignore",
            key=f"dl_{ind['id']}_{ext}",
            help="For board reports: title, hubs, period, target and source included.",
        )


def indicator_card(view: View, ind: dict) -> None:
    """The chart of one indicator with its definition and downloads, in a bordered card."""
    splits = bool(ind.get("splits_by_hub"))
    trust_wide = not splits
    series = view.series(ind["id"], trust_wide=trust_wide)
    hubs = () if trust_wide else view.hubs
    with st.container(border=True):
        st.html(f'<span id="{ind["id"]}"></span>')
        if trust_wide and view.hubs:
            st.info(
                "Trust-wide figure: this indicator is not split by hub, so the hub filter "
                "does not apply to it.",
                icon=":material/info:",
            )
        elsewhere = charts.data.hubs_not_counted_note(
            ind, view.hubs, view.hub_kinds, view.hub_names, series
        )
        if elsewhere:
            st.info(elsewhere, icon=":material/info:")
        reason = view.unavailable_reason(ind["id"])
        if reason:
            st.warning(f"Not available from the last load: {reason}", icon=":material/warning:")
        fig = charts.trend_chart(
            series,
            ind,
            hub_names=view.hub_names,
            hub_label=charts.data.hub_label(hubs, view.hub_names),
            period_label=view.period_label,
            as_at=view.status.as_at,
        )
        name = export.file_name(ind["id"], hubs, view.end)
        st.plotly_chart(
            fig, config=export.toolbar_config(name, fig), key=f"chart_{ind['id']}", theme=None
        )
        _definition(ind)
        _downloads(fig, ind, hubs, view.end)


def hub_comparison(view: View, ind: dict) -> None:
    """Each hub side by side against the band, when the indicator has one."""
    if ind.get("splits_by_hub"):
        hub_series = view.hub_series(ind["id"])
        if charts.wants_hub_comparison(ind, hub_series):
            with st.container(border=True):
                fig = charts.hub_comparison_chart(
                    hub_series, ind, hub_names=view.hub_names, as_at=view.status.as_at
                )
                name = export.file_name(ind["id"], (), view.end, suffix="_by_hub")
                st.plotly_chart(
                    fig,
                    config=export.toolbar_config(name, fig),
                    key=f"compare_{ind['id']}",
                    theme=None,
                )


def area_page(view: View, area: str, intro: str, *, compare: bool = False) -> None:
    """A service area's page: one chart per indicator of that area in the catalogue."""
    st.title(charts.tiles.area_title(area))
    st.markdown(intro)
    indicators = view.indicators(area).to_dict("records")
    if not indicators:
        st.info("The catalogue has no indicators for this area yet.")
        return
    for row in charts.data.rows_of(indicators, 2):
        for column, ind in zip(st.columns(2, gap="medium"), row, strict=False):
            with column:
                indicator_card(view, ind)
    if compare:
        st.subheader("Hubs compared")
        for ind in indicators:
            hub_comparison(view, ind)


def rule_words(rules: pd.Series) -> pd.Series:
    """A data-quality rule's code as words: 'end_before_start' -> 'End before start'."""
    return rules.astype(str).str.replace("_", " ").str.capitalize()


def rag_badge(rag: str | None) -> str:
    """Markdown for a RAG state: coloured, with its shape and its word (never colour alone)."""
    if rag is None:
        return ":gray-badge[○ No target]"
    colour = {"green": "green", "amber": "orange", "red": "red"}[rag]
    return f":{colour}-badge[{charts.Rag.ICON[rag]} {charts.Rag.WORD[rag]}]"
