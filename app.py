"""The performance board: `streamlit run app.py` (or `make run`).

The entry point is the frame around every page (pages/_frame/): it makes sure there is a
database (the first run builds the demo Trust), reads the hub and period filters from the URL,
draws the sidebar and the freshness banner, then runs the page the URL names. A database the
board cannot read or create stops the run with a clear message (details in the server log).

URLs other tools rely on: / (overview), /hubs, /lac, /fostering, /virtual_school,
/data_quality, /meeting (?item=N: the Nth exception, from 0); ?hub=<hub id> (repeat for
several), ?from=YYYY-MM&to=YYYY-MM.
The database is $SCST_DB (default data/scst.duckdb).
"""

import streamlit as st

from pages._frame import (
    access,
    banner,
    extra_pages,
    failure,
    first_run,
    navigation,
    pack_button,
    style,
    view,
)

st.set_page_config(
    page_title="SCST performance board",
    page_icon=":material/monitoring:",
    layout="wide",
    initial_sidebar_state="expanded",
)
style.apply()

with failure.shown_cleanly():
    first_run.ensure_database()
    PAGES = extra_pages.pages()
    page = st.navigation(PAGES, position="hidden")
    access.gate()
    this_view = view.build_view()
    navigation.sidebar(PAGES, this_view)
    pack_button.pack_button(this_view, pack_button.area_of(page.url_path))
    banner.banner(this_view)
    try:
        page.run()
    finally:
        view.end_of_run()
