"""Our definitions exactly DfE's where we compare (issue 11): one small fixture per rule.

The drop is tests/fixtures/drops/indicators (see tests/indicator_drops.py) copied, with rows
added for the rules below, and loaded by the real loader. Reference dates: 31/05/2019 (MAY)
and 31/03/2019 (MARCH). The base drop's children are worked out in tests/test_indicators_*.py;
the added ones (no hub allocation: whole-Trust figures only) are:

- D1 (RNE U and B): S 01/01/2018 U4 -> U 01/08/2018 (new legal status AND placement) ->
  B 01/02/2019 (both again), still looked after.
- D2 (a placement ending on 1 April): S 01/01/2018 U4 -> P 01/04/2018 U5 -> P 01/10/2018 U6.
- D3 (distance rounded to 0.1 mile): S 01/02/2019, home SL1 1AA, placed at GU10 1DS, 20.02
  miles away (ONS centroids) -> 20.0 -> not more than 20.
- CL5 died (IN_TOUCH DIED), CL6 returned home 6+ months (RHOM), CL7 refused contact (REFU):
  OC3 2019, all aged 19-21 at 31/03/2019.
- C9: initial conference 08/05/2019 dated before its section 47 start 10/05/2019.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from indicator_drops import DROP, MARCH, build, row

from scst_metrics.indicators.helpers import BUILDING_BLOCKS
from scst_metrics.load.publish import detail_path


def _append(path: Path, lines: str) -> None:
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + lines, encoding="utf-8")


C9 = """    <Child>
      <ChildIdentifiers><LAchildID>C9</LAchildID><UPNunknown>UN1</UPNunknown><PersonBirthDate>2011-05-05</PersonBirthDate><Sex>2</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2019-05-01</CINreferralDate><ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>
        <Section47><S47ActualStartDate>2019-05-10</S47ActualStartDate><DateOfInitialCPC>2019-05-08</DateOfInitialCPC><ICPCnotRequired>false</ICPCnotRequired></Section47>
        <ReferralNFA>0</ReferralNFA>
      </CINdetails>
    </Child>
"""


@pytest.fixture(scope="module")
def dfe_db(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("dfe_rules")
    drop = tmp / "drop"
    shutil.copytree(DROP, drop)
    s903 = drop / "ssda903" / "2020"
    _append(
        s903 / "header.csv",
        "D1,1,01/01/2012,WBRI,,,\nD2,2,01/01/2011,WBRI,,,\nD3,1,01/01/2013,WBRI,,,\n"
        "CL5,1,01/06/1998,WBRI,,,\nCL6,2,01/09/1999,WBRI,,,\nCL7,1,01/05/1998,WBRI,,,\n",
    )
    _append(
        s903 / "episodes.csv",
        "D1,01/01/2018,S,V2,N1,U4,PR1,01/08/2018,X1,,SL1 1AA,SL1 2AA,\n"
        "D1,01/08/2018,U,C2,N1,U5,PR1,01/02/2019,X1,CHILD,SL1 1AA,SL1 3AA,\n"
        "D1,01/02/2019,B,C1,N1,U6,PR1,,,CHILD,SL1 1AA,SL2 5AA,\n"
        "D2,01/01/2018,S,C2,N1,U4,PR1,01/04/2018,X1,,SL1 1AA,SL1 2AA,\n"
        "D2,01/04/2018,P,C2,N1,U5,PR1,01/10/2018,X1,CHILD,SL1 1AA,SL1 3AA,\n"
        "D2,01/10/2018,P,C2,N1,U6,PR1,,,CHILD,SL1 1AA,SL2 5AA,\n"
        "D3,01/02/2019,S,C2,N1,U4,PR1,,,,SL1 1AA,GU10 1DS,\n",
    )
    _append(
        drop / "ssda903" / "2019" / "oc3.csv",
        "CL5,01/06/1998,DIED,,\nCL6,01/09/1999,RHOM,,\nCL7,01/05/1998,REFU,0,0\n",
    )
    xml = drop / "cin" / "2020.xml"
    text = xml.read_text(encoding="utf-8")
    xml.write_text(text.replace("  </Children>", C9 + "  </Children>"), encoding="utf-8")
    return build(tmp, drop)


def test_rne_u_and_b_start_a_placement(dfe_db):
    assert "rne IN ('S', 'P', 'T', 'U', 'B')" in BUILDING_BLOCKS[2]
    # 12 months to 31/05/2019 (from 01/06/2018). Base: L2 has 3+ of L1, L2, L3, L6 (1 / 4).
    # D1: U4 (held to 31/07/18), U5 (from the U move), U6 (from the B move) = 3 -> yes.
    # (Counting only S/P/T, D1 would have 1 placement.) D2: U5, U6 = 2 -> no. D3: 1 -> no.
    # => (1 + 1) / (4 + 3) = 28.5714%
    assert row(dfe_db, "lac_3plus_placements") == (2, 7, 28.5714)


def test_placement_ending_on_1_april_counts_in_its_year(dfe_db):
    # Year to 31/03/2019 (from 01/04/2018). Looked after at 31/03/2019: L1, L2, L3, L4, L6
    # (L5 V3 only) and D1, D2, D3 = 8. 3+: L2 (U4 to 30/06/18, K2, U6), D1 (U4, U5, U6) and D2:
    # U4 ended ON 01/04/2018 (the move on 1 April is a move in 2018-19), U5, U6 = 3.
    # (With the day-after rule, D2 would have 2 and the figure be 2 / 8.) => 3 / 8 = 37.5%
    assert row(dfe_db, "lac_3plus_placements", None, MARCH) == (3, 8, 37.5)


def test_care_leavers_who_died_or_returned_home_are_out(dfe_db):
    # OC3 2019, aged 19-21: CL1 (YES, F2, B1), CL2 (NO, G4, 0), CL4 (YES, G5, C2) from the base
    # drop; CL7 (REFU, 0, 0) added and counted; CL5 (DIED) and CL6 (RHOM) out of every
    # denominator, as DfE.
    # in touch: CL1, CL4 => 2 / 4 (old rule: 2 / 6)
    assert row(dfe_db, "care_leavers_in_touch", None, MARCH) == (2, 4, 50.0)
    # EET: CL1 => 1 / 4
    assert row(dfe_db, "care_leavers_eet", None, MARCH) == (1, 4, 25.0)
    # suitable accommodation: CL1 => 1 / 4
    assert row(dfe_db, "care_leavers_accommodation", None, MARCH) == (1, 4, 25.0)


def test_20_miles_unknown_distance_kept_and_rounded(dfe_db):
    # Looked after at 31/05/2019: L1, L2, L3, L6, D1, D2, D3 = 7, all in the denominator.
    # L6 has no home postcode: distance not known, kept (DfE publishes "not known" within the
    # same total). More than 20 miles: L2 (Birmingham, ~97 miles). D3: 20.02 miles rounds to
    # 20.0, not more than 20. D1 (SL2 5AA) and D2 (SL2 5AA) are close. => 1 / 7
    assert row(dfe_db, "lac_placed_20miles") == (1, 7, 14.2857)


def test_icpc_before_s47_start_not_timed(dfe_db):
    # 12 months to 31/05/2019: C1 (19 working days: late), C2 (13: in time) from the base drop;
    # C9's conference (08/05/2019) is before its section 47 start (10/05/2019): it cannot be
    # timed, so it is neither on time nor late (old rule: -2 days counted "on time", 2 / 3).
    # => 1 / 2 = 50%
    assert row(dfe_db, "icpc_15wd") == (1, 2, 50.0)
    # the conference itself is loaded (kept in the count of conferences): a child-level row,
    # so it is in the load's detail file, never in the board's
    with duckdb.connect(str(detail_path(dfe_db)), read_only=True) as con:
        found = con.execute(
            "SELECT icpc_date, s47_start_date FROM cin_initial_conferences WHERE child_id = 'C9'"
        ).fetchall()
    assert [(str(a), str(b)) for a, b in found] == [("2019-05-08", "2019-05-10")]
