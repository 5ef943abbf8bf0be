"""Commentary on an indicator for a month (and optionally a hub), with every version kept.

Keyed by the indicator's id, never its name, so a renamed indicator keeps its notes. The text
is stored exactly as given; whoever shows it must show it as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from scst_metrics.notes import db
from scst_metrics.notes.errors import Conflict, NotFound

# What a note says; a chart card holds one of each per month.
STORY = "story"
RESPONSE = "response"
KINDS = {STORY: "What the data tells us", RESPONSE: "What we are doing"}


@dataclass(frozen=True)
class Note:
    id: int
    indicator_id: str
    month: date  # the first day of the month
    hub_id: str | None  # None: the whole Trust
    kind: str  # "story" or "response" (KINDS)
    text: str
    author: str  # who saved the current version
    updated_at: datetime  # when (UTC)
    version: int  # 1 when written, +1 at each saved change
    created_by: str
    created_at: datetime


@dataclass(frozen=True)
class NoteVersion:
    """One entry of a note's history: a saved version, or a refused save ("refused")."""

    note_id: int
    version: int  # the version this entry made, or for "refused" the one it started from
    event: str  # "created", "updated" or "refused"
    text: str
    previous_text: str | None  # what the note said before this entry (None when created)
    who: str
    at: datetime


def first_of_month(month: date) -> date:
    if not isinstance(month, date):
        raise TypeError(f"month must be a date in the month, not {month!r}")
    return date(month.year, month.month, 1)


def check_text(text: str, what: str = "text") -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"The {what} is empty: write something before saving.")
    return text


def check_name(value: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} is required.")
    return value.strip()


def _note(row: sa.Row) -> Note:
    return db.from_row(Note, row)


def add(
    indicator_id: str,
    month: date,
    text: str,
    *,
    author: str,
    hub_id: str | None = None,
    kind: str = STORY,
    url: str | None = None,
) -> int:
    """Write a new note on `indicator_id` for the month holding `month`; returns its id."""
    indicator_id = check_name(indicator_id, "The indicator id")
    author = check_name(author, "The author")
    check_text(text, "commentary")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    at = db.now()
    with db.engine(url).begin() as conn:
        note_id = conn.execute(
            db.notes.insert().returning(db.notes.c.id),
            {
                "indicator_id": indicator_id,
                "month": first_of_month(month),
                "hub_id": hub_id,
                "kind": kind,
                "text": text,
                "created_by": author,
                "created_at": at,
                "author": author,
                "updated_at": at,
                "version": 1,
            },
        ).scalar_one()
        conn.execute(
            db.note_audit.insert(),
            {"note_id": note_id, "version": 1, "event": "created", "text": text, "who": author}
            | {"previous_text": None, "at": at},
        )
    return note_id


def get(note_id: int, *, url: str | None = None) -> Note:
    """One note by id (NotFound if there is none)."""
    with db.engine(url).connect() as conn:
        row = conn.execute(sa.select(db.notes).where(db.notes.c.id == note_id)).first()
    if row is None:
        raise NotFound(f"There is no note {note_id}.")
    return _note(row)


def for_indicator(
    indicator_id: str,
    *,
    hub_id: str | None = None,
    month: date | None = None,
    url: str | None = None,
) -> list[Note]:
    """The notes on `indicator_id` for one hub (None: the whole Trust), newest month first.

    `month` (any date in it) keeps that month only.
    """
    t = db.notes
    q = sa.select(t).where(t.c.indicator_id == indicator_id)
    q = q.where(t.c.hub_id.is_(None) if hub_id is None else t.c.hub_id == hub_id)
    if month is not None:
        q = q.where(t.c.month == first_of_month(month))
    q = q.order_by(t.c.month.desc(), t.c.kind.desc(), t.c.id)
    with db.engine(url).connect() as conn:
        return [_note(r) for r in conn.execute(q)]


def indicators_with_notes(
    *, hub_id: str | None = None, month: date | None = None, url: str | None = None
) -> set[str]:
    """Ids of the indicators that have commentary (for the overview's mark)."""
    t = db.notes
    q = sa.select(t.c.indicator_id).distinct()
    q = q.where(t.c.hub_id.is_(None) if hub_id is None else t.c.hub_id == hub_id)
    if month is not None:
        q = q.where(t.c.month == first_of_month(month))
    with db.engine(url).connect() as conn:
        return set(conn.execute(q).scalars())


def update(
    note_id: int, text: str, *, author: str, expected_version: int, url: str | None = None
) -> Note:
    """Save a new text over version `expected_version` of the note; returns the saved note.

    Raises Conflict, saving nothing over the note, when someone saved another version since
    `expected_version`; the refused text is kept in the note's history.
    """
    author = check_name(author, "The author")
    check_text(text, "commentary")
    t = db.notes
    at = db.now()
    with db.engine(url).begin() as conn:
        # One atomic compare-and-set: of two writers starting from the same version, the
        # second matches no row (PostgreSQL re-checks the WHERE after the first commits).
        saved = conn.execute(
            t.update()
            .where(t.c.id == note_id, t.c.version == expected_version)
            .values(text=text, author=author, updated_at=at, version=t.c.version + 1)
            .returning(t.c.version)
        ).first()
        if saved is not None:
            a = db.note_audit
            previous = conn.execute(
                sa.select(a.c.text).where(
                    a.c.note_id == note_id,
                    a.c.version == expected_version,
                    a.c.event != "refused",
                )
            ).scalar_one()
            conn.execute(
                a.insert(),
                {"note_id": note_id, "version": saved.version, "event": "updated"}
                | {"text": text, "previous_text": previous, "who": author, "at": at},
            )
    if saved is None:
        current = get(note_id, url=url)  # NotFound if there is no such note
        with db.engine(url).begin() as conn:
            conn.execute(
                db.note_audit.insert(),
                {"note_id": note_id, "version": expected_version, "event": "refused"}
                | {"text": text, "previous_text": current.text, "who": author, "at": at},
            )
        raise Conflict("note", current, text, expected_version)
    return get(note_id, url=url)


def history(note_id: int, *, url: str | None = None) -> list[NoteVersion]:
    """Every version of the note, oldest first, with refused saves where they happened."""
    return db.audit_history(db.note_audit, "note_id", note_id, url, NoteVersion)
