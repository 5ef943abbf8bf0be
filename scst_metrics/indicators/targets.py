"""The board's targets: data/targets.csv, read and checked.

One line per target (lines starting with # are comments; see data/targets.md):

    indicator_id,from_year,to_year,hub,target,amber,low,high,source

- from_year / to_year: financial years as 2015/16; to_year blank = this year onwards;
- hub: blank = the whole Trust; `all` = every hub; `kind:locality` = every hub of that kind;
  otherwise a hub ID (a named hub beats its kind, which beats `all`);
- either `target` (with an optional `amber` tolerance, in the indicator's unit) or a band
  `low`-`high` (with an optional `amber` tolerance outside the band);
- source: where the figure comes from (shown in the data dictionary).

A wrong line stops the load with a message naming the file and line.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .catalogue import BY_ID, NEUTRAL

TARGETS_CSV = Path(__file__).resolve().parents[2] / "data" / "targets.csv"
HEADER = ("indicator_id", "from_year", "to_year", "hub", "target", "amber", "low", "high", "source")
_FY = re.compile(r"^(\d{4})/(\d{2})$")


class TargetsError(ValueError):
    """A line of the targets file is wrong; the message names the file and line."""


@dataclass(frozen=True)
class Target:
    indicator_id: str
    from_year: int  # financial year starting 1 April of this year
    to_year: int | None  # last financial year (inclusive); None = onwards
    hub: str  # "" whole Trust, "all", "kind:<kind>", or a hub ID
    target: float | None
    amber: float | None
    low: float | None
    high: float | None
    source: str
    line: int

    @property
    def from_date(self) -> date:
        return date(self.from_year, 4, 1)

    @property
    def to_date(self) -> date | None:
        return None if self.to_year is None else date(self.to_year + 1, 3, 31)


def _fy(text: str, where: str, column: str) -> int:
    m = _FY.match(text)
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise TargetsError(
            f"{where}: {column} '{text}' is not a financial year written like 2015/16"
        )
    return int(m.group(1))


def _number(text: str, where: str, column: str) -> float | None:
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):  # "nan", "inf", "-Infinity" parse as floats: not numbers here
        raise TargetsError(
            f"{where}: {column} '{text}' is not a number (write a plain number such as 22.6)"
        )
    return number


def parse_targets(text: str, name: str = "data/targets.csv") -> list[Target]:
    """Parse and check the targets file; raise TargetsError naming the line."""
    targets: list[Target] = []
    header_seen = False
    for n, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in next(csv.reader([raw]))]
        where = f"{name} line {n}"
        if not header_seen:
            if tuple(cells) != HEADER:
                raise TargetsError(f"{where}: the header must be {','.join(HEADER)}")
            header_seen = True
            continue
        if len(cells) != len(HEADER):
            raise TargetsError(
                f"{where}: expected {len(HEADER)} columns ({','.join(HEADER)}), found {len(cells)}"
            )
        row = dict(zip(HEADER, cells, strict=True))
        ind = BY_ID.get(row["indicator_id"])
        if ind is None:
            raise TargetsError(f"{where}: unknown indicator '{row['indicator_id']}'")
        if ind.polarity == NEUTRAL:
            raise TargetsError(
                f"{where}: '{ind.id}' is a neutral (context) indicator and takes no target"
            )
        first = _fy(row["from_year"], where, "from_year")
        last = _fy(row["to_year"], where, "to_year") if row["to_year"] else None
        if last is not None and last < first:
            raise TargetsError(
                f"{where}: to_year {row['to_year']} is before from_year {row['from_year']}"
            )
        value = _number(row["target"], where, "target")
        amber = _number(row["amber"], where, "amber")
        low = _number(row["low"], where, "low")
        high = _number(row["high"], where, "high")
        if amber is not None and amber < 0:
            raise TargetsError(f"{where}: amber tolerance {row['amber']} must not be negative")
        band = low is not None or high is not None
        if band and (low is None or high is None):
            raise TargetsError(f"{where}: a band needs both low and high")
        if band and value is not None:
            raise TargetsError(f"{where}: give either a target or a band (low-high), not both")
        if not band and value is None:
            raise TargetsError(f"{where}: give a target, or a band with low and high")
        if band and low > high:
            raise TargetsError(
                f"{where}: band is upside down: low {row['low']} is above high {row['high']}"
            )
        hub = row["hub"]
        if hub.startswith("kind:") and hub[5:] not in _hub_kinds():
            raise TargetsError(
                f"{where}: unknown hub kind '{hub[5:]}' (known: {', '.join(_hub_kinds())})"
            )
        if hub and not ind.splits_by_hub:
            raise TargetsError(f"{where}: '{ind.id}' is whole-Trust only; leave hub blank")
        new = Target(ind.id, first, last, hub, value, amber, low, high, row["source"], n)
        for old in targets:
            if old.indicator_id == new.indicator_id and old.hub == new.hub and _overlap(old, new):
                scope = f"hub '{hub}'" if hub else "the whole Trust"
                raise TargetsError(
                    f"{where}: overlapping periods: {ind.id} for {scope} already has a target "
                    f"for {_years(old)} (line {old.line})"
                )
        targets.append(new)
    if not header_seen:
        raise TargetsError(f"{name}: no header line ({','.join(HEADER)})")
    return targets


def _hub_kinds() -> tuple[str, ...]:
    from ..extracts.schema import HUB_KINDS

    return HUB_KINDS


def _overlap(a: Target, b: Target) -> bool:
    a_end = a.to_year if a.to_year is not None else 9999
    b_end = b.to_year if b.to_year is not None else 9999
    return a.from_year <= b_end and b.from_year <= a_end


def _years(t: Target) -> str:
    first = f"{t.from_year}/{(t.from_year + 1) % 100:02d}"
    if t.to_year is None:
        return f"{first} onwards"
    return f"{first} to {t.to_year}/{(t.to_year + 1) % 100:02d}"


def read_targets(path: Path | None = None) -> list[Target]:
    """The targets file (default data/targets.csv, or $SCST_TARGETS), parsed and checked."""
    import os

    path = Path(path or os.environ.get("SCST_TARGETS") or TARGETS_CSV)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TargetsError(f"{path}: the targets file is missing") from None
    try:
        shown = str(path.relative_to(Path.cwd()))
    except ValueError:
        shown = str(path)
    return parse_targets(text, shown)
