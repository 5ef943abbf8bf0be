"""Small numbers: DfE's suppression convention and the minimum denominator for a RAG verdict,
from one module (scst_metrics.indicators.small_numbers)."""

from __future__ import annotations

import pytest

from scst_metrics.indicators import small_numbers as sn
from scst_metrics.indicators.catalogue import COUNT, PERCENT, RATE_10K, RATIO


def test_counts_of_1_to_5_are_c():
    assert [sn.suppress(n, n, None, COUNT) for n in (0, 1, 5, 6, 42)] == [0, "c", "c", 6, 42]
    assert sn.suppress(None, None, None, COUNT) is None  # no data stays no data


def test_a_percentage_with_a_small_numerator_or_denominator_is_c():
    assert sn.suppress(40.0, 2, 5, PERCENT) == "c"  # 2 of 5: both small
    assert sn.suppress(10.0, 3, 30, PERCENT) == "c"  # 3 of 30: numerator small
    assert sn.suppress(0.0, 0, 4, PERCENT) == "c"  # 0 of 4: denominator small
    assert sn.suppress(0.0, 0, 12, PERCENT) == 0.0  # 0 of 12: zero identifies nobody
    assert sn.suppress(60.0, 6, 10, PERCENT) == 60.0  # 6 of 10: neither is 1 to 5


def test_rates_and_ratios_follow_the_percentage_rule():
    # 3 children looked after in 30,000 children: 1.0 per 10,000 -> "c" (numerator 1 to 5)
    assert sn.suppress(1.0, 3, 30000, RATE_10K) == "c"
    assert sn.suppress(20.0, 60, 30000, RATE_10K) == 20.0
    # 48 cases, 4.5 FTE: the denominator is 1 to 5
    assert sn.suppress(48 / 4.5, 48, 4.5, RATIO) == "c"


def test_an_unknown_unit_is_refused():
    with pytest.raises(ValueError, match="unknown unit 'percentage'"):
        sn.suppress(50.0, 5, 10, "percentage")
    with pytest.raises(ValueError, match="unknown unit"):
        sn.too_few_to_rate("days", 3)


def test_too_few_to_rate_is_a_percentage_of_fewer_than_six():
    assert sn.MIN_DENOMINATOR == sn.SMALL_MAX + 1 == 6  # one threshold for both rules
    assert sn.too_few_to_rate(PERCENT, 5) and sn.too_few_to_rate(PERCENT, 1)
    assert not sn.too_few_to_rate(PERCENT, 6)
    assert not sn.too_few_to_rate(PERCENT, None)  # no denominator: no data, not rated anyway
    assert not sn.too_few_to_rate(COUNT, None) and not sn.too_few_to_rate(RATIO, 4.5)
    assert "DfE" in sn.FOOTNOTE and '"c"' in sn.FOOTNOTE
