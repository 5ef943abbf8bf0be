"""Actions agreed at a board on an indicator: what, who owns it, by when, open or done.

Status is "open" or "done" as people set it; "overdue" is never stored: it is worked out
from the due date (an open action whose due date has passed is overdue). Every change is
kept in `action_audit` (who, when, the whole action as it became).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from scst_metrics.notes import db
from scst_metrics.notes.commentary import check_name, check_text, first_of_month
from scst_metrics.notes.errors import Conflict, NotFound

OPEN = "open"
DONE = "done"
OVERDUE = "overdue"
STATUSES = (OPEN, DONE, OVERDUE)


def status_of(done: bool, due: date, today: date) -> str:
    """open / done / overdue: overdue when not done and the due date is before today."""
    if done:
        return DONE
    return OVERDUE if due < today else OPEN


@dataclass(frozen=True)
class Action:
    id: int
    indicator_id: str
    month: date  # the month of the board that agreed it (first day)
    hub_id: str | None
    what: str
    owner: str
    due: date
    status: str  # open / done / overdue, as of `today` when read
    author: str
    updated_at: datetime
    version: int
    created_by: str
    created_at: datetime


@dataclass(frozen=True)
class ActionVersion:
    """The action as one change left it (event "created", "updated" or "refused")."""

    action_id: int
    version: int
    event: str
    what: str
    owner: str
    due: date
    done: bool
    who: str
    at: datetime


def _action(row: sa.Row, today: date | None) -> Action:
    m = row._mapping
    return db.from_row(Action, row, status=status_of(m["done"], m["due"], today or date.today()))


def _check_due(due: date) -> date:
    if not isinstance(due, date) or isinstance(due, datetime):
        raise TypeError(f"due must be a date, not {due!r}")
    return due


def _done(status: str) -> bool:
    if status == OVERDUE:
        raise ValueError("'overdue' is worked out from the due date; set 'open' or 'done'.")
    if status not in (OPEN, DONE):
        raise ValueError(f"status must be 'open' or 'done', not {status!r}")
    return status == DONE


def add_action(
    indicator_id: str,
    month: date,
    what: str,
    *,
    owner: str,
    due: date,
    author: str,
    hub_id: str | None = None,
    url: str | None = None,
) -> int:
    """Record a new open action on `indicator_id` for the month holding `month`; its id."""
    indicator_id = check_name(indicator_id, "The indicator id")
    author = check_name(author, "The author")
    owner = check_name(owner, "The action's owner")
    check_text(what, "action")
    _check_due(due)
    at = db.now()
    with db.engine(url).begin() as conn:
        action_id = conn.execute(
            db.actions.insert().returning(db.actions.c.id),
            {
                "indicator_id": indicator_id,
                "month": first_of_month(month),
                "hub_id": hub_id,
                "what": what,
                "owner": owner,
                "due": due,
                "done": False,
                "created_by": author,
                "created_at": at,
                "author": author,
                "updated_at": at,
                "version": 1,
            },
        ).scalar_one()
        conn.execute(
            db.action_audit.insert(),
            {"action_id": action_id, "version": 1, "event": "created", "what": what}
            | {"owner": owner, "due": due, "done": False, "who": author, "at": at},
        )
    return action_id


def get_action(action_id: int, *, today: date | None = None, url: str | None = None) -> Action:
    """One action by id; its status as of `today` (default: the current date)."""
    with db.engine(url).connect() as conn:
        row = conn.execute(sa.select(db.actions).where(db.actions.c.id == action_id)).first()
    if row is None:
        raise NotFound(f"There is no action {action_id}.")
    return _action(row, today)


def actions_for(
    indicator_id: str,
    *,
    hub_id: str | None = None,
    month: date | None = None,
    today: date | None = None,
    url: str | None = None,
) -> list[Action]:
    """The actions on `indicator_id` for one hub (None: the whole Trust), soonest due first."""
    t = db.actions
    q = sa.select(t).where(t.c.indicator_id == indicator_id)
    q = q.where(t.c.hub_id.is_(None) if hub_id is None else t.c.hub_id == hub_id)
    if month is not None:
        q = q.where(t.c.month == first_of_month(month))
    q = q.order_by(t.c.due, t.c.id)
    with db.engine(url).connect() as conn:
        return [_action(r, today) for r in conn.execute(q)]


def update_action(
    action_id: int,
    *,
    author: str,
    expected_version: int,
    what: str | None = None,
    owner: str | None = None,
    due: date | None = None,
    status: str | None = None,
    url: str | None = None,
) -> Action:
    """Change an action (only the fields given) over version `expected_version`.

    Raises Conflict, changing nothing, when someone saved the action since then; the refused
    change is kept in the action's history.
    """
    author = check_name(author, "The author")
    values: dict = {}
    if what is not None:
        values["what"] = check_text(what, "action")
    if owner is not None:
        values["owner"] = check_name(owner, "The action's owner")
    if due is not None:
        values["due"] = _check_due(due)
    if status is not None:
        values["done"] = _done(status)
    t = db.actions
    at = db.now()
    with db.engine(url).begin() as conn:
        saved = conn.execute(
            t.update()
            .where(t.c.id == action_id, t.c.version == expected_version)
            .values(**values, author=author, updated_at=at, version=t.c.version + 1)
            .returning(t.c.version, t.c.what, t.c.owner, t.c.due, t.c.done)
        ).first()
        if saved is not None:
            conn.execute(
                db.action_audit.insert(),
                {"action_id": action_id, "version": saved.version, "event": "updated"}
                | {"what": saved.what, "owner": saved.owner, "due": saved.due}
                | {"done": saved.done, "who": author, "at": at},
            )
    if saved is None:
        current = get_action(action_id, url=url)  # NotFound if there is no such action
        refused = {
            "what": values.get("what", current.what),
            "owner": values.get("owner", current.owner),
            "due": values.get("due", current.due),
            "done": values.get("done", current.status == DONE),
        }
        with db.engine(url).begin() as conn:
            conn.execute(
                db.action_audit.insert(),
                {"action_id": action_id, "version": expected_version, "event": "refused"}
                | refused
                | {"who": author, "at": at},
            )
        raise Conflict("action", current, refused, expected_version)
    return get_action(action_id, url=url)


def action_history(action_id: int, *, url: str | None = None) -> list[ActionVersion]:
    """Every version of the action, oldest first, with refused changes where they happened."""
    return db.audit_history(db.action_audit, "action_id", action_id, url, ActionVersion)
