"""The "Board pack" button in the sidebar: the view on screen (its service area, hubs and last
month) as one PowerPoint or PDF, exceptions first, built by scst_metrics.pack with progress
shown; and the switch that shows exact small numbers in packs and images (internal use only).

Streamlit only: the pack itself, its order and its suppression rules live in the library.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from scst_metrics.export.images import NoBrowser
from scst_metrics.indicators.catalogue import SERVICE_AREAS
from scst_metrics.pack import HubNotAllowed, PackError, build_pack
from scst_metrics.published import db_path

from .text import plain
from .view import View

EXACT_KEY = "exact_small_numbers"
FORMATS = {"PowerPoint": ".pptx", "PDF": ".pdf"}
MIMES = {
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".pdf": "application/pdf",
}


def exact_small_numbers() -> bool:
    """The switch's state: True shows figures of 1 to 5 as they are in packs and images."""
    return bool(st.session_state.get(EXACT_KEY, False))


def area_of(url_path: str) -> str | None:
    """The service area a page shows (None: the overview and other pages -> the whole board)."""
    return url_path if url_path in SERVICE_AREAS else None


def pack_button(view: View, area: str | None) -> None:
    with st.sidebar:
        st.divider()
        st.markdown("**Board pack**")
        what = SERVICE_AREAS[area] if area else "the whole board"
        last = view.period_label.split(" to ")[-1]
        st.caption(plain(f"{what}, {view.hub_label}, to {last}"))  # hub names come from a file
        st.toggle(
            "Show exact small numbers -- for internal use",
            key=EXACT_KEY,
            help="Off: figures of 1 to 5 (and percentages or rates built on them) are shown as "
            "'c' in packs and in images of a single hub, as DfE publishes. Turn on only for "
            "a pack or image that stays inside the Trust.",
        )
        kind = st.radio("Format", list(FORMATS), horizontal=True, key="pack_format")
        st.button(
            "Make board pack",
            icon=":material/slideshow:",
            key="pack_make",
            on_click=_build,
            args=(view, area, FORMATS[kind]),
        )
        failed = st.session_state.pop("pack_error", None)
        if failed:
            st.error(failed, icon=":material/error:")
        made = st.session_state.get("pack_made")
        if made:
            name, data = made
            st.download_button(
                f"Download {name}",
                data=data,
                file_name=name,
                mime=MIMES[Path(name).suffix],
                icon=":material/download:",
                key="pack_download",
            )


def _build(view: View, area: str | None, suffix: str) -> None:
    """The button's callback: builds the pack before the page is drawn again, showing its
    progress in the sidebar; the file waits in the session for its download button."""
    month = view.end.strftime("%Y-%m") if view.end else None
    name = f"board_pack_{area or 'all'}_{'_'.join(view.hubs) or 'trust'}_{month}{suffix}"
    st.session_state.pop("pack_made", None)
    bar = st.sidebar.progress(0.0, text="Reading the board...")

    def progress(done: int, total: int, what: str) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"Drawing {done + 1} of {total}: {what}")

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / name
        try:
            build_pack(
                db_path(),
                area=area,
                hubs=view.hubs,
                month=month,
                out=out,
                suppress_small=not exact_small_numbers(),
                progress=progress,
                allowed=view.allowed,  # the person's hubs: the pages' rule (access.check_read)
            )
        except (PackError, NoBrowser, HubNotAllowed) as e:  # our words: what is wrong, what to do
            bar.empty()
            st.session_state["pack_error"] = str(e)
            return
        st.session_state["pack_made"] = (name, out.read_bytes())
    bar.progress(1.0, text="Board pack ready.")
