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


def test_the_catalogue_names_each_dfe_measure_and_how_ours_differs():
    """Issue 11: which DfE measure each indicator is set beside (or none), and any difference in
    definition, are declared in the catalogue only; the benchmarks and the dictionary read them."""
    from scst_metrics.benchmarks import benchmarks_frame
    from scst_metrics.benchmarks.measures import DFE_DICTIONARY, MEASURES
    from scst_metrics.indicators.dictionary import render

    declared = {i.id: i.dfe_measure for i in cat.INDICATORS if i.dfe_measure}
    assert {k: m.measure for k, m in MEASURES.items()} == declared
    assert sorted(declared.values()) == sorted(DFE_DICTIONARY)  # each DfE measure used once
    assert cat.get("lac_count").dfe_measure == "LACnum"
    assert cat.get("hub_allocated").dfe_measure is None  # a local measure
    rolling = cat.get("rereferrals_12m")
    assert rolling.dfe_difference == (
        "Ours is the rolling 12 months to each month end; DfE's the year to 31 March."
    )
    assert MEASURES["rereferrals_12m"].difference == rolling.dfe_difference
    assert cat.get("lac_health_assessments").dfe_difference == ""  # the same as DfE's
    # the published benchmarks name the catalogue's measure
    rows = benchmarks_frame()
    assert set(rows.loc[rows.indicator_id == "lac_rate", "dfe_measure"]) == {"LAC"}
    # the dictionary says it
    doc = render()
    assert (
        "- **Beside DfE's published figure:** `ReReferral` (DfE Characteristics of children in "
        "need; DfE's year ends 31 March). How ours differs: Ours is the rolling 12 months to "
        "each month end; DfE's the year to 31 March." in doc
    )
    assert (
        "`LACHealth%` (DfE Children looked after in England; DfE's year ends 31 March). The same."
        in doc
    )
    # a difference needs a measure to differ from
    base = dict(id="x", title="X", service_area=cat.HUBS, definition="d", numerator="n")
    odd = cat.Indicator(
        **base, unit=cat.COUNT, polarity=cat.NEUTRAL, period=cat.IN_MONTH, dfe_difference="y"
    )
    with pytest.raises(ValueError, match="x: a dfe_difference needs the dfe_measure"):
        cat._resolved((odd,))
