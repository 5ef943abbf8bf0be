"""The CSV fast path (scst_metrics.extracts.csv_fast): a large regular CSV checked by DuckDB
gives the same rows, the same issues and the same audit rows as the row-by-row reader.

Every test writes a real drop and runs the real loader twice -- once with every regular CSV
on the fast path (FAST_PATH_BYTES = 0), once with none -- and reads the real DuckDB files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from drops import BASE, issue_rows, load, query

from scst_metrics.extracts import csv_fast

VISITS = "local/visits.csv"
# as at 01/06/2020 (drops.AS_AT); children 000101 and 000102 are in BASE's header table.
BODY = (
    "child_id,visit_date,visit_kind,seen_alone\n"
    "000101,2020-01-10,lac,Y\n"  # 2: clean, but shares its key with line 3
    "000101,2020-01-10,lac,N\n"  # 3: duplicate of line 2 -> kept out
    "000102,2020-02-30,lac,Y\n"  # 4: no 30 February -> kept out
    "000102,2020-03-01,LAC,yes\n"  # 5: code in upper case -> kept as lac, seen alone
    "000102,2021-01-01,cin,N\n"  # 6: after the extract date -> kept out
    " 000101 ,2020-03-05,cp,\n"  # 7: spaces around the ID -> kept as 000101
    "000101,2020-03-06,cp,maybe\n"  # 8: not yes/no -> blanked, row kept
    "000102,2020-04-01,lac,Y\n"  # 9: clean
    "000102,2020-04-02,cp,n\n"  # 10: clean
    "000101,2020-04-03,care_leaver,\n"  # 11: clean (optional flag empty)
)


def _run(tmp: Path, files: dict, monkeypatch, threshold: int):
    monkeypatch.setattr(csv_fast, "FAST_PATH_BYTES", threshold)
    outcome, db = load(tmp, files)
    assert outcome.published, outcome.message
    visits = query(
        db,
        "SELECT source_row, child_id, visit_date::VARCHAR, visit_kind, seen_alone "
        "FROM visits ORDER BY source_row",
    )
    issues = issue_rows(db)
    files_read = query(
        db,
        "SELECT path, table_name, sha256, rows_read, rows_kept FROM load_run_files ORDER BY path",
    )
    return visits, issues, files_read


def test_fast_path_gives_the_same_rows_issues_and_audit_as_row_by_row(tmp_path, monkeypatch):
    files = {**BASE, VISITS: BODY}
    slow = _run(tmp_path / "slow", files, monkeypatch, 1 << 60)
    seen: list[list[int]] = []
    real = csv_fast.check_table

    def spy(table, raw, *, file, rows, as_at):
        seen.append([int(r) for r in rows])
        return real(table, raw, file=file, rows=rows, as_at=as_at)

    monkeypatch.setattr(csv_fast, "check_table", spy)
    fast = _run(tmp_path / "fast", files, monkeypatch, 0)
    assert fast == slow
    visits, issues, _ = fast
    # Kept: lines 2, 5, 7, 8, 9, 10, 11 (3, 4 and 6 kept out).
    assert visits == [
        (2, "000101", "2020-01-10", "lac", True),
        (5, "000102", "2020-03-01", "lac", True),
        (7, "000101", "2020-03-05", "cp", None),
        (8, "000101", "2020-03-06", "cp", None),
        (9, "000102", "2020-04-01", "lac", True),
        (10, "000102", "2020-04-02", "cp", False),
        (11, "000101", "2020-04-03", "care_leaver", None),
    ]
    on_visits = [(i[1], i[4], i[6]) for i in issues if i[0] == VISITS]
    assert on_visits == [
        (3, "duplicate_key", "row kept out"),
        (4, "impossible_date", "row kept out"),
        (6, "future_date", "row kept out"),
        (8, "not_yes_no", "value blanked"),
    ]
    # Only the rows that are not clean, with the clean line 2 sharing line 3's key, went
    # through Python's checks on the fast path; lines 9-11 never became Python rows. (BASE's
    # other CSVs are regular too and went down the fast path: their rows are all clean.)
    assert [2, 3, 4, 5, 6, 7, 8] in seen
    assert all(9 not in rows for rows in seen if 8 in rows)


@pytest.mark.parametrize(
    "content",
    [
        BODY.replace("000102,2020-04-01", '"000102",2020-04-01'),  # a quoted cell
        BODY.replace("\n", "\r\n"),  # Windows line endings
        BODY.replace("000102,2020-04-01,lac,Y\n", "000102,2020-04-01,lac,Y\n\n"),  # blank
        "\ufeff" + BODY,  # a UTF-8 byte-order mark
        BODY.replace("000102,2020-04-01,lac,Y", "000102,2020-04-01,lac"),  # a field short
        BODY.rstrip("\n"),  # no line break at the end
        BODY.replace("lac,Y\n", "lac,Y,\n", 1),  # a field too many
    ],
)
def test_an_irregular_file_is_read_row_by_row_with_the_same_result(tmp_path, monkeypatch, content):
    files = {**BASE, VISITS: content}
    slow = _run(tmp_path / "slow", files, monkeypatch, 1 << 60)
    fast = _run(tmp_path / "fast", files, monkeypatch, 0)
    assert fast == slow


def test_scan_takes_only_regular_files(tmp_path):
    path = tmp_path / "v.csv"
    path.write_bytes(BODY.encode())
    scanned = csv_fast.scan(path)
    assert scanned is not None
    assert scanned.first_line == "child_id,visit_date,visit_kind,seen_alone"
    assert scanned.size == len(BODY)
    for bad in (b'"', b"\r", b"\xc3\xa9", b"\x00"):
        path.write_bytes(BODY.encode().replace(b"cp,maybe", b"cp," + bad))
        assert csv_fast.scan(path) is None, bad
