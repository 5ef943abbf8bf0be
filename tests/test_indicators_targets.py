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


# Each wrong line, and the whole message it gets (the file, the line, what is wrong)
WRONG_LINES = {
    "rereferals,2015/16,,,22,,,,x": "unknown indicator 'rereferals'",
    "hub_allocated,2015/16,,kind:locality,,,70,40,x": (
        "band is upside down: low 70 is above high 40"
    ),
    "rereferrals_12m,2015/16,,,22%,,,,x": (
        "target '22%' is not a number (write a plain number such as 22.6)"
    ),
    "rereferrals_12m,2015-16,,,22,,,,x": (
        "from_year '2015-16' is not a financial year written like 2015/16"
    ),
    "rereferrals_12m,2016/17,2015/16,,22,,,,x": "to_year 2015/16 is before from_year 2016/17",
    "lac_count,2015/16,,,100,,,,x": (
        "'lac_count' is a neutral (context) indicator and takes no target"
    ),
    "fostering_households,2015/16,,H01,60,,,,x": (
        "'fostering_households' is whole-Trust only; leave hub blank"
    ),
}


def test_each_wrong_line_says_what_is_wrong():
    for line, message in WRONG_LINES.items():
        assert bad(line + "\n") == f"t.csv line 3: {message}", line
    assert "is not a financial year" in bad("rereferrals_12m,2015/17,,,22,,,,x\n")


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


def test_nan_and_inf_are_not_numbers():
    # Python's float() reads all of these; a target must be a plain finite number
    lines = {
        "target": "rereferrals_12m,2015/16,,,{},,,,x",
        "amber": "rereferrals_12m,2015/16,,,22.6,{},,,x",
        "low": "hub_allocated,2015/16,,kind:locality,,,{},70,x",
        "high": "hub_allocated,2015/16,,kind:locality,,,40,{},x",
    }
    for column, text in [
        ("target", "nan"), ("target", "inf"), ("amber", "NaN"), ("low", "-Infinity"),
        ("high", "infinity"),
    ]:  # fmt: skip
        assert bad(lines[column].format(text) + "\n") == (
            f"t.csv line 3: {column} '{text}' is not a number (write a plain number such as 22.6)"
        )


def test_target_and_band_together_or_neither():
    assert "either a target or a band" in bad("hub_allocated,2015/16,,all,50,,40,70,x\n")
    assert "give a target, or a band" in bad("rereferrals_12m,2015/16,,,,,,,x\n")
    assert "a band needs both low and high" in bad("hub_allocated,2015/16,,all,,,40,,x\n")


def test_unknown_hub_kind_and_negative_amber():
    assert "unknown hub kind 'localty'" in bad("hub_allocated,2015/16,,kind:localty,,,40,70,x\n")
    assert "must not be negative" in bad("rereferrals_12m,2015/16,,,22,-1,,,x\n")


def test_wrong_header_and_wrong_column_count():
    with pytest.raises(TargetsError, match="line 1: the header must be"):
        parse_targets("indicator,year\n", "t.csv")
    assert "expected 9 columns" in bad("rereferrals_12m,2015/16,,,22\n")
