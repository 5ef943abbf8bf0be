"""Looked after children and care leavers."""

from pages import _board as board

view = board.current_view()
board.area_page(
    view,
    "lac",
    "Children looked after by the Trust and young people leaving care: how many, how stable "
    "their homes are, and whether reviews, visits and health checks happen on time.",
)
