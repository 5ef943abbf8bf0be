"""SPC materialised at load time (scst_metrics/indicators/spc_step.py).

Two kinds of database: one made here with the published tables (`indicators`,
`indicator_values`, `indicator_targets`, `load_meta`) holding hand-made series, so every value
can be worked out by hand; and the real one the loader builds from the indicator fixture drop
(tests/fixtures/drops/indicators, extracted 12/06/2019), checked against the engine called
directly.
"""

# ruff: noqa: F811  (pytest fixtures imported from indicator_drops are used as arguments)

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from indicator_drops import indicator_db  # noqa: F401

from scst_metrics.indicators.spc_step import EventsError, materialise_spc, read_events
from scst_metrics.spc import xmr

AS_AT = date(2024, 11, 20)
# 13 complete months, October 2023 to October 2024, then the month in progress to 20 November
ENDS = [d.date() for d in pd.date_range("2023-10-31", periods=13, freq="ME")] + [AS_AT]

CATALOGUE = [
    # id, service_area, unit, polarity, period, target_pro_rata
    ("referrals_month", "hubs", "count", "lower_is_better", "in_the_month", False),
    ("rereferrals_12m", "hubs", "percent", "lower_is_better", "rolling_12_months", False),
    ("fostering_approvals_fytd", "fostering", "count", "higher_is_better",
     "financial_year_to_date", True),
    ("vs_attendance", "virtual_school", "percent", "higher_is_better",
     "academic_year_to_date", False),
    ("hub_allocated", "hubs", "count", "within_band", "month_end_snapshot", False),
]  # fmt: skip

# referrals in the month: 10, 14 alternating (12 months), 30 in October 2024; 5 to 20 Nov
REFERRALS = [10, 14] * 6 + [30, 5]
# households approved since 1 April (cumulative), October 2023 to 20 November 2024
APPROVALS_YTD = [5, 7, 8, 10, 13, 15, 2, 3, 6, 7, 9, 10, 12, 13]
# children allocated to hub H01 at each month end, and at the extract date
ALLOCATED = [50, 54] * 6 + [52, 53]


def make_db(path: Path) -> Path:
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE indicators (id VARCHAR, service_area VARCHAR, unit VARCHAR, "
        "polarity VARCHAR, period VARCHAR, target_pro_rata BOOLEAN)"
    )
    con.executemany("INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?)", CATALOGUE)
    con.execute("CREATE TABLE load_meta (as_at DATE, run_id VARCHAR)")
    con.execute("INSERT INTO load_meta VALUES (?, 'test')", [AS_AT])
    con.execute(
        "CREATE TABLE indicator_values (indicator_id VARCHAR, period_end DATE, hub_id VARCHAR, "
        "numerator DOUBLE, denominator DOUBLE, value DOUBLE)"
    )
    rows = []
    for i, end in enumerate(ENDS):
        rows.append(("referrals_month", end, None, REFERRALS[i], None, REFERRALS[i]))
        rows.append(("rereferrals_12m", end, None, 20 + i, 100, 20.0 + i))
        rows.append(("fostering_approvals_fytd", end, None, APPROVALS_YTD[i], None,
                     APPROVALS_YTD[i]))  # fmt: skip
        rows.append(("vs_attendance", end, None, 90, 100, 90.0))
        rows.append(("hub_allocated", end, "H01", ALLOCATED[i], None, ALLOCATED[i]))
    con.executemany("INSERT INTO indicator_values VALUES (?, ?, ?, ?, ?, ?)", rows)
    con.execute(
        "CREATE TABLE indicator_targets (indicator_id VARCHAR, period_end DATE, hub_id VARCHAR, "
        "target DOUBLE, amber DOUBLE, low DOUBLE, high DOUBLE, target_source VARCHAR, "
        "rag VARCHAR)"
    )
    targets = [
        ("referrals_month", date(2024, 10, 31), None, 12, None, None, None),
        # a year's target of 12 households held pro rata: 6 by 30 September, 7 by 31 October
        ("fostering_approvals_fytd", date(2024, 9, 30), None, 6, None, None, None),
        ("fostering_approvals_fytd", date(2024, 10, 31), None, 7, None, None, None),
        ("hub_allocated", AS_AT, "H01", None, 5, 40, 70),
    ]
    con.executemany(
        "INSERT INTO indicator_targets VALUES (?, ?, ?, ?, ?, ?, ?, 'test', NULL)", targets
    )
    con.close()
    return path


def write_events(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def spc_db(tmp_path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(make_db(tmp_path / "spc.duckdb")))
    materialise_spc(con, events_csv=write_events(tmp_path / "events.csv", "date,scope,what\n"))
    yield con
    con.close()


def summary(con, indicator_id: str, hub_id: str | None = None) -> dict:
    frame = con.execute(
        "SELECT * FROM indicator_spc_summary WHERE indicator_id = ? "
        "AND hub_id IS NOT DISTINCT FROM ?",
        [indicator_id, hub_id],
    ).df()
    assert len(frame) == 1
    return frame.iloc[0].to_dict()


def points(con, indicator_id: str, hub_id: str | None = None) -> pd.DataFrame:
    return con.execute(
        "SELECT * FROM indicator_spc WHERE indicator_id = ? AND hub_id IS NOT DISTINCT FROM ? "
        "ORDER BY period_end",
        [indicator_id, hub_id],
    ).df()


def test_in_month_series_leaves_out_the_month_in_progress(spc_db):
    p = points(spc_db, "referrals_month")
    assert len(p) == 14
    # Limits from the 13 complete months only (the 5 referrals to 20 November are left out):
    # mean = (6*10 + 6*14 + 30) / 13 = 174 / 13 = 13.384615
    # mR: 4 (x11), |30 - 14| = 16 -> 60 / 12 = 5 (16 < 3.267 * 5 = 16.335: not screened out)
    # UPL = 13.384615 + 2.66 * 5 = 26.684615 < 30: October 2024 is above the upper limit, and
    # fewer referrals are better: special cause concern.
    assert round(p["mean"].iloc[0], 6) == 13.384615
    assert round(p["upl"].iloc[0], 6) == 26.684615
    assert round(p["lpl"].iloc[0], 6) == 0.084615
    assert p["part_month"].tolist() == [False] * 13 + [True]
    last, part = p.iloc[12], p.iloc[13]
    assert last["point_type"] == "special_cause_concern" and last["special_cause"]
    assert str(part["period_end"].date()) == "2024-11-20" and part["value"] == 5
    assert not part["special_cause"] and pd.isna(part["point_type"])
    assert part["mean"] == last["mean"] and part["upl"] == last["upl"]  # drawn against them
    s = summary(spc_db, "referrals_month")
    assert s["variation"] == "concern_high"
    # target 12 lies between the limits 0.084615 and 26.684615
    assert s["assurance"] == "inconsistent" and s["target"] == 12
    assert str(s["latest_period_end"].date()) == "2024-10-31"
    assert str(s["part_month_end"].date()) == "2024-11-20"
    assert s["trial_limits"] is False or s["trial_limits"] == 0
    assert s["basis"] == "value" and pd.isna(s["reason_if_none"])


def test_rolling_12_months_has_no_spc_and_says_why(spc_db):
    assert points(spc_db, "rereferrals_12m").empty
    s = summary(spc_db, "rereferrals_12m")
    assert pd.isna(s["variation"]) and pd.isna(s["assurance"])
    assert "rolling 12-month" in s["reason_if_none"]
    assert "overlap" in s["reason_if_none"]


def test_year_to_date_count_is_charted_on_its_in_month_figure(spc_db):
    p = points(spc_db, "fostering_approvals_fytd")
    # Year to date 5, 7, 8, 10, 13, 15 (Oct 2023 - Mar 2024), 2, 3, 6, 7, 9, 10, 12 (Apr-Oct
    # 2024), 13 (to 20 Nov). October 2023 has no September before it in the data: dropped.
    # Months: Nov 7-5 = 2, Dec 1, Jan 2, Feb 3, Mar 2, Apr 2 (its own: the year's first),
    # May 1, Jun 3, Jul 1, Aug 2, Sep 1, Oct 2; November to the 20th: 13 - 12 = 1 (part month).
    assert p["value"].tolist() == [2, 1, 2, 3, 2, 2, 1, 3, 1, 2, 1, 2, 1]
    assert p["part_month"].tolist() == [False] * 12 + [True]
    # mean = 22 / 12 = 1.833333; mR 1,1,1,1,0,1,2,2,1,1,1 = 12 / 11 = 1.090909
    assert round(p["mean"].iloc[0], 6) == 1.833333
    assert round(p["upl"].iloc[0], 6) == round(22 / 12 + 2.66 * 12 / 11, 6) == 4.735152
    s = summary(spc_db, "fostering_approvals_fytd")
    assert s["basis"] == "in_month_from_year_to_date"
    # October's share of the pro-rata target: 7 by 31 October less 6 by 30 September = 1
    assert s["target"] == 1.0 and s["assurance"] == "inconsistent"
    assert s["trial_limits"] == 0  # 12 points


def test_year_to_date_percentage_of_a_cohort_has_no_spc(spc_db):
    assert points(spc_db, "vs_attendance").empty
    reason = summary(spc_db, "vs_attendance")["reason_if_none"]
    assert "academic year-to-date" in reason and "cannot be taken" in reason


def test_within_band_indicator_neutral_variation_and_band_assurance(spc_db):
    p = points(spc_db, "hub_allocated", "H01")
    # A month-end snapshot at the extract date is a real snapshot: charted, not a part month.
    assert p["part_month"].tolist() == [False] * 14
    # mean = (6*50 + 6*54 + 52 + 53) / 14 = 729 / 14 = 52.071429
    # mR: 4 (x11), 2, 1 -> 47 / 13 = 3.615385; limits 52.071429 -/+ 9.616923
    # = 42.454505 to 61.688352, inside the band 40-70: consistent pass
    assert round(p["mean"].iloc[0], 6) == 52.071429
    assert round(p["lpl"].iloc[0], 6) == 42.454505
    assert round(p["upl"].iloc[0], 6) == 61.688352
    s = summary(spc_db, "hub_allocated", "H01")
    assert s["variation"] == "common_cause"
    assert s["assurance"] == "consistent_pass"
    assert (s["band_low"], s["band_high"]) == (40, 70)


def test_an_indicator_without_values_says_so(tmp_path):
    con = duckdb.connect(str(make_db(tmp_path / "spc.duckdb")))
    con.execute("DELETE FROM indicator_values WHERE indicator_id = 'vs_attendance'")
    con.execute("DELETE FROM indicator_values WHERE indicator_id = 'referrals_month'")
    materialise_spc(con, events_csv=tmp_path / "absent.csv")  # no events file: no events
    assert summary(con, "vs_attendance")["reason_if_none"] == "No values in this load: no SPC."
    assert summary(con, "referrals_month")["reason_if_none"] == "No values in this load: no SPC."
    assert points(con, "referrals_month").empty
    assert not points(con, "hub_allocated", "H01").empty
    con.close()


def test_events_rebase_the_limits(tmp_path):
    con = duckdb.connect(str(make_db(tmp_path / "spc.duckdb")))
    events = write_events(
        tmp_path / "events.csv",
        "# process changes\n"
        "date,scope,what\n"
        "2024-04-01,hubs,New front door\n"
        "2024-06-15,fostering_approvals_fytd,Recruitment campaign\n"
        "2024-05-01,lac,Does not apply to these indicators\n",
    )
    materialise_spc(con, events_csv=events)
    p = points(con, "referrals_month")
    # service area "hubs" from 1 April 2024: new limits from 30 April 2024.
    # October 2023 - March 2024: 10, 14 (x3): mean 12; April - October 2024: 10, 14, 10, 14,
    # 10, 14, 30: mean 102 / 7 = 14.571429
    assert round(p["mean"].iloc[0], 6) == 12.0
    assert round(p["mean"].iloc[12], 6) == 14.571429
    assert p["rebase_group"].tolist() == [0] * 6 + [1] * 8
    s = summary(con, "referrals_month")
    assert str(s["baseline_start"].date()) == "2024-04-30"
    assert s["trial_limits"] == 1  # 7 points since the rebase
    assert s["baseline_points"] == 7
    assert s["rebase_events"] == "2024-04-01 New front door"
    # indicator scope: the in-month approvals rebase at 30 June 2024 (after 15 June)
    f = summary(con, "fostering_approvals_fytd")
    assert str(f["baseline_start"].date()) == "2024-06-30"
    assert f["rebase_events"] == "2024-06-15 Recruitment campaign"
    con.close()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("day,scope,what\n2016-08-01,hubs,x\n", "line 1: the header must be date,scope,what"),
        (
            "date,scope,what\n2016-08-01,hubs,ok\n2016-13-01,hubs,x\n",
            "line 3, column date: '2016-13-01' is not a date; write it as YYYY-MM-DD",
        ),
        (
            "date,scope,what\n2016-08-01,hub,x\n",
            "line 2, column scope: 'hub' is not 'all', a service area",
        ),
        ("date,scope,what\n2016-08-01,all,\n", "line 2, column what: empty"),
        ("date,scope,what\n2016-08-01,all,a,b\n", "line 2: expected 3 columns"),
    ],
)
def test_events_file_errors_name_file_line_and_column(tmp_path, text, message):
    path = write_events(tmp_path / "events.csv", text)
    with pytest.raises(EventsError) as err:
        read_events(path, service_areas={"hubs", "lac"}, indicator_ids={"lac_count"})
    assert str(path) in str(err.value) and message in str(err.value)


def test_the_shipped_events_file_reads():
    events = read_events(
        service_areas={"hubs", "lac", "fostering", "virtual_school"}, indicator_ids=set()
    )
    assert (events[0].when, events[0].scope) == (date(2015, 10, 1), "all")
    assert (events[1].when, events[1].scope) == (date(2016, 8, 1), "hubs")


# --- the real loader's database ------------------------------------------------------------


@pytest.fixture
def loaded(indicator_db, tmp_path) -> duckdb.DuckDBPyConnection:
    db = tmp_path / "copy.duckdb"
    shutil.copy(indicator_db, db)
    con = duckdb.connect(str(db))
    materialise_spc(con)  # with the shipped data/events.csv (its dates precede this drop)
    yield con
    con.close()


def test_loaded_database_every_series_summarised(loaded):
    n_series = loaded.execute(
        "SELECT count(*) FROM (SELECT DISTINCT indicator_id, hub_id FROM indicator_values)"
    ).fetchall()[0][0]
    assert loaded.execute("SELECT count(*) FROM indicator_spc_summary").fetchall()[0][0] == (
        n_series
    )
    # every rolling-12-month series says why it has no SPC, and has no points
    assert loaded.execute(
        "SELECT count(*) FROM indicator_spc_summary s JOIN indicators i ON i.id = s.indicator_id "
        "WHERE i.period = 'rolling_12_months' AND s.reason_if_none IS NULL"
    ).fetchall() == [(0,)]
    assert loaded.execute(
        "SELECT count(*) FROM indicator_spc s JOIN indicators i ON i.id = s.indicator_id "
        "WHERE i.period IN ('rolling_12_months')"
    ).fetchall() == [(0,)]


@pytest.mark.parametrize(
    ("indicator_id", "hub_id", "improvement", "partial"),
    [
        ("referrals_month", None, "neutral", True),  # in the month: 12 June is a part month
        ("referrals_month", "H01", "neutral", True),
        ("lac_count", None, "neutral", False),  # snapshot: 12 June is charted
        ("cp_plans", "H02", "neutral", False),
    ],
)
def test_loaded_series_match_the_engine(loaded, indicator_id, hub_id, improvement, partial):
    values = loaded.execute(
        "SELECT period_end, value FROM indicator_values WHERE indicator_id = ? "
        "AND hub_id IS NOT DISTINCT FROM ? ORDER BY period_end",
        [indicator_id, hub_id],
    ).df()
    assert str(values["period_end"].iloc[-1].date()) == "2019-06-12"  # the extract date
    y = pd.Series(values["value"].to_numpy(), index=pd.DatetimeIndex(values["period_end"]))
    direct = xmr(y[:-1] if partial else y, improvement=improvement, screen_outliers=True)
    stored = points(loaded, indicator_id, hub_id)
    assert len(stored) == len(values)
    whole = stored[~stored["part_month"]]
    assert len(whole) == len(direct.points)
    for col in ("mean", "lpl", "upl", "nlpl", "nupl"):
        assert whole[col].round(9).tolist() == direct.points[col].round(9).tolist(), col
    assert whole["point_type"].tolist() == direct.points["point_type"].tolist()
    assert stored["part_month"].tolist() == [False] * len(direct.points) + [True] * partial
    s = summary(loaded, indicator_id, hub_id)
    assert s["variation"] == direct.variation
    assert bool(s["trial_limits"]) == direct.trial_limits
