"""The demo Trust generator: the session's shared full-size drop (tests/conftest.py) for the
layout, the as-of rule, IDs and the calibrations; three small Trusts from the real CLI for
determinism."""

from __future__ import annotations

import csv
import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path

import holidays
import pandas as pd
import pytest
from demo_trust import DEMO_AS_OF, write_demo

from scst_metrics.demo import write903
from scst_metrics.extracts.schema import LOCAL_TABLES, SSDA903_TABLES

AS_OF = DEMO_AS_OF.isoformat()
# the generator's own map of SSDA903 tables to file names
FILES_903 = write903.FILES
SMALL = 0.2  # determinism is checked on small Trusts: three full-size runs would take minutes


@pytest.fixture(scope="session")
def drop(demo_drop) -> Path:
    return demo_drop


@pytest.fixture(scope="session")
def small(tmp_path_factory) -> Path:
    return write_demo(tmp_path_factory.mktemp("demo_small_a"), seed=1, scale=SMALL)


@pytest.fixture(scope="session")
def small_again(tmp_path_factory) -> Path:
    return write_demo(tmp_path_factory.mktemp("demo_small_b"), seed=1, scale=SMALL)


@pytest.fixture(scope="session")
def small_other_seed(tmp_path_factory) -> Path:
    return write_demo(tmp_path_factory.mktemp("demo_small_c"), seed=2, scale=SMALL)


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_gives_identical_files(small, small_again):
    a = _digest(small)
    assert len(a) > 100  # 12 years x 11 SSDA903 files, 12 CIN files, the local files
    assert a == _digest(small_again)


def test_other_seed_differs(small, small_other_seed):
    a, b = _digest(small), _digest(small_other_seed)
    assert a.keys() == b.keys()
    assert a["local/visits.csv"] != b["local/visits.csv"]
    assert a["ssda903/2020/episodes.csv"] != b["ssda903/2020/episodes.csv"]


def test_layout_and_headers(drop):
    assert (drop / "as_at.txt").read_text().strip() == AS_OF
    years = sorted(int(p.name) for p in (drop / "ssda903").iterdir())
    assert years == list(range(2016, 2028))  # 24 Nov 2026 is in the 2027 collection year
    assert sorted(p.name for p in (drop / "cin").iterdir()) == [f"{y}.xml" for y in years]
    for y in years:
        for t in SSDA903_TABLES:
            path = drop / "ssda903" / str(y) / f"{FILES_903[t.label]}.csv"
            with open(path, encoding="utf-8") as f:
                assert tuple(next(csv.reader(f))) == t.header, (y, t.label)
    for t in LOCAL_TABLES:
        with open(drop / "local" / f"{t.name}.csv", encoding="utf-8") as f:
            assert tuple(next(csv.reader(f))) == t.header, t.name


def _all_dates(drop: Path):
    for p in (drop / "ssda903").rglob("*.csv"):
        df = pd.read_csv(p, dtype=str)
        for col in df.columns:
            # DUC is the 18th birthday from the first return on (DfE rule 205B): a date to come
            if col in ("DOB", "MC_DOB", "DUC") or col == "DATE_PERM":
                continue
            s = df[col].dropna()
            if len(s) and s.str.match(r"^\d\d/\d\d/\d{4}$").all():
                yield p, col, pd.to_datetime(s, format="%d/%m/%Y")
    for p in (drop / "local").glob("*.csv"):
        df = pd.read_csv(p, dtype=str)
        for col in df.columns:
            s = df[col].dropna()
            if len(s) and s.str.match(r"^\d{4}-\d\d-\d\d$").all():
                yield p, col, pd.to_datetime(s)


def test_no_date_after_as_of(drop):
    limit = pd.Timestamp(AS_OF)
    for p, col, dates in _all_dates(drop):
        assert dates.max() <= limit, (p, col)
    for p in (drop / "cin").glob("*.xml"):
        text = p.read_text()
        for tag in (
            "CINreferralDate",
            "CINclosureDate",
            "AssessmentAuthorisationDate",
            "CPPstartDate",
            "CPPendDate",
            "CPPreviewDate",
            "CINPlanEndDate",
        ):
            for el in ET.fromstring(text).iter(tag):
                assert el.text <= AS_OF, (p, tag)


def test_child_ids_consistent(drop):
    ids_903 = set()
    for p in (drop / "ssda903").glob("*/header.csv"):
        ids_903 |= set(pd.read_csv(p, dtype=str)["CHILD"])
    ids_cin = set()
    for p in (drop / "cin").glob("*.xml"):
        ids_cin |= {e.text for e in ET.parse(p).getroot().iter("LAchildID")}
    alloc = set(pd.read_csv(drop / "local" / "allocations.csv", dtype=str)["child_id"])
    all_ids = ids_903 | ids_cin | alloc
    assert all(len(i) == 6 and i.isdigit() for i in all_ids)
    # looked-after children are children in need with a case held by a hub
    assert len(ids_903 - alloc) < 0.02 * len(ids_903)
    # and are in the CIN census too (seed 1: all 1,125 SSDA903 children are)
    assert len(ids_903) > 1000
    assert len(ids_903 - ids_cin) < 0.02 * len(ids_903)
    for name in ("visits", "peps", "attendance", "foster_placements"):
        ids = set(pd.read_csv(drop / "local" / f"{name}.csv", dtype=str)["child_id"])
        assert ids <= all_ids, name
    fp = pd.read_csv(drop / "local" / "foster_placements.csv", dtype=str)
    hh = set(pd.read_csv(drop / "local" / "fostering_households.csv", dtype=str)["household_id"])
    assert set(fp["household_id"]) <= hh


def _lac_at(drop: Path, year: int) -> int:
    e = pd.read_csv(drop / "ssda903" / str(year) / "episodes.csv", dtype=str)
    decom = pd.to_datetime(e["DECOM"], format="%d/%m/%Y")
    dec = pd.to_datetime(e["DEC"], format="%d/%m/%Y")
    m = pd.Timestamp(f"{year}-03-31")
    open_ = (decom <= m) & (dec.isna() | (dec > m)) & ~e["LS"].isin(["V3", "V4"])
    return e.loc[open_, "CHILD"].nunique()


def test_lac_calibrated_to_slough(drop):
    # DfE published for Slough (LAIT, children looked after at 31 March): 179 in 2016, 195 in
    # 2020, 252 in 2023, 173 in 2025. The generator brings the stock to the published number
    # on each 31 March, so the return's count is exactly it.
    for year, published in ((2016, 179), (2020, 195), (2023, 252), (2025, 173)):
        assert _lac_at(drop, year) == published, year


def test_uasc_calibrated_to_slough(drop):
    # Unaccompanied asylum-seeking children looked after at 31 March: DfE published 12 for
    # 2016 and 27 for 2025. A UASC looked after at 31 March is in that year's UASC table
    # with no DUC or a DUC (18th birthday) after 31 March, and has an episode open then.
    for year, published in ((2016, 12), (2025, 27)):
        d = drop / "ssda903" / str(year)
        e = pd.read_csv(d / "episodes.csv", dtype=str)
        m = pd.Timestamp(f"{year}-03-31")
        decom = pd.to_datetime(e["DECOM"], format="%d/%m/%Y")
        dec = pd.to_datetime(e["DEC"], format="%d/%m/%Y")
        open_ = set(e.loc[(decom <= m) & (dec.isna() | (dec > m)), "CHILD"])
        u = pd.read_csv(d / "uasc.csv", dtype=str)
        duc = pd.to_datetime(u["DUC"], format="%d/%m/%Y")
        uasc = set(u.loc[duc.isna() | (duc > m), "CHILD"])
        assert len(uasc & open_) == published, year


def _open_cases(drop: Path, day: str) -> int:
    a = pd.read_csv(drop / "local" / "allocations.csv", dtype=str)
    o = a[(a["start_date"] <= day) & (a["end_date"].isna() | (a["end_date"] >= day))]
    return o["child_id"].nunique()


def test_open_cases_story(drop):
    # The Trust reported about 1,830 open cases in October 2015 and 1,440 a year later.
    assert 1700 <= _open_cases(drop, "2015-10-01") <= 1950
    assert 1330 <= _open_cases(drop, "2016-10-01") <= 1560


def test_hubs(drop):
    hubs = pd.read_csv(drop / "local" / "hubs.csv", dtype=str)
    live = hubs[hubs["closed"].isna()]
    assert (live["hub_kind"] == "locality").sum() == 18
    a = pd.read_csv(drop / "local" / "allocations.csv", dtype=str)
    day = "2020-03-31"
    o = a[(a["start_date"] <= day) & (a["end_date"].isna() | (a["end_date"] >= day))]
    loc = o[o["hub_id"].isin(live.loc[live["hub_kind"] == "locality", "hub_id"])]
    per_hub = loc.groupby("hub_id")["child_id"].nunique()
    assert 35 <= per_hub.median() <= 75


def test_fostering_story(drop):
    h = pd.read_csv(drop / "local" / "fostering_households.csv", dtype=str)
    main = h[h["household_kind"] != "connected_person"]
    approved = main["approved_date"]
    assert ((approved >= "2015-04-01") & (approved < "2015-10-01")).sum() == 2
    assert ((approved >= "2015-10-01") & (approved <= "2016-08-31")).sum() == 5
    apps = pd.read_csv(drop / "local" / "fostering_applications.csv", dtype=str)
    day = "2016-10-01"
    in_progress = (apps["application_date"] <= day) & (
        apps["decision_date"].isna() | (apps["decision_date"] > day)
    )
    assert in_progress.sum() == 15


def test_pep_story(drop):
    peps = pd.read_csv(drop / "local" / "peps.csv", dtype=str)
    # under 1% of the ~120 school-age children with a PEP in the 6 months before any month
    # end from the takeover to June 2016 (the board's series starts October 2015, looking
    # back to April 2015): at most one such PEP
    before = peps["meeting_date"].between("2015-04-01", "2016-05-31")
    assert before.sum() <= 1
    assert (peps["meeting_date"] >= "2017-09-01").sum() > 500


def test_fostering_households_in_range(drop):
    # 50-70 in-house households (mainstream + connected persons); the connected-person ones
    # follow the number looked after, so allow a little either side at the 2023 peak.
    h = pd.read_csv(drop / "local" / "fostering_households.csv", dtype=str)
    for year in range(2016, 2027):
        day = f"{year}-03-31"
        n = (
            (h["approved_date"] <= day)
            & (h["deregistered_date"].isna() | (h["deregistered_date"] > day))
        ).sum()
        assert 45 <= n <= 90, (day, n)


def test_initial_conferences_on_time_as_slough_published(drop):
    # ICPCs within 15 working days of the section 47 start, conferences in the year to 31
    # March: DfE published 51.1% for Slough in 2023 and 83.1% in 2024. The generator steers
    # each year's share to within one conference of the load's conference table; read here
    # straight from one year's census file, allow a point and a half (seed 1: 52.4% and 83.1%).
    # Working days: weekdays that are not England's bank holidays (as DfE counts them).
    bank = list(holidays.country_holidays("GB", subdiv="ENG", years=range(2021, 2025)))
    for year, published in ((2023, 51.1), (2024, 83.1)):
        root = ET.parse(drop / "cin" / f"{year}.xml").getroot()
        on_time = total = 0
        for s47 in root.iter("Section47"):
            start = s47.findtext("S47ActualStartDate")
            icpc = s47.findtext("DateOfInitialCPC")
            if not (start and icpc and f"{year - 1}-04-01" <= icpc <= f"{year}-03-31"):
                continue
            total += 1
            # working days after the start up to the conference
            days = pd.bdate_range(start, icpc, freq="C", holidays=bank).size - 1
            on_time += days <= 15
        assert total > 50
        assert abs(100 * on_time / total - published) <= 1.5, (year, on_time, total)


def test_social_worker_episodes_chain_within_care(drop):
    # SWEpisodes: only while looked after, each starting the day the previous one ends.
    for year in (2024, 2025):
        d = drop / "ssda903" / str(year)
        sw = pd.read_csv(d / "sw_episodes.csv", dtype=str)
        ep = pd.read_csv(d / "episodes.csv", dtype=str)
        assert set(sw["CHILD"]) <= set(ep["CHILD"])
        for _child, g in sw.groupby("CHILD"):
            g = g.assign(s=pd.to_datetime(g["SW_DECOM"], format="%d/%m/%Y")).sort_values("s")
            ends = pd.to_datetime(g["SW_DEC"], format="%d/%m/%Y").tolist()
            starts = g["s"].tolist()
            for e, nxt in zip(ends[:-1], starts[1:], strict=True):
                assert e <= nxt  # no overlap; a gap only between periods of care


def test_mother_and_uasc_only_for_children_looked_after(drop):
    for year in (2023, 2025):
        d = drop / "ssda903" / str(year)
        hdr = pd.read_csv(d / "header.csv", dtype=str)
        lac = set(pd.read_csv(d / "episodes.csv", dtype=str)["CHILD"])
        assert hdr.loc[hdr["MOTHER"].notna(), "CHILD"].isin(lac).all()
        uasc = pd.read_csv(d / "uasc.csv", dtype=str)
        assert uasc["CHILD"].isin(lac).all()


def test_sex_coded_as_each_year_of_the_return_wants(drop):
    # SSDA903 SEX: 1/2 up to 2023-24, M/F/U from 2024-25 (DfE rule 101 of each year).
    for year, codes in ((2024, {"1", "2"}), (2025, {"M", "F"}), (2026, {"M", "F"})):
        header = pd.read_csv(drop / "ssda903" / str(year) / "header.csv", dtype=str)
        assert set(header["SEX"]) == codes, year
