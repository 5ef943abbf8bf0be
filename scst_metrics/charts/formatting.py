"""Numbers and dates as the board reads them: '68.2%', '42', '31.5 per 10,000', 'Mar 2025'.

Every label on a chart, tile or exported image goes through here, so the screen and the
board pack never disagree about rounding.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

import pandas as pd

from ..indicators.catalogue import COUNT, PERCENT, RATE_10K, RATIO, UNITS


def check_unit(unit: object) -> str:
    """A catalogue unit code (count, percent, rate_per_10000, ratio); anything else raises."""
    if not isinstance(unit, str) or unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}: the catalogue's units are {', '.join(UNITS)}")
    return unit


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def format_value(value: object, unit: object, *, short: bool = False) -> str:
    """A value with its unit; 'no data' when there is none (never '0%' for an empty base)."""
    unit = check_unit(unit)
    if is_missing(value):
        return "no data"
    v = float(value)  # type: ignore[arg-type]
    if unit == PERCENT:
        return f"{v:.1f}%"
    if unit == COUNT:
        return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"
    if unit == RATE_10K:
        return f"{v:,.1f}" if short else f"{v:,.1f} per 10,000"
    assert unit == RATIO
    return f"{v:,.1f}"


def axis_title(unit: object) -> str:
    return {PERCENT: "%", COUNT: "", RATE_10K: "per 10,000 children", RATIO: ""}[check_unit(unit)]


def format_target(target: object, low: object, high: object, unit: object) -> str | None:
    """'70.0%' for a value target, '40 to 70' for a band, None when there is no target."""
    check_unit(unit)
    has_low, has_high = not is_missing(low), not is_missing(high)
    if has_low and has_high:
        return f"{format_value(low, unit, short=True)} to {format_value(high, unit, short=True)}"
    if has_low:
        return f"at least {format_value(low, unit, short=True)}"
    if has_high:
        return f"at most {format_value(high, unit, short=True)}"
    if not is_missing(target):
        return format_value(target, unit, short=True)
    return None


def format_change(change: object, unit: object) -> str | None:
    """The change on last month: '+2.1 pts', '-3', or None."""
    unit = check_unit(unit)
    if is_missing(change):
        return None
    v = float(change)  # type: ignore[arg-type]
    if unit == PERCENT:
        return f"{v:+.1f} pts"
    if unit == COUNT and v.is_integer():
        return f"{v:+,.0f}"
    return f"{v:+,.1f}"


def month_label(d: object) -> str:
    """'Mar 2025' for any date in March 2025."""
    return pd.Timestamp(d).strftime("%b %Y")


def long_date(d: date | datetime | None) -> str:
    if d is None:
        return "unknown"
    return pd.Timestamp(d).strftime("%-d %B %Y")


def period_label(start: object, end: object) -> str:
    if start is None and end is None:
        return "all months"
    if start is None:
        return f"to {month_label(end)}"
    if end is None:
        return f"from {month_label(start)}"
    return f"{month_label(start)} to {month_label(end)}"


def fraction_text(numerator: object, denominator: object) -> str:
    """'42 of 61' for the hover: what the value is made of."""
    if is_missing(numerator):
        return ""
    n = float(numerator)  # type: ignore[arg-type]
    num = f"{n:,.0f}" if n.is_integer() else f"{n:,.1f}"
    if is_missing(denominator):
        return num
    d = float(denominator)  # type: ignore[arg-type]
    den = f"{d:,.0f}" if d.is_integer() else f"{d:,.1f}"
    return f"{num} of {den}"


def slug(text: object) -> str:
    """A file-name-safe piece: 'Hub 3 - Chalvey' -> 'hub-3-chalvey'."""
    s = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
    return s or "x"
