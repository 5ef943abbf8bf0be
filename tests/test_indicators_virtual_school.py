"""Virtual School: every indicator worked out by hand.

Fixture: tests/fixtures/drops/indicators. Month end 31/05/2019; academic year from 01/09/2018.
School age (4-15 on 31/08/2018) and looked after at 31/05: L1 (8), L2 (13), L3 (15), L6 (15:
16 on 01/09/2018, so still Year 11) = 4.
"""

# ruff: noqa: F811  (pytest fixtures imported from indicator_drops are used as arguments)
from __future__ import annotations

from datetime import date

from indicator_drops import MAY, indicator_db, row  # noqa: F401


def test_pep_in_date(indicator_db):
    # 6 months ending 31/05/2019 start 01/12/2018: L1 10/01/19 in; L2 30/11/18 out (one day
    # early); L3 01/12/18 in (first day); L6 none => 2 / 4
    assert row(indicator_db, "pep_in_date") == (2, 4, 50.0)


def test_pep_good(indicator_db):
    # graded meetings since 01/09/2018: L1 good, L2 outstanding, L3 requires improvement
    # (L4's is ungraded; L2's 20/08/18 was last year) => 2 / 3
    assert row(indicator_db, "pep_good") == (2, 3, 66.6667)
    # September 2018: no graded PEP yet this academic year -> no data, not 0%
    assert row(indicator_db, "pep_good", None, date(2018, 9, 30)) == (0, 0, None)


def test_vs_attendance(indicator_db):
    # ended terms of 2018/19 at 31/05: autumn, spring (summer's 50 sessions not yet counted)
    # L1: 140-6 + 120-4 = 250; L2: 140-20 + 120-10 = 230 => 480 / 520 = 92.3077%
    assert row(indicator_db, "vs_attendance") == (480, 520, 92.3077)
    # October 2018: the autumn term has not ended; 2017/18 has no rows -> no data
    assert row(indicator_db, "vs_attendance", None, date(2018, 10, 31)) == (0, 0, None)


def test_vs_persistent_absence(indicator_db):
    # L1 missed 10 of 260 (3.8%); L2 30 of 260 (11.5%, 10% or more) => 1 / 2
    assert row(indicator_db, "vs_persistent_absence") == (1, 2, 50.0)


def test_vs_suspensions(indicator_db):
    # school-age looked after: 4; suspended since 01/09/18: L2 (05/10/18). L1's was 15/08/18
    # (last year); L3's is a permanent exclusion, not a suspension => 1 / 4
    assert row(indicator_db, "vs_suspensions") == (1, 4, 25.0)


def test_vs_permanent_exclusions(indicator_db):
    # since 01/09/2018: L3 01/02/2019 => 1; in August 2018 (2017/18): none => 0
    assert row(indicator_db, "vs_permanent_exclusions") == (1, None, 1)
    assert row(indicator_db, "vs_permanent_exclusions", None, date(2018, 8, 31)) == (0, None, 0)
