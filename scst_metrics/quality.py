"""Data quality and freshness, read from the published database and the load log.

For the app's freshness banner and Data quality page: what the last load did, what it kept
out and why, and how old the data is. Reads only the board's file (and the refusal log beside
it), which hold no child-level rows: issue examples carry file, row, column, rule and message,
never the value of an identifying column (or a whole row) -- redacted at load time, and hidden
again here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from .extracts.problems import IDENTIFYING_COLUMNS as IDENTIFYING
from .extracts.problems import identifying
from .load.history import refused_runs
from .published import db_path, snapshot

STALE_AFTER = timedelta(hours=36)

# Columns whose values identify a child or a person: never shown (declared with the readers).
IDENTIFYING_COLUMNS = IDENTIFYING

# Warnings about the published load the banner shows (a source missing tonight).
BANNER_RULES = ("source_missing",)


@dataclass(frozen=True)
class LoadStatus:
    as_at: date | None  # the date the published extract was taken
    last_published: datetime | None  # when the published file was built
    last_run_status: str  # status of the most recent load, published or refused
    last_run_at: datetime | None
    last_run_message: str
    stale: bool  # the last successful load is more than 36 hours old
    # Warnings for the banner about the published load, e.g. a source present in the previous
    # load and missing from this one (its indicators are blank): file and rule, never values.
    warnings: tuple[str, ...] = ()


def _read(conn, sql: str, params: dict | None = None) -> pd.DataFrame:
    result = conn.execute(sa.text(sql), params or {})
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def load_status(
    conn: sa.Connection | None = None,
    db: str | os.PathLike | None = None,
    now: datetime | None = None,
) -> LoadStatus:
    """Freshness and the last load's outcome (a refused load after it included)."""
    if conn is None:
        with snapshot(db) as c:
            return load_status(c, db, now)
    now = now or datetime.now()
    meta = _read(conn, "SELECT as_at, run_id FROM load_meta")
    run = _read(conn, "SELECT finished_at FROM load_runs WHERE run_id = :r", {"r": meta.run_id[0]})
    published_at = pd.Timestamp(run.finished_at[0]).to_pydatetime() if len(run) else None
    status, at, message = "published", published_at, "published"
    for rec in refused_runs(Path(db_path(db))):
        finished = pd.Timestamp(rec["run"]["finished_at"]).to_pydatetime()
        if published_at is None or finished > (at or published_at):
            status, at, message = "refused", finished, rec["run"]["message"]
    stale = published_at is None or now - published_at > STALE_AFTER
    rules = ", ".join(f"'{r}'" for r in BANNER_RULES)
    warned = _read(
        conn,
        f"SELECT message FROM load_issues WHERE run_id = :r AND rule IN ({rules}) ORDER BY file",
        {"r": meta.run_id[0]},
    )
    return LoadStatus(
        as_at=pd.Timestamp(meta.as_at[0]).date() if len(meta) else None,
        last_published=published_at,
        last_run_status=status,
        last_run_at=at,
        last_run_message=message,
        stale=stale,
        warnings=tuple(warned.message),
    )


def load_history(conn: sa.Connection, limit: int = 30) -> pd.DataFrame:
    """The most recent loads, newest first."""
    return _read(
        conn,
        "SELECT run_id, started_at, finished_at, status, as_at, rows_kept, issues, message "
        "FROM load_runs ORDER BY started_at DESC LIMIT :n",
        {"n": limit},
    )


def issues_by_rule(conn: sa.Connection, run_id: str | None = None) -> pd.DataFrame:
    """What a load (default: the published one) kept out or flagged, counted by rule."""
    return _read(
        conn,
        "SELECT rule, action, count(*) AS issues, count(DISTINCT file) AS files "
        "FROM load_issues WHERE run_id = coalesce(:r, (SELECT run_id FROM load_meta)) "
        "GROUP BY rule, action ORDER BY issues DESC, rule",
        {"r": run_id},
    )


def issue_examples(
    conn: sa.Connection, per_rule: int = 3, run_id: str | None = None
) -> pd.DataFrame:
    """A few example issues per rule, without identifying values."""
    frame = _read(
        conn,
        "SELECT rule, file, row_number, column_name, value, message, action FROM ("
        "  SELECT *, row_number() OVER (PARTITION BY rule ORDER BY file, row_number) AS k"
        "  FROM load_issues"
        "  WHERE run_id = coalesce(:r, (SELECT run_id FROM load_meta))"
        ") WHERE k <= :n ORDER BY rule, file, row_number",
        {"r": run_id, "n": per_rule},
    )
    # The board's file holds no identifying value (the load redacts it); hide again anyway.
    hide = frame["column_name"].map(identifying).astype(bool)
    # The message may quote the value ("CHILD '123' is not a known child"): hide it there too.
    frame["message"] = [
        m.replace(v, "[hidden]") if h and isinstance(v, str) and v else m
        for m, v, h in zip(frame["message"], frame["value"], hide, strict=True)
    ]
    # A named identifying column says why its value is missing; an issue about a whole row or
    # file (no column) has no value to show.
    named = frame["column_name"].notna()
    frame["value"] = frame["value"].where(~hide, None)
    frame["value"] = frame["value"].where(~(hide & named), "(hidden: identifies a person)")
    return frame


def files_of_run(conn: sa.Connection, run_id: str | None = None) -> pd.DataFrame:
    return _read(
        conn,
        "SELECT path, table_name, collection_year, rows_read, rows_kept FROM load_run_files "
        "WHERE run_id = coalesce(:r, (SELECT run_id FROM load_meta)) ORDER BY path",
        {"r": run_id},
    )


__all__ = [
    "LoadStatus",
    "load_status",
    "load_history",
    "issues_by_rule",
    "issue_examples",
    "files_of_run",
    "STALE_AFTER",
]
