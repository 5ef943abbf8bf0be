"""The SSDA903 reader on a third-party sample (liia-tools) and on several collection years."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from drops import query, write_drop

from scst_metrics.extracts.csv_files import read_csv_source
from scst_metrics.load import load_drop

SAMPLE = Path(__file__).parent / "fixtures" / "third_party" / "SSDA903_2020_episodes.csv"
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"


def read_headers(tmp_path: Path, files: dict[str, str], as_at: date):
    """Write Header files (path -> data rows) into a drop and read its ssda903/ folder."""
    drop = write_drop(tmp_path / "drop", {path: HEADER + rows for path, rows in files.items()})
    return read_csv_source(
        drop / "ssda903", "ssda903", root=drop, as_at=as_at, source_label="SSDA903"
    )


def test_the_liia_tools_episodes_sample(tmp_path):
    """Five episodes of two children; one of child 689661's overlaps another and is kept out.

    689661: 02/12/2018-16/05/2019 (X1), 11/12/2018-18/07/2019 (starts before the first ends:
    overlap, kept out), 16/05/2019-26/09/2019 (starts the day the first ends: fine).
    249901: 30/03/2019-10/04/2019, 10/04/2019-24/06/2019 -> both kept.  5 read, 4 kept.
    """
    drop = tmp_path / "drop"
    (drop / "ssda903" / "2020").mkdir(parents=True)
    shutil.copy(SAMPLE, drop / "ssda903" / "2020" / "episodes.csv")
    result = read_csv_source(
        drop / "ssda903", "ssda903", root=drop, as_at=date(2020, 6, 1), source_label="SSDA903"
    )
    assert result.unusable == []
    assert len(result.tables["s903_episodes"]) == 5
    assert [(f.path, f.rows_read, f.collection_year) for f in result.files] == [
        ("ssda903/2020/episodes.csv", 5, 2020)
    ]

    outcome = load_drop(drop, tmp_path / "db.duckdb", as_at=date(2020, 6, 1), log=lambda s: None)
    assert outcome.published
    db = tmp_path / "db.duckdb"
    kept = query(db, "SELECT child, decom::VARCHAR, ls FROM s903_episodes ORDER BY child, decom")
    assert kept == [
        ("249901", "2019-03-30", "J3"),
        ("249901", "2019-04-10", "V3"),
        ("689661", "2018-12-02", "J2"),
        ("689661", "2019-05-16", "J2"),
    ]
    [overlap] = query(
        db, "SELECT row_number, value FROM load_issues WHERE rule = 'overlapping_periods'"
    )
    assert overlap == (2, "11/12/2018")
    assert query(db, "SELECT rows_read, rows_kept FROM load_run_files") == [(5, 4)]


def test_year_from_the_file_name_or_the_folder(tmp_path):
    files = {
        "ssda903/2019-header.csv": "1,1,01/01/2010,WBRI,,,\n",
        "ssda903/y2020/Header_2020.csv": "1,1,01/01/2010,WBRI,,,\n2,2,01/01/2011,,,,\n",
    }
    result = read_headers(tmp_path, files, date(2020, 6, 1))
    assert sorted((f.path, f.collection_year) for f in result.files) == [
        ("ssda903/2019-header.csv", 2019),
        ("ssda903/y2020/Header_2020.csv", 2020),
    ]
    # child 1 is in both years: the 2020 row wins
    header_rows = result.tables["s903_header"]
    assert list(zip(header_rows.child, header_rows.collection_year, strict=True)) == [
        ("1", 2020),
        ("2", 2020),
    ]


def test_sex_codes_of_both_eras(tmp_path):
    """SEX was 1/2 until 2023-24 and is M/F/U from 2024-25 (DfE rule 101 of each year): a drop
    holding both eras keeps every child; a code of neither era is kept out and says so."""
    files = {
        "ssda903/2024/header.csv": "1,1,01/01/2010,WBRI,,,\n2,2,01/01/2011,,,,\n",
        "ssda903/2025/header.csv": (
            "3,M,01/01/2012,,,,\n4,F,01/01/2013,,,,\n5,U,01/01/2014,,,,\n6,X,01/01/2014,,,,\n"
        ),
    }
    result = read_headers(tmp_path, files, date(2025, 6, 1))
    rows = result.tables["s903_header"]
    # 6 rows read, 5 kept: child 6's X is no SEX code of either era
    assert list(zip(rows.child, rows.sex, strict=True)) == [
        ("1", "1"),
        ("2", "2"),
        ("3", "M"),
        ("4", "F"),
        ("5", "U"),
    ]
    [issue] = [i for i in result.issues if i.column == "SEX"]
    assert (issue.file, issue.row, issue.value, issue.rule) == (
        "ssda903/2025/header.csv",
        5,
        "X",
        "unknown_code",
    )
