"""Batched reads for a page: what every card of a view needs from the notes, one query each.

A board page shows the commentary and actions of many indicators for one month and one hub
(None: the whole Trust). Reading them card by card costs a few queries per card on every run;
these read them for every indicator at once, so a page can cache them -- keyed by `stamp()`,
which changes whenever anything is written (by this app server or another sharing the
database), so a cached lookup is never older than the last write.

The orders are those of the one-indicator reads (`for_indicator`, `actions_for`, `history`),
so a card shows the same thing either way.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

import sqlalchemy as sa

from scst_metrics.notes import db
from scst_metrics.notes.actions import Action, _action
from scst_metrics.notes.commentary import Note, NoteVersion, first_of_month


def stamp(*, url: str | None = None) -> tuple[int, ...]:
    """What has been written so far: the number and last id of the entries of each audit
    table. Every add, update and refused save appends an entry and nothing deletes one, so
    the stamp changes at every write (a count, not only a last id: two writers' ids may
    commit out of order)."""
    parts = []
    for table in (db.note_audit, db.action_audit):
        parts.append(sa.select(sa.func.count(), sa.func.coalesce(sa.func.max(table.c.id), 0)))
    with db.engine(url).connect() as conn:
        return tuple(int(x) for q in parts for x in conn.execute(q).one())


def _where_hub(table: sa.Table, hub_id: str | None):
    return table.c.hub_id.is_(None) if hub_id is None else table.c.hub_id == hub_id


def notes_of_month(
    month: date, *, hub_id: str | None = None, url: str | None = None
) -> dict[str, list[Note]]:
    """Every indicator's notes for the month holding `month` and one hub (None: the whole
    Trust), by indicator id; each list in `for_indicator`'s order."""
    t = db.notes
    q = (
        sa.select(t)
        .where(t.c.month == first_of_month(month), _where_hub(t, hub_id))
        .order_by(t.c.indicator_id, t.c.month.desc(), t.c.kind.desc(), t.c.id)
    )
    found: dict[str, list[Note]] = {}
    with db.engine(url).connect() as conn:
        for row in conn.execute(q):
            found.setdefault(row.indicator_id, []).append(db.from_row(Note, row))
    return found


def note_histories(
    note_ids: Collection[int], *, url: str | None = None
) -> dict[int, list[NoteVersion]]:
    """The history of each note (as `history` gives it: oldest first, refused saves where
    they happened), by note id; a note with no entry is absent."""
    if not note_ids:
        return {}
    a = db.note_audit
    q = sa.select(a).where(a.c.note_id.in_(sorted(note_ids))).order_by(a.c.note_id, a.c.id)
    found: dict[int, list[NoteVersion]] = {}
    with db.engine(url).connect() as conn:
        for row in conn.execute(q):
            found.setdefault(row.note_id, []).append(db.from_row(NoteVersion, row))
    return found


def actions_by_indicator(
    *, hub_id: str | None = None, today: date | None = None, url: str | None = None
) -> dict[str, list[Action]]:
    """Every indicator's actions for one hub (None: the whole Trust), by indicator id; each
    list in `actions_for`'s order (soonest due first), status as of `today`."""
    t = db.actions
    q = sa.select(t).where(_where_hub(t, hub_id)).order_by(t.c.indicator_id, t.c.due, t.c.id)
    found: dict[str, list[Action]] = {}
    with db.engine(url).connect() as conn:
        for row in conn.execute(q):
            found.setdefault(row.indicator_id, []).append(_action(row, today))
    return found


def indicators_noted(hub_ids: Sequence[str | None], *, url: str | None = None) -> set[str]:
    """Ids of the indicators with commentary for any of `hub_ids` (None in it: the whole
    Trust), in one query: the union of `indicators_with_notes` over them."""
    t = db.notes
    ids = [h for h in hub_ids if h is not None]
    parts = [t.c.hub_id.in_(ids)] if ids else []
    if None in hub_ids:
        parts.append(t.c.hub_id.is_(None))
    if not parts:
        return set()
    q = sa.select(t.c.indicator_id).distinct().where(sa.or_(*parts))
    with db.engine(url).connect() as conn:
        return set(conn.execute(q).scalars())


__all__ = [
    "actions_by_indicator",
    "indicators_noted",
    "note_histories",
    "notes_of_month",
    "stamp",
]
