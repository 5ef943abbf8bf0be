"""Actions and commentary written through the board's own forms, run by Streamlit's AppTest
against the session's demo Trust (the real loader's file) and a real SQLite notes database:
add an action on a card, see it overdue, mark it done; the same in meeting mode, and
commentary written in meeting mode read back. The forms' buttons act in on_click callbacks,
which AppTest's clicks run as a browser's do. (Sign-in is not configured here: everyone is an
editor, as the sidebar says.)"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from apptest_board import run_page, use_files
from streamlit.testing.v1 import AppTest

import scst_metrics as sm
from scst_metrics import notes

PAST = date(2020, 1, 31)  # before any day these tests run: an open action due then is overdue
# a year from today: open (Streamlit's date input takes dates up to ten years ahead)
FUTURE = date.today() + timedelta(days=365)


@pytest.fixture()
def db(demo_db, tmp_path, monkeypatch):
    use_files(monkeypatch, demo_db, tmp_path)
    return demo_db


def run(page: str, **query: str):
    at = run_page(page, **query)
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at: AppTest, label: str, form: str) -> AppTest:
    """Press a form's submit button (each card has its own forms)."""
    [button] = [b for b in at.button if b.label == label and b.form_id == form]
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def add_action(at: AppTest, key: str, what: str, owner: str, due: date) -> AppTest:
    at.text_input(key=f"act_what_{key}").input(what)
    at.text_input(key=f"act_owner_{key}").input(owner)
    at.date_input(key=f"act_due_{key}").set_value(due)
    return click(at, "Add action", f"act_{key}")


def action_table(at: AppTest) -> list[dict]:
    [table] = [d.value for d in at.dataframe if "Status" in getattr(d.value, "columns", [])]
    return table[["Action", "Owner", "Due", "Status"]].to_dict("records")


def test_an_action_added_on_a_card_goes_overdue_then_done(db):
    at = run("pages/lac.py")
    key = "lac_count_trust"  # the whole Trust's card of children looked after
    at = add_action(at, key, "Audit placements <b>now</b>", "Bob", PAST)
    # shown at once, overdue: open and due 31 Jan 2020, before today
    assert action_table(at) == [
        {"Action": "Audit placements <b>now</b>", "Owner": "Bob", "Due": PAST, "Status": "overdue"}
    ]
    [kept] = notes.actions_for("lac_count")
    assert (kept.status, kept.month) == ("overdue", date(2026, 11, 1))  # the last month shown
    assert kept.author == "board user (sign-in not configured)"

    at = add_action(at, key, "Review the sufficiency plan", "Cath", FUTURE)
    rows = action_table(at)
    assert {r["Action"]: r["Status"] for r in rows} == {
        "Audit placements <b>now</b>": "overdue",
        "Review the sufficiency plan": "open",
    }

    at.selectbox(key=f"done_pick_{key}").set_value(kept.id)
    at = click(at, "Mark done", f"done_{key}")
    assert {r["Action"]: r["Status"] for r in action_table(at)} == {
        "Audit placements <b>now</b>": "done",
        "Review the sufficiency plan": "open",
    }
    done = notes.get_action(kept.id)
    assert (done.status, done.version) == ("done", 2)


def test_an_action_without_an_owner_is_refused_with_a_message(db):
    at = run("pages/lac.py")
    at = add_action(at, "lac_count_trust", "Audit placements", "", PAST)
    assert notes.actions_for("lac_count") == []
    assert at.error and "owner" in at.error[0].value.lower()


def test_commentary_and_an_action_written_in_meeting_mode_round_trip(db):
    at = run("pages/meeting.py", item="0")
    [story] = [t for t in at.text_area if t.key.startswith("text_story_")]
    key = story.key.removeprefix("text_story_")  # <indicator id>_<hub id or trust>
    indicator_id = max((i.id for i in sm.catalogue() if key.startswith(i.id + "_")), key=len)
    hub = key.removeprefix(indicator_id + "_")
    hub_id = None if hub == "trust" else hub
    text = "Three late reviews were chaired by the new IRO; the rota is fixed."
    story.input(text)
    at.button(key=f"save_story_{key}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    [note] = notes.for_indicator(indicator_id, hub_id=hub_id)
    assert (note.text, note.month, note.version) == (text, date(2026, 11, 1), 1)
    assert text in [t.value for t in at.text]  # shown back, as text

    at = add_action(at, key, "Fix the IRO rota", "Dee", PAST)
    assert action_table(at) == [
        {"Action": "Fix the IRO rota", "Owner": "Dee", "Due": PAST, "Status": "overdue"}
    ]
    # a fresh session (the next meeting) reads both back
    again = run("pages/meeting.py", item="0")
    assert text in [t.value for t in again.text]
    assert action_table(again)[0]["Action"] == "Fix the IRO rota"
