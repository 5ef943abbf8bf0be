"""The MDC summary matrix (scst_metrics.summary), on a database built by the real loader from the
indicator fixture drop (tests/fixtures/drops/indicators, extracted 12/06/2019) plus
materialise_spc with the shipped data/events.csv (its dates precede the drop: no rebasing).

Fostering, whole Trust, month ends April 2018 - May 2019 and the extract date 12 June 2019:

- fostering_households (snapshot, higher is better, target 60): 2, 2, 3 (x9, Jun-Feb), 2, 3,
  2, 2 (12 Jun). Mean 40 / 15 = 2.666667; moving ranges 0,1,0x8,1,1,1,0: 4/14 = 0.285714,
  screened at 3.267 x 0.285714 = 0.933: every 1 goes, mR-bar 0, limits = mean. 2 < 2.666667:
  below the lower limit, special cause concern (low). Target 60 > upper limit: consistent fail.
- fostering_inhouse_pct (snapshot, higher is better, target 60 +/- 5): 50, 66.67, 66.67, 100
  (x3), 66.67, 66.67, 75 (x5), 66.67, 66.67. Mean 1125 / 15 = 75; mR sum 100 / 14 = 7.142857,
  screened at 23.34: the two 33.33s go, 33.33 / 12 = 2.777778; limits 75 -/+ 7.388889 =
  67.611111 to 82.388889. 66.67 < 67.61: special cause concern (low); target 60 < lower limit:
  consistent pass; RAG green.
- fostering_approvals_fytd (year to date, higher is better, target 12 a year pro rata): year to
  date 0, 0, 1 (Jun) ... 1 (Mar), 1 (Apr 2019), 1 (May), 1 (12 Jun). In-month figure: 0, 0,
  1, 0 (x9), 1, 0. Mean 2 / 14 = 0.142857; mR 4/13 = 0.307692 (not screened: 1 < 1.005);
  upper limit 0.142857 + 2.66 x 0.307692 = 0.961319. May's share of the target: 2.000000 -
  0.983607 = 1.016393 > upper limit: consistent fail. 12 June is the month in progress.
- fostering_places_filled (snapshot, higher is better, target 80 +/- 10): 33.3, 66.7, 33.3 (x4),
  50 (x5), 100, 75, 66.7, 33.3. Mean 758.333 / 15 = 50.555556; mR 200/14 = 14.285714,
  screened at 46.67: the 50 goes, 150 / 13 = 11.538462; limits 50.555556 -/+ 30.692308 =
  19.863248 to 81.247863: the target 80 lies between: inconsistent; 33.3 is more than 10 below
  80: red. Common cause (33.3 is inside the limits; the run below the mean is 4 long).
- fostering_assessments_8m: rolling 12 months, no SPC; 1 of 2 = 50% against 80: red.
- fostering_deregistrations_fytd: improvement (low), consistent pass, green: the rest.
- fostering_assessments_in_progress: neutral, no target: the rest.
"""

# ruff: noqa: F811  (pytest fixtures imported from indicator_drops are used as arguments)

from __future__ import annotations

import math
import shutil
from datetime import date

import duckdb
import pandas as pd
import pytest
from indicator_drops import indicator_db, with_spc  # noqa: F401

from scst_metrics.indicators.spc_step import period_label
from scst_metrics.published import snapshot
from scst_metrics.summary import COLUMNS, TABLE, summary_matrix


@pytest.fixture(scope="module")
def spc_db(indicator_db, tmp_path_factory):
    return with_spc(indicator_db, tmp_path_factory.mktemp("summary"))


def matrix(db, **kw):
    with snapshot(db) as conn:
        return summary_matrix(conn, **kw)


def test_fostering_exceptions_first(spc_db):
    m = matrix(spc_db, area="fostering")
    assert list(m.columns) == COLUMNS
    # places filled (1 of 3), in-house (2 of 3) and assessments in 8 months (1 of 2) have
    # denominators under 6: "too few to rate" (indicators/small_numbers.py), so no RAG, and
    # places filled is no longer "inconsistent and off target" but one of the rest
    assert m["indicator_id"].tolist() == [
        "fostering_households",  # 0 special cause concern (catalogue order within a group)
        "fostering_inhouse_pct",  # 0 special cause concern
        "fostering_approvals_fytd",  # 1 consistent fail
        "fostering_deregistrations_fytd",  # 4 the rest (catalogue order)
        "fostering_assessments_in_progress",
        "fostering_assessments_8m",
        "fostering_places_filled",
    ]
    assert m["exception_rank"].tolist() == [0, 0, 1, 4, 4, 4, 4]
    assert m["exception"].tolist()[:3] == [
        "Special cause concern",
        "Special cause concern",
        "Consistently misses the target",
    ]
    assert m["exception"].iloc[3:].isna().all()
    assert set(m["hub_id"]) == {None} and set(m["hub_name"]) == {"Whole Trust"}
    r = m.set_index("indicator_id")
    assert r.loc["fostering_households", "variation"] == "concern_low"
    assert r.loc["fostering_households", "assurance"] == "consistent_fail"
    assert r.loc["fostering_inhouse_pct", "variation"] == "concern_low"
    assert r.loc["fostering_inhouse_pct", "assurance"] == "consistent_pass"
    assert r.loc["fostering_inhouse_pct", "judged_rag"] is None  # 2 of 3: too few to rate
    assert r.loc["fostering_approvals_fytd", "variation"] == "common_cause"
    assert r.loc["fostering_approvals_fytd", "spc_basis"] == "in_month_from_year_to_date"
    assert r.loc["fostering_places_filled", "assurance"] == "inconsistent"
    assert r.loc["fostering_places_filled", "judged_rag"] is None  # 1 of 3: too few to rate
    assert "rolling 12-month" in r.loc["fostering_assessments_8m", "spc_note"]
    assert r.loc["fostering_assessments_8m", "variation"] is None
    assert r.loc["fostering_deregistrations_fytd", "variation"] == "improvement_low"
    assert r.loc["fostering_deregistrations_fytd", "assurance"] == "consistent_pass"


def test_latest_value_month_part_month_and_changes(spc_db):
    r = matrix(spc_db, area="fostering").set_index("indicator_id")
    h = r.loc["fostering_households"]
    # a month-end snapshot at the extract date is a real snapshot, not a part month
    assert (h["period_end"], h["period_label"], h["part_month"]) == (
        date(2019, 6, 12),
        "12 Jun 2019",
        False,
    )
    assert h["value"] == 2 and h["target"] == 60 and h["rag"] == "red"
    # since last month: 2 (12 Jun) - 2 (31 May) = 0; since last year: 2 - 3 (30 Jun 2018) = -1
    assert h["change_since_last_month"] == 0 and h["change_since_last_year"] == -1
    # sparkline: the last 13 values, 31 Jun 2018 .. 12 Jun 2019: 3 (x9), 2, 3, 2, 2
    assert h["sparkline"] == [3.0] * 9 + [2.0, 3.0, 2.0, 2.0]
    assert h["sparkline_periods"][0] == date(2018, 6, 30)
    assert h["sparkline_periods"][-1] == date(2019, 6, 12)

    a = r.loc["fostering_approvals_fytd"]
    # the year to date to 12 June is the month in progress: shown, labelled, not judged
    assert (a["period_label"], a["part_month"], a["value"]) == ("1-12 Jun 2019", True, 1)
    assert a["judged_period_end"] == date(2019, 5, 31) and a["judged_value"] == 1
    assert a["judged_rag"] == "red"  # 1 household by 31 May against a pro-rata 2.0: red
    # 31 May 2019: 1, 30 April 2019: 1 -> 0; 31 May 2018: 0 -> +1
    assert a["change_since_last_month"] == 0 and a["change_since_last_year"] == 1

    p = r.loc["fostering_places_filled"]
    # 1 of 3 places (33.3%) on 12 June against 2 of 3 (66.7%) on 31 May: -33.3 points;
    # 30 June 2018: 2 of 6 (33.3%): no change over the year
    assert (p["numerator"], p["denominator"]) == (1, 3)
    assert round(p["change_since_last_month"], 6) == -33.333333
    assert round(p["change_since_last_year"], 6) == 0
    assert p["trial_limits"] is False  # 15 points


def test_variation_at_the_latest_month_is_the_stored_summarys(spc_db):
    m = matrix(spc_db)  # whole Trust, every indicator
    assert len(m) == 43
    con = duckdb.connect(str(spc_db), read_only=True)
    stored = dict(
        con.execute(
            "SELECT indicator_id, variation FROM indicator_spc_summary WHERE hub_id IS NULL"
        ).fetchall()
    )
    con.close()
    for row in m.itertuples():
        want = stored.get(row.indicator_id)
        assert row.variation == (None if want is None else want), row.indicator_id
    ranks = m["exception_rank"].tolist()
    assert ranks == sorted(ranks)
    # PEPs graded since 1 September: the in-month figure has a base up to January 2019 only
    # (no PEP graded February - May), so its SPC, and the icon, are January's
    pep = m.set_index("indicator_id").loc["pep_good"]
    assert pep["spc_note"] == "SPC on the in-month figure to Jan 2019."
    assert pep["variation"] == "common_cause" and pep["assurance"] == "inconsistent"


def test_an_earlier_month_end(spc_db):
    r = matrix(spc_db, area="fostering", end=date(2019, 5, 31)).set_index("indicator_id")
    h = r.loc["fostering_households"]
    assert (h["period_label"], h["part_month"], h["value"]) == ("May 2019", False, 2)
    # 31 May 2019: 2 below the limits (2.666667): concern; the assurance is the latest month's
    assert h["variation"] == "concern_low" and h["assurance"] is None
    assert "latest month (Jun 2019)" in h["spc_note"]
    a = r.loc["fostering_approvals_fytd"]
    assert (a["part_month"], a["judged_period_end"]) == (False, date(2019, 5, 31))
    assert a["assurance"] == "consistent_fail"  # May is that series' latest complete month


def test_hubs_and_the_whole_trust_rows(spc_db):
    m = matrix(spc_db, hubs=["L01", "H01"], area="lac")
    # lac_rate is not split by hub: one whole-Trust row; the others one row per chosen hub
    assert (m["indicator_id"] == "lac_rate").sum() == 1
    assert m.loc[m["indicator_id"] == "lac_rate", "hub_id"].tolist() == [None]
    assert (m["indicator_id"] == "lac_count").sum() == 2
    # the locality hub H01 holds no looked-after children: its rows have no value, sorted last
    h01 = m[m["hub_id"] == "H01"]
    assert h01["value"].isna().all()
    assert set(h01["spc_note"]) == {"No values for this selection."}
    assert m.index[m["hub_id"] == "H01"].min() > m.index[m["value"].notna()].max()
    l01 = m[(m["hub_id"] == "L01") & (m["indicator_id"] == "lac_count")].iloc[0]
    assert l01["hub_name"] == "Looked After Children Hub"
    assert not math.isnan(l01["value"])


def test_bad_choices_say_what_to_do(spc_db):
    with pytest.raises(ValueError, match="Unknown service area 'fostring'; choose one of"):
        matrix(spc_db, area="fostring")
    with pytest.raises(ValueError, match="Unknown hub id"):
        matrix(spc_db, hubs=["H99"])


def test_the_load_stores_the_matrix_for_every_month_hub_and_the_trust(indicator_db):
    with snapshot(indicator_db) as conn:
        q = "SELECT count(*), count(DISTINCT matrix_end), min(matrix_end), max(matrix_end) "
        q += f"FROM {TABLE}"
        n, ends, first, last = conn.exec_driver_sql(q).one()
        h01 = conn.exec_driver_sql(
            f"SELECT count(*) FROM {TABLE} WHERE hub_id = 'H01' AND matrix_end = '2019-05-31'"
        ).scalar()
    # 15 period ends (April 2018 to May 2019, and the extract date 12 June 2019); per end the
    # 10 indicators not split by hub once (whole Trust), the 33 split ones for the Trust and
    # each of the 4 hubs (H01, H02, L01, X01): 15 x (10 + 33 x 5) = 15 x 175 = 2,625 rows
    assert (n, ends, first, last) == (2625, 15, date(2018, 4, 30), date(2019, 6, 12))
    assert h01 == 33


def _without_stored_matrix(db, tmp_path):
    """A copy of `db` as published before the load stored the matrix."""
    old = tmp_path / "old.duckdb"
    shutil.copy(db, old)
    con = duckdb.connect(str(old))
    con.execute(f"DROP TABLE {TABLE}")
    con.close()
    return old


def test_the_stored_matrix_is_the_matrix_worked_out_at_every_month(spc_db, tmp_path):
    """What the overview and meeting mode show is looked up, not worked out at page open: the
    stored rows read exactly as the matrix worked out from the tables (a file from before
    the step), at every period end, between two, and for any choice of hubs and area."""
    old = _without_stored_matrix(spc_db, tmp_path)
    with snapshot(spc_db) as conn:
        ends = [None, date(2018, 3, 31)] + [
            d for (d,) in conn.exec_driver_sql(f"SELECT DISTINCT matrix_end FROM {TABLE}")
        ]
    ends.append(date(2019, 6, 1))  # between 31 May and 12 June: 31 May's rows
    choices = [
        {},
        {"hubs": ["H01"]},
        {"hubs": ["L01", "H01"]},
        {"hubs": ["H01", "L01"]},  # the chosen order is the hubs' order within a group
        {"hubs": ["H01", "H02", "L01", "X01"], "area": "lac"},
        {"area": "fostering"},
    ]
    assert len(ends) == 18
    for end in ends:
        for kw in choices:
            stored, worked_out = matrix(spc_db, end=end, **kw), matrix(old, end=end, **kw)
            assert len(stored) > 0
            pd.testing.assert_frame_equal(stored, worked_out, check_exact=True, obj=f"{end} {kw}")
    # before the first month there is nothing stored to look up: every row has no value
    early = matrix(spc_db, end=date(2018, 3, 31))
    assert set(early["spc_note"]) == {"No values for this selection."}


def test_the_board_reads_the_stored_rows(spc_db, tmp_path):
    """The matrix comes from the stored table: a title changed there shows."""
    copy = tmp_path / "marked.duckdb"
    shutil.copy(spc_db, copy)
    con = duckdb.connect(str(copy))
    con.execute(f"UPDATE {TABLE} SET title = 'Marked' WHERE indicator_id = 'lac_rate'")
    con.close()
    m = matrix(copy, area="lac")
    assert m.loc[m["indicator_id"] == "lac_rate", "title"].tolist() == ["Marked"]


@pytest.mark.parametrize(
    ("end", "part", "label"),
    [
        (date(2024, 11, 30), False, "Nov 2024"),
        (date(2024, 11, 24), True, "1-24 Nov 2024"),
        (date(2024, 11, 24), False, "24 Nov 2024"),
    ],
)
def test_period_label(end, part, label):
    assert period_label(end, part) == label
