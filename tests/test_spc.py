"""The SPC engine (scst_metrics/spc.py): one rule, one test, on hand-made series with the
arithmetic beside them; then NHSRplotthedots' own published results reproduced (its testthat
snapshots to 6 decimals, its vignette to the 2 decimals it prints, its rule-level vectors)."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scst_metrics import spc
from scst_metrics.spc import band_assurance, xmr

FIXTURE = json.loads(
    (Path(__file__).parent / "fixtures" / "spc" / "nhsrplotthedots.json").read_text()
)


def flagged(result) -> list[int]:
    return [i for i, s in enumerate(result.points["special_cause"]) if s]


# --- the public API, exactly as issue 10 gives it ------------------------------------------


def test_api_signature_and_columns():
    sig = inspect.signature(xmr)
    assert list(sig.parameters) == [
        "values",
        "improvement",
        "target",
        "screen_outliers",
        "rebase_at",
        "fix_after_n_points",
    ]
    assert sig.parameters["improvement"].default == "increase"
    assert sig.parameters["screen_outliers"].default is False
    assert sig.parameters["target"].default is None
    assert sig.parameters["fix_after_n_points"].default is None
    r = xmr([1.0, 2.0, 3.0])
    for col in ("y", "mean", "lpl", "upl", "nlpl", "nupl", "special_cause", "point_type"):
        assert col in r.points.columns
    assert len(r.points) == 3
    with pytest.raises(ValueError, match="improvement must be"):
        xmr([1.0, 2.0], improvement="up")
    backwards = pd.Series([1.0, 2.0], index=pd.to_datetime(["2024-02-29", "2024-01-31"]))
    with pytest.raises(ValueError, match="time order"):
        xmr(backwards)


# --- the limits ----------------------------------------------------------------------------


def test_limits_mean_moving_range_and_near_lines():
    # y = 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 40 (11 points)
    # mean = (5*10 + 5*12 + 40) / 11 = 150 / 11 = 13.636364
    # moving ranges: 2 (x9) and 28 -> mR-bar = 46 / 10 = 4.6
    # limits 13.636364 -/+ 2.66 * 4.6 = 12.236 -> 1.400364, 25.872364
    # near lines 13.636364 -/+ (2/3 * 2.66) * 4.6 = 8.157333 -> 5.479030, 21.793697
    r = xmr([10, 12] * 5 + [40])
    p = r.points.iloc[0]
    assert round(p["mean"], 6) == 13.636364
    assert round(p["lpl"], 6) == 1.400364
    assert round(p["upl"], 6) == 25.872364
    assert round(p["nlpl"], 6) == 5.479030
    assert round(p["nupl"], 6) == 21.793697


def test_screening_leaves_out_moving_ranges_of_3267_mr_bar_or_more():
    # Same series: 3.267 * 4.6 = 15.028; the moving range 28 is at least that, so it is left
    # out: mR-bar = 18 / 9 = 2; limits 13.636364 -/+ 2.66 * 2 = 5.32 -> 8.316364, 18.956364.
    r = xmr([10, 12] * 5 + [40], screen_outliers=True)
    p = r.points.iloc[0]
    assert round(p["mean"], 6) == 13.636364  # the mean keeps every point
    assert round(p["lpl"], 6) == 8.316364
    assert round(p["upl"], 6) == 18.956364


# --- the four rules, one test each ---------------------------------------------------------


def test_rule_outside_the_limits():
    # y = 10, 14 (x5 each, alternating), 10, 30: mean = (60 + 70 + 30) / 12 = 13.333333
    # mR: 4 (x10) and |30 - 10| = 20 -> mR-bar = 60 / 11 = 5.454545
    # UPL = 13.333333 + 2.66 * 5.454545 = 27.842424 < 30: the last point only.
    # (10 and 14 alternate either side of the mean: no run; one point beyond the near line.)
    r = xmr([10, 14] * 5 + [10, 30])
    assert round(r.points["upl"].iloc[0], 6) == 27.842424
    assert flagged(r) == [11]
    assert r.points["special_cause_type"].iloc[11] == "Above UCL"
    assert r.points["point_type"].iloc[11] == "special_cause_improvement"
    assert r.variation == "improvement_high"
    down = xmr([10, 14] * 5 + [10, 30], improvement="decrease")
    assert down.points["point_type"].iloc[11] == "special_cause_concern"
    assert down.variation == "concern_high"


def test_rule_seven_points_on_one_side_of_the_mean():
    # y = 8, 0, 8, 0, 8, 0, then 5 (x7): mean = (24 + 35) / 13 = 4.538462; the seven 5s are all
    # above it. mR: 8 (x5), 5, 0 (x6) -> mR-bar = 45 / 12 = 3.75; limits 4.538462 -/+ 9.975
    # (-5.436538, 14.513462), near lines -/+ 6.65 (-2.111538, 11.188462): 8 and 0 inside both.
    r = xmr([8, 0] * 3 + [5] * 7)
    assert flagged(r) == list(range(6, 13))
    assert set(r.points["special_cause_type"].iloc[6:]) == {"7 Points Above CL"}
    # Six are not enough: y = 8, 0, 8, 0, 8, 0, 5 (x6): mean = 54 / 12 = 4.5, six 5s above.
    assert flagged(xmr([8, 0] * 3 + [5] * 6)) == []
    # a neutral measure: high, not improvement
    neutral = xmr([8, 0] * 3 + [5] * 7, improvement="neutral")
    assert set(neutral.points["point_type"].iloc[6:]) == {"special_cause_neutral_high"}
    assert neutral.variation == "neutral_high"


def test_rule_trend_of_seven_points_each_higher_than_the_one_before():
    # y = 9, 1, 9, 1, 9, then 1, 2, 3, 4, 5, 6, 7: from the 1 at position 5 six rises make a
    # trend of 7 points (positions 5-11), crossing the mean (57 / 12 = 4.75): points 5-8 are
    # below it and 9-11 above, so no 7-on-one-side. mR: 8 (x5), 1 (x6) -> 46 / 11 = 4.181818;
    # limits 4.75 -/+ 11.123636, near lines -/+ 7.415758 (-2.665758, 12.165758): all inside.
    # (NHSRplotthedots' ptd_seven_point_trend: 7 points, i.e. 6 consecutive strict rises.)
    r = xmr([9, 1, 9, 1, 9] + list(range(1, 8)))
    assert flagged(r) == list(range(5, 12))
    assert set(r.points["special_cause_type"].iloc[5:]) == {"7 Point Trend (Increasing)"}
    # Five rises (6 points) are not a trend: y = 9, 1, 9, 1, 9, 1, 2, 3, 4, 5, 6
    assert flagged(xmr([9, 1, 9, 1, 9] + list(range(1, 7)))) == []
    # A tie breaks the run: 1, 2, 3, 3, 4, 5, 6, 7 has no 6 consecutive strict rises
    assert flagged(xmr([9, 1, 9, 1, 9, 1, 2, 3, 3, 4, 5, 6, 7])) == []
    # Falling, for a lower-is-better measure, is improvement
    down = xmr(list(range(7, 0, -1)) + [9, 1, 9, 1, 9], improvement="decrease")
    assert flagged(down) == list(range(0, 7))
    assert set(down.points["special_cause_type"].iloc[:7]) == {"7 Point Trend (Decreasing)"}
    assert set(down.points["point_type"].iloc[:7]) == {"special_cause_improvement"}


def test_rule_two_of_three_beyond_the_near_limit_line():
    # y = 9, 11 (x6, alternating), then 16, 11, 16: mean = (120 + 43) / 15 = 10.866667
    # mR: 2 (x11), 5, 5, 5 -> mR-bar = 37 / 14 = 2.642857
    # near upper line = 10.866667 + (2/3 * 2.66) * 2.642857 = 15.553333
    # UPL = 10.866667 + 2.66 * 2.642857 = 17.896667: both 16s lie between the two lines and
    # 16, 11, 16 are all above the mean: the two 16s are flagged (not the 11 between them).
    r = xmr([9, 11] * 6 + [16, 11, 16])
    assert round(r.points["nupl"].iloc[0], 6) == 15.553333
    assert round(r.points["upl"].iloc[0], 6) == 17.896667
    assert flagged(r) == [12, 14]
    assert set(r.points["special_cause_type"].iloc[[12, 14]]) == {"2 in 3 Above CL"}
    # The middle point below the mean (9 < mean 10.733333): not all three on one side.
    assert flagged(xmr([9, 11] * 6 + [16, 9, 16])) == []


# --- trial limits, rebasing, fixing, missing values ----------------------------------------


def test_trial_limits_under_12_points():
    assert xmr([1, 3] * 5 + [2]).trial_limits is True  # 11 points
    assert xmr([1, 3] * 6).trial_limits is False  # 12 points
    r = xmr([1, 3] * 6 + [2] * 3, rebase_at=[12])  # groups of 12 and 3 points
    assert r.trial_limits is True
    assert r.points["trial"].tolist() == [False] * 12 + [True] * 3


def test_rebase_at_a_date_on_a_series_indexed_by_period_end():
    # Monthly points Jan-Aug 2024: 10, 12, 10, 12 then 20, 22, 20, 22; rebase on 2024-05-01
    # starts a new group at 31 May: means 44 / 4 = 11 and 84 / 4 = 21, each mR-bar 2,
    # limits 11 -/+ 5.32 and 21 -/+ 5.32 (so the step up is not outside any limit).
    idx = pd.date_range("2024-01-31", periods=8, freq="ME")
    r = xmr(pd.Series([10, 12, 10, 12, 20, 22, 20, 22], index=idx), rebase_at=["2024-05-01"])
    assert r.points["mean"].tolist() == [11.0] * 4 + [21.0] * 4
    assert round(r.points["upl"].iloc[0], 6) == 16.32
    assert round(r.points["lpl"].iloc[7], 6) == 15.68
    assert r.points["rebase_group"].tolist() == [0] * 4 + [1] * 4
    assert r.baseline_start == pd.Timestamp("2024-05-31")
    assert flagged(r) == []
    # Without the rebase the step is a shift: mean 16, mR-bar (2*6 + 8) / 7 = 2.857143, near
    # lines 16 -/+ 1.773333 * 2.857143 = 10.933333, 21.066667: the two 10s (with a 12 between,
    # all below) and the two 22s (with a 20 between, all above) are 2 of 3 beyond them.
    plain = xmr(pd.Series([10, 12, 10, 12, 20, 22, 20, 22], index=idx))
    assert flagged(plain) == [0, 2, 5, 7]
    with pytest.raises(ValueError, match="0-based positions"):
        xmr([1.0, 2.0, 3.0], rebase_at=["2024-01-01"])


def test_fix_after_n_points():
    # Limits from the first 4 points 10, 12, 10, 12: mean 11, mR-bar 2 -> 5.68 to 16.32;
    # the later 30 is judged against them (outside), and does not move them.
    r = xmr([10, 12, 10, 12, 11, 30], fix_after_n_points=4)
    assert r.points["mean"].iloc[-1] == 11.0
    assert round(r.points["upl"].iloc[-1], 6) == 16.32
    assert flagged(r) == [5]


def test_missing_values_are_left_out_and_keep_a_row():
    # 10, NaN, 12, 10, 12: calculated on 10, 12, 10, 12 (mean 11, mR-bar 2)
    r = xmr([10, np.nan, 12, 10, 12])
    assert len(r.points) == 5
    assert r.points["mean"].tolist() == [11.0] * 5
    assert r.points["point_type"].iloc[1] is None
    assert not r.points["special_cause"].iloc[1]
    assert r.variation == "common_cause"


def test_flat_series_has_limits_on_the_mean():
    r = xmr([0.0] * 12, screen_outliers=True)
    assert r.points["lpl"].tolist() == [0.0] * 12 and r.points["upl"].tolist() == [0.0] * 12
    assert flagged(r) == [] and r.variation == "common_cause"


# --- assurance -----------------------------------------------------------------------------


def test_assurance_against_a_target():
    # 10, 12 (x6): mean 11, mR-bar 2, limits 5.68 to 16.32
    y = [10, 12] * 6
    assert xmr(y, target=17).assurance == "consistent_fail"  # above UPL, higher is better
    assert xmr(y, target=17, improvement="decrease").assurance == "consistent_pass"
    assert xmr(y, target=5).assurance == "consistent_pass"  # below LPL
    assert xmr(y, target=5, improvement="decrease").assurance == "consistent_fail"
    assert xmr(y, target=11).assurance == "inconsistent"
    assert xmr(y, target=17, improvement="neutral").assurance is None
    assert xmr(y).assurance is None


def test_band_assurance_whole_limit_range_inside_the_band():
    r = xmr([10, 12] * 6)  # limits 5.68 to 16.32
    assert band_assurance(r, 5, 17) == "consistent_pass"
    assert band_assurance(r, 7, 17) == "inconsistent"  # LPL 5.68 below the band's 7
    assert band_assurance(r, 17, 30) == "consistent_fail"  # UPL 16.32 below the band
    assert band_assurance(r, None, 4) == "consistent_fail"  # LPL above a 4 ceiling
    assert band_assurance(r, None, 20) == "consistent_pass"
    assert band_assurance(r, None, None) is None


# --- NHSRplotthedots' published results -----------------------------------------------------


def _rnorm(case: dict) -> list[float]:
    y = list(FIXTURE["rnorm_seed_123"])
    if "y[15] = 10" in case["input"]:
        y[14] = 10.0
    return y


@pytest.mark.parametrize("name", ["spc_standard_r1", "spc_standard_r2", "spc_standard_r3"])
def test_nhsrplotthedots_ptd_spc_standard_snapshots(name):
    """tests/testthat/_snaps/ptd_spc_standard.md: mean_col, lpl, upl printed to 7 significant
    digits, so equal to 6 decimals; relative_to_mean, outside/close to limits as printed."""
    case = FIXTURE["cases"][name]
    idx = pd.date_range(FIXTURE["dates_from"], periods=20, freq="D")
    r = xmr(pd.Series(_rnorm(case), index=idx), screen_outliers=case["screen_outliers"])
    p = r.points
    assert round(p["mean"].iloc[0], 6) == round(case["mean"], 6)
    assert round(p["lpl"].iloc[0], 6) == round(case["lpl"], 6)
    assert round(p["upl"].iloc[0], 6) == round(case["upl"], 6)
    head = case["relative_to_mean_head"]
    assert p["relative_to_mean"].iloc[: len(head)].tolist() == head
    assert p["outside_limits"].iloc[:8].tolist() == case["outside_limits_head"]
    assert p["close_to_limits"].iloc[:8].tolist() == case["close_to_limits_head"]


def test_nhsrplotthedots_summary_by_facet():
    """_snaps/ptd_spc.md, summary(s3) with facet_field: each facet is its own chart (3 s.f.)."""
    case = FIXTURE["cases"]["summary_facets"]
    y = FIXTURE["rnorm_seed_123"]
    for facet in case["facets"]:
        a, b = facet["points"]
        r = xmr(y[a:b], screen_outliers=True)
        p = r.points.iloc[0]
        for col, key in (("mean", "mean"), ("lpl", "lpl"), ("upl", "upl")):
            assert float(f"{p[col]:.3g}") == facet[key], (facet, col, p[col])
        assert len(r.points) == facet["n"]
        assert int((~r.points["special_cause"]).sum()) == facet["common_cause"]
        assert r.trial_limits is True  # 10 points


@pytest.mark.parametrize("name", ["deviations_screened", "deviations_excel"])
def test_nhsrplotthedots_deviations_vignette(name):
    """vignettes/deviations.Rmd: UPL, mean, LPL in the captions (rounded to 2 decimals)."""
    case = FIXTURE["cases"][name]
    r = xmr(case["input"], screen_outliers=case["screen_outliers"], improvement="increase")
    p = r.points.iloc[0]
    assert (round(p["upl"], 2), round(p["mean"], 2), round(p["lpl"], 2)) == (
        case["upl"],
        case["mean"],
        case["lpl"],
    )
    assert [
        i for i, t in enumerate(r.points["point_type"]) if t == "special_cause_improvement"
    ] == case["improvement_at"]
    assert flagged(r) == case["improvement_at"]


def test_nhsrplotthedots_two_in_three_opposite_sides():
    """test-ptd_spc_standard.R: 2 points close to the limits on opposite sides: common cause."""
    case = FIXTURE["cases"]["two_in_three_opposite_sides"]
    r = xmr(case["input"], screen_outliers=case["screen_outliers"])
    assert r.points["point_type"].iloc[-2:].tolist() == case["tail_point_types"]


def test_nhsrplotthedots_rule_vectors():
    """tests/testthat/test-ptd_calculate_point_type.R, the rule functions' expected vectors."""
    one_side = spc.seven_point_one_side_mean
    assert one_side(np.ones(6)).tolist() == [0] * 6
    assert one_side(np.array([1] * 6 + [-1])).tolist() == [0] * 7
    assert one_side(np.array([1] * 8 + [-1])).tolist() == [0] * 6 + [1, 1, 0]
    assert one_side(np.array([-1] * 8 + [1])).tolist() == [0] * 6 + [1, 1, 0]
    part = spc.part_of_seven
    assert part(np.zeros(6)).tolist() == [0] * 6
    assert part(np.array([0] * 6 + [1, 0])).tolist() == [1] * 7 + [0]
    assert part(np.array([0] * 7 + [1, 0])).tolist() == [0] + [1] * 7 + [0]
    assert part(np.array([0] * 6 + [-1, 0])).tolist() == [1] * 7 + [0]
    trend = spc.seven_point_trend
    assert trend(np.arange(1, 7)).tolist() == [0] * 6
    assert trend(np.array([1, 2, 3, 3, 4, 5, 6])).tolist() == [0] * 7
    assert trend(np.arange(1, 8)).tolist() == [0] * 6 + [1]
    assert trend(np.array([2, 1, 2, 3, 4, 5, 6, 7, 3])).tolist() == [0] * 7 + [1, 0]
    assert trend(np.arange(7, 0, -1)).tolist() == [0] * 6 + [-1]
    assert trend(np.array([2, 7, 6, 5, 4, 3, 2, 1, 3])).tolist() == [0] * 7 + [-1, 0]
    two = spc.two_in_three
    for close in ([1, 0, 1], [0, 1, 1], [1, 1, 0]):
        assert two(np.array(close), np.ones(3)).tolist() == [1, 1, 1]
        assert two(np.array(close), np.array([1, -1, 1])).tolist() == [0, 0, 0]
    seven = np.ones(7)
    assert two(np.array([0, 0, 1, 0, 1, 0, 0]), seven).tolist() == [0, 0, 1, 1, 1, 0, 0]
    assert two(np.array([0, 0, 1, 1, 0, 0, 0]), seven).tolist() == [0, 1, 1, 1, 1, 0, 0]
    alt = np.array([1, -1, 1, -1, 1, -1, 1])
    assert two(np.array([0, 0, 1, 0, 1, 0, 0]), alt).tolist() == [0] * 7
    # ptd_part_of_two_in_three: only the points beyond the line, e.g. 1, 0, 0, 1, 1 -> 0,0,0,1,1
    close = np.array([1, 0, 0, 1, 1])
    assert ((two(close, np.ones(5)) == 1) & (close == 1)).astype(int).tolist() == [0, 0, 0, 1, 1]
