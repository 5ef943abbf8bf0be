"""One indicator on screen -- its chart, its definition, its downloads -- and a service area's
page of them. Figures come from scst_metrics.charts, images from scst_metrics.export.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
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
    ("Source tables", "sources"),
)


def _definition(ind: dict) -> None:
    with st.expander("What this measures"):
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


@st.cache_data(show_spinner=False, max_entries=200)
def _benchmark_rows(key: tuple, indicator_id: str) -> pd.DataFrame:
    return reads._checked(key, benchmark_read.for_indicator, indicator_id)


def benchmark_rows(view: View, indicator_id: str) -> pd.DataFrame:
    """DfE's published figures for one indicator (empty: no DfE measure)."""
    return reads.fresh(_benchmark_rows, view.key, indicator_id)


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
    table = drawn_table(series, view)
    with st.expander("Show as table", icon=":material/table:"):
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


def _compare(view: View, ind: dict) -> None:
    """How we compare: DfE's latest year, and 5 years in an expander."""
    rows = benchmark_rows(view, ind["id"])
    if rows.empty:
        return
    table = charts.benchmarks.comparison_table(rows)
    st.markdown("**How we compare**")
    st.table(plain_frame(table), hide_index=True)
    st.caption(plain(table.attrs.get("caption", "")))
    with st.expander("How we compare over 5 years"):
        trend = charts.benchmarks.comparison_trend(rows)
        st.table(plain_frame(trend), hide_index=True)


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
        chart_kw = dict(
            hub_names=view.hub_names,
            hub_label=charts.data.hub_label(hubs, view.hub_names),
            period_label=view.period_label,
            as_at=view.status.as_at,
            **view.chart_layers(ind["id"], trust_wide=trust_wide),
        )
        fig = charts.trend_chart(series, ind, **chart_kw)
        name = export.file_name(ind["id"], hubs, view.end)
        st.plotly_chart(
            fig, config=export.toolbar_config(name, fig), key=f"chart_{ind['id']}", theme=None
        )
        _compare(view, ind)
        _as_table(series, ind, view, hubs)
        _definition(ind)
        exact = exact_small_numbers()  # the sidebar's switch, for images kept inside the Trust
        _downloads(
            lambda: export.chart_figure(series, ind, suppress_small=not exact, **chart_kw),
            ind,
            hubs,
            view.end,
        )
        commentary(view, ind)


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
