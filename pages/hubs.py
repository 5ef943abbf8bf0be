"""Hubs: children in need and child protection, by hub."""

from pages import _frame as frame

view = frame.current_view()
frame.area_page(
    view,
    "hubs",
    "The social-work hubs' children in need and child protection work. Pick hubs in the "
    "sidebar to see them side by side; where a hub is held to a band, a comparison follows "
    "its chart.",
    compare=True,
)
