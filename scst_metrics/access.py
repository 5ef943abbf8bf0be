"""Who may do what on the board, from a file people edit: data/access.csv.

One row per person (their sign-in e-mail) or group (`group:` and the group's name or id as
the identity provider sends it in the `groups` claim -- for Microsoft Entra ID, the group's
object id):

    who,role,hubs,service_areas
    amy.jones@trust.example,editor,,lac;fostering
    group:3f2a9c1e-0000-4000-8000-000000000001,viewer,H03;H04,

- role: viewer (reads the board), editor (also writes commentary and actions for their
  service areas), admin (also the data-quality details and load history; edits everything).
- hubs: the hubs the person may read, separated by `;` (blank: every hub). The restriction
  is for the pages to apply where data is read.
- service_areas: for editors, the areas they write for (hubs, lac, fostering,
  virtual_school; blank: all). Leave it blank for viewers and admins.

A person matched by their own e-mail gets that row. Otherwise the rows of their groups
combine: the highest role, every hub and area any of them gives. Someone matched by no row
is a stranger: `role_of` gives None and they see nothing but "ask your performance team for
access". A mistake in the file raises AccessFileError naming the file, line and column.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scst_metrics.indicators.catalogue import SERVICE_AREAS

DEFAULT_PATH = Path("data/access.csv")
ENV = "SCST_ACCESS"
VIEWER, EDITOR, ADMIN = "viewer", "editor", "admin"
ROLES = (VIEWER, EDITOR, ADMIN)  # in increasing order of what they may do
COLUMNS = ("who", "role", "hubs", "service_areas")
GROUP = "group:"
_HUB = re.compile(r"^[A-Za-z0-9_-]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

User = str | Mapping[str, Any] | None


class AccessFileError(ValueError):
    """A mistake in the access file, naming the file, line and column."""


@dataclass(frozen=True)
class Grant:
    """What one row of the access file gives."""

    who: str  # lower-case e-mail, or "group:<id>" as written
    role: str
    hubs: frozenset[str] | None  # None: every hub
    areas: frozenset[str] | None  # None: every service area (editors); empty otherwise
    line: int


@dataclass(frozen=True)
class Access:
    """What a signed-in person may do, all their rows combined."""

    role: str
    hubs: frozenset[str] | None  # None: every hub
    areas: frozenset[str]  # service areas they may write for (all of them for admins)


def access_path(path: str | os.PathLike | None = None) -> Path:
    """The access file: the argument, else $SCST_ACCESS, else data/access.csv."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get(ENV) or DEFAULT_PATH)


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.replace(",", ";").split(";") if p.strip()]


def _parse_row(where: str, line: int, row: dict[str, str]) -> Grant:
    def fail(column: str, message: str) -> AccessFileError:
        return AccessFileError(f"{where}, line {line}, column {column}: {message}")

    who = row["who"].strip()
    if not who:
        raise fail("who", "empty. Write the person's sign-in e-mail, or group:<group id>.")
    if who.lower().startswith(GROUP):
        if not who[len(GROUP) :].strip():
            raise fail("who", f"{who!r} names no group. Write group:<group name or id>.")
        who = GROUP + who[len(GROUP) :].strip()
    elif _EMAIL.match(who):
        who = who.lower()
    else:
        raise fail("who", f"{who!r} is neither an e-mail address nor group:<group id>. Correct it.")
    role = row["role"].strip().lower()
    if role not in ROLES:
        raise fail("role", f"{row['role'].strip()!r} is not a role. Use viewer, editor or admin.")
    hubs = _split(row["hubs"])
    for hub in hubs:
        if not _HUB.match(hub):
            raise fail("hubs", f"{hub!r} is not a hub id (like H03). Separate several with ';'.")
    areas = _split(row["service_areas"])
    for area in areas:
        if area not in SERVICE_AREAS:
            raise fail(
                "service_areas",
                f"{area!r} is not a service area. Use {', '.join(SERVICE_AREAS)}, "
                "separated by ';'.",
            )
    if areas and role != EDITOR:
        raise fail(
            "service_areas",
            f"only editors have service areas; leave it blank for a {role} "
            f"({'admins edit every area' if role == ADMIN else 'viewers edit nothing'}).",
        )
    return Grant(
        who=who,
        role=role,
        hubs=frozenset(hubs) or None,
        areas=(frozenset(areas) or None) if role == EDITOR else frozenset(),
        line=line,
    )


def read_access(path: str | os.PathLike | None = None) -> list[Grant]:
    """Every row of the access file, checked; AccessFileError names the first mistake."""
    file = access_path(path)
    where = str(file)
    try:
        handle = file.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise AccessFileError(
            f"{where}: no such file. Sign-in is configured, so the board needs it to know "
            "who may see what: create it with the header who,role,hubs,service_areas "
            "(docs/signin.md)."
        ) from None
    grants: list[Grant] = []
    seen: dict[str, int] = {}
    with handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        names = [h.strip().lower() for h in header or []]
        for column in COLUMNS:
            if column not in names:
                raise AccessFileError(
                    f"{where}, line 1: the header has no column {column!r}. "
                    f"The first line must be: {','.join(COLUMNS)}"
                )
        for name in names:
            if name not in COLUMNS:
                raise AccessFileError(
                    f"{where}, line 1, column {name!r}: not a column of this file. "
                    f"Use only {', '.join(COLUMNS)}."
                )
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
                continue  # blank line or comment
            if len(cells) != len(names):
                raise AccessFileError(
                    f"{where}, line {line}: {len(cells)} cells where the header has "
                    f"{len(names)}. Put a comma between each of {', '.join(COLUMNS)} (a blank "
                    "cell is allowed); quote a cell that contains a comma."
                )
            grant = _parse_row(where, line, dict(zip(names, cells, strict=True)))
            if grant.who in seen:
                raise AccessFileError(
                    f"{where}, line {line}, column who: {grant.who!r} is already on line "
                    f"{seen[grant.who]}. Keep one row for each person or group."
                )
            seen[grant.who] = line
            grants.append(grant)
    return grants


_cache: dict[Path, tuple[tuple[int, int], list[Grant]]] = {}


def _grants(path: str | os.PathLike | None) -> list[Grant]:
    """The file's rows, read again only when the file changes."""
    file = access_path(path)
    try:
        stat = file.stat()
        key = (stat.st_mtime_ns, stat.st_size)
    except FileNotFoundError:
        key = (-1, -1)
    cached = _cache.get(file)
    if cached is None or cached[0] != key:
        cached = (key, read_access(file))
        _cache[file] = cached
    return cached[1]


def _identity(user: User) -> tuple[str | None, list[str]]:
    """(e-mail, groups) of a signed-in user: an e-mail string, or the claims (st.user)."""
    if user is None:
        return None, []
    if isinstance(user, str):
        return (user.strip().lower() or None), []
    if hasattr(user, "to_dict"):  # st.user
        user = user.to_dict()
    email = None
    for claim in ("email", "preferred_username", "upn"):
        value = user.get(claim)
        if isinstance(value, str) and "@" in value:
            email = value.strip().lower()
            break
    groups = user.get("groups") or []
    if isinstance(groups, str):
        groups = [groups]
    return email, [str(g) for g in groups if isinstance(g, str | int)]


def _combine(grants: Iterable[Grant]) -> Access | None:
    grants = list(grants)
    if not grants:
        return None
    role = max((g.role for g in grants), key=ROLES.index)
    hubs: frozenset[str] | None = frozenset()
    for g in grants:
        hubs = None if hubs is None or g.hubs is None else hubs | g.hubs
    if role == ADMIN:
        areas = frozenset(SERVICE_AREAS)
    elif role == EDITOR:
        areas = frozenset()
        for g in grants:
            if g.role == EDITOR:
                areas |= frozenset(SERVICE_AREAS) if g.areas is None else g.areas
    else:
        areas = frozenset()
    return Access(role=role, hubs=hubs, areas=areas)


def access_of(user: User, *, path: str | os.PathLike | None = None) -> Access | None:
    """What `user` may do (None: a stranger, not in the file)."""
    email, groups = _identity(user)
    grants = _grants(path)
    if email is not None:
        own = [g for g in grants if g.who == email]
        if own:
            return _combine(own)
    wanted = {GROUP + g for g in groups}
    return _combine(g for g in grants if g.who in wanted)


def role_of(user: User, *, path: str | os.PathLike | None = None) -> str | None:
    """viewer, editor or admin; None for someone the access file does not name."""
    access = access_of(user, path=path)
    return access.role if access else None


def allowed_hubs(user: User, *, path: str | os.PathLike | None = None) -> frozenset[str] | None:
    """The hubs `user` may read: None means every hub; a stranger gets an empty set."""
    access = access_of(user, path=path)
    return access.hubs if access else frozenset()


def can_read_hub(user: User, hub_id: str, *, path: str | os.PathLike | None = None) -> bool:
    hubs = allowed_hubs(user, path=path)
    return role_of(user, path=path) is not None and (hubs is None or hub_id in hubs)


def can_edit(
    user: User, area: str, *, hub_id: str | None = None, path: str | os.PathLike | None = None
) -> bool:
    """May `user` write commentary and actions in service area `area` (and hub `hub_id`)?"""
    if area not in SERVICE_AREAS:
        raise ValueError(f"{area!r} is not a service area ({', '.join(SERVICE_AREAS)})")
    access = access_of(user, path=path)
    if access is None or access.role == VIEWER or area not in access.areas:
        return False
    return hub_id is None or access.hubs is None or hub_id in access.hubs


# --- reading a hub's figures ------------------------------------------------------------------
# One rule for every read of the board's figures -- the pages (pages/_frame/view.py,
# View.read_hubs) and the board packs (scst_metrics.pack) -- so a pack can never hold what the
# pages would not show the same person.


class HubNotAllowed(PermissionError):
    """A read of a hub (or of a Trust total) the person may not see; the message says which
    and what to do."""


def refusal(other: Iterable[str], allowed: frozenset[str]) -> str:
    """'You do not have access to hub H05. Your access covers H03, H04; ask ...'."""
    return (
        "You do not have access to hub "
        + ", ".join(other)
        + ". Your access covers "
        + (", ".join(sorted(allowed)) or "no hub")
        + "; ask your performance team if you need more."
    )


def hubs_of_view(
    allowed: frozenset[str] | None, asked: Iterable[str], known: Iterable[str]
) -> tuple[str, ...]:
    """The hubs a view (a page or a pack) shows when `asked` are asked for (`known`: the hubs
    the published data holds, in its order): as asked for someone with every hub (`allowed`
    None); for someone restricted, another hub is refused (HubNotAllowed) and none asked
    means their own hubs, never the whole Trust."""
    asked = tuple(dict.fromkeys(asked))
    if allowed is None:
        return asked
    other = [h for h in asked if h not in allowed]
    if other:
        raise HubNotAllowed(refusal(other, allowed))
    if asked:
        return asked
    theirs = tuple(h for h in known if h in allowed)
    if not theirs:
        raise HubNotAllowed(
            f"Your access covers {', '.join(sorted(allowed)) or 'no hub'}, and the published "
            "data holds none of them; ask your performance team to check data/access.csv."
        )
    return theirs


def check_read(
    allowed: frozenset[str] | None,
    what: str | None,
    hubs: Iterable[str | None],
    *,
    splits_by_hub: bool,
) -> tuple[str | None, ...]:
    """`hubs` (empty, or None in it: the whole Trust) if a person allowed `allowed` may read
    them for indicator `what` (None: every indicator, e.g. a summary matrix); else
    HubNotAllowed. A restricted person reads the Trust total only of an indicator not split
    by hub: a split indicator's Trust total, less their own hubs, would give the others away."""
    hubs = tuple(hubs)
    if allowed is None:
        return hubs
    other = sorted(h for h in hubs if h is not None and h not in allowed)
    if other:
        raise HubNotAllowed(refusal(other, allowed))
    if (not hubs or None in hubs) and splits_by_hub:
        raise HubNotAllowed(
            f"You do not have access to the Trust total of {what or 'every indicator'}: it "
            f"is split by hub and your access covers {', '.join(sorted(allowed)) or 'no hub'}."
        )
    return hubs
