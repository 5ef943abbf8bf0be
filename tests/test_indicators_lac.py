"""Looked after children and care leavers: every indicator worked out by hand.

Fixture: tests/fixtures/drops/indicators. Looked after at 31/05/2019: L1, L2, L3, L6 = 4.
Not counted: L4 (episode ceased ON 31/05/2019), L5 (V3 short breaks only). All in hub L01.
"""

# ruff: noqa: F811  (pytest fixtures imported from indicator_drops are used as arguments)
from __future__ import annotations

from datetime import date

import pytest
from indicator_drops import DROP, MARCH, MAY, build, indicator_db, row  # noqa: F401

from scst_metrics.published import snapshot


def test_lac_count(indicator_db):
    # L1, L2, L3, L6; not L4 (ceased on the reference date), not L5 (V3)
    assert row(indicator_db, "lac_count") == (4, None, 4)
    assert row(indicator_db, "lac_count", "L01") == (4, None, 4)
    # the day before it ceased, L4 was looked after: 30/04/2019 -> 5
    assert row(indicator_db, "lac_count", None, date(2019, 4, 30)) == (5, None, 5)


def test_lac_rate(indicator_db):
    # 4 / 50,000 * 10,000 = 0.8
    assert row(indicator_db, "lac_rate") == (4, 50000, 0.8)


def test_lac_3plus_placements(indicator_db):
    # 12 months 01/06/18-31/05/19. L2: U4 (to 01/07/18, so held on 01-30/06/18), K2, U6 (the
    # L episode on 01/03/19 is a legal-status change, same placement) = 3 -> yes.
    # L1: 1; L3: 1; L6: 1.  => 1 / 4 = 25%
    assert row(indicator_db, "lac_3plus_placements") == (1, 4, 25.0)


def test_lac_long_term_stability(indicator_db):
    # under 16 and looked after since before 30/11/2016: L1 (from 10/01/16), L2 (from 01/06/16);
    # L3 and L6 are 16. L1 in the same placement since 01/03/16 (2+ years) yes; L2 since
    # 01/12/18 no. => 1 / 2 = 50%
    assert row(indicator_db, "lac_long_term_stability") == (1, 2, 50.0)


def test_lac_placed_20miles(indicator_db):
    # both postcodes located: L1 (SL1 1AA -> SL1 3AA), L2 (SL1 1AA -> B1 1AA, Birmingham, ~97
    # miles), L3 (SL1 1AA -> SL2 5AA); L6 has no home postcode: distance not known, kept in
    # the denominator as DfE does (issue 11; tests/test_definitions_dfe.py). => 1 / 4
    assert row(indicator_db, "lac_placed_20miles") == (1, 4, 25.0)


def test_lac_placed_outside_borough(indicator_db):
    # placement located: L1, L2, L3, L6; outside Slough (E06000039): L2 (Birmingham) => 1 / 4
    assert row(indicator_db, "lac_placed_outside_borough") == (1, 4, 25.0)


def test_lac_reviews_on_time(indicator_db):
    # L1: 2 reviews in this period of care, last 10/05/19 + 6 months -> on time
    # L2: last 15/11/18 + 6 months = 15/05/19 < 31/05 -> overdue
    # L3: 25/10/18, 20/01/19 -> next by 20/07/19 -> on time
    # L6: one review 05/02/19 -> second due by 05/05/19 -> overdue   => 2 / 4
    assert row(indicator_db, "lac_reviews_on_time") == (2, 4, 50.0)


def test_lac_visits_6weeks(indicator_db):
    # 42 days ending 31/05/2019 start 20/04: L1 seen 20/04 -> in; L2 seen 19/04 -> out;
    # L3 seen 30/05 -> in; L6 not seen -> out.  => 2 / 4
    assert row(indicator_db, "lac_visits_6weeks") == (2, 4, 50.0)


def test_lac_health_assessments(indicator_db):
    # OC2 2019 (31/03/2019): L1 HEALTH_ASSESSMENT 1, L2 0 => 1 / 2 = 50%.
    # (L2's HEALTH_CHECK, health promotion, is 1: it must not count.)
    assert row(indicator_db, "lac_health_assessments", None, MARCH) == (1, 2, 50.0)


def test_lac_dental_checks(indicator_db):
    # OC2 2019: L1 TEETH_CHECK 1, L2 0 => 1 / 2
    assert row(indicator_db, "lac_dental_checks", None, MARCH) == (1, 2, 50.0)


def test_annual_indicators_have_only_31_march_values(indicator_db):
    from scst_metrics import series

    periods = series("lac_health_assessments", db=indicator_db)["period_end"].tolist()
    assert periods == [date(2019, 3, 31)]


def test_lac_missing_month(indicator_db):
    # May 2019: L2 missing 03/05, L4 missing 20/05 (looked after until 31/05); L3 was 'A'
    # (away without authorisation), not missing; L1's was in April. => 2
    assert row(indicator_db, "lac_missing_month") == (2, None, 2)
    assert row(indicator_db, "lac_missing_month", None, date(2019, 4, 30)) == (1, None, 1)


def test_lac_missing_pct(indicator_db):
    # looked after at any time in May: L1, L2, L3, L4, L6 (not L5: V3) = 5; missing 2 => 40%
    assert row(indicator_db, "lac_missing_pct") == (2, 5, 40.0)


def test_care_leavers_in_touch(indicator_db):
    # OC3 2019, aged 19-21 at 31/03/2019: CL1 (19), CL2 (21: 22 on 15/04/19), CL4 (21);
    # CL3 is 18. In touch: CL1, CL4 => 2 / 3
    assert row(indicator_db, "care_leavers_in_touch", None, MARCH) == (2, 3, 66.6667)
    # care leavers allocated to no hub: the hub has no data, the Trust does
    assert row(indicator_db, "care_leavers_in_touch", "L01", MARCH) == (0, 0, None)


def test_care_leavers_eet(indicator_db):
    # EET: CL1 F2 only (CL2 G4, CL4 G5) => 1 / 3
    assert row(indicator_db, "care_leavers_eet", None, MARCH) == (1, 3, 33.3333)


def test_care_leavers_accommodation(indicator_db):
    # suitable (code ends 1): CL1 B1; CL2 0 (not known), CL4 C2 (unsuitable) => 1 / 3
    assert row(indicator_db, "care_leavers_accommodation", None, MARCH) == (1, 3, 33.3333)


def test_lac_uasc(indicator_db):
    # L6 (no DUC) looked after; L3 ceased to be UASC on 01/03/2019 => 1
    assert row(indicator_db, "lac_uasc") == (1, None, 1)
    # at 28/02/2019 both were UASC and looked after => 2
    assert row(indicator_db, "lac_uasc", None, date(2019, 2, 28)) == (2, None, 2)


def test_a_board_for_another_authority(tmp_path, monkeypatch):
    """Issue 11: which authority we are is one setting (data/authority.toml, or the file
    $SCST_AUTHORITY names). The same drop loaded for Birmingham (E08000025, DfE 330): the
    placements located are L1 (SL1 3AA), L3 (SL2 5AA), L6 (Slough postcodes, E06000039) and
    L2 (B1 1AA, Birmingham). Outside Birmingham: L1, L3, L6 => 3 / 4 = 75% (for Slough it is
    L2 alone: 1 / 4, test_lac_placed_outside_borough)."""
    setting = tmp_path / "authority.toml"
    setting.write_text(
        'la_code = "E08000025"\nla_number = 330\nname = "Birmingham"\n', encoding="utf-8"
    )
    monkeypatch.setenv("SCST_AUTHORITY", str(setting))
    db = build(tmp_path)
    assert row(db, "lac_placed_outside_borough") == (3, 4, 75.0)
    with snapshot(db) as conn:
        compared = dict(
            conn.exec_driver_sql(
                "SELECT comparator, (geography_code, geography_name, value) "
                "FROM indicator_benchmarks WHERE indicator_id = 'lac_rate' AND year = 2025"
            ).fetchall()
        )
    # DfE's children looked after per 10,000 at 31 March 2025 (data/benchmarks/dfe_figures.csv):
    # Birmingham 79; its region West Midlands (984) 86; England 67. Its May 2025 neighbours
    # 892, 352, 380, 391, 353, 889, 373, 806, 852, 355: 93 + 97 + 96 + 107 + 91 + 90 + 54 +
    # 138 + 90 + 88 = 944, / 10 = 94.4
    assert compared["us_published"] == (330, "Birmingham", 79)
    assert compared["region"] == (984, "West Midlands", 86)
    assert compared["england"] == (970, "England", 67)
    assert compared["neighbours"][2] == pytest.approx(94.4)


def test_a_wrong_authority_setting_refuses_the_load(tmp_path, monkeypatch):
    """A wrong data/authority.toml stops the load with a message naming the file and the
    setting; the last good database keeps serving."""
    from scst_metrics.load import load_drop

    setting = tmp_path / "authority.toml"
    setting.write_text('la_code = "Slough"\nla_number = 871\n', encoding="utf-8")
    monkeypatch.setenv("SCST_AUTHORITY", str(setting))
    outcome = load_drop(DROP, tmp_path / "scst.duckdb", log=lambda _: None)
    assert outcome.status == "refused"
    assert f"{setting}: la_code 'Slough' is not an English LA's ONS code" in outcome.message
    assert "The last good database keeps serving." in outcome.message
