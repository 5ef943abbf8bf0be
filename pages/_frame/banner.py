"""The freshness banner at the top of every page: when the data is from, what it shows, and
anything the reader must know first -- a refused last load, old data, the last load's
warnings, a link that asked for something the board does not have.

Text from a file (a load's message) or a URL (the link's notes) is shown as plain text.
"""

from __future__ import annotations

import streamlit as st

from scst_metrics import charts

from .text import plain
from .view import View

WARNINGS_SHOWN = 5  # the rest are on the Data quality page


def banner(view: View) -> None:
    s = view.status
    when = s.last_published.strftime("%-d %b %Y %H:%M") if s.last_published else "never"
    st.caption(
        f"**Data as at {charts.formatting.long_date(s.as_at)}** · "
        f"last successful load {when} · showing **{plain(view.hub_label)}**, {view.period_label}"
    )
    if s.last_run_status != "published":
        at = s.last_run_at.strftime("%-d %b %Y %H:%M") if s.last_run_at else "recently"
        st.error(
            f"The last load ({at}) was **{plain(s.last_run_status)}**: "
            f"{plain(s.last_run_message)} "
            "The board still shows the previous data. See Data quality."
        )
    if s.stale:
        st.warning(
            "This data is more than 36 hours old: the last successful load was "
            f"{when}. The nightly load may have failed; see Data quality."
        )
    _warnings(view)
    for note in view.notes:
        st.info(plain(note))


def _warnings(view: View) -> None:
    """The published load's warnings (e.g. a source present last time and missing tonight)."""
    w = view.warnings()
    if not w.count:
        return
    lines = [
        f"- {plain(row.file)}: {plain(row.message)}" if row.file else f"- {plain(row.message)}"
        for row in w.examples.head(WARNINGS_SHOWN).itertuples()
    ]
    more = w.count - len(lines)
    tail = f"\n\n{more} more on the Data quality page." if more > 0 else ""
    word = "warning" if w.count == 1 else "warnings"
    st.warning(
        f"**The last load was published with {w.count} {word}**: some figures may be "
        "incomplete.\n\n" + "\n".join(lines) + tail
    )
