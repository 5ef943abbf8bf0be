"""Text on screen.

Streamlit draws the body of st.markdown, st.caption, st.info and friends as Markdown (with its
own directives: `:red[...]`, `:material/icon:`, `$maths$`). Text that comes from a URL, a file
or a person must never be read as Markdown -- a `[link](...)` would appear inside the board's
own message box, an `![image](...)` would be fetched by the browser -- so it goes through
plain() first: every character Markdown or Streamlit gives a meaning to is escaped, and line
breaks become spaces, so the text is shown exactly as written, on one line.
"""

from __future__ import annotations

import re

import pandas as pd

from scst_metrics import charts

# CommonMark lets any ASCII punctuation be escaped with a backslash. These are the ones that
# start or end something in Markdown, GitHub tables, HTML, or Streamlit's directives, maths
# and emoji shortcodes. (`-`, `+`, `.` and digits only matter at the start of a line, and
# plain text is always placed after the board's own words.)
_ACTIVE = re.compile(r"([\\`*_{}\[\]()<>#!:$~|&])")
_BREAKS = re.compile(r"[\r\n\t\f\v\u2028\u2029]+")


def plain(text: object) -> str:
    """`text` escaped so that Streamlit's Markdown shows it literally, on one line."""
    one_line = _BREAKS.sub(" ", str(text))
    return _ACTIVE.sub(r"\\\1", one_line)


def rule_words(rules: pd.Series) -> pd.Series:
    """A data-quality rule's code as words: 'end_before_start' -> 'End before start'."""
    return rules.astype(str).str.replace("_", " ").str.capitalize()


def rag_badge(rag: str | None) -> str:
    """Markdown for a RAG state: coloured, with its shape and its word (never colour alone)."""
    if rag is None:
        return ":gray-badge[○ No target]"
    colour = {"green": "green", "amber": "orange", "red": "red"}[rag]
    return f":{colour}-badge[{charts.Rag.ICON[rag]} {charts.Rag.WORD[rag]}]"
