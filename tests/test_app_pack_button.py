"""The sidebar's "Board pack" button, run in-process by AppTest on the session's demo Trust:
the view on screen becomes a PowerPoint of its service area and hub, exceptions first, small
numbers shown as c unless the internal-use switch is on."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

import scst_metrics as sm

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def db(demo_db, monkeypatch, tmp_path):
    monkeypatch.setenv("SCST_DB", str(demo_db))
    monkeypatch.setenv("SCST_NOTES_URL", f"sqlite:///{tmp_path / 'notes.sqlite'}")
    return demo_db


def _pack(at: AppTest) -> Presentation:
    (made,) = [b for b in at.get("download_button") if b.label.startswith("Download board_pack")]
    data = at.session_state["pack_made"][1]
    assert made.label == f"Download {at.session_state['pack_made'][0]}"
    return Presentation(io.BytesIO(data))


def test_the_board_pack_button_packs_the_view_on_screen(db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["hub"] = "LAC1"
    at.switch_page("pages/lac.py")
    at.run()
    assert not at.exception
    toggle = at.toggle(key="exact_small_numbers")
    assert toggle.value is False  # suppression on by default
    at.button(key="pack_make").click().run()
    assert not at.exception, [e.value for e in at.exception]
    name = at.session_state["pack_made"][0]
    assert name.startswith("board_pack_lac_LAC1_2026-11") and name.endswith(".pptx")
    slides = _pack(at).slides
    # the LAC service area's indicators, one slide each, after a cover and the summary slides
    lac = [i for i in sm.catalogue(db=db) if i.service_area == "lac"]
    titles = [s.shapes.title.text for s in slides if s.shapes.title is not None]
    for ind in lac:
        assert any(ind.title in t for t in titles), ind.title
    assert len(slides) >= len(lac) + 2
