"""The board's pages and the sidebar: links that keep the filters, the hub and month pickers.

A change in the pickers goes straight into the address bar (url.write), so the link there
always reproduces the view on screen.
"""

from __future__ import annotations

import streamlit as st

from scst_metrics import charts
from scst_metrics.benchmarks import read_authority

from . import access, url
from .text import plain
from .view import View, last_period

# the board's pages and their URLs (other tools rely on these paths)
PAGES = (
    # file, title, icon, url path
    ("pages/overview.py", "Overview", ":material/dashboard:", None),
    ("pages/hubs.py", "Hubs (CIN and CP)", ":material/groups:", "hubs"),
    ("pages/lac.py", "Looked after children", ":material/home:", "lac"),
    ("pages/fostering.py", "Fostering", ":material/family_restroom:", "fostering"),
    ("pages/virtual_school.py", "Virtual School", ":material/school:", "virtual_school"),
    ("pages/data_quality.py", "Data quality", ":material/fact_check:", "data_quality"),
)


def pages() -> list:
    """The pages for st.navigation; the first is the default (/)."""
    out = []
    for path, title, icon, url_path in PAGES:
        if url_path is None:
            out.append(st.Page(path, title=title, icon=icon, default=True))
        else:
            out.append(st.Page(path, title=title, icon=icon, url_path=url_path))
    return out


def _on_filters_change() -> None:
    url.write(st.query_params, tuple(st.session_state.get("f_hubs") or ()), *last_period())


def sidebar(pages: list, view: View) -> None:
    """The Trust's name, the page links (keeping the filters) and the filters."""
    with st.sidebar:
        st.markdown(f"### {plain(read_authority().trust_name)}")
        st.caption("Performance board")
        for page in pages:
            st.page_link(page, query_params=view.query())
        st.divider()
        st.multiselect(
            "Hubs",
            options=list(view.hub_names),
            format_func=lambda h: view.hub_names.get(h, h),
            key="f_hubs",
            on_change=_on_filters_change,
            placeholder="Whole Trust (all hubs)",
            help="Leave empty for the whole Trust. Pick one hub, or several to compare them.",
        )
        if view.months:
            st.select_slider(
                "Months shown",
                options=list(view.months),
                key="f_period",
                format_func=charts.formatting.month_label,
                on_change=_on_filters_change,
            )
        st.caption("The link in your browser's address bar reproduces this view exactly.")
        st.divider()
        access.sidebar_note()
