"""The audit trail: `load_runs`, `load_run_files` and `load_issues`.

Each published file is replaced whole by the next load, so the history is carried forward:
a new build copies the previous detail file's history and adds its own run. A refused
load cannot write into the published files (they must stay byte-identical), so it is appended
to a small log beside them (`<db>.loadlog.jsonl`, which the board reads: its issues are
redacted like the board's); the next published load takes those runs in.

The detail file keeps every issue as found (the value that broke a rule, so an analyst can
find the record); the board's copy of `load_issues` is redacted (`board_issues`): no value of
an identifying column, in the value field or quoted in the message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from ..extracts.problems import HIDDEN, FileRead, LoadIssue, identifying
from ..published import attach_sql

RUNS_DDL = """
CREATE TABLE load_runs (
    run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP,
    status VARCHAR, as_at DATE, extracts VARCHAR, message VARCHAR,
    rows_kept BIGINT, issues BIGINT)
"""
FILES_DDL = """
CREATE TABLE load_run_files (
    run_id VARCHAR, path VARCHAR, table_name VARCHAR, collection_year INTEGER,
    sha256 VARCHAR, rows_read BIGINT, rows_kept BIGINT)
"""
ISSUES_DDL = """
CREATE TABLE load_issues (
    run_id VARCHAR, file VARCHAR, row_number BIGINT, column_name VARCHAR, value VARCHAR,
    rule VARCHAR, message VARCHAR, action VARCHAR)
"""
HISTORY_TABLES = ("load_runs", "load_run_files", "load_issues")


@dataclass
class Run:
    run_id: str
    started_at: datetime
    extracts: str
    as_at: date | None = None
    finished_at: datetime | None = None
    status: str = "running"
    message: str = ""
    rows_kept: int = 0
    files: list[FileRead] = field(default_factory=list)
    issues: list[LoadIssue] = field(default_factory=list)

    def runs_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "run_id": self.run_id,
                    "started_at": self.started_at,
                    "finished_at": self.finished_at,
                    "status": self.status,
                    "as_at": self.as_at,
                    "extracts": self.extracts,
                    "message": self.message,
                    "rows_kept": self.rows_kept,
                    "issues": len(self.issues),
                }
            ]
        )

    def files_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "run_id": self.run_id,
                    "path": f.path,
                    "table_name": f.table,
                    "collection_year": f.collection_year,
                    "sha256": f.sha256,
                    "rows_read": f.rows_read,
                    "rows_kept": f.rows_kept,
                }
                for f in self.files
            ],
            columns=[
                "run_id",
                "path",
                "table_name",
                "collection_year",
                "sha256",
                "rows_read",
                "rows_kept",
            ],
        )

    def issues_frame(self, *, board: bool = False) -> pd.DataFrame:
        """The run's issues; `board=True`: redacted as the board may hold them."""
        issues = [i.for_board() for i in self.issues] if board else self.issues
        return pd.DataFrame(
            [
                {
                    "run_id": self.run_id,
                    "file": i.file,
                    "row_number": i.row,
                    "column_name": i.column,
                    "value": i.value,
                    "rule": i.rule,
                    "message": i.message,
                    "action": i.action,
                }
                for i in issues
            ],
            columns=[
                "run_id",
                "file",
                "row_number",
                "column_name",
                "value",
                "rule",
                "message",
                "action",
            ],
        )


def log_path(db: Path) -> Path:
    return db.with_name(db.stem + ".loadlog.jsonl")


def append_refused(db: Path, run: Run) -> None:
    """Record a refused run beside the published file (which must not change)."""
    record = {
        "run": run.runs_frame()
        .astype(object)
        .where(lambda f: f.notna(), None)
        .to_dict("records")[0],
        "files": run.files_frame()
        .astype(object)
        .where(lambda f: f.notna(), None)
        .to_dict("records"),
        "issues": run.issues_frame(board=True)
        .astype(object)
        .where(lambda f: f.notna(), None)
        .to_dict("records"),
    }
    db.parent.mkdir(parents=True, exist_ok=True)
    path = log_path(db)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, default=str) + "\n")
    path.chmod(0o640)  # read by the board (refusals in the banner), like the board's file


def refused_runs(db: Path) -> list[dict]:
    path = log_path(db)
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut short by a crash: the rest is still good
    return out


def write_history(con: duckdb.DuckDBPyConnection, previous: Path, db: Path, run: Run, log) -> None:
    """Create the history tables in the new build: the history in `previous` (the last detail
    file) + the runs refused since (logged beside the board's file `db`) + this run."""
    con.execute(RUNS_DDL)
    con.execute(FILES_DDL)
    con.execute(ISSUES_DDL)
    if previous.exists():
        try:
            con.execute(attach_sql(previous.resolve(), "previous"))
            for t in HISTORY_TABLES:
                con.execute(f"INSERT INTO {t} SELECT * FROM previous.main.{t}")
            con.execute("DETACH previous")
        except duckdb.Error as e:
            log(f"  warning: could not carry forward load history from {previous}: {e}")
            for t in HISTORY_TABLES:
                con.execute(f"DELETE FROM {t}")
    have = {r[0] for r in con.execute("SELECT run_id FROM load_runs").fetchall()}
    for rec in refused_runs(db):
        if rec["run"]["run_id"] in have:
            continue
        have.add(rec["run"]["run_id"])
        _insert(con, "load_runs", pd.DataFrame([rec["run"]]))
        _insert(con, "load_run_files", pd.DataFrame(rec["files"]))
        _insert(con, "load_issues", pd.DataFrame(rec["issues"]))
    _insert(con, "load_runs", run.runs_frame())
    _insert(con, "load_run_files", run.files_frame())
    _insert(con, "load_issues", run.issues_frame())


def board_issues(frame: pd.DataFrame) -> pd.DataFrame:
    """`load_issues` rows as the board may hold them: the value of an identifying column (or
    of a whole row, a key of several columns, an unnamed column) is dropped, and replaced by
    [hidden] where the message quotes it."""
    frame = frame.copy()
    hide = [
        identifying(c) and v is not None and v == v
        for c, v in zip(frame["column_name"], frame["value"], strict=True)
    ]
    frame["message"] = [
        m.replace(v, HIDDEN) if h and isinstance(m, str) and isinstance(v, str) and v else m
        for m, v, h in zip(frame["message"], frame["value"], hide, strict=True)
    ]
    frame["value"] = frame["value"].where(~pd.Series(hide, index=frame.index, dtype=bool), None)
    return frame


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    frame = frame.reindex(columns=cols)
    con.register("_history_rows", frame)
    con.execute(f"INSERT INTO {table} SELECT * FROM _history_rows")
    con.unregister("_history_rows")
