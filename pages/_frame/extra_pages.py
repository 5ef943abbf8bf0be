"""Pages added after the frame's list (navigation.PAGES): meeting mode (issue 12).

`pages()` is navigation.pages() plus these; app.py declares it. `current_view()` is
view.current_view for a page of this list: the frame's own fallback (a fresh server's first
visitor arriving straight at a page, run by Streamlit on its own) declares only the frame's
list, on which /meeting would fall to the overview; this one declares the full list.
"""

from __future__ import annotations

import streamlit as st

from . import navigation
from .view import VIEW_KEY, View
from .view import current_view as _frame_current_view

EXTRA = (("pages/meeting.py", "Meeting mode", ":material/slideshow:", "meeting"),)


def pages() -> list:
    """The board's pages for st.navigation: the frame's, then meeting mode."""
    extra = [
        st.Page(path, title=title, icon=icon, url_path=url_path)
        for path, title, icon, url_path in EXTRA
    ]
    return navigation.pages() + extra


def current_view() -> View:
    """The view app.py built for this run (see the module doc)."""
    if st.session_state.get(VIEW_KEY) is None:
        st.navigation(pages(), position="hidden")
        st.rerun()
    return _frame_current_view()
