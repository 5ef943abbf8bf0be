"""Text on screen.

Streamlit draws the body of st.markdown, st.caption, st.info and friends as Markdown (with its
own directives: `:red[...]`, `:material/icon:`, `$maths$`). Text that comes from a URL, a file
or a person must never be read as Markdown -- a `[link](...)` would appear inside the board's
own message box, an `![image](...)` would be fetched by the browser -- so it goes through
plain() first: every character Markdown or Streamlit gives a meaning to is escaped, and line
breaks become spaces, so the text is shown exactly as written, on one line.

Escaping alone does not stop GitHub-flavoured Markdown (which Streamlit uses) from turning a
bare `https://...`, `www....` or `name@host.tld` into a link: plain() puts an invisible WORD
JOINER (U+2060) inside each of those (before the scheme's colon, after `www`, after `@`), so
none of them is read as a link while the reader sees the same characters.
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
JOINER = "\u2060"  # WORD JOINER: invisible, and breaks GFM's bare-link recognition
_BARE_LINKS = re.compile(r"(?i)(https?|mailto|xmpp|ftp)(?=:)|(www)(?=\.)|(@)")


def plain(text: object) -> str:
    """`text` escaped so that Streamlit's Markdown shows it literally, on one line."""
    one_line = _BREAKS.sub(" ", str(text))
    unlinked = _BARE_LINKS.sub(lambda m: m.group(0) + JOINER, one_line)
    return _ACTIVE.sub(r"\\\1", unlinked)


def plain_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A table for st.table (which reads its cells as Markdown) with every text cell plain."""
    return frame.apply(lambda col: col.map(lambda v: plain(v) if isinstance(v, str) else v))


def rule_words(rules: pd.Series) -> pd.Series:
    """A data-quality rule's code as words: 'end_before_start' -> 'End before start'."""
    return rules.astype(str).str.replace("_", " ").str.capitalize()


def rag_badge(rag: str | None) -> str:
    """Markdown for a RAG state: coloured, with its shape and its word (never colour alone)."""
    if rag is None:
        return ":gray-badge[○ No target]"
    colour = {"green": "green", "amber": "orange", "red": "red"}[rag]
    return f":{colour}-badge[{charts.Rag.ICON[rag]} {charts.Rag.WORD[rag]}]"
