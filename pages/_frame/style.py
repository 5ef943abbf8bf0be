"""The few CSS rules the theme (.streamlit/config.toml) cannot set.

WCAG 2.2 AA wants 4.5:1 between text and its background. Streamlit draws captions faded (the
caption at 60% opacity: 4.16:1 for the "data as at" banner on white, 3.96:1 in the sidebar on
#eaf0f6, less while a page reruns), and no theme option sets that; these rules draw captions
opaque in #4a5561 instead: 7.6:1 on white, 6.6:1 on the sidebar's #eaf0f6. The browser tests
run axe-core on every page to keep it so.

WCAG 2.2's target size (2.5.8, 24 by 24 px): with a long hub name chosen, the hub picker's
text box is squeezed to 13 px beside the name's chip; it keeps at least 28 px (the chip wraps
to the next line instead).
"""

from __future__ import annotations

import streamlit as st

CAPTION = "#4a5561"

_CSS = f"""
<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {{
  color: {CAPTION} !important;
  opacity: 1 !important;
}}
[data-testid="stMultiSelectTagsContainer"] input {{
  min-width: 28px !important;
}}
</style>
"""


def apply() -> None:
    st.html(_CSS)
