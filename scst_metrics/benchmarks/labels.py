"""Words for DfE's published figures, shared by the chart markers, the comparison table, the
overview column and the reconciliation messages (one place, so they never drift).

A DfE figure is annual and published months after its year ends: every label names the year
("year to 31 March 2025", "at 31 March 2025", "at 30 September 2025", "academic year 2024/25")
and the figure is shown as DfE published it (DfE rounds: 37, not 37.0).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from scst_metrics.benchmarks.measures import MEASURES

# DfE's symbols for a figure it did not publish (GSS / DfE open data standards)
SYMBOL_WORDS = {
    "c": "suppressed (c)",
    "k": "rounds to 0 (k)",
    "x": "not available (x)",
    "z": "not applicable (z)",
    "-": "not published (-)",
    "..": "not available (..)",
    ":": "not available (:)",
    "u": "low reliability (u)",
    "low": "low (low)",
}

COMPARATOR_WORDS = {
    "neighbours": "Statistical neighbours' average",
    "england": "England",
}


def _period(indicator_id: str) -> str:
    from scst_metrics.indicators.catalogue import get

    return get(indicator_id).period


def year_words(indicator_id: str, year: int) -> str:
    """The DfE year of `indicator_id`'s measure in words: 'year to 31 March 2025' for a count
    over the year, 'at 31 March 2025' for a snapshot, 'academic year 2024/25'."""
    from scst_metrics.indicators.catalogue import MONTH_END

    m = MEASURES[indicator_id]
    end = m.period_end(int(year))
    if m.year_end == (7, 31):
        return f"academic year {end.year - 1}/{end.year % 100:02d}"
    day = f"{end.day} {end:%B %Y}"
    return f"at {day}" if _period(indicator_id) == MONTH_END else f"year to {day}"


def period_words(indicator_id: str) -> str:
    """The DfE year without the year, for a legend: 'year to 31 March', 'at 31 March',
    'at 30 September', 'academic year'."""
    words = year_words(indicator_id, 2000)
    return "academic year" if words.startswith("academic") else words[: -len(" 2000")]


def is_missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def value_words(value: object, unit: str, symbol: object = None) -> str:
    """A figure with its unit as DfE publishes it ('37 per 10,000', '22%', '1,234', '15.2');
    a DfE symbol in words ('suppressed (c)') when there is no value."""
    if is_missing(value):
        if isinstance(symbol, str) and symbol:
            return SYMBOL_WORDS.get(symbol, symbol)
        return "no figure"
    v = round(float(value), 1)
    text = f"{v:,.0f}" if v.is_integer() else f"{v:,.1f}"
    if unit == "percent":
        return f"{text}%"
    if unit == "rate_per_10000":
        return f"{text} per 10,000"
    return text


def rank_words(rank: object, rank_of: object) -> str:
    """'84 of 153' (1 = best); 'not ranked' where DfE gives the measure no polarity or did
    not publish our figure."""
    if is_missing(rank) or is_missing(rank_of):
        return "not ranked"
    return f"{int(rank)} of {int(rank_of)}"


def period_end(indicator_id: str, year: int) -> date:
    return MEASURES[indicator_id].period_end(int(year))
