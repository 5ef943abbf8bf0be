"""Reading the published database safely while the nightly load replaces it.

The board's file holds aggregates, the catalogue, hubs and the redacted load history only; the
child-level tables are in the load's detail file, which this module never opens.

How publishing works (see docs/operations.md): the loader builds a complete new DuckDB file
next to the published one and renames it over `data/scst.duckdb` in one atomic step. A
reader that already has the old file open keeps reading the old file (POSIX keeps a replaced
file alive while it is open); the next snapshot opens the new one.

DuckDB caches database instances by path inside a process, so `duckdb.connect(path)` after
a replacement can hand back the *old* instance while any connection to it is alive. A
snapshot therefore opens a fresh in-memory DuckDB and ATTACHes the file read-only: every
snapshot sees whatever file is at the path at that moment, and one snapshot never mixes
old and new data. A page run takes one snapshot and does all its reading through it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

DEFAULT_DB = Path("data/scst.duckdb")
ALIAS = "scst"
# The load's detail file (child-level rows, owner-only) is named <board stem>.detail.duckdb
# beside the board's file. The board never opens it: snapshot() refuses such a path.
DETAIL_SUFFIX = ".detail.duckdb"

# Each checkout of this engine is a new, empty in-memory DuckDB.
_ENGINE = sa.create_engine("duckdb:///:memory:", poolclass=NullPool)


def db_path(db: str | os.PathLike | None = None) -> Path:
    """The published database: the argument, else $SCST_DB, else data/scst.duckdb."""
    if db is not None:
        return Path(db)
    return Path(os.environ.get("SCST_DB") or DEFAULT_DB)


def identity(db: str | os.PathLike | None = None) -> tuple[int, int, int] | None:
    """Changes whenever a new file is published (for cache keys); None if there is none."""
    try:
        st = os.stat(db_path(db))
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def attach_sql(path: Path, alias: str = ALIAS) -> str:
    quoted = str(path).replace("'", "''")
    return f"ATTACH '{quoted}' AS {alias} (READ_ONLY)"


@contextmanager
def snapshot(db: str | os.PathLike | None = None) -> Iterator[sa.Connection]:
    """A read-only SQLAlchemy connection to the published file as it is now."""
    path = db_path(db)
    if path.name.endswith(DETAIL_SUFFIX):
        raise ValueError(
            f"{path.name} is the load's detail file (child-level rows): the board reads only "
            "the board's file. Point SCST_DB at that file (e.g. data/scst.duckdb)."
        )
    if not path.exists():
        raise FileNotFoundError(
            f"No published database at {path}. Run the nightly load "
            "(`make nightly`, or `python -m scst_metrics.load`) first."
        )
    with _ENGINE.connect() as conn:
        conn.exec_driver_sql(attach_sql(path.resolve()))
        conn.exec_driver_sql(f"USE {ALIAS}")
        yield conn
