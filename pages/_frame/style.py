"""The few CSS rules the theme (.streamlit/config.toml) cannot set.

WCAG 2.2 AA wants 4.5:1 between text and its background. Streamlit draws captions in a faded
text colour (60% of textColor: #767d85 on white, 4.16:1; #6e7781 on the sidebar's #eaf0f6,
3.96:1) that no theme option sets; these rules draw them in #4a5561 instead (7.4:1 on white,
6.4:1 on #eaf0f6). The browser tests run axe-core on every page to keep it so.
"""

from __future__ import annotations

import streamlit as st

CAPTION = "#4a5561"

_CSS = f"""
<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {{
  color: {CAPTION} !important;
}}
</style>
"""


def apply() -> None:
    st.html(_CSS)
