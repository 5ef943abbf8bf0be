"""Small extract drops written as real files, for tests that run the real loader."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from scst_metrics.load import detail_path, load_drop
from scst_metrics.published import ALIAS, attach_sql

AS_AT = date(2020, 6, 1)

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
    "HOME_POST,PL_POST,URN\n"
)

# A tiny but complete drop: two children looked after, two hubs, allocations.
BASE = {
    "ssda903/2020/header.csv": HEADER
    + "000101,1,01/02/2010,WBRI,,,\n"
    + "000102,2,03/04/2012,ABAN,,,\n",
    "ssda903/2020/episodes.csv": EPISODES
    + "000101,01/05/2019,S,C2,N1,U4,PR1,,,,SL1 1AA,SL2 5AA,\n"
    + "000102,10/06/2019,S,V2,N2,K2,PR4,01/01/2020,E4A,,SL1 3AA,,\n",
    "local/hubs.csv": "hub_id,hub_name,hub_kind,opened,closed\n"
    + "H01,Hub 1 - Britwell,locality,2016-08-01,\n"
    + "L01,LAC 1,lac,2016-08-01,\n",
    "local/allocations.csv": "child_id,hub_id,worker_id,start_date,end_date\n"
    + "000101,L01,W1,2019-05-01,\n"
    + "000102,L01,W1,2019-06-10,2020-01-01\n",
}


def write_drop(root: Path, files: dict[str, str | bytes], as_at: date | None = AS_AT) -> Path:
    """Write `files` (relative path -> text or bytes) under root; return root."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    if as_at is not None:
        (root / "as_at.txt").write_text(as_at.isoformat() + "\n", encoding="utf-8")
    return root


def load(tmp: Path, files: dict[str, str | bytes], db: Path | None = None, **kw):
    """Write a drop and load it with the real loader; returns (outcome, db path)."""
    drop = write_drop(tmp / "drop", files)
    db = db or tmp / "data" / "scst.duckdb"
    lines: list[str] = []
    outcome = load_drop(drop, db, log=lines.append, **kw)
    outcome.log = lines  # type: ignore[attr-defined]
    return outcome, db


def query(db: Path, sql: str, params=None) -> list[tuple]:
    """Rows of the load's detail file beside the board's file `db` (every table it built)."""
    return board_query(detail_path(db), sql, params)


def board_query(db: Path, sql: str, params=None) -> list[tuple]:
    """Rows of the board's file `db` itself (what the app reads)."""
    con = duckdb.connect()
    try:
        con.execute(attach_sql(db.resolve()))
        con.execute(f"USE {ALIAS}")
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def issue_rows(db: Path) -> list[tuple]:
    """Every issue of the load, in a fixed order (file, row, column, value, rule, message,
    action): for comparing two loads of one drop."""
    return query(
        db,
        "SELECT file, row_number, column_name, value, rule, message, action FROM load_issues "
        "ORDER BY ALL",
    )
