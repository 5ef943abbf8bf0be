"""The board's frame: everything around a page, in Streamlit's layer.

Why here (pages/_frame/) and not in scst_metrics/: the frame is Streamlit code, and
scst_metrics never imports streamlit; beside the pages, the layer order reads off the tree
(scst_metrics below, pages and their frame on top). The leading underscore keeps Streamlit
from taking the folder for a page, and the name does not clash with the browser tests'
helper module `board`.

One room per job:

- url.py        the filters as a URL carries them: parse, check against the data, encode (the
                one URL encoding: links, the sidebar and the address bar all use it)
- reads.py      cached reads of the published file, one file identity per page run
- view.py       the view of this run: the filters and the file they apply to
- navigation.py the board's pages and the sidebar (links, hub and month filters)
- banner.py     the freshness banner: data as at, the last load's outcome and warnings
- first_run.py  no database yet: build the demo Trust with visible progress
- failure.py    a database the board cannot read or create: a clear message, details logged
- card.py       one indicator: its chart, definition and downloads; a service area's page
- text.py       text on screen: what comes from a URL, a file or a person is shown as plain
                text; badges and rule words
- style.py      the few CSS rules the theme cannot set (text contrast, WCAG 2.2 AA)

A page file imports from here and stays a few lines.
"""

from .card import area_page, indicator_card
from .text import plain, plain_frame, rag_badge, rule_words
from .view import View, current_view

__all__ = [
    "View",
    "area_page",
    "current_view",
    "indicator_card",
    "plain",
    "plain_frame",
    "rag_badge",
    "rule_words",
]
