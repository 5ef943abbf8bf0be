"""The CIN census XML reader, on real files: the two third-party samples and small
hand-written XML files (written to tmp_path, no mocks)."""

from __future__ import annotations

import shutil
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from scst_metrics.extracts.cin_census import read_cin
from scst_metrics.extracts.schema import CIN_TABLES

SAMPLES = Path(__file__).parent / "fixtures" / "third_party"
AS_AT = date(2025, 3, 31)


# --- helpers ----------------------------------------------------------------------------
def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / "cin" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
    return root


def read(root: Path, as_at: date = AS_AT):
    return read_cin(root / "cin", root=root, as_at=as_at)


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth occurrence of needle in text."""
    pos = -1
    for _ in range(nth):
        pos = text.index(needle, pos + 1)
    return text.count("\n", 0, pos) + 1


def issues_of(result, rule: str):
    return [i for i in result.issues if i.rule == rule]


def message(
    children: str,
    year_header: str = "2025-03-31",
    root_open: str = "<Message>",
    root_close: str = "</Message>",
) -> str:
    """A CIN census Message with the given <Child> elements."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f"{root_open}\n"
        "<Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year>\n"
        f"<ReferenceDate>{year_header}</ReferenceDate></CollectionDetails></Header>\n"
        "<Children>\n"
        f"{children}"
        "</Children>\n"
        f"{root_close}\n"
    )


def child(ident: str | None = "C1", *, ids: str = "", chars: str = "", details: str = "") -> str:
    lachild = f"<LAchildID>{ident}</LAchildID>\n" if ident is not None else ""
    return (
        "<Child>\n"
        "<ChildIdentifiers>\n"
        f"{lachild}"
        "<PersonBirthDate>2015-03-27</PersonBirthDate>\n"
        "<Sex>F</Sex>\n"
        f"{ids}"
        "</ChildIdentifiers>\n"
        f"<ChildCharacteristics><Ethnicity>WBRI</Ethnicity>{chars}</ChildCharacteristics>\n"
        f"{details}"
        "</Child>\n"
    )


def cindetails(referral: str = "2024-06-01", inner: str = "", closure: str = "") -> str:
    close = f"<CINclosureDate>{closure}</CINclosureDate>\n" if closure else ""
    return (
        "<CINdetails>\n"
        f"<CINreferralDate>{referral}</CINreferralDate>\n"
        "<ReferralSource>1A</ReferralSource>\n"
        "<PrimaryNeedCode>N1</PrimaryNeedCode>\n"
        f"{close}"
        f"{inner}"
        "<ReferralNFA>false</ReferralNFA>\n"
        "</CINdetails>\n"
    )


def cpp(start: str, end: str = "", reviews: tuple[str, ...] = ()) -> str:
    end_el = f"<CPPendDate>{end}</CPPendDate>\n" if end else ""
    revs = "".join(f"<CPPreviewDate>{r}</CPPreviewDate>\n" for r in reviews)
    return (
        "<ChildProtectionPlans>\n"
        f"<CPPstartDate>{start}</CPPstartDate>\n"
        f"{end_el}"
        "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>\n"
        "<LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>\n"
        "<NumberOfPreviousCPP>0</NumberOfPreviousCPP>\n"
        f"<Reviews>\n{revs}</Reviews>\n"
        "</ChildProtectionPlans>\n"
    )


# --- the third-party samples -------------------------------------------------------------
def test_sample_2024_read_alone(tmp_path):
    """CIN_Census_2024.xml, worked out by hand (line numbers as in the file):

    Child DfEX0000001 (<Child> line 18), one referral 2022-10-06 (<CINdetails> line 34) with
    a DateOfInitialCPC 2022-12-06 (line 40), an assessment (line 41), a CIN plan (line 50),
    a section 47 (line 54) whose DateOfInitialCPC 2022-06-17 is at line 57, a CP plan (61)
    with one review (68). Child child_fails_assessments (line 73), referral at line 86 and
    an assessment at line 92 with no factors.
    The first child's assessment starts 2028-04-28, after as_at (31/03/2025): a required
    date in the future, so that assessment is kept out with a future_date issue at line 41.
    Everything else is valid: 12 records read, 11 kept.
    """
    (tmp_path / "cin").mkdir()
    shutil.copy(SAMPLES / "CIN_Census_2024.xml", tmp_path / "cin")
    r = read(tmp_path)

    assert r.unusable == []
    [f] = r.files
    assert (f.path, f.table, f.collection_year) == ("cin/CIN_Census_2024.xml", "cin_census", 2024)
    assert (f.rows_read, f.rows_kept) == (12, 11)
    assert len(f.sha256) == 64

    [issue] = r.issues  # the only issue: ReferenceDate 2024-03-31 matches the name's 2024
    assert (issue.rule, issue.row, issue.column, issue.value, issue.action) == (
        "future_date",
        41,
        "start_date",
        "2028-04-28",
        "row kept out",
    )
    assert "after the extract date (31/03/2025)" in issue.message

    counts = {name: len(frame) for name, frame in r.tables.items()}
    assert counts == {
        "cin_children": 2,
        "cin_referrals": 2,
        "cin_assessments": 1,
        "cin_section47": 1,
        "cin_initial_conferences": 2,
        "cin_plans": 1,
        "cin_cp_plans": 1,
        "cin_cp_reviews": 1,
    }

    ch = r.tables["cin_children"].set_index("child_id")
    first = ch.loc["DfEX0000001"]
    assert (first.upn, first.former_upn, first.upn_unknown) == (
        "A123456789123",
        "X98765432123B",
        "UN3",
    )
    assert first.birth_date == pd.Timestamp("2015-03-27")
    assert (first.sex, first.ethnicity, first.disabilities) == ("1", "WBRI", "HAND HEAR")
    assert first.source_row == 18
    second = ch.loc["child_fails_assessments"]
    assert (second.sex, second.disabilities, second.source_row) == ("M", "NONE", 73)
    assert pd.isna(second.upn)

    ref = r.tables["cin_referrals"].set_index("child_id")
    assert ref.loc["DfEX0000001"].referral_date == pd.Timestamp("2022-10-06")
    assert ref.loc["DfEX0000001"].closure_date == pd.Timestamp("2023-02-27")
    assert (ref.loc["DfEX0000001"].reason_for_closure, ref.loc["DfEX0000001"].source_row) == (
        "RC1",
        34,
    )
    assert not ref.loc["DfEX0000001"].referral_nfa  # "0"
    assert not ref.loc["child_fails_assessments"].referral_nfa  # "false"
    assert ref.loc["child_fails_assessments"].source_row == 86

    [a] = r.tables["cin_assessments"].itertuples()
    assert (a.child_id, a.start_date, a.source_row) == (
        "child_fails_assessments",
        pd.Timestamp("2023-12-25"),
        92,
    )
    assert pd.isna(a.factors)  # <FactorsIdentifiedAtAssessment/>

    [s47] = r.tables["cin_section47"].itertuples()
    assert (s47.s47_start_date, s47.icpc_date, s47.icpc_not_required, s47.source_row) == (
        pd.Timestamp("2022-06-02"),
        pd.Timestamp("2022-06-17"),
        False,
        54,
    )

    # Two different conferences: the CINdetails one (no s47) and the Section47 one.
    icpc = r.tables["cin_initial_conferences"]
    assert [
        (str(d.date()), None if pd.isna(s) else str(s.date()), row)
        for d, s, row in zip(icpc.icpc_date, icpc.s47_start_date, icpc.source_row, strict=True)
    ] == [("2022-06-17", "2022-06-02", 57), ("2022-12-06", None, 40)]

    [plan] = r.tables["cin_plans"].itertuples()
    assert (plan.start_date, plan.end_date, plan.source_row) == (
        pd.Timestamp("2023-01-24"),
        pd.Timestamp("2023-01-26"),
        50,
    )
    [cp] = r.tables["cin_cp_plans"].itertuples()
    assert (cp.initial_category, cp.latest_category, cp.previous_plans, cp.source_row) == (
        "PHY",
        "PHY",
        10,
        61,
    )
    [rev] = r.tables["cin_cp_reviews"].itertuples()
    assert (rev.plan_start_date, rev.review_date, rev.source_row) == (
        pd.Timestamp("2022-02-17"),
        pd.Timestamp("2023-02-15"),
        68,
    )
    for frame in r.tables.values():
        assert set(frame.collection_year) == {2024}


def test_both_samples_latest_year_wins(tmp_path):
    """Both samples hold the same records; the 2026 file (named 2026, ReferenceDate still
    2024-03-31 -> a warning) wins every key. Its PreProceedingsandFGDM block (2026-2027
    dates, which would be future dates) is ignored. Line numbers in the 2026 file: second
    child at 85, its referral at 98, its assessment at 104."""
    (tmp_path / "cin").mkdir()
    for name in ("CIN_Census_2024.xml", "CIN_Census_2026.xml"):
        shutil.copy(SAMPLES / name, tmp_path / "cin")
    r = read(tmp_path)

    assert r.unusable == []
    reads = {f.path: (f.collection_year, f.rows_read, f.rows_kept) for f in r.files}
    assert reads == {
        "cin/CIN_Census_2024.xml": (2024, 12, 0),  # every row superseded by 2026
        "cin/CIN_Census_2026.xml": (2026, 12, 11),
    }
    rules = sorted((i.file, i.rule, i.row) for i in r.issues)
    assert rules == [
        ("cin/CIN_Census_2024.xml", "future_date", 41),
        ("cin/CIN_Census_2026.xml", "collection_year_mismatch", 6),
        ("cin/CIN_Census_2026.xml", "future_date", 41),
    ]
    [mismatch] = issues_of(r, "collection_year_mismatch")
    assert "2026" in mismatch.message and "2024-03-31" in mismatch.message
    assert mismatch.action == "warning only"

    assert sum(len(f) for f in r.tables.values()) == 11
    for frame in r.tables.values():
        assert set(frame.source_file) == {"cin/CIN_Census_2026.xml"}
        assert set(frame.collection_year) == {2026}
    ch = r.tables["cin_children"].set_index("child_id")
    assert ch.loc["child_fails_assessments"].source_row == 85
    assert r.tables["cin_assessments"].source_row.tolist() == [104]


# --- unusable files ---------------------------------------------------------------------
def test_malformed_xml_is_unusable(tmp_path):
    text = message(child("C1")).replace("</ChildIdentifiers>", "</ChildIdentifier>")
    write(tmp_path, {"2025/cin.xml": text, "2024/cin.xml": message(child("C2"))})
    r = read(tmp_path)
    [bad] = r.unusable
    assert bad.file == "cin/2025/cin.xml"
    bad_line = line_of(text, "</ChildIdentifier>")
    assert bad_line == 11
    assert "not well-formed XML" in bad.message and "mismatched tag" in bad.message
    assert f"line {bad_line}" in bad.message and "Export the CIN census again" in bad.message
    assert "cin/2025/cin.xml" in str(bad)
    # The other year's file is still read.
    assert r.tables["cin_children"].child_id.tolist() == ["C2"]


def test_file_cut_short_is_unusable(tmp_path):
    text = message(child("C1") + child("C2"))
    cut = text[: text.index("<Sex>", text.index("C2"))]  # stops mid-way through child 2
    write(tmp_path, {"cin_2025.xml": cut})
    r = read(tmp_path)
    [bad] = r.unusable
    assert bad.file == "cin/cin_2025.xml"
    assert "cut short" in bad.message and "Run the extract again" in bad.message
    assert f"line {cut.count(chr(10)) + 1}" in bad.message  # where the parser ran out
    assert r.tables == {}
    assert r.files[0].rows_read == 0


def test_billion_laughs_is_refused_without_expanding(tmp_path):
    lols = "".join(
        f'  <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">\n' for i in range(1, 10)
    )
    text = (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE Message [\n  <!ENTITY lol0 "lol">\n' + lols + "]>\n"
        "<Message><Children><Child><ChildIdentifiers><LAchildID>&lol9;</LAchildID>"
        "</ChildIdentifiers></Child></Children></Message>\n"
    )
    write(tmp_path, {"cin_2025.xml": text})
    started = time.perf_counter()
    r = read(tmp_path)
    assert time.perf_counter() - started < 5
    [bad] = r.unusable
    assert bad.file == "cin/cin_2025.xml"
    assert "DTD" in bad.message and "line 2" in bad.message
    assert "billion laughs" in bad.message and "not read" in bad.message
    assert r.tables == {} and r.files[0].rows_read == 0


def test_external_entity_is_refused(tmp_path):
    text = (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE Message [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n'
        "<Message><Children><Child><ChildIdentifiers><LAchildID>&xxe;</LAchildID>"
        "</ChildIdentifiers></Child></Children></Message>\n"
    )
    write(tmp_path, {"cin_2025.xml": text})
    r = read(tmp_path)
    [bad] = r.unusable
    assert bad.file == "cin/cin_2025.xml"
    assert "DTD" in bad.message and "external entity" in bad.message
    assert "root:" not in bad.message  # nothing of /etc/passwd was read
    assert r.tables == {}


def test_not_a_cin_message_is_unusable(tmp_path):
    write(
        tmp_path,
        {
            "2025/page.xml": "<html><body>not a census</body></html>\n",
            "2024/school.xml": "<Message><Header><CollectionDetails><Collection>School Census"
            "</Collection></CollectionDetails></Header></Message>\n",
        },
    )
    r = read(tmp_path)
    by_file = {u.file: u.message for u in r.unusable}
    assert "root element is <html>, not <Message>" in by_file["cin/2025/page.xml"]
    assert "'School Census' collection, not the CIN census" in by_file["cin/2024/school.xml"]
    assert [i.rule for i in r.issues] == ["missing_table"] * len(CIN_TABLES)


def test_zero_byte_file_is_a_warning(tmp_path):
    write(tmp_path, {"cin_2025.xml": b""})
    r = read(tmp_path)
    assert r.unusable == []
    [empty] = issues_of(r, "empty_file")
    assert (empty.file, empty.row, empty.action) == ("cin/cin_2025.xml", None, "warning only")
    assert "empty (0 bytes)" in empty.message
    assert r.tables == {}
    # No usable census at all: every CIN table is reported missing.
    assert len(issues_of(r, "missing_table")) == len(CIN_TABLES)
    assert r.files[0].rows_read == 0


# --- values and records -------------------------------------------------------------------
def test_unknown_codes_are_blanked_and_the_row_kept(tmp_path):
    details = (
        cindetails(inner=cpp("2024-07-01"))
        .replace("<ReferralSource>1A<", "<ReferralSource>ZZ<")
        .replace("<InitialCategoryOfAbuse>NEG<", "<InitialCategoryOfAbuse>BAD<")
    )
    text = message(child("C1", details=details).replace(">WBRI<", ">WXYZ<"))
    write(tmp_path, {"cin_2025.xml": text})
    r = read(tmp_path)
    unknown = {i.value: i for i in issues_of(r, "unknown_code")}
    assert set(unknown) == {"ZZ", "BAD", "WXYZ"}
    assert (unknown["WXYZ"].row, unknown["WXYZ"].column) == (line_of(text, "<Child>"), "ethnicity")
    assert (unknown["ZZ"].row, unknown["ZZ"].column) == (
        line_of(text, "<CINdetails>"),
        "referral_source",
    )
    assert (unknown["BAD"].row, unknown["BAD"].column) == (
        line_of(text, "<ChildProtectionPlans>"),
        "initial_category",
    )
    for i in unknown.values():
        assert i.action == "value blanked"
        assert "is not a valid code" in i.message and "left blank and the row kept" in i.message
    assert pd.isna(r.tables["cin_children"].ethnicity[0])
    assert pd.isna(r.tables["cin_referrals"].referral_source[0])
    assert r.tables["cin_referrals"].primary_need[0] == "N1"
    assert pd.isna(r.tables["cin_cp_plans"].initial_category[0])
    assert r.tables["cin_cp_plans"].latest_category[0] == "NEG"


def test_iso_date_wrong_shape(tmp_path):
    """A dd/mm/yyyy referral date: required, so the referral is kept out; a birth date
    missing its leading zeros: optional, so blanked and the child kept."""
    text = message(child("C1", details=cindetails("06/10/2024")).replace("2015-03-27", "2015-3-27"))
    write(tmp_path, {"cin_2025.xml": text})
    r = read(tmp_path)
    by_column = {i.column: i for i in issues_of(r, "date_format")}
    ref = by_column["referral_date"]
    assert (ref.row, ref.value, ref.action) == (
        line_of(text, "<CINdetails>"),
        "06/10/2024",
        "row kept out",
    )
    assert "is dd/mm/yyyy but this file's dates must be yyyy-mm-dd" in ref.message
    dob = by_column["birth_date"]
    assert (dob.row, dob.value, dob.action) == (
        line_of(text, "<Child>"),
        "2015-3-27",
        "value blanked",
    )
    assert "is not a date in the form yyyy-mm-dd" in dob.message
    assert r.tables["cin_referrals"].empty
    [kept] = r.tables["cin_children"].itertuples()
    assert kept.child_id == "C1" and pd.isna(kept.birth_date)


def test_cp_plan_ending_before_it_starts(tmp_path):
    text = message(
        child(
            "C1", details=cindetails(inner=cpp("2024-07-01", "2024-06-01", reviews=("2024-07-20",)))
        )
    )
    write(tmp_path, {"cin_2025.xml": text})
    r = read(tmp_path)
    [bad] = issues_of(r, "end_before_start")
    assert (bad.row, bad.column, bad.value, bad.action) == (
        line_of(text, "<ChildProtectionPlans>"),
        "end_date",
        "2024-06-01",
        "row kept out",
    )
    assert "end_date (2024-06-01) is before start_date" in bad.message
    assert r.tables["cin_cp_plans"].empty
    # The review itself is a valid record and is kept.
    assert r.tables["cin_cp_reviews"].review_date.tolist() == [pd.Timestamp("2024-07-20")]


def test_duplicate_cp_plan(tmp_path):
    inner = cpp("2024-07-01", reviews=("2024-07-20",)) + cpp("2024-07-01", "2024-12-01")
    text = message(child("C1", details=cindetails(inner=inner)))
    write(tmp_path, {"cin_2025.xml": text})
    r = read(tmp_path)
    [dup] = issues_of(r, "duplicate_key")
    first, second = (
        line_of(text, "<ChildProtectionPlans>"),
        line_of(text, "<ChildProtectionPlans>", 2),
    )
    assert (dup.row, dup.column, dup.value) == (second, "child_id + start_date", "C1 / 2024-07-01")
    assert f"is on row {first}" in dup.message and "first row was kept" in dup.message
    [kept] = r.tables["cin_cp_plans"].itertuples()
    assert kept.source_row == first and pd.isna(kept.end_date)


def test_child_without_lachildid_is_kept_out(tmp_path):
    nameless = child(None, details=cindetails(inner=cpp("2024-07-01", reviews=("2024-08-01",))))
    text = message(child("C1") + nameless + child("C3"))
    write(tmp_path, {"cin_2025.xml": text})
    r = read(tmp_path)
    [issue] = r.issues
    assert (issue.rule, issue.column, issue.action) == ("required", "child_id", "row kept out")
    assert issue.row == line_of(text, "<Child>", 2) == 14
    # the child, its referral, its CP plan and the plan's review
    assert "has no LAchildID" in issue.message and "4 in all" in issue.message
    assert r.tables["cin_children"].child_id.tolist() == ["C1", "C3"]
    assert r.tables["cin_referrals"].empty and r.tables["cin_cp_plans"].empty
    assert (r.files[0].rows_read, r.files[0].rows_kept) == (6, 2)


def test_namespaces_are_matched_on_local_names(tmp_path):
    plain = message(child("C1", details=cindetails(inner=cpp("2024-07-01"))))
    prefixed = plain.replace("2025-03-31", "2024-03-31").replace(
        "<Message>", '<cin:Message xmlns:cin="http://www.example/CIN">'
    )
    prefixed = prefixed.replace("</Message>", "</cin:Message>")
    for tag in (
        "Children",
        "Child",
        "ChildIdentifiers",
        "LAchildID",
        "CINdetails",
        "CINreferralDate",
        "ChildProtectionPlans",
        "CPPstartDate",
    ):
        prefixed = prefixed.replace(f"<{tag}>", f"<cin:{tag}>").replace(
            f"</{tag}>", f"</cin:{tag}>"
        )
    default_ns = plain.replace("<Message>", '<Message xmlns="http://www.example/CIN">')
    write(tmp_path, {"2024/cin.xml": prefixed, "2025/cin.xml": default_ns})
    r = read(tmp_path)
    assert r.unusable == [] and r.issues == []
    assert {f.path: f.rows_kept for f in r.files} == {"cin/2024/cin.xml": 0, "cin/2025/cin.xml": 3}
    # The prefixed 2024 file is read just as well: on its own it gives the same 3 rows.
    (tmp_path / "cin" / "2025" / "cin.xml").unlink()
    r = read(tmp_path)
    assert {n: len(f) for n, f in r.tables.items() if len(f)} == {
        "cin_children": 1,
        "cin_referrals": 1,
        "cin_cp_plans": 1,
    }
    assert r.tables["cin_cp_plans"].source_row[0] == line_of(prefixed, "<cin:ChildProtectionPlans>")


def test_referral_open_across_two_years_latest_wins(tmp_path):
    open_2024 = message(child("C1", details=cindetails("2024-02-01")), "2024-03-31")
    closed_2025 = message(
        child("C1", details=cindetails("2024-02-01", closure="2024-09-30")).replace(
            "<ReasonForClosure>", ""
        )
    )
    write(tmp_path, {"2024/cin.xml": open_2024, "2025/cin.xml": closed_2025})
    r = read(tmp_path)
    assert r.issues == []
    [ref] = r.tables["cin_referrals"].itertuples()
    assert (ref.closure_date, ref.collection_year, ref.source_file) == (
        pd.Timestamp("2024-09-30"),
        2025,
        "cin/2025/cin.xml",
    )
    assert {f.path: f.rows_kept for f in r.files} == {"cin/2024/cin.xml": 0, "cin/2025/cin.xml": 2}


def test_leading_zero_ids_kept_as_text(tmp_path):
    write(tmp_path, {"cin_2025.xml": message(child("000123", details=cindetails()))})
    r = read(tmp_path)
    assert r.tables["cin_children"].child_id.tolist() == ["000123"]
    assert r.tables["cin_referrals"].child_id.tolist() == ["000123"]
    assert str(r.tables["cin_children"].child_id.dtype) == "string"


def test_year_from_reference_date_when_the_name_has_none(tmp_path):
    write(tmp_path, {"census.xml": message(child("C1"), "2023-03-31")})
    r = read(tmp_path)
    assert r.files[0].collection_year == 2023
    assert r.tables["cin_children"].collection_year.tolist() == [2023]


def test_flags_codes_lists_and_conferences(tmp_path):
    """true/false/1/0 flags; a flag that is none of these; disabilities and assessment factors
    space separated; a DateOfInitialCPC given both on CINdetails and its Section47 is one
    conference (with the enquiry's start); unknown elements are ignored."""
    inner = (
        "<DateOfInitialCPC>2024-06-20</DateOfInitialCPC>\n"
        "<Assessments>\n<AssessmentActualStartDate>2024-06-02</AssessmentActualStartDate>\n"
        "<FactorsIdentifiedAtAssessment><AssessmentFactors>1C</AssessmentFactors>\n"
        "<AssessmentFactors>4A</AssessmentFactors></FactorsIdentifiedAtAssessment>\n"
        "</Assessments>\n"
        "<Section47>\n<S47ActualStartDate>2024-06-05</S47ActualStartDate>\n"
        "<InitialCPCtarget>2025-07-01</InitialCPCtarget>\n"
        "<DateOfInitialCPC>2024-06-20</DateOfInitialCPC>\n"
        "<ICPCnotRequired>1</ICPCnotRequired>\n</Section47>\n"
        "<Section47>\n<S47ActualStartDate>2024-08-05</S47ActualStartDate>\n"
        "<ICPCnotRequired>maybe</ICPCnotRequired>\n</Section47>\n"
        "<PreProceedingsandFGDM><PPStartDate>2030-01-01</PPStartDate></PreProceedingsandFGDM>\n"
    )
    chars = "<Disabilities><Disability>MOB</Disability><Disability>HEAR</Disability></Disabilities>"
    text = message(child("C1", chars=chars, details=cindetails(inner=inner)))
    write(tmp_path, {"cin_2025.xml": text})
    r = read(tmp_path)
    [flag] = r.issues
    assert (flag.rule, flag.value, flag.row, flag.action) == (
        "not_yes_no",
        "maybe",
        line_of(text, "<Section47>", 2),
        "value blanked",
    )
    assert r.tables["cin_children"].disabilities[0] == "MOB HEAR"
    assert r.tables["cin_assessments"].factors[0] == "1C 4A"
    s47 = r.tables["cin_section47"]
    assert s47.icpc_not_required.tolist()[0] is True and pd.isna(s47.icpc_not_required[1])
    # A target date in the future is allowed (past_only=False).
    assert s47.icpc_target_date[0] == pd.Timestamp("2025-07-01")
    [conf] = r.tables["cin_initial_conferences"].itertuples()
    assert (conf.icpc_date, conf.s47_start_date, conf.source_row) == (
        pd.Timestamp("2024-06-20"),
        pd.Timestamp("2024-06-05"),
        line_of(text, "<DateOfInitialCPC>"),
    )
    assert r.tables["cin_referrals"].referral_nfa.tolist() == [False]


@pytest.mark.parametrize("n_children", [3000])
def test_larger_file_streams_in_linear_time(tmp_path, n_children):
    one = child("X", details=cindetails(inner=cpp("2024-07-01", reviews=("2024-07-20",))))
    body = "".join(one.replace("<LAchildID>X<", f"<LAchildID>{i:06d}<") for i in range(n_children))
    write(tmp_path, {"cin_2025.xml": message(body)})
    started = time.perf_counter()
    r = read(tmp_path)
    assert time.perf_counter() - started < 10
    assert r.issues == []
    assert len(r.tables["cin_children"]) == n_children
    assert len(r.tables["cin_cp_reviews"]) == n_children
    assert r.tables["cin_children"].source_row.is_monotonic_increasing


def test_a_file_checked_in_batches_gives_what_the_whole_file_gives(tmp_path, monkeypatch):
    """The reader checks and stages a file's records a batch at a time (here: after every
    64-byte chunk of the file that completes a child), so its memory does not grow with the
    file; the duplicate-key rule, which needs the whole file, runs once it is all staged:
    the same rows and issues as the file checked in one batch.

    Three children: C1 (referral 2024-06-01, CP plan from 2024-07-01, review 2024-07-20),
    C2 (referral 2024-05-01), and C1 again, many batches later (the same referral and plan
    start, review 2024-09-01). By hand: the second C1 is a duplicate child (key child_id) at
    its <Child> line, its referral a duplicate (child_id + referral_date) at its
    <CINdetails> line, its plan a duplicate (child_id + start_date) at its
    <ChildProtectionPlans> line; its review (key child, plan start, review date) is not.
    Rows read: 3 children + 3 referrals + 2 plans + 2 reviews = 10; kept 10 - 3 = 7.
    """
    from scst_metrics.extracts import cin_census

    first = child("C1", details=cindetails(inner=cpp("2024-07-01", reviews=("2024-07-20",))))
    second = child("C2", details=cindetails(referral="2024-05-01"))
    again = child("C1", details=cindetails(inner=cpp("2024-07-01", reviews=("2024-09-01",))))
    text = message(first + second + again)
    write(tmp_path, {"cin_2025.xml": text})
    whole = read(tmp_path)
    monkeypatch.setattr(cin_census, "_CHUNK", 64)
    monkeypatch.setattr(cin_census, "_BATCH_ROWS", 1)
    batched = read(tmp_path)

    for r in (whole, batched):
        assert [t for t in r.tables if len(r.tables[t])] == [
            "cin_children",
            "cin_cp_plans",
            "cin_cp_reviews",
            "cin_referrals",
        ]
        assert r.tables["cin_children"].child_id.tolist() == ["C1", "C2"]
        assert r.tables["cin_referrals"].child_id.tolist() == ["C1", "C2"]
        assert r.tables["cin_cp_plans"].source_row.tolist() == [
            line_of(text, "<ChildProtectionPlans>")
        ]
        assert r.tables["cin_cp_reviews"].review_date.tolist() == [
            pd.Timestamp("2024-07-20"),
            pd.Timestamp("2024-09-01"),
        ]
        dups = sorted((i.row, i.column, i.value) for i in issues_of(r, "duplicate_key"))
        assert dups == [
            (line_of(text, "<Child>", 3), "child_id", "C1"),
            (line_of(text, "<CINdetails>", 3), "child_id + referral_date", "C1 / 2024-06-01"),
            (
                line_of(text, "<ChildProtectionPlans>", 2),
                "child_id + start_date",
                "C1 / 2024-07-01",
            ),
        ]
        [f] = r.files
        assert (f.rows_read, f.rows_kept) == (10, 7)
    assert sorted(map(str, whole.issues)) == sorted(map(str, batched.issues))


# --- the two parsers: lxml for ordinary files, the SAX reader for the rest ---------------
def _awkward_census(n_children: int) -> str:
    """Children with every kind of record, some awkward: a comment inside a leaf, empty
    elements (an empty review date, <Reviews></Reviews>), a conference date both in
    CINdetails and its Section47, a child with no LAchildID and a duplicate child."""
    kids = []
    for i in range(n_children):
        ident = None if i == 7 else f"C{min(i, n_children - 2):05d}"  # the last one twice
        inner = (
            "<Assessments>\n"
            "<AssessmentActualStartDate>2024-06-02</AssessmentActualStartDate>\n"
            "<AssessmentAuthorisationDate>2024-06-20</AssessmentAuthorisationDate>\n"
            "<FactorsIdentifiedAtAssessment><AssessmentFactors>1A</AssessmentFactors>"
            "<AssessmentFactors>2B</AssessmentFactors></FactorsIdentifiedAtAssessment>\n"
            "</Assessments>\n"
            "<Section47>\n<S47ActualStartDate>2024-06-03</S47ActualStartDate>\n"
            "<InitialCPCtarget>2024-06-20</InitialCPCtarget>\n"
            "<DateOfInitialCPC>2024-06-18</DateOfInitialCPC>\n"
            "<ICPCnotRequired>false</ICPCnotRequired>\n</Section47>\n"
            "<DateOfInitialCPC>2024-06-18</DateOfInitialCPC>\n"
        )
        plan = cpp("2024-06-18", reviews=("2024-09-01",))
        if i % 3 == 1:
            plan = plan.replace("<Reviews>\n", "<Reviews><CPPreviewDate></CPPreviewDate>")
        elif i % 3 == 2:
            plan = plan.replace(
                "<Reviews>\n<CPPreviewDate>2024-09-01</CPPreviewDate>\n", "<Reviews>"
            )
        ids = "<UPN>A<!-- checked -->123456789012</UPN>\n" if i % 5 == 0 else ""
        kids.append(child(ident, ids=ids, details=cindetails(inner=inner + plan)))
    return message("".join(kids))


def test_lxml_and_the_sax_reader_give_the_same_rows_and_issues(tmp_path, monkeypatch):
    """An ordinary file is parsed by lxml (the SAX reader is never started); forced through
    the SAX reader, the same drop gives the same tables, issues and file records. The file is
    longer than 65,535 lines, where libxml2 stops keeping element lines: the records' lines
    are still the lines of their start tags, counted here from the text itself."""
    from scst_metrics.extracts import cin_census

    text = _awkward_census(2500)
    assert text.count("\n") > 80_000
    namespaced = _awkward_census(20).replace("<Message>", '<Message xmlns="urn:cin">')
    write(tmp_path, {"2025/cin.xml": text, "2024/cin.xml": namespaced})
    monkeypatch.setattr(cin_census, "PARALLEL_BYTES", 1 << 62)  # read here, not in workers

    started = []

    class Sax(cin_census.DefusedExpatParser):
        def __init__(self, *args, **kwargs):
            started.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(cin_census, "DefusedExpatParser", Sax)
    fast = read(tmp_path)
    assert started == []  # both files read by lxml

    class Refuse:
        def __init__(self, handler):
            raise cin_census._NotOrdinary

    monkeypatch.setattr(cin_census, "_LxmlFeed", Refuse)
    sax = read(tmp_path)
    assert len(started) == 2  # both files read by the SAX reader

    assert fast.tables.keys() == sax.tables.keys()
    for name in fast.tables:
        pd.testing.assert_frame_equal(fast.tables[name], sax.tables[name], check_exact=True)
    assert fast.issues == sax.issues and len(fast.issues) > 800
    assert fast.files == sax.files

    # Lines past 65,535, worked out from the text: every kept child of 2025 is at its
    # <Child> line (child 7 has no LAchildID, the last is a duplicate of the one before).
    lines = text.split("\n")
    starts = [n + 1 for n, t in enumerate(lines) if t == "<Child>"]
    kept = starts[:7] + starts[8:-1]
    children = fast.tables["cin_children"]
    rows_2025 = children[children.source_file == "cin/2025/cin.xml"].source_row.tolist()
    assert rows_2025 == kept and kept[-1] > 65_535
    # an empty review date is kept out (required), at its own line
    empty = [
        i.row for i in fast.issues if i.column == "review_date" and i.file == "cin/2025/cin.xml"
    ]
    blank = [n + 1 for n, t in enumerate(lines) if t.startswith("<Reviews><CPPreviewDate></")]
    assert empty == [n for n in blank if not starts[7] < n < starts[8]]  # child 7: one issue
    assert len(empty) == 832 and empty[-1] > 65_535
    dup = [i for i in fast.issues if i.rule == "duplicate_key" and i.file == "cin/2025/cin.xml"]
    assert dup[0].row == starts[-1]
    upn = children.set_index("child_id").upn
    assert upn["C00000"] == "A123456789012"  # the comment inside <UPN> is left out


def test_a_file_with_a_doctype_never_reaches_lxml(tmp_path, monkeypatch):
    """The bytes go to libxml2 only once the prolog is seen to have no DOCTYPE: a file with
    one is read by the SAX reader alone, which refuses it unread."""
    from lxml import etree

    from scst_metrics.extracts import cin_census

    fed = []

    class Spy(etree.XMLPullParser):
        def feed(self, data):
            fed.append(data)
            return super().feed(data)

    monkeypatch.setattr(cin_census.etree, "XMLPullParser", Spy)
    monkeypatch.setattr(cin_census, "PARALLEL_BYTES", 1 << 62)  # read here, not in workers
    doctype = message(child("C1")).replace(
        "<Message>", '<!DOCTYPE Message [ <!ENTITY x "y"> ]>\n<Message>'
    )
    write(tmp_path, {"2025/cin.xml": doctype, "2024/cin.xml": message(child("C2"))})
    r = read(tmp_path)
    [bad] = r.unusable
    assert bad.file == "cin/2025/cin.xml" and "DTD" in bad.message
    assert len(fed) == 1 and b"DOCTYPE" not in fed[0]  # only the 2024 file was fed
    assert r.tables["cin_children"].child_id.tolist() == ["C2"]


def test_files_read_by_worker_processes_give_what_one_process_gives(tmp_path, monkeypatch):
    """A big drop's CIN files are read by worker processes, a file each, their rows staged in
    the order of the files: the same tables (rows in the same order), issues and file records
    as one process reading them in turn -- with an unusable file, an empty one and a
    duplicate across two files of one year among them."""
    from scst_metrics.extracts import cin_census

    body = _awkward_census(300)
    write(
        tmp_path,
        {
            "2023/cin.xml": body.replace("2025-03-31", "2023-03-31"),
            "2024/cin.xml": body.replace("2025-03-31", "2024-03-31"),
            "2025/a.xml": body,
            "2025/b.xml": message(child("C00001") + child("Z9")),
            "2026/cin.xml": b"",
        },
    )
    monkeypatch.setattr(cin_census, "PARALLEL_BYTES", 1 << 62)
    here = read(tmp_path)
    monkeypatch.setattr(cin_census, "PARALLEL_BYTES", 0)
    monkeypatch.setenv("SCST_LOAD_JOBS", "2")
    apart = read(tmp_path)
    assert here.tables.keys() == apart.tables.keys() and len(here.tables) == len(CIN_TABLES)
    for name in here.tables:
        pd.testing.assert_frame_equal(here.tables[name], apart.tables[name], check_exact=True)
    assert here.issues == apart.issues
    assert [i.rule for i in here.issues if i.file == "cin/2025/b.xml"] == ["duplicate_key"]
    assert here.files == apart.files and len(here.files) == 5
    assert here.unusable == apart.unusable == []

    # an unusable file: refused the same way, and the folder of the workers' files removed
    write(tmp_path, {"2022/cin.xml": body.replace("</ChildIdentifiers>", "</ChildIdentifier>", 1)})
    apart = read(tmp_path)
    [bad] = apart.unusable
    assert bad.file == "cin/2022/cin.xml" and "mismatched tag" in bad.message
    assert not list(tmp_path.rglob(".scst-cin-*"))
