"""Red / amber / green against a target, following the indicator's polarity.

- neutral indicators (context only) are never rated; no value ("no data") is never rated;
- a band (low-high): green inside it (ends included), amber outside it by no more than the
  amber tolerance, red beyond;
- a single target: green on or better than it (higher-is-better: at or above; lower-is-better:
  at or below), amber worse by no more than the tolerance, red beyond.
"""

from __future__ import annotations

import math

from .catalogue import BAND, HIGHER, LOWER, NEUTRAL

GREEN, AMBER, RED = "green", "amber", "red"
_EPS = 1e-9  # values are doubles: 85.00000000001 is on target 85


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def rag(
    value: float | None,
    polarity: str,
    target: float | None = None,
    amber: float | None = None,
    low: float | None = None,
    high: float | None = None,
) -> str | None:
    """The RAG rating of one value; None when there is nothing to rate."""
    if polarity == NEUTRAL or _missing(value):
        return None
    tolerance = 0.0 if _missing(amber) else float(amber)
    if not _missing(low) and not _missing(high):
        if low - _EPS <= value <= high + _EPS:
            return GREEN
        gap = low - value if value < low else value - high
    elif not _missing(target):
        if polarity == HIGHER:
            gap = target - value
        elif polarity == LOWER:
            gap = value - target
        elif polarity == BAND:
            gap = abs(value - target)
        else:
            raise ValueError(f"unknown polarity {polarity!r}")
        if gap <= _EPS:
            return GREEN
    else:
        return None
    return AMBER if gap <= tolerance + _EPS else RED
