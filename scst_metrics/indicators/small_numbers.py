"""Small numbers: the one home of the thresholds and rules, for the screen and for exports.

A figure about a handful of children can identify a child once it leaves the Trust, and a
percentage of three children swings by 33 points when one child's record changes. Two rules,
one threshold:

1. **Suppression (figures that leave the building).** DfE's convention for its published
   children's social care statistics (Children looked after in England, Characteristics of
   children in need: "c" = suppressed to protect confidentiality): a count of 1 to 5 is shown
   as "c", and a percentage or rate whose numerator or denominator is 1 to 5 is shown as "c"
   likewise. Zero is shown (it identifies nobody). `suppress()` applies it; exports and packs
   call it, with a footnote (`FOOTNOTE`).
2. **No RAG verdict on too few (everywhere).** A percentage whose denominator is below
   `MIN_DENOMINATOR` (the same threshold: 1 to 5) gets no red, amber or green: "too few to
   rate". Applied where RAG is computed (materialise.py, through `too_few_to_rate()`), so
   every reader of the published file gets it. Counts, rates per 10,000 (whose denominator is
   the child population) and ratios (cases per FTE social worker: the denominator is staff,
   and a small team's caseload is exactly what the board must see) are rated as before.

A number of 1 to 5 means more than 0 and at most 5 (a denominator in FTE may be 0.5).
"""

from __future__ import annotations

import math

from .catalogue import COUNT, PERCENT, RATE_10K, RATIO, UNITS

SMALL_MAX = 5  # 1 to 5: suppressed ("c") when a figure leaves the Trust
SUPPRESSED = "c"
MIN_DENOMINATOR = SMALL_MAX + 1  # a percentage of fewer than 6 is not RAG-rated
TOO_FEW = "too few to rate"
FOOTNOTE = (
    f'"{SUPPRESSED}": a count of 1 to {SMALL_MAX}, or a percentage or rate whose numerator or '
    f"denominator is 1 to {SMALL_MAX}, is suppressed (DfE convention for published children's "
    "social care statistics)."
)


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def is_small(n: float | None) -> bool:
    """1 to 5 (more than 0, at most 5); no data and 0 are not small."""
    return not _missing(n) and 0 < float(n) <= SMALL_MAX  # type: ignore[arg-type]


def suppress(
    value: float | None, numerator: float | None, denominator: float | None, unit: str
) -> str | float | None:
    """The value as it may be published: "c" where DfE's convention suppresses it, else the
    value unchanged (None, no data, stays None). `unit` is a catalogue unit code."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}: expected one of {', '.join(UNITS)}")
    if _missing(value):
        return value
    if unit == COUNT:
        return SUPPRESSED if is_small(value if _missing(numerator) else numerator) else value
    if unit in (PERCENT, RATE_10K, RATIO):
        return SUPPRESSED if is_small(numerator) or is_small(denominator) else value
    raise AssertionError(unit)  # every unit is handled above


def too_few_to_rate(unit: str, denominator: float | None) -> bool:
    """A percentage of fewer than MIN_DENOMINATOR: no RAG verdict."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}: expected one of {', '.join(UNITS)}")
    return unit == PERCENT and not _missing(denominator) and 0 < denominator < MIN_DENOMINATOR
