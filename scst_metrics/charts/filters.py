"""The board's filters as a URL carries them, checked against the data.

URL shape (other tools rely on it): `?hub=<hub id>` repeated for several hubs,
`?from=YYYY-MM&to=YYYY-MM` for the months shown. Pure functions, so the rules are tested
without a browser: unknown hubs are dropped with a note, a malformed month falls back to the
default with a note, months are clamped to the data, and a reversed range is put right.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

DEFAULT_MONTHS = 24  # the period shown when the URL names none: the last two years


@dataclass(frozen=True)
class Filters:
    hubs: tuple[str, ...]  # () = whole Trust
    start: date | None
    end: date | None
    notes: tuple[str, ...] = ()

    def query(self) -> dict[str, list[str] | str]:
        """Back to the URL query string."""
        q: dict[str, list[str] | str] = {}
        if self.hubs:
            q["hub"] = list(self.hubs)
        if self.start:
            q["from"] = self.start.strftime("%Y-%m")
        if self.end:
            q["to"] = self.end.strftime("%Y-%m")
        return q


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
