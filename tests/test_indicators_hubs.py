"""Hubs (children in need and child protection): every indicator worked out by hand.

Fixture: tests/fixtures/drops/indicators (see indicator_drops.py). Reference month end
31/05/2019; rolling 12 months = 01/06/2018 to 31/05/2019. Hubs at 31/05/2019 (allocations):
C1 H01; C2 moved H01 -> H02 on 15/05/2019 (counts in H02); C4 H02 (from 31/05); C6 H01 (last
day 31/05, inclusive); C7 H01; C3 and C5 unallocated (whole Trust only). X01 is an open hub with
no children.
"""

# ruff: noqa: F811  (pytest fixtures imported from indicator_drops are used as arguments)
from __future__ import annotations

from datetime import date

from indicator_drops import MAY, indicator_db, row  # noqa: F401

from scst_metrics.indicators.working_days import working_days_between


def test_hub_allocated(indicator_db):
    # H01: C1, C6 (allocation ends on the month end: still held), C7 = 3; C2 left mid-May.
    assert row(indicator_db, "hub_allocated", "H01") == (3, None, 3)
    # H02: C2 (moved in 15/05), C4 = 2
    assert row(indicator_db, "hub_allocated", "H02") == (2, None, 2)
    # the child who moved mid-month counted in H01 at the April month end: C1, C2, C6, C7
    assert row(indicator_db, "hub_allocated", "H01", date(2019, 4, 30)) == (4, None, 4)
    # an open hub with nobody: 0, a real count
    assert row(indicator_db, "hub_allocated", "X01") == (0, None, 0)
    # Trust: 3 + 2 + 5 looked after children in L01 = 10 (counted from the data)
    assert row(indicator_db, "hub_allocated") == (10, None, 10)


def test_referrals_month(indicator_db):
    # May 2019: C3 on 20/05 (unallocated) and C4 on 31/05 (the month end itself) = 2
    assert row(indicator_db, "referrals_month") == (2, None, 2)
    assert row(indicator_db, "referrals_month", "H02") == (1, None, 1)  # C4
    assert row(indicator_db, "referrals_month", "H01") == (0, None, 0)


def test_referrals_rate_12m(indicator_db):
    # referrals 01/06/2018-31/05/2019: C4 15/06/18, C2 02/07/18, C1 03/09/18, C3 20/05/19,
    # C4 31/05/19 = 5; population 50,000 -> 5 / 50,000 * 10,000 = 1.0
    assert row(indicator_db, "referrals_rate_12m") == (5, 50000, 1.0)


def test_rereferrals_12m(indicator_db):
    # C1 03/09/18 (previous 10/03/18: within 12 months) yes; C2 02/07/18 first; C3 20/05/19
    # (previous 10/05/18: 12 months and 10 days before) no; C4 15/06/18 (previous 01/05/16) no;
    # C4 31/05/19 (previous 15/06/18) yes -> 2 / 5 = 40%
    assert row(indicator_db, "rereferrals_12m") == (2, 5, 40.0)
    assert row(indicator_db, "rereferrals_12m", "H01") == (1, 1, 100.0)  # C1
    assert row(indicator_db, "rereferrals_12m", "H02") == (1, 3, 33.3333)  # C2, C4 x2
    # the Trust (40%) is not the average of the hubs (66.7%): C3 is in no hub
    # a hub with no referrals: no data, not 0%
    assert row(indicator_db, "rereferrals_12m", "X01") == (0, 0, None)


def test_assessments_45wd_counts_bank_holidays_out(indicator_db):
    # 18/03/2019 -> 23/05/2019: 9 working days in March (19th-29th), 20 in April (22 weekdays
    # less Good Friday 19/04 and Easter Monday 22/04), May 1-3 (3), 7-10 (4, May Day 6/05),
    # 13-17 (5), 20-23 (4): 9 + 20 + 3 + 4 + 5 + 4 = 45 -> in time. Counting weekdays only it
    # would be 48, late.
    assert working_days_between(date(2019, 3, 18), date(2019, 5, 23)) == 45
    assert working_days_between(date(2019, 3, 18), date(2019, 5, 24)) == 46
    # authorised 01/06/18-31/05/19: C1 45 days (in), C2 46 days (late), C4 15/06 -> 20/06/18
    # 3 days (in); C1's authorised 31/05/2018 is before the window; C2's open one not counted
    # -> 2 / 3 = 66.67%
    assert row(indicator_db, "assessments_45wd") == (2, 3, 66.6667)
    assert row(indicator_db, "assessments_45wd", "H01") == (1, 1, 100.0)
    assert row(indicator_db, "assessments_45wd", "H02") == (1, 2, 50.0)
    # May 2018: C1's 02/04 -> 31/05/2018 took 41 working days (Easter Monday 2/04 is day 0's
    # own bank holiday; May Day 7/05, Spring 28/05 out) -> 1 / 1
    assert working_days_between(date(2018, 4, 2), date(2018, 5, 31)) == 41
    assert row(indicator_db, "assessments_45wd", None, date(2018, 5, 31)) == (1, 1, 100.0)


def test_icpc_15wd(indicator_db):
    # C2: S47 15/04/2019 -> ICPC 07/05/2019: 13 working days (Easter and May Day out) -> in
    # C1: S47 07/01/2019 -> ICPC 01/02/2019: 19 working days -> late  => 1 / 2 = 50%
    assert working_days_between(date(2019, 4, 15), date(2019, 5, 7)) == 13
    assert working_days_between(date(2019, 1, 7), date(2019, 2, 1)) == 19
    assert row(indicator_db, "icpc_15wd") == (1, 2, 50.0)
    assert row(indicator_db, "icpc_15wd", "H01") == (0, 1, 0.0)  # a real 0%
    assert row(indicator_db, "icpc_15wd", "H02") == (1, 1, 100.0)


def test_cp_plans(indicator_db):
    # open at 31/05/2019: C1 (from 01/02/19), C2 (from 07/05/19); C6's plan ended ON 31/05 -> 2
    assert row(indicator_db, "cp_plans") == (2, None, 2)
    assert row(indicator_db, "cp_plans", "H01") == (1, None, 1)
    assert row(indicator_db, "cp_plans", "H02") == (1, None, 1)
    # a day earlier in the story: 30/04/2019: C1 and C6 -> 2
    assert row(indicator_db, "cp_plans", None, date(2019, 4, 30)) == (2, None, 2)


def test_cp_plans_rate(indicator_db):
    # 2 children / 50,000 * 10,000 = 0.4
    assert row(indicator_db, "cp_plans_rate") == (2, 50000, 0.4)


def test_cp_second_plans_12m(indicator_db):
    # started 01/06/18-31/05/19: C1 01/02/19 (earlier plan 2016: subsequent), C2 07/05/19
    # (NumberOfPreviousCPP 1: subsequent), C6 01/08/18 (first) -> 2 / 3
    assert row(indicator_db, "cp_second_plans_12m") == (2, 3, 66.6667)
    assert row(indicator_db, "cp_second_plans_12m", "H01") == (1, 2, 50.0)  # C1, C6


def test_cp_ended_2yrs_12m(indicator_db):
    # ended 01/06/18-31/05/19: C4 01/06/16 -> 01/06/18 (exactly 2 years: counts), C6 01/08/18
    # -> 31/05/19 (10 months) -> 1 / 2 = 50%
    assert row(indicator_db, "cp_ended_2yrs_12m") == (1, 2, 50.0)
    assert row(indicator_db, "cp_ended_2yrs_12m", "H02") == (1, 1, 100.0)  # C4


def test_cp_visits_10wd(indicator_db):
    # 10 working days ending Fri 31/05/2019: 31, 30, 29, 28 (27th Spring Bank Holiday), 24, 23,
    # 22, 21, 20, 17 May. C1 visited 17/05 -> in; C2 visited 16/05 -> not.  => 1 / 2
    assert working_days_between(date(2019, 5, 17), date(2019, 5, 31)) == 9  # within 10
    assert row(indicator_db, "cp_visits_10wd") == (1, 2, 50.0)
    assert row(indicator_db, "cp_visits_10wd", "H02") == (0, 1, 0.0)


def test_cin_visits_20wd(indicator_db):
    # on a CIN plan 20+ working days at 31/05: C4 (from 02/01/19), C7 (from 01/02/19); C3's plan
    # (20/05/19) is only 8 working days old; C2's ended 07/05. 20 working days back reach 2 May
    # (May Day and Spring bank holiday out): C7 seen 02/05 -> in, C4 seen 01/05 -> not. => 1/2
    assert working_days_between(date(2019, 5, 2), date(2019, 5, 31)) == 19
    assert row(indicator_db, "cin_visits_20wd") == (1, 2, 50.0)
    assert row(indicator_db, "cin_visits_20wd", "H01") == (1, 1, 100.0)


def test_caseload_per_fte(indicator_db):
    # cases with a worker: H01 C1, C6, C7 = 3 over W1 1.0 + W2 0.5 FTE = 2.0; H02 C2 over W3 1.0
    # (last day 31/05, inclusive; W4 starts 01/06) = 1.0; C4 has no worker.
    assert row(indicator_db, "caseload_per_fte", "H01") == (3, 1.5, 2.0)
    assert row(indicator_db, "caseload_per_fte", "H02") == (1, 1.0, 1.0)
    # Trust: 4 cases / 2.5 FTE = 1.6 (not the mean of 2.0 and 1.0)
    assert row(indicator_db, "caseload_per_fte") == (4, 2.5, 1.6)
    # a hub with neither cases nor workers: no data
    assert row(indicator_db, "caseload_per_fte", "X01") == (0, 0, None)


def test_agency_fte_pct(indicator_db):
    # agency: W2 0.5 (H01), W3 1.0 (H02); all: 2.5 -> 1.5 / 2.5 = 60%
    assert row(indicator_db, "agency_fte_pct") == (1.5, 2.5, 60.0)
    assert row(indicator_db, "agency_fte_pct", "H01") == (0.5, 1.5, 33.3333)
