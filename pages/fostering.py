"""Fostering: the Trust's in-house fostering service (Trust-wide, not split by hub)."""

import streamlit as st

from pages import _frame as frame

view = frame.current_view()
if view.hubs:
    st.info(
        "Fostering is reported for the whole Trust: carers are not attached to a hub, so the "
        "hub filter does not apply on this page.",
        icon=":material/info:",
    )
frame.area_page(
    view,
    "fostering",
    "In-house foster carers: households approved and leaving, assessments, and how many "
    "children in foster care live with the Trust's own carers.",
)
