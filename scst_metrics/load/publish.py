"""Publishing new databases without breaking a dashboard that has the old one open.

A load publishes two files (docs/operations.md):

- the **detail file** (`<db stem>.detail.duckdb` beside the board's file, e.g.
  `data/scst.detail.duckdb`, mode 0600): every child-level table, the reference tables, the
  indicator tables and the full audit trail. Only the load and analysts with the service
  account read it; the app never opens it;
- the **board's file** (`--db` / `$SCST_DB`, e.g. `data/scst.duckdb`, mode 0640): only what the
  board reads -- the indicator tables, hubs, load_meta, load_sources, the load history and
  data-quality facts redacted (no value of an identifying column). No child-level row.

DuckDB lets one process write a file or many read it, never both. So the loader never writes
a published file: it builds a complete new file beside it (same folder, so same file
system), makes it durable (CHECKPOINT, close, fsync), then renames it over the published
path with os.replace -- one atomic step. The detail file is published first, then the board's
file. A reader that has the old file open keeps reading the old file until it closes it
(POSIX keeps a replaced file alive while it is open); its next snapshot
(scst_metrics.published.snapshot) opens the new one. There is never a moment when the path
holds a half-written file.

On Windows a file that is open cannot be replaced: run the app and the loader on Linux, or
schedule the load when the app is stopped (docs/operations.md).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from ..published import DETAIL_SUFFIX

DETAIL_MODE = 0o600  # owner only: child-level rows
BOARD_MODE = 0o640  # owner and the app's group: aggregates only


def detail_path(db: Path) -> Path:
    """Where the detail file of the board's file `db` lives: beside it."""
    return db.with_name(db.stem + DETAIL_SUFFIX)


def build_path(db: Path, run_id: str) -> Path:
    """Where a run builds its new file: hidden, beside the published one."""
    return db.with_name(f".{db.name}.building-{run_id}")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(built: Path, db: Path, mode: int = BOARD_MODE) -> None:
    """Atomically make `built` the published database at `db`, with permissions `mode`."""
    wal = built.with_name(built.name + ".wal")
    if wal.exists():  # CHECKPOINT was run; an empty WAL may remain
        wal.unlink()
    os.chmod(built, mode)
    _fsync(built)
    os.replace(built, db)
    with contextlib.suppress(OSError):  # directory fsync is not possible on every platform
        _fsync(db.parent)


@contextlib.contextmanager
def private_files() -> Iterator[None]:
    """Files created inside are owner-only from their first byte (DuckDB's WAL included)."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


@contextlib.contextmanager
def exclusive_lock(db: Path) -> Iterator[None]:
    """One load at a time per database: a second load waits for the first to finish."""
    lock = db.with_name(db.stem + ".lock")
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; schedule one load at a time
        yield
        return
    with open(lock, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
