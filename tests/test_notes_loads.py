"""Commentary survives nightly loads: the notes database is not the published DuckDB file,
which each load replaces whole, and the load never opens it."""

from __future__ import annotations

import hashlib
from datetime import date

from scst_metrics import notes
from tests.drops import BASE, load, query


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_notes_survive_three_real_nightly_loads(tmp_path, monkeypatch):
    notes_file = tmp_path / "notes" / "notes.sqlite"
    url = f"sqlite:///{notes_file}"
    # The loader runs with the app's setting in its environment, as on a real server.
    monkeypatch.setenv("SCST_NOTES_URL", url)
    note_id = notes.add("lac_rate", date(2020, 5, 1), "Two children looked after.", author="amy")
    notes.update(note_id, "Two children looked after; one left in January.", author="bob",
                 expected_version=1)  # fmt: skip
    action_id = notes.add_action(
        "lac_rate",
        date(2020, 5, 1),
        "Check the January leaver",
        owner="LAC 1 manager",
        due=date(2020, 6, 30),
        author="amy",
    )
    before = digest(notes_file)

    db = tmp_path / "data" / "scst.duckdb"
    published = []
    for night in range(3):
        outcome, db = load(tmp_path / f"night{night}", BASE, db=db)
        assert outcome.status == "published", outcome.message
        published.append(db.stat().st_mtime_ns)
        # The notes file is byte for byte what it was: the load never wrote to it.
        assert digest(notes_file) == before
        [note] = notes.for_indicator("lac_rate")
        assert (note.id, note.version, note.text) == (
            note_id, 2, "Two children looked after; one left in January."
        )  # fmt: skip
        [action] = notes.actions_for("lac_rate", today=date(2020, 6, 1))
        assert (action.id, action.status) == (action_id, "open")
    # Three loads, three newly published files.
    assert len(set(published)) == 3
    assert [v.event for v in notes.history(note_id)] == ["created", "updated"]
    # The published file holds no commentary: nothing written by people is in it.
    tables = {r[0] for r in query(db, "SELECT table_name FROM information_schema.tables")}
    assert tables and not tables & {"notes", "note_audit", "actions", "action_audit"}
    # The indicator the notes are keyed on is in the published catalogue, by id.
    assert query(db, "SELECT count(*) FROM indicators WHERE id = 'lac_rate'") == [(1,)]
