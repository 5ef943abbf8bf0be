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


def _all_text(prs: Presentation) -> str:
    """Every word of the pack: text boxes and table cells."""
    words = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                words.append(shape.text_frame.text)
            if shape.has_table:
                words += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(words)


def test_a_restricted_persons_pack_button_packs_their_hub_only(db):
    """A hub 3 manager (data/access.csv: hubs H03) on the hubs page: the page shows H03 and
    so does the pack the button makes -- through the same rule (scst_metrics.access)."""
    from pages._frame import access

    who = access.Who("hub3.manager@trust.example", "viewer", frozenset({"H03"}), frozenset(), True)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state[access.WHO_KEY] = who
    at.switch_page("pages/hubs.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["hub"] == "H03"  # no hub named: theirs, as on every page
    at.button(key="pack_make").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["pack_made"][0].startswith("board_pack_hubs_H03_2026-11")
    text = _all_text(_pack(at))
    hubs = sm.hubs(db=db)
    names = dict(zip(hubs["hub_id"], hubs["hub_name"], strict=True))
    assert "Showing: Hub 3 - Cippenham Green" in text
    # Trust-wide indicators (referrals per 10,000, CP rate) are the Trust's, as on the page
    assert "Whole Trust" in text
    others = [name for hub, name in names.items() if hub != "H03"]
    assert len(others) == len(names) - 1 >= 5
    assert [name for name in others if name in text] == []
