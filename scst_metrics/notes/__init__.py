"""What people write on the board: commentary and actions, kept across nightly loads.

Its own database (never the published DuckDB file): every call takes `url=None`, meaning
$SCST_NOTES_URL, else the SQLite file data/notes.sqlite. PostgreSQL when several app servers
share it. Schema by Alembic migrations (`migrate(url)`, applied on start). Every change is
kept with who and when; a save over a version someone else has since changed raises
`Conflict` and overwrites nothing.

    from scst_metrics import notes
    note_id = notes.add("lac_rate", date(2026, 10, 1), "Up 3 since...", author="a@trust.org")
    note = notes.for_indicator("lac_rate")[0]
    notes.update(note.id, "Up 3, because...", author="b@trust.org",
                 expected_version=note.version)
    notes.history(note.id)
"""

from scst_metrics.notes.actions import (
    DONE,
    OPEN,
    OVERDUE,
    STATUSES,
    Action,
    ActionVersion,
    action_history,
    actions_for,
    add_action,
    get_action,
    update_action,
)
from scst_metrics.notes.commentary import (
    KINDS,
    RESPONSE,
    STORY,
    Note,
    NoteVersion,
    add,
    for_indicator,
    get,
    history,
    indicators_with_notes,
    update,
)
from scst_metrics.notes.db import migrate, notes_url, schema_version
from scst_metrics.notes.errors import Conflict, NotFound

__all__ = [
    "DONE",
    "KINDS",
    "OPEN",
    "OVERDUE",
    "RESPONSE",
    "STATUSES",
    "STORY",
    "Action",
    "ActionVersion",
    "Conflict",
    "Note",
    "NoteVersion",
    "NotFound",
    "action_history",
    "actions_for",
    "add",
    "add_action",
    "for_indicator",
    "get",
    "get_action",
    "history",
    "indicators_with_notes",
    "migrate",
    "notes_url",
    "schema_version",
    "update",
    "update_action",
]
