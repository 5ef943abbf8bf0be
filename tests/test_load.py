"""The nightly load end to end: real files, the real loader, a real DuckDB file."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import date
from pathlib import Path

from drops import BASE, EPISODES, board_query, load, query, write_drop

from scst_metrics.load import detail_path, load_drop

ROOT = Path(__file__).resolve().parents[1]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_good_drop_is_published_with_its_audit(tmp_path):
    outcome, db = load(tmp_path, BASE)
    assert outcome.published, outcome.message
    assert query(db, "SELECT child, ls FROM s903_episodes ORDER BY child") == [
        ("000101", "C2"),
        ("000102", "V2"),
    ]
    # leading zeros are kept: IDs are text
    assert query(db, "SELECT typeof(child) FROM s903_header LIMIT 1") == [("VARCHAR",)]
    assert query(db, "SELECT status, rows_kept FROM load_runs") == [
        ("published", 8)
    ]  # 2 header + 2 episodes + 2 hubs + 2 allocations
    files = query(
        db,
        "SELECT path, table_name, collection_year, rows_read, rows_kept, "
        "length(sha256) FROM load_run_files ORDER BY path",
    )
    assert files == [
        ("local/allocations.csv", "allocations", None, 2, 2, 64),
        ("local/hubs.csv", "hubs", None, 2, 2, 64),
        ("ssda903/2020/episodes.csv", "s903_episodes", 2020, 2, 2, 64),
        ("ssda903/2020/header.csv", "s903_header", 2020, 2, 2, 64),
    ]
    assert query(db, "SELECT as_at FROM load_meta")[0][0].isoformat() == "2020-06-01"
    # the drop lacks most tables: each is recorded, and the load still publishes
    assert query(db, "SELECT present FROM load_sources WHERE table_name = 's903_reviews'") == [
        (False,)
    ]
    # postcodes are located from the ONS list (SL1 1AA is in Slough, E06000039)
    assert query(db, "SELECT la_code FROM ref_postcodes WHERE postcode = 'SL1 1AA'") == [
        ("E06000039",)
    ]


def test_a_refused_load_leaves_the_published_file_byte_identical(tmp_path):
    outcome, db = load(tmp_path, BASE)
    assert outcome.published
    before = sha(db)
    detail_before = sha(detail_path(db))
    stat = db.stat()
    bad = dict(BASE)
    bad["ssda903/2020/episodes.csv"] = "CHILD,DECOM,LS\n000101,01/05/2019,C2\n"
    outcome2 = load_drop(write_drop(tmp_path / "bad", bad), db, log=lambda s: None)
    assert not outcome2.published
    assert "ssda903/2020/episodes.csv" in outcome2.message
    assert "missing" in outcome2.message and "PLACE" in outcome2.message
    assert sha(db) == before
    assert sha(detail_path(db)) == detail_before  # neither file is replaced
    assert db.stat().st_mtime_ns == stat.st_mtime_ns
    assert not list(db.parent.glob(".scst*.building-*")), "no half-built file left"
    # the refusal is remembered and enters the history with the next published load
    outcome3 = load_drop(write_drop(tmp_path / "good", BASE), db, log=lambda s: None)
    assert outcome3.published
    runs = query(db, "SELECT run_id, status FROM load_runs ORDER BY started_at, run_id")
    assert [r[0] for r in runs] == [outcome.run_id, outcome2.run_id, outcome3.run_id]
    assert [r[1] for r in runs] == ["published", "refused", "published"]
    refused_issue = query(
        db,
        "SELECT file, action FROM load_issues WHERE run_id = ? AND rule = 'unusable_file'",
        [outcome2.run_id],
    )
    assert refused_issue == [("ssda903/2020/episodes.csv", "load refused")]


def test_what_a_killed_load_left_is_removed_by_the_next(tmp_path):
    """A load killed mid-way (no chance to clean up) leaves its files being built, their WAL
    and spill folder and its CIN workers' folder; the next load of the same database removes
    them and says so -- and leaves another database's files in the same folder alone."""
    data = tmp_path / "data"
    data.mkdir()
    left = [
        data / ".scst.detail.duckdb.building-20261201T020000-abc123",
        data / ".scst.detail.duckdb.building-20261201T020000-abc123.wal",
        data / ".scst.duckdb.building-20261201T020000-abc123",
    ]
    for path in left:
        path.write_bytes(b"half a database")
    folders = [
        data / ".scst.detail.duckdb.building-20261201T020000-abc123.spill",
        data / ".scst.detail.duckdb.building-20261201T020000-abc123.cin-x1y2",
    ]
    for folder in folders:
        folder.mkdir()
        (folder / "part0.duckdb").write_bytes(b"rows of children")
    other = data / ".other.detail.duckdb.building-20261201T020000-def456"
    other.write_bytes(b"another database's load")
    outcome, db = load(tmp_path, BASE, db=data / "scst.duckdb")
    assert outcome.published, outcome.message
    assert not any(p.exists() for p in left + folders)
    assert other.exists()
    [said] = [line for line in outcome.log if "left by a load that did not finish" in line]
    assert "removed 5 file(s) and folder(s)" in said and ".cin-x1y2" in said


def test_the_cli_exit_status_says_published_or_refused(tmp_path):
    drop = write_drop(tmp_path / "drop", BASE)
    db = tmp_path / "out" / "scst.duckdb"
    cmd = [sys.executable, "-m", "scst_metrics.load", "--extracts", str(drop), "--db", str(db)]
    ok = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    for stage in ("reading SSDA903", "validating", "building", "publishing", "Published run"):
        assert stage in ok.stdout
    refused = subprocess.run(
        cmd[:-3] + [str(tmp_path / "nowhere"), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1
    assert "does not exist" in refused.stdout


def test_the_same_drop_loaded_twice_gives_identical_tables(tmp_path):
    drop = write_drop(tmp_path / "drop", BASE)
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    assert load_drop(drop, a, log=lambda s: None).published
    assert load_drop(drop, b, log=lambda s: None).published
    tables = [r[0] for r in query(a, "SHOW TABLES")]
    assert "s903_episodes" in tables
    history = {"load_runs", "load_run_files", "load_issues", "load_meta"}
    for t in sorted(set(tables) - history):
        rows_a = query(a, f'SELECT * FROM "{t}" ORDER BY ALL')
        rows_b = query(b, f'SELECT * FROM "{t}" ORDER BY ALL')
        assert rows_a == rows_b, t
    strip = "SELECT * EXCLUDE (run_id) FROM load_issues ORDER BY ALL"
    assert query(a, strip) == query(b, strip)


def test_the_loader_never_changes_the_extracts(tmp_path):
    drop = write_drop(tmp_path / "drop", BASE)
    before = {p: sha(p) for p in drop.rglob("*") if p.is_file()}
    assert load_drop(drop, tmp_path / "x.duckdb", log=lambda s: None).published
    after = {p: sha(p) for p in drop.rglob("*") if p.is_file()}
    assert before == after


READER = r"""
import sys, time
from datetime import date
from pathlib import Path
import sqlalchemy as sa
from scst_metrics.published import snapshot
db, stop = sys.argv[1], Path(sys.argv[2])
seen = []
give_up = time.time() + 600  # a safety net only: the test stops the reader with `stop`
while not stop.exists() and time.time() < give_up:
    with snapshot(db) as conn:
        run = conn.execute(sa.text("SELECT run_id FROM load_meta")).scalar()
        n = conn.execute(
            sa.text("SELECT rows FROM load_sources WHERE table_name = 's903_episodes'")
        ).scalar()
    if not seen or seen[-1][0] != run:
        seen.append((run, n))
        print(run, n, flush=True)
    time.sleep(0.02)
print("stopped", flush=True)
"""


def test_a_reader_process_survives_a_load_and_then_sees_the_new_run(tmp_path):
    """A second process reads throughout two loads: it never fails and sees each new run.

    Event-driven, not timed: the test waits for the reader's line on its pipe after each load
    and stops it with a file, so a busy machine only makes it slower."""
    db = tmp_path / "data" / "scst.duckdb"
    stop = tmp_path / "stop-reading"
    first = load_drop(write_drop(tmp_path / "d1", BASE), db, log=lambda s: None)
    assert first.published
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), str(stop)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None
        # the reader is up and reading the first file once it has said so
        assert reader.stdout.readline().split() == [first.run_id, "2"]
        more = dict(BASE)
        more["ssda903/2020/episodes.csv"] = (
            EPISODES
            + "000101,01/05/2019,S,C2,N1,U4,PR1,01/02/2020,X1,,SL1 1AA,SL2 5AA,\n"
            + "000101,01/02/2020,T,C2,N1,U5,PR1,,,CARPL,SL1 1AA,SL2 5AA,\n"
            + "000102,10/06/2019,S,V2,N2,K2,PR4,01/01/2020,E4A,,SL1 3AA,,\n"
        )
        second = load_drop(write_drop(tmp_path / "d2", more), db, log=lambda s: None)
        assert second.published, second.message
        assert reader.stdout.readline().split() == [second.run_id, "3"]
        third = load_drop(write_drop(tmp_path / "d3", BASE), db, log=lambda s: None)
        assert third.published
        assert reader.stdout.readline().split() == [third.run_id, "2"]
        stop.touch()
        out, err = reader.communicate()
    finally:
        reader.kill()
    assert reader.returncode == 0, err
    assert out.splitlines() == ["stopped"]


def test_the_data_contract_document_is_generated_from_the_declarations():
    from scst_metrics.extracts import contract

    assert contract.DOC.read_text(encoding="utf-8") == contract.render(), (
        "docs/data-contract.md is stale: run python -m scst_metrics.extracts.contract"
    )


def test_an_older_drop_is_refused_unless_the_operator_allows_it(tmp_path):
    db = tmp_path / "data" / "scst.duckdb"
    newer = load_drop(write_drop(tmp_path / "new", BASE), db, log=lambda s: None)  # 01/06/2020
    assert newer.published
    before = sha(db)
    older = write_drop(tmp_path / "old", BASE, as_at=date(2020, 5, 1))
    refused = load_drop(older, db, log=lambda s: None)
    assert not refused.published and sha(db) == before
    assert refused.message == (
        "This drop is as at 01/05/2020, older than the published data (as at 01/06/2020): "
        "publishing it would replace newer data with older. If that is intended (reloading a "
        "corrected older drop), run the load again with --allow-older."
    )
    allowed = load_drop(older, db, allow_older=True, log=lambda s: None)
    assert allowed.published
    assert board_query(db, "SELECT as_at::VARCHAR FROM load_meta") == [("2020-05-01",)]


def test_the_cli_takes_allow_older(tmp_path):
    db = tmp_path / "scst.duckdb"
    assert load_drop(write_drop(tmp_path / "new", BASE), db, log=lambda s: None).published
    older = write_drop(tmp_path / "old", BASE, as_at=date(2020, 5, 1))
    cmd = [sys.executable, "-m", "scst_metrics.load", "--extracts", str(older), "--db", str(db)]
    assert subprocess.run(cmd, cwd=ROOT, capture_output=True).returncode == 1
    ok = subprocess.run(cmd + ["--allow-older"], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout


def test_a_source_missing_tonight_is_a_warning_the_banner_shows(tmp_path):
    from scst_metrics import quality

    db = tmp_path / "data" / "scst.duckdb"
    assert load_drop(write_drop(tmp_path / "d1", BASE), db, log=lambda s: None).published
    no_local = {k: v for k, v in BASE.items() if not k.startswith("local/")}
    second = load_drop(write_drop(tmp_path / "d2", no_local), db, log=lambda s: None)
    assert second.published
    assert board_query(
        db, "SELECT file, action FROM load_issues WHERE rule = 'source_missing'"
    ) == [("local/", "warning only")]
    status = quality.load_status(db=db)
    assert status.warnings == (
        "No local/ folder in tonight's drop, though the last published load had local data: "
        "indicators that need it are blank until it returns. Check the local extract ran and "
        "was copied into the drop.",
    )


def test_the_extract_date_comes_from_the_drop_and_no_series_runs_past_it(tmp_path):
    """SSDA903 returns alone, no as_at.txt, loaded years later: as at 31/03/2020 (the end of
    the latest collection year), not today; the last month of every series is March 2020."""
    files = {k: v for k, v in BASE.items() if k.startswith("ssda903/")}
    drop = write_drop(tmp_path / "drop", files, as_at=None)
    db = tmp_path / "scst.duckdb"
    outcome = load_drop(drop, db, log=lambda s: None)
    assert outcome.published, outcome.message
    assert outcome.as_at == date(2020, 3, 31)
    assert board_query(db, "SELECT as_at::VARCHAR FROM load_meta") == [("2020-03-31",)]
    [(last,)] = board_query(db, "SELECT max(period_end)::VARCHAR FROM indicator_values")
    assert last == "2020-03-31"


def test_the_load_package_does_not_reach_up_to_the_indicators():
    """The loader is given its steps (scst_metrics.nightly declares them); it never imports
    the indicator library or the entry point, by import statement or importlib."""
    import ast

    for path in sorted((ROOT / "scst_metrics" / "load").glob("*.py")):
        if path.name == "__main__.py":  # an entry point: composes the layers
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            for name in names:
                assert "indicators" not in name and "nightly" not in name, (path.name, name)
                assert "importlib" not in name, (path.name, name)
