"""Declarations read like declarations: keywords, derived fields, and why each is on the board."""

from __future__ import annotations

import pytest

from scst_metrics.indicators import catalogue as cat


def test_every_indicator_says_why_it_matters_with_a_source():
    for ind in cat.INDICATORS:
        assert ind.why.endswith(".") and len(ind.why) <= 120, ind.id  # one line
        assert ind.why_source, ind.id
        assert ind.why_text == f"{ind.why} Source: {ind.why_source}."


def test_what_follows_from_other_fields_is_derived():
    lac, rate, pct = cat.get("lac_count"), cat.get("lac_rate"), cat.get("rereferrals_12m")
    assert lac.denominator == cat.NO_DENOMINATOR == "none (a count)"  # from unit == COUNT
    assert rate.denominator == cat.POPULATION  # from unit == RATE_10K
    assert (rate.period, rate.sources) == (lac.period, lac.sources)  # from derived_from
    assert pct.denominator == "referrals in the 12 months to the month end"  # declared
    assert lac.period_words == cat.PERIODS[cat.MONTH_END] == "snapshot at each month end"


def test_declarations_are_keyword_only_and_checked():
    with pytest.raises(TypeError):
        cat.Indicator("x", "X", cat.HUBS, "d", "n", cat.COUNT, cat.NEUTRAL)  # positional
    base = dict(id="x", title="X", service_area=cat.HUBS, definition="d", numerator="n")
    with pytest.raises(ValueError, match="x: unknown unit 'percentage'"):
        cat._resolved(
            (cat.Indicator(**base, unit="percentage", polarity=cat.LOWER, period=cat.IN_MONTH),)
        )
    with pytest.raises(ValueError, match="derived_from must name a count declared before it"):
        cat._resolved(
            (cat.Indicator(**base, unit=cat.RATE_10K, polarity=cat.NEUTRAL, derived_from="y"),)
        )


def test_every_source_has_the_boards_words():
    """Chart footnotes name sources as the board does ("SSDA903 return"), never by table."""
    from scst_metrics.indicators.catalogue import INDICATORS, SOURCE_WORDS

    for ind in INDICATORS:
        words = ind.source_words  # a table without words raises, naming it
        assert words and "_" not in words and "s903" not in words, ind.id  # no table names
    by_id = {i.id: i for i in INDICATORS}
    assert by_id["lac_count"].source_words == "SSDA903 return"
    assert by_id["hub_allocated"].source_words == "case management system: allocations"
    # a rate per 10,000 also names the population it divides by
    assert by_id["lac_rate"].source_words == "SSDA903 return, ONS mid-year population estimates"
    assert set(SOURCE_WORDS) >= {t for i in INDICATORS for t in i.sources}
