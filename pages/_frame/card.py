"""One indicator on screen -- its chart, its definition, its downloads -- and a service area's
page of them. Figures come from scst_metrics.charts, images from scst_metrics.export.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from scst_metrics import charts, export
from scst_metrics.benchmarks import read as benchmark_read

from . import reads
from .notes import commentary
from .pack_button import exact_small_numbers
from .text import plain, plain_frame
from .view import View

_FACTS = (
    ("Counts", "numerator"),
    ("Out of", "denominator"),
    ("Unit", "unit_words"),
    ("Better when", "polarity_words"),
    ("Each month shows", "period_words"),
    ("Follows", "dfe_definition"),
    ("How ours differs from DfE's", "dfe_difference"),
    ("Source tables", "sources"),
)


def _lazy_expander(label: str, key: str, **kwargs):
    """An expander whose content runs only when it is open (Streamlit's lazy execution):
    a closed one sends nothing to the browser. Yields whether it is open."""
    box = st.expander(label, key=key, on_change="rerun", **kwargs)
    return box, bool(box.open)


def _definition(ind: dict) -> None:
    box, is_open = _lazy_expander("What this measures", f"what_{ind['id']}")
    if not is_open:
        return
    with box:
        st.markdown(ind.get("definition") or "No definition recorded.")
        facts = []
        for label, name in _FACTS:
            value = ind.get(name)
            if value and str(value) != "nan":
                facts.append(f"- **{label}:** {value}")
        facts.append(f"- **Indicator id:** `{ind['id']}`")
        st.markdown("\n".join(facts))


def _downloads(make_fig, ind: dict, hubs: tuple[str, ...], end: date | None) -> None:
    """Server-side PNG and SVG, drawn and rendered only when clicked (one warm renderer).
    `make_fig()` gives the export's figure: a single hub's small numbers are shown as c."""
    row = st.container(horizontal=True, gap="small")
    for ext, mime in (("png", "image/png"), ("svg", "image/svg+xml")):
        row.download_button(
            f"{ext.upper()} image",
            data=lambda ext=ext: export.render(make_fig(), ext),
            file_name=export.file_name(ind["id"], hubs, end, ext),
            mime=mime,
            icon=":material/download:",
            on_click="ignore",
            key=f"dl_{ind['id']}_{ext}",
            help="For board reports: title, hubs, period, target and source included.",
        )


@st.cache_data(show_spinner=False, max_entries=8)
def _reconciliation(key: tuple, beyond_only: bool, years: int | None) -> pd.DataFrame:
    return reads._checked(key, benchmark_read.reconciliation, beyond_only, years)


def reconciliation(
    view: View, *, beyond_only: bool = False, years: int | None = None
) -> pd.DataFrame:
    """Our 31 March figures beside DfE's published ones (the data quality page);
    `beyond_only`, `years` as benchmarks.read.reconciliation takes them."""
    return reads.fresh(_reconciliation, view.key, beyond_only, years)


# the numbers behind a chart, as the table and its CSV name them
_TABLE_COLUMNS = {
    "period_end": "Month ending",
    "hub": "Hub",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "value": "Value",
    "target": "Target",
    "rag": "RAG",
}


def drawn_table(series: pd.DataFrame, view: View) -> pd.DataFrame:
    """Exactly the points the chart draws: one row per hub (or the Trust) and month, with
    numerator and denominator. Renaming and relabelling only: the figures are the library's."""
    frame = series.assign(
        period_end=series["period_end"].dt.date,
        hub=[view.hub_names.get(h, h) if h else "Whole Trust" for h in series["hub_id"]],
    )
    return frame[list(_TABLE_COLUMNS)].rename(columns=_TABLE_COLUMNS)


def _as_table(series: pd.DataFrame, ind: dict, view: View, hubs: tuple[str, ...]) -> None:
    box, is_open = _lazy_expander("Show as table", f"table_{ind['id']}", icon=":material/table:")
    if not is_open:
        return
    table = drawn_table(series, view)
    with box:
        st.dataframe(table, hide_index=True, width="stretch")
        st.download_button(
            "CSV of these figures",
            data=table.to_csv(index=False).encode("utf-8"),
            file_name=export.file_name(ind["id"], hubs, view.end, "csv"),
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key=f"csv_{ind['id']}",
        )


@st.cache_data(show_spinner=False, max_entries=200)
def _comparison(key: tuple, indicator_id: str) -> tuple[pd.DataFrame, str, pd.DataFrame] | None:
    """How we compare, as shown: the latest year's table, its caption, the 5 years."""
    rows = reads._checked(key, benchmark_read.for_indicator, indicator_id)
    if rows.empty:
        return None
    table = charts.benchmarks.comparison_table(rows)
    caption = plain(table.attrs.get("caption", ""))
    return plain_frame(table), caption, plain_frame(charts.benchmarks.comparison_trend(rows))


def _compare(view: View, ind: dict) -> None:
    """How we compare: DfE's latest year, and 5 years in an expander."""
    shown = reads.fresh(_comparison, view.key, ind["id"])
    if shown is None:
        return
    table, caption, trend = shown
    st.markdown("**How we compare**")
    st.table(table, hide_index=True)
    st.caption(caption)
    box, is_open = _lazy_expander("How we compare over 5 years", f"years_{ind['id']}")
    if is_open:
        with box:
            st.table(trend, hide_index=True)


@st.cache_resource(show_spinner=False, max_entries=400, ttl=3600)
def _figure(
    key: tuple,
    indicator_id: str,
    hubs: tuple[str, ...],
    start: date | None,
    end: date | None,
    _view: View,
    _ind: dict,
) -> tuple[go.Figure, dict]:
    """A card's figure and its toolbar config, built once per file, indicator and view and
    shared by every session (never changed after it is built: st.plotly_chart only reads it).
    Building a figure is most of a card's server time."""
    view, ind = _view, _ind
    trust_wide = not hubs
    series = view.series(indicator_id, trust_wide=trust_wide)
    fig = charts.trend_chart(series, ind, **_chart_kw(view, ind, hubs))
    name = export.file_name(indicator_id, hubs, end)
    return fig, export.toolbar_config(name, fig)


def _chart_kw(view: View, ind: dict, hubs: tuple[str, ...]) -> dict:
    return dict(
        hub_names=view.hub_names,
        hub_label=charts.data.hub_label(hubs, view.hub_names),
        period_label=view.period_label,
        as_at=view.status.as_at,
        **view.chart_layers(ind["id"], trust_wide=not hubs),
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
        if elsewhere:  # names hubs, as the hubs file spells them
            st.info(plain(elsewhere), icon=":material/info:")
        reason = view.unavailable_reason(ind["id"])
        if reason:  # the load's words
            st.warning(
                f"Not available from the last load: {plain(reason)}", icon=":material/warning:"
            )
        fig, config = _figure(view.key, ind["id"], hubs, view.start, view.end, view, ind)
        st.plotly_chart(fig, config=config, key=f"chart_{ind['id']}", theme=None)
        _compare(view, ind)
        _as_table(series, ind, view, hubs)
        _definition(ind)
        exact = exact_small_numbers()  # the sidebar's switch, for images kept inside the Trust
        _downloads(
            lambda: export.chart_figure(
                series, ind, suppress_small=not exact, **_chart_kw(view, ind, hubs)
            ),
            ind,
            hubs,
            view.end,
        )
        commentary(view, ind)


def _compared(view: View, ind: dict) -> pd.DataFrame | None:
    """Every hub's series, when the indicator is split by hub and held to a band."""
    if not ind.get("splits_by_hub"):
        return None
    hub_series = view.hub_series(ind["id"])
    return hub_series if charts.wants_hub_comparison(ind, hub_series) else None


@st.cache_data(show_spinner=False, max_entries=200)
def _compared_ids(
    key: tuple,
    hubs: tuple[str, ...],
    start: date | None,
    end: date | None,
    area: str,
    _view: View,
) -> frozenset[str]:
    """The indicators of an area that get a hubs-compared chart, for this file and view."""
    indicators = _view.indicators(area).to_dict("records")
    return frozenset(ind["id"] for ind in indicators if _compared(_view, ind) is not None)


def hub_comparison(view: View, ind: dict) -> None:
    """Each hub side by side against the band, when the indicator has one."""
    hub_series = _compared(view, ind)
    if hub_series is None:
        return
    with st.container(border=True):
        fig = charts.hub_comparison_chart(
            hub_series, ind, hub_names=view.hub_names, as_at=view.status.as_at
        )
        name = export.file_name(ind["id"], (), view.end, suffix="_by_hub")
        st.plotly_chart(
            fig, config=export.toolbar_config(name, fig), key=f"compare_{ind['id']}", theme=None
        )


# --- drawing what is in view -----------------------------------------------------------------
# A service area's page draws its first row of cards at once; each other row is a placeholder
# (its titles, and a sentinel that tells the server when it scrolls into view) until the
# reader scrolls to it, then draws in its own fragment run. A row once drawn stays drawn for
# this view; each row is a fragment, so opening a card's table reruns that row only.
EAGER_ROWS = 1  # the first row: in view when the page opens
DRAW_ALL = "board_draw_all"  # session state: draw every card at once (AppTest, printing)
_SEEN = "_board_seen"  # {"view": ..., "ids": set of the cards drawn}

_SENTINEL = st.components.v2.component(
    "scst_board_in_view",
    html='<div class="scst-in-view" aria-hidden="true"></div>',
    css=".scst-in-view { height: 420px; }",
    js="""
export default function (component) {
  const { parentElement, setTriggerValue } = component;
  let alive = true;
  let visible = false;
  let retry = null;
  // Rows that come into view together ask one after another: Streamlit runs one fragment
  // per batch of widget updates. Asked again every 2 s while still in view and not drawn.
  const ask = () => {
    window.__scstInView = (window.__scstInView || Promise.resolve()).then(
      () => new Promise((done) => setTimeout(() => {
        if (alive && visible) setTriggerValue("seen", true);
        done();
      }, 150))
    );
  };
  const seen = new IntersectionObserver((entries) => {
    visible = entries.some((e) => e.isIntersecting);
    clearInterval(retry);
    if (visible) {
      ask();
      retry = setInterval(ask, 2000);
    }
  }, { rootMargin: "100px 0px" });
  seen.observe(parentElement);
  return () => {
    alive = false;
    clearInterval(retry);
    seen.disconnect();
  };
}
""",
    isolate_styles=False,
)


def _seen(view: View, page: str) -> set[str]:
    """The cards drawn so far for this view of this page (a new view starts again)."""
    this = (view.key, view.hubs, view.start, view.end, page)
    state = st.session_state.get(_SEEN)
    if state is None or state["view"] != this:
        state = st.session_state[_SEEN] = {"view": this, "ids": set()}
    return state["ids"]


@st.fragment
def _row_in_view(view: View, row: list[dict], slot: str, seen: set[str], draw) -> None:
    """One row of cards (a fragment): drawn, or its placeholder until it comes into view."""
    if slot in seen:
        if draw is not indicator_card:  # a hub comparison: the page's width
            draw(view, row[0])
            return
        for column, ind in zip(st.columns(2, gap="medium"), row, strict=False):
            with column:
                draw(view, ind)
        return
    with st.container(border=True, key=f"lazy_{slot}"):
        for ind in row:
            if draw is indicator_card:  # the anchor the overview's links jump to
                st.html(f'<span id="{ind["id"]}"></span>')
            st.markdown(f"**{plain(str(ind['title']))}**")
        st.caption("Drawn when you scroll to it.")
        _SENTINEL(key=f"seen_{slot}", on_seen_change=lambda: seen.add(slot))


def area_page(view: View, area: str, intro: str, *, compare: bool = False) -> None:
    """A service area's page: one chart per indicator of that area in the catalogue (the
    first row drawn at once, the others as they scroll into view)."""
    st.title(charts.tiles.area_title(area))
    st.markdown(intro)
    indicators = view.indicators(area).to_dict("records")
    if not indicators:
        st.info("The catalogue has no indicators for this area yet.")
        return
    seen = _seen(view, area)
    rows = charts.data.rows_of(indicators, 2)
    compared = []
    if compare:
        ids = _compared_ids(view.key, view.hubs, view.start, view.end, area, view)
        compared = [[ind] for ind in indicators if ind["id"] in ids]
    slots = [row[0]["id"] for row in rows] + [f"by_hub_{r[0]['id']}" for r in compared]
    seen.update(slots[:EAGER_ROWS])
    if st.session_state.get(DRAW_ALL):
        seen.update(slots)
    for row, slot in zip(rows, slots, strict=False):
        _row_in_view(view, list(row), slot, seen, indicator_card)
    if compare:
        st.subheader("Hubs compared")
        for row, slot in zip(compared, slots[len(rows) :], strict=True):
            _row_in_view(view, row, slot, seen, hub_comparison)
