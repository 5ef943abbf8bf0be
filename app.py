"""The performance board: `streamlit run app.py` (or `make run`).

The entry point is the frame around every page: it makes sure there is a database (the
first run builds the demo Trust), reads the hub and period filters from the URL, draws the
sidebar and the freshness banner, then runs the page the URL names.

URLs other tools rely on: / (overview), /hubs, /lac, /fostering, /virtual_school,
/data_quality; ?hub=<hub id> (repeat for several), ?from=YYYY-MM&to=YYYY-MM.
The database is $SCST_DB (default data/scst.duckdb).
"""

import streamlit as st

from pages import _board as board

st.set_page_config(
    page_title="SCST performance board",
    page_icon=":material/monitoring:",
    layout="wide",
    initial_sidebar_state="expanded",
)

board.ensure_database()

PAGES = board.pages()
page = st.navigation(PAGES, position="hidden")
view = board.build_view(PAGES)
board.banner(view)
try:
    page.run()
finally:
    board.end_of_run()
