"""The board's filters as a URL carries them, checked against the data.

URL shape (other tools rely on it): `?hub=<hub id>` repeated for several hubs,
`?from=YYYY-MM&to=YYYY-MM` for the months shown. encode() is the one place that writes it
(links between pages, the sidebar's links and the address bar all use it); resolve() reads it
back. Both are pure functions, so the rules are tested without a browser: unknown hubs are
dropped with a note, a malformed month falls back to the default with a note, months are
clamped to the data, and a reversed range is put right. Notes quote what the link said: they
are shown as plain text (text.plain), never as Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

DEFAULT_MONTHS = 24  # the period shown when the URL names none: the last two years
KEYS = ("hub", "from", "to")  # the query keys the board owns


@dataclass(frozen=True)
class Filters:
    hubs: tuple[str, ...]  # () = whole Trust
    start: date | None
    end: date | None
    notes: tuple[str, ...] = ()


def encode(hubs: Sequence[str], start: date | None, end: date | None) -> dict[str, list[str]]:
    """The query string for these filters: {"hub": [...], "from": ["YYYY-MM"], "to": [...]}."""
    q: dict[str, list[str]] = {}
    if hubs:
        q["hub"] = list(hubs)
    if start:
        q["from"] = [start.strftime("%Y-%m")]
    if end:
        q["to"] = [end.strftime("%Y-%m")]
    return q


def write(params: MutableMapping, hubs: Sequence[str], start: date | None, end: date | None):
    """Put the filters in a query string (e.g. st.query_params), touching only the board's keys."""
    q = encode(hubs, start, end)
    for key in KEYS:
        if key in q:
            params[key] = q[key]
        elif key in params:
            del params[key]


def parse_month(text: object) -> date | None:
    """'2025-03' -> 31 March 2025 (the month end); None if absent or malformed."""
    if text is None or not str(text).strip():
        return None
    raw = str(text).strip()
    if len(raw) != 7 or raw[4] != "-":
        return None
    try:
        return pd.Period(raw, freq="M").end_time.date()
    except (ValueError, TypeError):
        return None


def default_period(months: Sequence[date]) -> tuple[date | None, date | None]:
    if not months:
        return None, None
    return months[max(0, len(months) - DEFAULT_MONTHS)], months[-1]


def resolve(
    query: Mapping[str, Sequence[str]], hub_ids: Sequence[str], months: Sequence[date]
) -> Filters:
    """Filters from a query string given as {name: [values]}."""
    notes: list[str] = []
    asked = list(query.get("hub", []))
    known = set(hub_ids)
    hubs = tuple(dict.fromkeys(h for h in asked if h in known))
    unknown = [h for h in asked if h not in known]
    if unknown:
        notes.append(f"Unknown hub in the link, ignored: {', '.join(unknown)}.")
    start, end = default_period(months)
    for name in ("from", "to"):
        values = list(query.get(name, []))
        if not values:
            continue
        month = parse_month(values[-1])
        if month is None:
            notes.append(f"'{name}={values[-1]}' is not a month (use YYYY-MM): default shown.")
            continue
        if months:
            month = min(max(month, months[0]), months[-1])
        if name == "from":
            start = month
        else:
            end = month
    if start and end and start > end:
        start, end = end, start
    return Filters(hubs, start, end, tuple(notes))
