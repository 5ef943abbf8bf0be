"""Looked after children and care leavers."""

from pages import _frame as frame

view = frame.current_view()
frame.area_page(
    view,
    "lac",
    "Children looked after by the Trust and young people leaving care: how many, how stable "
    "their homes are, and whether reviews, visits and health checks happen on time.",
)
