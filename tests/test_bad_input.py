"""Bad input: each kind gets a clear message naming file, row and column; nothing is lost.

Every test writes a real drop, runs the real loader and reads the real published DuckDB file.
"""

from __future__ import annotations

from datetime import date

from drops import AS_AT, BASE, EPISODES, HEADER, load, query

EP = "ssda903/2020/episodes.csv"
HD = "ssda903/2020/header.csv"
GOOD_EPISODE = "000101,01/05/2019,S,C2,N1,U4,PR1,,,,SL1 1AA,SL2 5AA,\n"


def with_file(rel: str, content: str | bytes) -> dict:
    files = dict(BASE)
    files[rel] = content
    return files


def issues(db, rule: str) -> list[tuple]:
    return query(
        db,
        "SELECT file, row_number, column_name, value, message, action FROM load_issues "
        "WHERE rule = ? ORDER BY file, row_number",
        [rule],
    )


def episodes(db) -> list[tuple]:
    return query(db, "SELECT child, decom::VARCHAR FROM s903_episodes ORDER BY child, decom")


def published(tmp_path, files):
    outcome, db = load(tmp_path, files)
    assert outcome.published, outcome.message
    return db


def refused(tmp_path, files):
    outcome, db = load(tmp_path, files)
    assert not outcome.published
    assert not db.exists(), "nothing published on a first, refused load"
    return outcome.message


# --- whole files ------------------------------------------------------------------------


def test_missing_table_is_a_warning_and_the_load_publishes(tmp_path):
    db = published(tmp_path, BASE)
    [(file, row, col, value, message, action)] = [
        i for i in issues(db, "missing_table") if "Reviews" in i[4]
    ]
    assert (file, row, action) == ("ssda903/", None, "warning only")
    assert "indicators that need it will show as unavailable" in message
    assert query(db, "SELECT present, rows FROM load_sources WHERE table_name='s903_reviews'") == [
        (False, 0)
    ]


def test_header_missing_a_column_refuses_the_load_naming_the_file_and_column(tmp_path):
    header = EPISODES.replace(",URN", "")
    message = refused(tmp_path, with_file(EP, header + GOOD_EPISODE))
    assert EP in message
    assert "Episodes table but its header is missing URN" in message


def test_a_header_that_matches_no_table_refuses_the_load(tmp_path):
    message = refused(tmp_path, with_file("ssda903/2020/notes.csv", "foo,bar\n1,2\n"))
    assert "ssda903/2020/notes.csv" in message
    assert "line 1 (the first non-blank line, 2 fields) is not the header of any SSDA903" in message
    assert "foo" not in message  # the line is never quoted: it may be a child's record


def test_extra_columns_are_ignored_with_a_warning(tmp_path):
    text = HEADER.strip() + ",NOTES\n" + "000101,1,01/02/2010,WBRI,,,,hello\n"
    text += "000102,2,03/04/2012,ABAN,,,,\n"
    db = published(tmp_path, with_file(HD, text))
    [(file, row, col, _, message, action)] = issues(db, "extra_columns")
    assert (file, row, col, action) == (HD, 1, "NOTES (column 8)", "warning only")
    assert query(db, "SELECT count(*) FROM s903_header") == [(2,)]


def test_zero_byte_file_means_no_rows_with_a_warning(tmp_path):
    db = published(tmp_path, with_file("ssda903/2020/reviews.csv", b""))
    [(file, _, _, _, message, action)] = issues(db, "empty_file")
    assert file == "ssda903/2020/reviews.csv" and action == "warning only"
    assert "Reviews table with no rows" in message
    assert query(db, "SELECT rows_read FROM load_run_files WHERE path = ?", [file]) == [(0,)]


def test_utf16_and_utf8_bom_files_are_read(tmp_path):
    files = with_file(HD, (HEADER + "000101,1,01/02/2010,WBRI,,,\n").encode("utf-16"))
    files[EP] = b"\xef\xbb\xbf" + (EPISODES + GOOD_EPISODE).encode("utf-8")
    files["local/allocations.csv"] = BASE["local/allocations.csv"].splitlines()[0] + "\n"
    db = published(tmp_path, files)
    assert query(db, "SELECT child FROM s903_header") == [("000101",)]
    assert episodes(db) == [("000101", "2019-05-01")]


def test_windows_1252_text_is_read(tmp_path):
    hubs = "hub_id,hub_name,hub_kind,opened,closed\nH01,Café Hub,locality,2016-08-01,\n"
    hubs += "L01,LAC 1,lac,2016-08-01,\n"
    db = published(tmp_path, with_file("local/hubs.csv", hubs.encode("cp1252")))
    assert ("Café Hub",) in query(db, "SELECT hub_name FROM hubs")


def test_nul_bytes_without_a_byte_order_mark_refuse_the_load(tmp_path):
    text = (HEADER + "000101,1,01/02/2010,WBRI,,,\n").encode("utf-16-le")
    message = refused(tmp_path, with_file(HD, text))
    assert HD in message and "UTF-16 without a byte-order mark" in message


def test_blank_lines_are_skipped_with_one_warning(tmp_path):
    text = HEADER + "\n000101,1,01/02/2010,WBRI,,,\n\n,,,,,,\n000102,2,03/04/2012,ABAN,,,\n"
    db = published(tmp_path, with_file(HD, text))
    [(file, row, _, _, message, _)] = issues(db, "blank_lines")
    assert (file, row) == (HD, 2)
    assert message.startswith("3 blank line(s) skipped")
    # rows keep their real line numbers
    assert query(db, "SELECT child, source_row FROM s903_header ORDER BY child") == [
        ("000101", 3),
        ("000102", 6),
    ]


def test_a_file_cut_short_loses_only_its_last_row(tmp_path):
    text = EPISODES + GOOD_EPISODE + "000102,10/06/2019,S,V2"
    db = published(tmp_path, with_file(EP, text))
    [(file, row, _, _, message, action)] = issues(db, "file_cut_short")
    assert (file, row, action) == (EP, 3, "row kept out")
    assert "looks cut short" in message
    assert episodes(db) == [("000101", "2019-05-01")]


def test_no_collection_year_in_the_path_refuses_the_load(tmp_path):
    files = dict(BASE)
    files["ssda903/latest/episodes.csv"] = files.pop(EP)
    message = refused(tmp_path, files)
    assert "ssda903/latest/episodes.csv" in message and "no collection year" in message


def test_a_malformed_as_at_file_refuses_the_load(tmp_path):
    from drops import write_drop

    from scst_metrics.load import load_drop

    drop = write_drop(tmp_path / "drop", BASE)
    (drop / "as_at.txt").write_text("31/03/2020")
    outcome = load_drop(drop, tmp_path / "db.duckdb", log=lambda s: None)
    assert not outcome.published and "as_at.txt" in outcome.message


# --- values -------------------------------------------------------------------------------


def test_iso_dates_where_dd_mm_yyyy_is_expected(tmp_path):
    text = EPISODES + GOOD_EPISODE + "000102,2019-06-10,S,V2,N2,K2,PR4,,,,,,\n"
    db = published(tmp_path, with_file(EP, text))
    [(file, row, col, value, message, action)] = issues(db, "date_format")
    assert (file, row, col, value, action) == (EP, 3, "DECOM", "2019-06-10", "row kept out")
    assert "ISO date" in message and "dd/mm/yyyy" in message
    assert episodes(db) == [("000101", "2019-05-01")]


def test_excel_mangled_dates_are_named_as_such(tmp_path):
    text = (
        EPISODES + "000101,43586,S,C2,N1,U4,PR1,,,,,,\n" + "000102,10/6/19,S,V2,N2,K2,PR4,,,,,,\n"
    )
    db = published(tmp_path, with_file(EP, text))
    found = issues(db, "date_format")
    assert [(r[1], r[3]) for r in found] == [(2, "43586"), (3, "10/6/19")]
    assert "Excel date serial number" in found[0][4]
    assert "reformatted by Excel" in found[1][4]
    assert episodes(db) == []


def test_an_optional_date_that_is_wrong_is_blanked_and_the_row_kept(tmp_path):
    text = EPISODES + "000101,01/05/2019,S,C2,N1,U4,PR1,2020-01-01,E4A,,,,\n"
    db = published(tmp_path, with_file(EP, text))
    [(_, row, col, _, message, action)] = issues(db, "date_format")
    assert (row, col, action) == (2, "DEC", "value blanked")
    assert "left blank and the row kept" in message
    assert query(db, "SELECT dec FROM s903_episodes") == [(None,)]


def test_impossible_and_future_dates(tmp_path):
    text = HEADER + "000101,1,31/02/2010,WBRI,,,\n" + "000102,2,03/04/2031,ABAN,,,\n"
    text += "000103,2,03/04/1890,ABAN,,,\n"
    db = published(tmp_path, with_file(HD, text))
    impossible = issues(db, "impossible_date")
    assert [(r[1], r[2], r[3]) for r in impossible] == [
        (2, "DOB", "31/02/2010"),
        (4, "DOB", "03/04/1890"),
    ]
    assert "not a real date" in impossible[0][4]
    [future] = issues(db, "future_date")
    assert future[1:4] == (3, "DOB", "03/04/2031")
    assert "after the extract date (01/06/2020)" in future[4]
    assert query(db, "SELECT count(*) FROM s903_header") == [(0,)]


def test_end_before_start(tmp_path):
    text = EPISODES + "000101,01/05/2019,S,C2,N1,U4,PR1,01/04/2019,E4A,,,,\n"
    db = published(tmp_path, with_file(EP, text))
    [(file, row, col, value, message, action)] = issues(db, "end_before_start")
    assert (file, row, col, value, action) == (EP, 2, "DEC", "2019-04-01", "row kept out")
    assert "DEC (2019-04-01) is before DECOM" in message
    assert episodes(db) == []


def test_overlapping_episodes_keep_the_first(tmp_path):
    text = EPISODES + "000101,01/05/2019,S,C2,N1,U4,PR1,01/09/2019,X1,,,,\n"
    text += "000101,01/08/2019,T,C2,N1,U5,PR1,,,CARPL,,,\n"
    text += "000101,01/09/2019,T,C2,N1,U6,PR1,,,CARPL,,,\n"
    db = published(tmp_path, with_file(EP, text))
    [(file, row, col, value, message, action)] = issues(db, "overlapping_periods")
    assert (file, row, col, value) == (EP, 3, "DECOM", "01/08/2019")
    assert "before the episode of care on row 2" in message
    assert episodes(db) == [("000101", "2019-05-01"), ("000101", "2019-09-01")]


def test_unknown_codes_keep_out_a_required_value_and_blank_an_optional_one(tmp_path):
    text = EPISODES + "000101,01/05/2019,S,C9,N1,U4,PR1,,,,,,\n"
    text += "000102,10/06/2019,S,V2,N2,K2,PR4,01/01/2020,ZZ,,,,\n"
    db = published(tmp_path, with_file(EP, text))
    found = issues(db, "unknown_code")
    assert [(r[1], r[2], r[3], r[5]) for r in found] == [
        (2, "LS", "C9", "row kept out"),
        (3, "REC", "ZZ", "value blanked"),
    ]
    assert "'C9' is not a valid code" in found[0][4]
    assert query(db, "SELECT child, rec FROM s903_episodes") == [("000102", None)]


def test_codes_are_matched_without_regard_to_case_and_stored_as_dfe_writes_them(tmp_path):
    text = EPISODES + "000101,01/05/2019,s,c2,n1,u4,pr1,,,,sl11aa,,\n"
    db = published(tmp_path, with_file(EP, text))
    assert query(db, "SELECT rne, ls, place, home_post FROM s903_episodes") == [
        ("S", "C2", "U4", "SL1 1AA")
    ]


def test_duplicate_keys_keep_the_first_row(tmp_path):
    text = HEADER + "000101,1,01/02/2010,WBRI,,,\n" + "000102,2,03/04/2012,ABAN,,,\n"
    text += "000101,2,01/02/2011,WBRI,,,\n"
    db = published(tmp_path, with_file(HD, text))
    [(file, row, col, _, message, _)] = issues(db, "duplicate_key")
    assert (file, row, col) == (HD, 4, "CHILD")
    assert "same CHILD is on row 2" in message
    assert query(db, "SELECT sex FROM s903_header WHERE child = '000101'") == [("1",)]


def test_orphan_children_are_kept_out(tmp_path):
    text = EPISODES + GOOD_EPISODE + "999999,10/06/2019,S,V2,N2,K2,PR4,,,,,,\n"
    db = published(tmp_path, with_file(EP, text))
    [(file, row, col, value, message, _)] = issues(db, "unknown_reference")
    assert (file, row, col, value) == (EP, 3, "CHILD", "999999")
    assert "not a known child in the SSDA903 Header table" in message
    assert episodes(db) == [("000101", "2019-05-01")]


def test_local_references_to_unknown_hubs_are_kept_out(tmp_path):
    text = BASE["local/allocations.csv"] + "000102,H99,W2,2020-01-02,\n"
    db = published(tmp_path, with_file("local/allocations.csv", text))
    [(file, row, col, value, message, _)] = issues(db, "unknown_reference")
    assert (file, row, col, value) == ("local/allocations.csv", 4, "hub_id", "H99")
    assert "not a known hub" in message


def test_ids_with_leading_zeros_stay_text(tmp_path):
    db = published(tmp_path, BASE)
    assert query(db, "SELECT child FROM s903_header ORDER BY child") == [("000101",), ("000102",)]


def test_ids_mangled_by_excel_into_scientific_notation(tmp_path):
    text = HEADER + "000101,1,01/02/2010,WBRI,,,\n" + "1.01E+05,2,03/04/2012,ABAN,,,\n"
    db = published(tmp_path, with_file(HD, text))
    [(_, row, col, value, message, _)] = issues(db, "excel_mangled_id")
    assert (row, col, value) == (3, "CHILD", "1.01E+05")
    assert "scientific notation" in message


def test_formula_looking_text_is_kept_as_plain_text(tmp_path):
    text = EPISODES + "000101,01/05/2019,S,C2,N1,U4,PR1,,,,,,=cmd|' /C calc'!A0\n"
    db = published(tmp_path, with_file(EP, text))
    assert query(db, "SELECT urn FROM s903_episodes") == [("=cmd|' /C calc'!A0",)]
    [(_, row, col, _, message, action)] = issues(db, "formula_like_text")
    assert (row, col, action) == (2, "URN", "warning only")
    assert "never evaluated" in message


def test_not_a_number_and_out_of_range(tmp_path):
    sw = "worker_id,hub_id,fte,contract,start_date,end_date\n"
    sw += "W1,H01,1.0,permanent,2016-08-01,\n"
    sw += "W2,H01,full,agency,2016-08-01,\nW3,H01,2.5,agency,2016-08-01,\n"
    db = published(tmp_path, with_file("local/social_workers.csv", sw))
    assert [r[1:4] for r in issues(db, "not_a_number")] == [(3, "fte", "full")]
    assert [r[1:4] for r in issues(db, "out_of_range")] == [(4, "fte", "2.5")]
    assert query(db, "SELECT worker_id FROM social_workers") == [("W1",)]


def test_a_record_in_several_years_takes_the_latest_years_row(tmp_path):
    files = dict(BASE)
    # 2020: the episode was open at 31 March; 2021: it closed in the summer.
    files["ssda903/2021/header.csv"] = HEADER + "000101,1,01/02/2010,WBRI,,,\n"
    files["ssda903/2021/episodes.csv"] = (
        EPISODES + "000101,01/05/2019,S,C2,N1,U4,PR1,01/08/2020,E4A,,SL1 1AA,SL2 5AA,\n"
    )
    outcome, db = load(tmp_path, files, as_at=date(2020, 9, 1))
    assert outcome.published, outcome.message
    assert query(
        db, "SELECT dec::VARCHAR, collection_year FROM s903_episodes WHERE child = '000101'"
    ) == [("2020-08-01", 2021)]


# --- CIN census XML through the loader ------------------------------------------------------

CIN_OK = """<?xml version="1.0" encoding="utf-8"?>
<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2020</Year>
<ReferenceDate>2020-03-31</ReferenceDate></CollectionDetails></Header>
<Children><Child><ChildIdentifiers><LAchildID>000101</LAchildID>
<PersonBirthDate>2010-02-01</PersonBirthDate><Sex>1</Sex></ChildIdentifiers>
<CINdetails><CINreferralDate>2019-04-01</CINreferralDate><ReferralSource>1A</ReferralSource>
<PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA>
<Assessments><AssessmentActualStartDate>2019-04-02</AssessmentActualStartDate>
<AssessmentAuthorisationDate>2019-05-20</AssessmentAuthorisationDate></Assessments>
</CINdetails></Child></Children></Message>
"""


def test_a_cin_census_file_loads_alongside_the_other_sources(tmp_path):
    db = published(tmp_path, with_file("cin/2020.xml", CIN_OK))
    assert query(db, "SELECT child_id, referral_source FROM cin_referrals") == [("000101", "1A")]
    assert query(
        db, "SELECT start_date::VARCHAR, authorisation_date::VARCHAR FROM cin_assessments"
    ) == [("2019-04-02", "2019-05-20")]


def test_malformed_xml_refuses_the_load(tmp_path):
    message = refused(tmp_path, with_file("cin/2020.xml", CIN_OK.replace("</Sex>", "</Sx>")))
    assert "cin/2020.xml" in message and "line 5" in message


def test_an_xml_file_cut_short_refuses_the_load(tmp_path):
    message = refused(tmp_path, with_file("cin/2020.xml", CIN_OK[: len(CIN_OK) // 2]))
    assert "cin/2020.xml" in message and "cut short" in message


def test_an_xml_entity_expansion_attack_refuses_the_load_without_expanding(tmp_path):
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE Message [\n<!ENTITY a "aaaaaaaaaa">\n'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(8))
        + "]>\n<Message><Children><Child><ChildIdentifiers><LAchildID>&i;</LAchildID>"
        "</ChildIdentifiers></Child></Children></Message>\n"
    )
    message = refused(tmp_path, with_file("cin/2020.xml", bomb))
    assert "cin/2020.xml" in message and "entit" in message.lower()


def test_a_wrong_targets_file_refuses_the_load_naming_the_line(tmp_path):
    from drops import write_drop

    from scst_metrics.load import load_drop

    targets = tmp_path / "targets.csv"
    targets.write_text(
        "indicator_id,from_year,to_year,hub,target,amber,low,high,source\n"
        "no_such_indicator,2015/16,,,50,5,,,made up\n",
        encoding="utf-8",
    )
    drop = write_drop(tmp_path / "drop", BASE)
    db = tmp_path / "db.duckdb"
    assert load_drop(drop, db, log=lambda s: None).published
    before = db.read_bytes()
    outcome = load_drop(drop, db, targets_csv=targets, log=lambda s: None)
    assert not outcome.published
    assert "line 2" in outcome.message and "no_such_indicator" in outcome.message
    assert "unexpected error" not in outcome.message
    assert db.read_bytes() == before


# --- silent data loss (issue 9) ---------------------------------------------------------


def test_a_duplicated_header_column_refuses_the_load_naming_it(tmp_path):
    # ...,DOB,...,DOB: before, the second DOB silently replaced the first
    text = HEADER.strip() + ",DOB\n000101,1,01/02/2010,WBRI,,,,01/01/2001\n"
    message = refused(tmp_path, with_file(HD, text))
    assert f"{HD}: its header has DOB (column 8) twice (first as column 3)" in message


def test_a_file_holding_only_a_line_break_is_an_empty_table_with_a_warning(tmp_path):
    # what common exporters write for an empty table; before, "has no header row" refused
    db = published(tmp_path, with_file("ssda903/2020/reviews.csv", "\n"))
    [(file, _, _, _, message, action)] = issues(db, "empty_file")
    assert (file, action) == ("ssda903/2020/reviews.csv", "warning only")
    assert "blank (no non-blank content), taken as the Reviews table with no rows" in message
    assert query(db, "SELECT count(*) FROM s903_reviews") == [(0,)]


def test_links_in_the_drop_are_refused_without_being_read(tmp_path):
    from drops import write_drop

    from scst_metrics.load import load_drop

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "reviews.csv").write_text("SECRET-LINE,not,a,header\n", encoding="utf-8")
    drop = write_drop(tmp_path / "drop", BASE)
    (drop / "ssda903/2020/reviews.csv").symlink_to(outside / "reviews.csv")
    (drop / "local/more").symlink_to(outside, target_is_directory=True)
    lines: list[str] = []
    outcome = load_drop(drop, tmp_path / "db.duckdb", log=lines.append)
    assert not outcome.published
    assert "local/more/: is a symbolic link; the load does not follow links" in outcome.message
    assert "ssda903/2020/reviews.csv: is a symbolic link" in outcome.message
    assert "SECRET-LINE" not in outcome.message + "\n".join(lines)


def test_20_mb_of_junk_is_refused_at_its_first_line_without_splitting_the_body(tmp_path):
    """Before, every line of the body was split into fields before the header was checked:
    379 MB traced for this file (1.2 GB resident in the issue's report); now the file's bytes
    and its text, 2 x 20 MB, and no more than 100 MB in all."""
    import tracemalloc

    from scst_metrics.extracts.csv_files import read_csv_source

    junk = tmp_path / "drop" / "ssda903" / "2020" / "junk.csv"
    junk.parent.mkdir(parents=True)
    line = ",".join(["junk"] * 40) + "\n"  # 200 bytes, 40 fields
    junk.write_text(line * 100_000, encoding="utf-8")  # 20 MB
    tracemalloc.start()
    try:
        result = read_csv_source(
            junk.parents[1], "ssda903", root=tmp_path / "drop", as_at=AS_AT, source_label="SSDA903"
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    [unusable] = result.unusable
    assert "line 1 (the first non-blank line, 40 fields) is not the header" in str(unusable)
    assert peak < 100_000_000, f"{peak / 1e6:.0f} MB"
