"""Fostering (whole Trust only): every indicator worked out by hand.

Fixture: tests/fixtures/drops/indicators. Month end 31/05/2019; financial year from 01/04/2019.
Households: FH1 (mainstream, 2 places, since 01/05/2017), FH2 (mainstream, 1 place, approved
10/04/2019), FH3 (connected person, 1 place, approved 01/01/2018, deregistered ON 31/05/2019),
FH4 (mainstream, 3 places, approved 01/06/2018, deregistered 15/03/2019).
"""

# ruff: noqa: F811  (pytest fixtures imported from indicator_drops are used as arguments)
from __future__ import annotations

from datetime import date

from indicator_drops import MAY, indicator_db, row  # noqa: F401


def test_fostering_households(indicator_db):
    # approved at 31/05: FH1, FH2 (FH3 deregistered that day, FH4 in March) => 2
    assert row(indicator_db, "fostering_households") == (2, None, 2)
    # at 31/03/2019: FH1, FH3 (FH2 not yet approved; FH4 deregistered 15/03) => 2
    assert row(indicator_db, "fostering_households", None, date(2019, 3, 31)) == (2, None, 2)


def test_fostering_approvals_fytd(indicator_db):
    # mainstream and short-break only. Since 01/04/2019: FH2 => 1; March 2019 (FY 2018/19
    # from 01/04/2018): FH4 (01/06/2018) => 1. FH3 (connected person, 01/01/2018) never counts.
    assert row(indicator_db, "fostering_approvals_fytd") == (1, None, 1)
    assert row(indicator_db, "fostering_approvals_fytd", None, date(2019, 3, 31)) == (1, None, 1)


def test_fostering_deregistrations_fytd(indicator_db):
    # since 01/04/2019: FH3 ended ON 31/05 but is a connected person (approved for one child,
    # ended by a special guardianship order): not a carer lost => 0, shown as 0 (a count).
    # March 2019 (FY 2018/19): FH4, mainstream, retired 15/03/2019 => 1
    assert row(indicator_db, "fostering_deregistrations_fytd") == (0, None, 0)
    assert row(indicator_db, "fostering_deregistrations_fytd", None, date(2019, 3, 31)) == (
        1,
        None,
        1,
    )


def test_fostering_assessments_in_progress(indicator_db):
    # applied, no decision by 31/05: AP4 (15/01/19), AP6 (applied 31/05/19); AP5 enquiry only
    assert row(indicator_db, "fostering_assessments_in_progress") == (2, None, 2)


def test_fostering_assessments_8m(indicator_db):
    # decided 01/06/18-31/05/19: AP1 01/03/18 -> 15/10/18 (7.5 months) in; AP2 01/06/18 ->
    # 01/03/19 (9 months) out; AP3 withdrawn: not a completed assessment => 1 / 2
    assert row(indicator_db, "fostering_assessments_8m") == (1, 2, 50.0)


def test_fostering_inhouse_pct(indicator_db):
    # looked after in U1-U6 at 31/05: L1 U5 PR1, L2 U6 PR1, L3 U4 PR4 (agency) => 2 / 3
    assert row(indicator_db, "fostering_inhouse_pct") == (2, 3, 66.6667)


def test_fostering_places_filled(indicator_db):
    # places: FH1 2 + FH2 1 = 3; filled: L1 and L4 with FH1 (L4's last day is 31/05); L3 is
    # with FH3, no longer approved on 31/05 => 2 / 3
    assert row(indicator_db, "fostering_places_filled") == (2, 3, 66.6667)


def test_year_to_date_counts_are_held_to_their_share_of_the_years_target(tmp_path):
    """A financial-year-to-date count is compared with target x days since 1 April / days in
    the year (and the amber tolerance likewise), not with the whole year's target in May."""
    from indicator_drops import AS_AT, DROP

    from scst_metrics.load import load_drop
    from scst_metrics.published import snapshot

    targets = tmp_path / "targets.csv"
    targets.write_text(
        "indicator_id,from_year,to_year,hub,target,amber,low,high,source\n"
        "fostering_approvals_fytd,2015/16,,,12,3,,,test\n"
        "fostering_deregistrations_fytd,2015/16,,,8,2,,,test\n"
        "fostering_households,2015/16,,,4,1,,,test\n",
        encoding="utf-8",
    )
    db = tmp_path / "scst.duckdb"
    outcome = load_drop(
        DROP,
        db,
        as_at=AS_AT,
        population_csv=DROP / "population.csv",
        targets_csv=targets,
        log=lambda _: None,
    )
    assert outcome.published, outcome.message
    with snapshot(db) as conn:
        got = {
            (i, str(d)): (round(t, 4), round(a, 4), rag)
            for i, d, t, a, rag in conn.exec_driver_sql(
                "SELECT indicator_id, period_end, target, amber, rag FROM indicator_targets "
                "WHERE hub_id IS NULL AND period_end IN ('2019-05-31', '2019-03-31')"
            ).fetchall()
        }
    # 31/05/2019: 1 April to 31 May = 30 + 31 = 61 days of FY 2019/20's 366 (29 Feb 2020).
    # approvals: target 12 x 61/366 = 2.0, amber 3 x 61/366 = 0.5; value 1 (FH2) is more
    # than 0.5 below 2.0 (higher is better) => red
    assert got[("fostering_approvals_fytd", "2019-05-31")] == (2.0, 0.5, "red")
    # deregistrations: 8 x 61/366 = 1.3333, amber 2 x 61/366 = 0.3333; value 0 => green
    assert got[("fostering_deregistrations_fytd", "2019-05-31")] == (1.3333, 0.3333, "green")
    # 31/03/2019, the year's last day: the whole target (365/365); approvals 1 vs 12 => red
    assert got[("fostering_approvals_fytd", "2019-03-31")] == (12.0, 3.0, "red")
    # a month-end snapshot count keeps its target as written: households 2 vs 4, amber 1 => red
    assert got[("fostering_households", "2019-05-31")] == (4.0, 1.0, "red")
