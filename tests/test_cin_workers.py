"""A big drop's CIN census is read by worker processes alongside the other sources
(scst_metrics.extracts.cin_census.CinReading): the real loader, run twice on one drop --
CIN read in the load's own process, then by two workers -- builds the same tables, issues
and audit rows, from real DuckDB files."""

from __future__ import annotations

from pathlib import Path

from drops import BASE, issue_rows, load, query
from test_cin_census import _awkward_census

from scst_metrics.extracts import cin_census
from scst_metrics.extracts.schema import CIN_TABLES


def _files() -> dict:
    # 60 children a year with every kind of CIN record (see test_cin_census), dated 2019
    year = _awkward_census(60).replace("2024-", "2019-").replace("2025-03-31", "2020-03-31")
    return {
        **BASE,
        "cin/2019/cin.xml": year.replace("2020-03-31", "2019-03-31"),
        "cin/2020/cin.xml": year,
        "cin/2020/again.xml": year,  # the same records twice in one year: duplicates
    }


def _run(tmp: Path, monkeypatch, threshold: int):
    monkeypatch.setattr(cin_census, "PARALLEL_BYTES", threshold)
    monkeypatch.setenv("SCST_LOAD_JOBS", "2")
    outcome, db = load(tmp, _files())
    tables = {
        t.name: query(
            db, f"SELECT * EXCLUDE (source_file) , source_file FROM {t.name} ORDER BY rowid"
        )
        for t in CIN_TABLES
    }
    issues = issue_rows(db)
    files_read = query(
        db,
        "SELECT path, table_name, collection_year, sha256, rows_read, rows_kept "
        "FROM load_run_files ORDER BY rowid",
    )
    return outcome, tables, issues, files_read


def test_cin_read_by_workers_gives_what_one_process_gives(tmp_path, monkeypatch):
    here = _run(tmp_path / "here", monkeypatch, 1 << 62)
    apart = _run(tmp_path / "apart", monkeypatch, 0)
    assert not any("processes" in line for line in here[0].log)
    assert any("CIN census: 3 files" in ln and "by 2 processes" in ln for ln in apart[0].log)
    assert here[0].published and apart[0].published
    assert here[1] == apart[1]
    assert sum(len(rows) for rows in here[1].values()) > 10
    assert here[2] == apart[2]
    assert any(i[4] == "duplicate_key" and i[0] == "cin/2020/again.xml" for i in here[2])
    # the files in the order of the sources, the CIN census second, as when read in turn
    assert here[3] == apart[3]
    assert [f[0].split("/")[0] for f in apart[3]] == ["ssda903"] * 2 + ["cin"] * 3 + ["local"] * 2
    # nothing of the workers' files left beside the database
    assert not list((tmp_path / "apart").rglob(".scst-cin-*"))
