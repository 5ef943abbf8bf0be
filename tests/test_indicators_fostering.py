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
