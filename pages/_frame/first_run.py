"""The first run: no published database yet, so build the demo Trust and load it, with
visible progress. The drop is written next to the database (data/demo/extracts for
data/scst.duckdb, as `make nightly` does) by scst_metrics.demo's generator, and published by
the real nightly load; $SCST_DEMO_SCALE makes a smaller Trust for a quick first run.

The database appears only when the load publishes it (atomically), so a first run that is
interrupted leaves no database, and the next visitor starts again: the generator clears the
drop's folders before it writes.
"""

from __future__ import annotations

import os
import threading
from datetime import date, timedelta

import streamlit as st

from scst_metrics.demo.generate import generate
from scst_metrics.load import load_drop
from scst_metrics.published import db_path

from .failure import unwritable
from .text import plain

_BUILD_LOCK = threading.Lock()
DEMO_SCALE_ENV = "SCST_DEMO_SCALE"  # first run only: a smaller demo Trust (e.g. 0.2 in tests)


def demo_scale() -> float:
    """The demo Trust's size for the first run: $SCST_DEMO_SCALE if a positive number, else 1."""
    raw = os.environ.get(DEMO_SCALE_ENV, "").strip()
    try:
        scale = float(raw) if raw else 1.0
    except ValueError:
        return 1.0
    return scale if scale > 0 else 1.0


def ensure_database() -> None:
    """No published database yet: build the demo Trust and load it, showing progress."""
    target = db_path()
    if target.exists():
        return
    with _BUILD_LOCK:
        if target.exists():  # another session built it while we waited
            return
        drop = target.parent / "demo" / "extracts"
        try:
            drop.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise unwritable(target, e) from e
        st.title("Performance board")
        st.info(
            f"No database at {plain(target)} yet, so this first run builds the demo Trust "
            "(generated extracts, loaded by the real nightly load). It takes a minute or two."
        )
        with st.status("Building the demo Trust...", expanded=True) as status:
            as_of = date.today() - timedelta(days=1)
            scale = demo_scale()
            size = "" if scale == 1 else f" (scale {scale:g})"
            st.write(f"1/2 Writing the demo Trust's extracts{size} as at {as_of:%-d %B %Y}...")
            progress = st.empty()
            try:
                generate(drop, as_of, seed=1, scale=scale, progress=progress.caption)
            except OSError as e:
                status.update(label="Building the demo Trust failed", state="error")
                raise unwritable(target, e) from e
            st.write("2/2 Loading the extracts (validate, compute indicators, publish)...")
            try:
                outcome = load_drop(drop, target, log=lambda line: progress.caption(line.strip()))
            except OSError as e:
                status.update(label="Loading the demo Trust failed", state="error")
                raise unwritable(target, e) from e
            if outcome.status != "published":
                status.update(label="Load refused", state="error")
                st.error(f"The load refused the demo drop: {plain(outcome.message)}")
                st.stop()
            status.update(label="Demo Trust ready", state="complete", expanded=False)
    st.rerun()
