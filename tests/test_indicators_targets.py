"""data/targets.csv: each kind of wrong line gives its own message naming the line."""

from __future__ import annotations

import pytest

from scst_metrics.indicators.targets import TargetsError, parse_targets, read_targets

HEAD = "# a comment\nindicator_id,from_year,to_year,hub,target,amber,low,high,source\n"


def bad(lines: str) -> str:
    with pytest.raises(TargetsError) as e:
        parse_targets(HEAD + lines, "t.csv")
    return str(e.value)


def test_the_shipped_targets_file_is_valid():
    targets = read_targets()
    assert {t.indicator_id for t in targets} >= {"lac_3plus_placements", "rereferrals_12m"}


def test_a_good_file():
    [t] = parse_targets(HEAD + "rereferrals_12m,2015/16,2017/18,all,22.6,3,,,England\n")
    assert (t.from_year, t.to_year, t.hub, t.target, t.amber, t.line) == (
        2015,
        2017,
        "all",
        22.6,
        3.0,
        3,
    )
    assert (t.from_date.isoformat(), t.to_date.isoformat()) == ("2015-04-01", "2018-03-31")


def test_unknown_indicator():
    assert bad("rereferals,2015/16,,,22,,,,x\n") == "t.csv line 3: unknown indicator 'rereferals'"


def test_overlapping_periods():
    msg = bad("rereferrals_12m,2015/16,2018/19,,22,,,,x\nrereferrals_12m,2018/19,,,20,,,,y\n")
    assert msg == (
        "t.csv line 4: overlapping periods: rereferrals_12m for the whole Trust already has a "
        "target for 2015/16 to 2018/19 (line 3)"
    )
    # the same years for a different hub scope are fine
    parse_targets(
        HEAD + "rereferrals_12m,2015/16,,,22,,,,x\nrereferrals_12m,2015/16,,H01,20,,,,y\n"
    )


def test_band_upside_down():
    msg = bad("hub_allocated,2015/16,,kind:locality,,,70,40,x\n")
    assert msg == "t.csv line 3: band is upside down: low 70 is above high 40"


def test_bad_number():
    assert bad("rereferrals_12m,2015/16,,,22%,,,,x\n") == (
        "t.csv line 3: target '22%' is not a number (write a plain number such as 22.6)"
    )


@pytest.mark.parametrize(
    ("line", "column", "text"),
    [
        ("rereferrals_12m,2015/16,,,nan,,,,x", "target", "nan"),
        ("rereferrals_12m,2015/16,,,inf,,,,x", "target", "inf"),
        ("rereferrals_12m,2015/16,,,22.6,NaN,,,x", "amber", "NaN"),
        ("hub_allocated,2015/16,,kind:locality,,,-Infinity,70,x", "low", "-Infinity"),
        ("hub_allocated,2015/16,,kind:locality,,,40,infinity,x", "high", "infinity"),
    ],
)
def test_nan_and_inf_are_not_numbers(line, column, text):
    # Python's float() reads all of these; a target must be a plain finite number
    assert bad(line + "\n") == (
        f"t.csv line 3: {column} '{text}' is not a number (write a plain number such as 22.6)"
    )


def test_bad_financial_year():
    msg = bad("rereferrals_12m,2015-16,,,22,,,,x\n")
    assert msg == "t.csv line 3: from_year '2015-16' is not a financial year written like 2015/16"
    assert "is not a financial year" in bad("rereferrals_12m,2015/17,,,22,,,,x\n")


def test_to_year_before_from_year():
    msg = bad("rereferrals_12m,2016/17,2015/16,,22,,,,x\n")
    assert msg == "t.csv line 3: to_year 2015/16 is before from_year 2016/17"


def test_target_and_band_together_or_neither():
    assert "either a target or a band" in bad("hub_allocated,2015/16,,all,50,,40,70,x\n")
    assert "give a target, or a band" in bad("rereferrals_12m,2015/16,,,,,,,x\n")
    assert "a band needs both low and high" in bad("hub_allocated,2015/16,,all,,,40,,x\n")


def test_neutral_indicator_takes_no_target():
    msg = bad("lac_count,2015/16,,,100,,,,x\n")
    assert msg == "t.csv line 3: 'lac_count' is a neutral (context) indicator and takes no target"


def test_whole_trust_only_indicator_takes_no_hub():
    msg = bad("fostering_households,2015/16,,H01,60,,,,x\n")
    assert msg == "t.csv line 3: 'fostering_households' is whole-Trust only; leave hub blank"


def test_unknown_hub_kind_and_negative_amber():
    assert "unknown hub kind 'localty'" in bad("hub_allocated,2015/16,,kind:localty,,,40,70,x\n")
    assert "must not be negative" in bad("rereferrals_12m,2015/16,,,22,-1,,,x\n")


def test_wrong_header_and_wrong_column_count():
    with pytest.raises(TargetsError, match="line 1: the header must be"):
        parse_targets("indicator,year\n", "t.csv")
    assert "expected 9 columns" in bad("rereferrals_12m,2015/16,,,22\n")
