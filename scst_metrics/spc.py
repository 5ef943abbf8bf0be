"""Statistical process control (XmR charts) the "Making Data Count" way: pure Python.

This follows NHSRplotthedots (NHS-R Community, the reference implementation of NHS England's
"Making Data Count"; github.com/nhs-r-community/NHSRplotthedots at commit 050b07d7, files
R/ptd_spc_standard.R, R/ptd_calculate_point_type.R, R/ptd_calculate_assurance_type.R,
R/ptd_add_short_group_warnings.R, R/geom_ptd_icon.R) rule for rule:

- XmR: within each rebase group, the mean of the points; moving ranges |y[i] - y[i-1]|; their
  mean mR-bar; process limits mean +/- 2.66 x mR-bar; near-limit lines mean +/- (2/3 x 2.66) x
  mR-bar. With `fix_after_n_points` the mean and mR-bar come from the group's first n points
  only and the rules still run on every point. With `screen_outliers`, moving ranges of
  3.267 x mR-bar or more are left out and mR-bar is recomputed (once).
- Special cause (ptd_special_cause_type), in this order of precedence for the label:
  1. outside the process limits ("Above UCL" / "Below LCL");
  2. part of a trend: 7 consecutive points each strictly higher (or each strictly lower) than
     the one before, i.e. 6 consecutive rises (a tie breaks the run; the run may cross the
     mean); every point of the 7 is flagged (ptd_seven_point_trend, ptd_part_of_seven_trend);
     its direction is that of the step to the next point when that point is in the trend too,
     else of the step from the previous point;
  3. 2 of 3 consecutive points beyond a near-limit line (between it and the process limit:
     points outside the limits do not count), all three on the same side of the mean (none on
     it); only the points beyond the line are flagged (ptd_two_in_three);
  4. part of 7 consecutive points on the same side of the mean (a point on the mean breaks
     the run; ptd_seven_point_one_side_mean).
- Point type: "Above"/"Increasing" labels are high, "Below"/"Decreasing" low; oriented by the
  improvement direction into special_cause_improvement / special_cause_concern, or
  special_cause_neutral_high / _low for a neutral measure; otherwise common_cause.
- Variation icon: the point type of the latest point (geom_ptd_icon.R): improvement_high when
  higher is better, improvement_low when lower is better, concern_low / concern_high the same
  way round, neutral_high / neutral_low, common_cause.
- Assurance (ptd_calculate_assurance_type): compared with the latest point's limits, a target
  above the upper limit is consistent_fail when higher is better (consistent_pass when lower
  is better), below the lower limit the reverse, otherwise inconsistent; None without a target
  or for a neutral measure.
- Trial limits (ptd_add_short_group_warnings): a rebase group of fewer than 12 points has
  trial limits, and the result says so (`trial_limits`, per point `trial`).

Where this deliberately differs:

- `screen_outliers` defaults to False here (the issue's API, and the MDC Excel tool's
  behaviour); NHSRplotthedots' ptd_spc() defaults to TRUE. The board's materialisation
  (indicators/spc_step.py) passes True, as NHSRplotthedots does.
- Trial limits below 12 points, as the package documents and tests (its code's default
  option value is 13, which also flags groups of exactly 12).
- Rebase dates: NHSRplotthedots starts a new group only at a point whose date equals a rebase
  date; here a rebase date starts the new group at the first point dated on or after it (the
  series are indexed by month end, and a process change happens on a day). With a plain
  sequence of values `rebase_at` holds 0-based positions.
- Missing values (no data, e.g. a percentage with no eligible children) are left out of the
  calculation, as if absent: the moving range joins the points either side. They keep a row
  (with their group's limits), are never special cause and have point_type None.
- A group whose moving ranges are all 0 (a flat series): NHSRplotthedots' screening then
  discards every moving range (0 < 3.267 x 0 is false) and its limits are NaN; here screening
  is skipped when mR-bar is 0, so the limits sit on the mean.
- Band (within-band) assurance is not in NHSRplotthedots: `band_assurance` (below).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

LIMIT = 2.66  # ptd_spc_standard: limit
NEAR_LIMIT = 2 * (LIMIT / 3)  # ptd_spc_standard: limitclose
SCREEN = 3.267  # moving ranges at or above SCREEN x mR-bar are screened out
TRIAL_BELOW = 12  # a rebase group with fewer points has trial limits

Improvement = Literal["increase", "decrease", "neutral"]
VARIATIONS = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
ASSURANCES = ("consistent_pass", "consistent_fail", "inconsistent")
POINT_TYPES = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)
# Text equivalents of the icons (MDC's wording), for screen readers, tables and exports
VARIATION_WORDS = {
    "common_cause": "Common cause variation: no significant change",
    "improvement_high": "Special cause improvement: higher",
    "improvement_low": "Special cause improvement: lower",
    "concern_high": "Special cause concern: higher",
    "concern_low": "Special cause concern: lower",
    "neutral_high": "Special cause variation: higher (neither better nor worse)",
    "neutral_low": "Special cause variation: lower (neither better nor worse)",
}
ASSURANCE_WORDS = {
    "consistent_pass": "Consistently meets the target",
    "consistent_fail": "Consistently misses the target",
    "inconsistent": "Inconsistent: sometimes meets the target, sometimes misses it",
}
COLUMNS = (
    "y",
    "mean",
    "lpl",
    "upl",
    "nlpl",
    "nupl",
    "special_cause",
    "point_type",
    "special_cause_type",
    "rebase_group",
    "trial",
    "outside_limits",
    "close_to_limits",
    "relative_to_mean",
)


@dataclass(frozen=True)
class SpcResult:
    """An XmR chart worked out.

    `points`: one row per input point, in input order and with the input's index, columns
    COLUMNS (`special_cause_type` is NHSRplotthedots' label, e.g. "7 Points Above CL").
    `variation`: icon from the latest point with a value (None if there is none).
    `assurance`: against the target, from the latest point's limits (None without a target or
    for a neutral measure). `trial_limits`: the latest rebase group has fewer than 12 points.
    `baseline_start`: index label of the first point of the latest rebase group.
    """

    points: pd.DataFrame
    variation: str | None
    assurance: str | None
    trial_limits: bool
    baseline_start: object
    improvement: str
    target: float | None


def xmr(
    values: Sequence[float] | pd.Series,
    *,
    improvement: Improvement = "increase",
    target: float | None = None,
    screen_outliers: bool = False,
    rebase_at: Sequence[date | pd.Timestamp | str | int] = (),
    fix_after_n_points: int | None = None,
) -> SpcResult:
    """XmR chart of `values` (floats, or a Series indexed by period end) with the MDC rules."""
    if improvement not in ("increase", "decrease", "neutral"):
        raise ValueError(
            f"improvement must be 'increase', 'decrease' or 'neutral', not {improvement!r}"
        )
    if fix_after_n_points is not None and fix_after_n_points < 1:
        raise ValueError(f"fix_after_n_points must be at least 1, not {fix_after_n_points}")
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=float)
    y_all = pd.to_numeric(series, errors="raise").to_numpy(dtype=float)
    n = len(y_all)
    index = series.index
    if isinstance(values, pd.Series) and not index.is_monotonic_increasing:
        raise ValueError("values must be in time order: sort the Series by its period ends")
    group = _rebase_groups(index, n, rebase_at, isinstance(values, pd.Series))
    direction = {"increase": 1, "neutral": 0, "decrease": -1}[improvement]

    out = {c: np.full(n, np.nan) for c in ("mean", "lpl", "upl", "nlpl", "nupl")}
    special = np.zeros(n, dtype=bool)
    outside = np.zeros(n, dtype=bool)
    close = np.zeros(n, dtype=bool)
    rtm = np.full(n, np.nan)
    labels: list[str | None] = [None] * n
    types: list[str | None] = [None] * n
    trial = np.zeros(n, dtype=bool)

    for g in np.unique(group):
        members = np.flatnonzero(group == g)
        trial[members] = len(members) < TRIAL_BELOW
        present = members[~np.isnan(y_all[members])]
        if len(present) == 0:
            continue
        y = y_all[present]
        mean, amr = _centre(y, screen_outliers, fix_after_n_points)
        out["mean"][members] = mean
        out["lpl"][members] = mean - LIMIT * amr
        out["upl"][members] = mean + LIMIT * amr
        out["nlpl"][members] = mean - NEAR_LIMIT * amr
        out["nupl"][members] = mean + NEAR_LIMIT * amr
        lpl, upl = mean - LIMIT * amr, mean + LIMIT * amr
        nlpl, nupl = mean - NEAR_LIMIT * amr, mean + NEAR_LIMIT * amr
        o = (y > upl) | (y < lpl)
        c = ~o & ((y < nlpl) | (y > nupl))
        r = np.sign(y - mean)
        seg_labels = special_cause_types(y, r, c, o)
        outside[present], close[present], rtm[present] = o, c, r
        for i, label in zip(present, seg_labels, strict=True):
            labels[i] = label
            types[i] = _point_type(label, direction)
            special[i] = label != "Common Cause"

    points = pd.DataFrame(
        {
            "y": y_all,
            **out,
            "special_cause": special,
            "point_type": pd.Series(types, index=index, dtype=object),
            "special_cause_type": pd.Series(labels, index=index, dtype=object),
            "rebase_group": group,
            "trial": trial,
            "outside_limits": outside,
            "close_to_limits": close,
            "relative_to_mean": rtm,
        },
        index=index,
    )
    has_value = np.flatnonzero(~np.isnan(y_all))
    variation = _variation(types[has_value[-1]], improvement) if len(has_value) else None
    assurance = None
    if n and target is not None and not pd.isna(target) and improvement != "neutral":
        assurance = _assurance(float(target), points["lpl"].iloc[-1], points["upl"].iloc[-1])
        assurance = assurance if direction == 1 or assurance == "inconsistent" else _flip(assurance)
    last_group = np.flatnonzero(group == group[-1]) if n else np.array([], dtype=int)
    return SpcResult(
        points=points,
        variation=variation,
        assurance=assurance,
        trial_limits=bool(n) and bool(trial[-1]),
        baseline_start=index[last_group[0]] if n else None,
        improvement=improvement,
        target=None if target is None or pd.isna(target) else float(target),
    )


def band_assurance(result: SpcResult, low: float | None, high: float | None) -> str | None:
    """Assurance of a within-band measure (not in NHSRplotthedots), from the latest limits.

    consistent_pass when the whole process range [lpl, upl] lies inside the band [low, high]
    (every value the process will usually produce is in the band); consistent_fail when the
    whole range lies outside it (upl below low, or lpl above high); otherwise inconsistent.
    A one-sided band (low or high only) is treated the same way with the other side open.
    None when there is no band or no limits.
    """
    if (low is None or pd.isna(low)) and (high is None or pd.isna(high)):
        return None
    if result.points.empty:
        return None
    lpl, upl = result.points["lpl"].iloc[-1], result.points["upl"].iloc[-1]
    if pd.isna(lpl) or pd.isna(upl):
        return None
    lo = -np.inf if low is None or pd.isna(low) else float(low)
    hi = np.inf if high is None or pd.isna(high) else float(high)
    if lo <= lpl and upl <= hi:
        return "consistent_pass"
    if upl < lo or lpl > hi:
        return "consistent_fail"
    return "inconsistent"


# --- NHSRplotthedots' functions, one for one ------------------------------------------------


def _centre(y: np.ndarray, screen: bool, fix_after: int | None) -> tuple[float, float]:
    """Mean and mR-bar of a group (ptd_spc_standard)."""
    fixed = y if fix_after is None else y[:fix_after]
    mean = float(np.mean(fixed))
    mr = np.abs(np.diff(fixed))
    if len(mr) == 0:
        return mean, np.nan
    amr = float(np.mean(mr))
    if screen and amr > 0:
        mr = mr[mr < SCREEN * amr]
        amr = float(np.mean(mr)) if len(mr) else np.nan
    return mean, amr


def seven_point_trend(y: np.ndarray) -> np.ndarray:
    """ptd_seven_point_trend: 1 (-1) at the 7th point of 6 consecutive rises (falls)."""
    n = len(y)
    out = np.zeros(n)
    if n < 7:
        return out
    steps = sliding_window_view(np.sign(np.diff(np.asarray(y, dtype=float))), 6)
    out[6:] = np.all(steps == 1, axis=1).astype(float) - np.all(steps == -1, axis=1)
    return out


def part_of_seven(v: np.ndarray) -> np.ndarray:
    """ptd_part_of_seven_trend: this point or one of the next 6 ends a run of 7."""
    padded = np.concatenate([np.abs(np.asarray(v, dtype=float)) == 1, np.zeros(6, dtype=bool)])
    return np.any(sliding_window_view(padded, 7), axis=1).astype(float)[: len(v)]


def seven_point_one_side_mean(rtm: np.ndarray) -> np.ndarray:
    """ptd_seven_point_one_side_mean: 1 at the 7th of 7 points on the same side of the mean."""
    rtm = np.asarray(rtm, dtype=float)
    out = np.zeros(len(rtm))
    if len(rtm) < 7:
        return out
    windows = sliding_window_view(rtm, 7)
    last = windows[:, -1]
    out[6:] = (np.all(windows == last[:, None], axis=1) & (last != 0)).astype(float)
    return out


def two_in_three(close: np.ndarray, rtm: np.ndarray) -> np.ndarray:
    """ptd_two_in_three: the point is in a window of 3 with at least 2 beyond a near-limit line
    and all 3 on the same side of the mean."""
    n = len(close)
    if n == 0:
        return np.zeros(0)
    c = np.concatenate([[0, 0], np.asarray(close, dtype=float), [0, 0]])
    r = np.concatenate([[0, 0], np.asarray(rtm, dtype=float)[:n], [0, 0]])
    r = np.pad(r, (0, max(0, len(c) - len(r))))
    hit = (sliding_window_view(c, 3).sum(axis=1) >= 2) & (
        np.abs(sliding_window_view(r, 3).sum(axis=1)) == 3
    )
    return (hit[:n] | hit[1 : n + 1] | hit[2 : n + 2]).astype(float)


def special_cause_types(
    y: np.ndarray, rtm: np.ndarray, close: np.ndarray, outside: np.ndarray
) -> list[str]:
    """ptd_special_cause_type: NHSRplotthedots' label of each point of one rebase group."""
    n = len(y)
    if n == 0:
        return []
    rtm = np.asarray(rtm, dtype=float)
    close = np.asarray(close, dtype=float)
    trend = part_of_seven(seven_point_trend(y))
    two3 = (two_in_three(close, rtm) == 1) & (close == 1)
    side = part_of_seven(seven_point_one_side_mean(rtm))
    sdy = np.sign(np.diff(np.asarray(y, dtype=float)))
    right = np.zeros(n, dtype=bool)
    right[:-1] = (trend[1:] != 0) & (trend[:-1] != 0)
    left = np.concatenate([[0.0], sdy])
    step = np.where(right, np.concatenate([sdy, [0.0]]), left)
    where = np.where(rtm > 0, "Above", "Below")
    return np.select(
        [np.asarray(outside, dtype=bool), trend != 0, two3, side != 0],
        [
            np.where(rtm == 1, "Above UCL", "Below LCL"),
            np.where(step == 1, "7 Point Trend (Increasing)", "7 Point Trend (Decreasing)"),
            np.char.add(np.char.add("2 in 3 ", where), " CL"),
            np.char.add(np.char.add("7 Points ", where), " CL"),
        ],
        "Common Cause",
    ).tolist()


def _point_type(label: str, direction: int) -> str:
    """ptd_point_type."""
    v = 1 if ("Above" in label or "Increasing" in label) else 0
    v = -1 if ("Below" in label or "Decreasing" in label) else v
    if direction == 0:
        return {1: "special_cause_neutral_high", -1: "special_cause_neutral_low"}.get(
            v, "common_cause"
        )
    v *= direction
    return {1: "special_cause_improvement", -1: "special_cause_concern"}.get(v, "common_cause")


def variation_of(point_type: str | None, improvement: str) -> str:
    """The variation icon a point of this type shows (as `SpcResult.variation` of the latest)."""
    return _variation(point_type, improvement)


def _variation(point_type: str | None, improvement: str) -> str:
    """The variation icon of the latest point (geom_ptd_icon.R: variation_icon_file)."""
    high = "high" if improvement == "increase" else "low"
    low = "low" if improvement == "increase" else "high"
    return {
        "special_cause_improvement": f"improvement_{high}",
        "special_cause_concern": f"concern_{low}",
        "special_cause_neutral_high": "neutral_high",
        "special_cause_neutral_low": "neutral_low",
    }.get(point_type or "common_cause", "common_cause")


def _assurance(target: float, lpl: float, upl: float) -> str:
    """ptd_calculate_assurance_type, written for 'increase' (decrease flips pass/fail)."""
    if target > upl:
        return "consistent_fail"
    if target < lpl:
        return "consistent_pass"
    return "inconsistent"


def _flip(assurance: str) -> str:
    return {"consistent_fail": "consistent_pass", "consistent_pass": "consistent_fail"}[assurance]


def _rebase_groups(index: pd.Index, n: int, rebase_at, dated: bool) -> np.ndarray:
    """Rebase group of each point: 0, then +1 from the first point on or after each date."""
    group = np.zeros(n, dtype=int)
    if not len(rebase_at) or n == 0:
        return group
    if dated:
        stamps = pd.to_datetime(pd.Index(index))
        for when in rebase_at:
            group += np.asarray(stamps >= pd.Timestamp(when), dtype=int)
    else:
        positions = np.arange(n)
        for where in rebase_at:
            if not isinstance(where, (int, np.integer)):
                raise ValueError(
                    "rebase_at dates need values as a pandas Series indexed by period end; "
                    f"with a plain sequence give 0-based positions (got {where!r})"
                )
            group += positions >= int(where)
    # a rebase date before the first point (or after the last) starts no group of its own
    _, group = np.unique(group, return_inverse=True)
    return group.astype(int)
