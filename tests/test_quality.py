"""Freshness and data-quality reads, on databases built by the real loader."""

from __future__ import annotations

from datetime import datetime, timedelta

from drops import BASE, EPISODES, load, write_drop

from scst_metrics import quality
from scst_metrics.load import load_drop
from scst_metrics.published import snapshot


def test_load_status_reports_freshness_and_a_later_refusal(tmp_path):
    outcome, db = load(tmp_path, BASE)
    with snapshot(db) as conn:
        status = quality.load_status(conn, db)
    assert status.as_at.isoformat() == "2020-06-01"
    assert status.last_run_status == "published" and not status.stale
    with snapshot(db) as conn:
        later = quality.load_status(conn, db, now=datetime.now() + timedelta(hours=37))
    assert later.stale  # 37 hours after the last successful load: the banner must warn

    bad = dict(BASE)
    bad["ssda903/2020/episodes.csv"] = "CHILD,DECOM\n"
    refused = load_drop(write_drop(tmp_path / "bad", bad), db, log=lambda s: None)
    assert not refused.published
    with snapshot(db) as conn:
        status = quality.load_status(conn, db)
    assert status.last_run_status == "refused"
    assert "episodes.csv" in status.last_run_message
    assert status.as_at.isoformat() == "2020-06-01"  # still serving the last good data


def test_issue_examples_never_show_identifying_values(tmp_path):
    files = dict(BASE)
    files["ssda903/2020/episodes.csv"] = (
        EPISODES
        + "000101,01/05/2019,S,C2,N1,U4,PR1,,,,SL1 1AA,SL2 5AA,\n"
        + "777777,10/06/2019,S,V2,N2,K2,PR4,,,,,,\n"  # orphan child: CHILD is shown hidden
        + "000102,10/06/2019,S,C9,N2,K2,PR4,,,,,,\n"  # unknown code: the code may be shown
    )
    outcome, db = load(tmp_path, files)
    with snapshot(db) as conn:
        examples = quality.issue_examples(conn)
        counts = quality.issues_by_rule(conn)
    orphan = examples[examples.rule == "unknown_reference"].iloc[0]
    assert orphan.value == "(hidden: identifies a person)"
    assert "777777" not in orphan.value and "777777" not in orphan.message
    assert orphan.message.startswith("CHILD is not a known child")  # the ID is never quoted
    code = examples[examples.rule == "unknown_code"].iloc[0]
    assert code.value == "C9"
    kept_out = counts[counts.action == "row kept out"].set_index("rule").issues.to_dict()
    assert kept_out == {"unknown_reference": 1, "unknown_code": 1}


def test_a_row_with_no_column_shows_no_value(tmp_path):
    """A row with a field too many was stored with the row's text as its value (a child's
    record on the Data quality page); now the issue names file, line and rule only."""
    files = dict(BASE)
    files["ssda903/2020/episodes.csv"] = (
        EPISODES + "000101,01/05/2019,S,C2,N1,U4,PR1,,,,SL1 1AA,SL2 5AA,,EXTRA\n"
    )
    outcome, db = load(tmp_path, files)
    with snapshot(db) as conn:
        examples = quality.issue_examples(conn)
    row = examples[examples.rule == "field_count"].iloc[0]
    assert (row.file, row.row_number, row.column_name) == ("ssda903/2020/episodes.csv", 2, None)
    assert row.value is None and "000101" not in row.message
