"""The Virtual School: the education of children looked after, by hub."""

from pages import _frame as frame

view = frame.current_view()
frame.area_page(
    view,
    "virtual_school",
    "The education of children looked after of school age: personal education plans, "
    "attendance and exclusions (academic year to date).",
)
