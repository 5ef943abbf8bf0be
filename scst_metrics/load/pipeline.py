"""The nightly load, stage by stage: reading, validating, building, publishing.

Nothing is published unless every stage succeeds. A refused load leaves both published files
exactly as they were (byte for byte); it is recorded in the load log beside them.

The load builds the *detail file* (every child-level table; the declared steps, e.g. the
indicator library, run there), then copies a declared list of aggregate tables into the
*board's file* -- the only file the app opens. See scst_metrics.load.publish for where each
file lives and who may read it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from ..extracts import SOURCES, read_source
from ..extracts.cin_census import start_cin
from ..extracts.problems import WARNING, LoadIssue, SourceResult, UnusableFile
from ..extracts.schema import ALL_TABLES, DATE
from ..extracts.staging import Staging, create_sql
from ..published import attach_sql
from . import reference
from .checks import check_drop
from .history import HISTORY_TABLES, Run, append_refused, board_issues, write_history
from .publish import (
    BOARD_MODE,
    DETAIL_MODE,
    build_path,
    detail_path,
    exclusive_lock,
    private_files,
    publish,
)
from .steps import Refused, Step, StepContext, default_steps

# DuckDB's memory for the load (SCST_LOAD_MEMORY, e.g. "2GB"): past it, DuckDB spills to a
# folder beside the file being built, so the load's memory does not grow with the drop.
LOAD_MEMORY = os.environ.get("SCST_LOAD_MEMORY", "1GB")

# What the loader itself puts in the board's file (the steps add their own `board_tables`):
# reference and audit tables with no child-level row. load_issues goes in redacted.
BOARD_TABLES = ("hubs", "load_meta", "load_sources", "load_runs", "load_run_files")


@dataclass
class LoadOutcome:
    run_id: str
    status: str  # "published" or "refused"
    message: str
    db: Path
    as_at: date | None
    seconds: float
    rows_kept: int
    issues: int

    @property
    def published(self) -> bool:
        return self.status == "published"


def _now() -> datetime:
    return datetime.now()


def new_run_id(started: datetime) -> str:
    return f"{started:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def read_as_at(extracts: Path, given: date | None) -> date | None:
    """The date the extract was taken, when the operator says it: --as-at, else the drop's
    as_at.txt; None when neither (then the drop's own dates say it, see drop_date)."""
    if given is not None:
        return given
    marker = extracts / "as_at.txt"
    if marker.is_symlink():
        raise Refused(f"{marker}: is a symbolic link; the load does not follow links.")
    if marker.exists():
        text = marker.read_text(encoding="utf-8-sig").strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise Refused(
                f"{marker}: line 1 is not a date in the form yyyy-mm-dd. Write the date "
                "the extract was taken (e.g. 2025-03-31) or remove the file."
            ) from None
    return None


def drop_date(con: duckdb.DuckDBPyConnection, present: set, today: date) -> date:
    """The latest date the drop's files cover: 31 March of the latest collection year of a
    statutory return, or the latest past-only date recorded in any table (never after today).

    Five years of SSDA903 returns ending 31 March 2021, loaded in 2026, are as at 31/03/2021:
    no series runs past the data."""
    latest: date | None = None
    for t in ALL_TABLES:
        if t.name not in present:
            continue
        wanted = ["count(*)"]
        if t.yearly:
            wanted.append("max(collection_year)")
        wanted += [f"max({c.db_name})" for c in t.columns if c.kind == DATE and c.past_only]
        n, *values = con.execute(f"SELECT {', '.join(wanted)} FROM {t.name}").fetchone()
        if not n:
            continue
        found: list[date] = []
        if t.yearly:
            year, *values = values
            if year is not None:
                found.append(date(int(year), 3, 31))
        found += [v for v in values if v is not None]
        for d in found:
            if d <= today and (latest is None or d > latest):
                latest = d
    return latest or today


def load_drop(
    extracts: Path | str,
    db: Path | str,
    *,
    as_at: date | None = None,
    allow_older: bool = False,
    population_csv: Path | None = None,
    targets_csv: Path | None = None,
    log: Callable[[str], None] = print,
    steps: Sequence[Step] | None = None,
) -> LoadOutcome:
    """Load one drop of extracts: the detail file beside `db`, then the board's file at `db`.

    `steps` run in the detail file after the drop's tables are built (default: the steps
    declared by scst_metrics.nightly -- the indicator library). `allow_older` publishes a drop
    whose extract date is older than the published one (refused otherwise)."""
    extracts, db = Path(extracts), Path(db)
    steps = default_steps() if steps is None else tuple(steps)
    t0 = time.perf_counter()
    started = _now()
    run = Run(new_run_id(started), started, str(extracts))
    log(f"Nightly load {run.run_id}: {extracts} -> {db}")
    detail = detail_path(db)
    built: list[Path] = []
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        with exclusive_lock(db), private_files():
            if not extracts.is_dir():
                raise Refused(
                    f"The extracts folder {extracts} does not exist. Point --extracts "
                    "at the folder the case-management system drops files into."
                )
            _clear_leftovers(db, log)
            given = read_as_at(extracts, as_at)
            today = date.today()
            run.as_at = given or today  # for reading: no recorded event after it
            # The detail file is built from the start: each file's rows go into it as read.
            built.append(build_path(detail, run.run_id))
            con = _open_build(built[-1])
            try:
                staging = Staging(con)
                sources = _read(extracts, run, staging, log)
                if given is None:
                    run.as_at = drop_date(con, set(staging.present), today)
                    log(f"  extract as at {run.as_at:%d/%m/%Y} (the latest date the drop covers)")
                else:
                    log(f"  extract as at {run.as_at:%d/%m/%Y}")
                previous = _published_facts(db)
                _not_older(run.as_at, previous.get("as_at"), allow_older)
                _missing_sources(sources, previous.get("sources", set()), run, log)
                _validate(staging, run, log)
                _build(con, db, staging, run, population_csv, targets_csv, steps, log)
            finally:
                con.close()
            built.append(build_path(db, run.run_id))
            _board(built[-1], built[0], steps, log)
            stage = time.perf_counter()
            publish(built[0], detail, DETAIL_MODE)
            publish(built[1], db, BOARD_MODE)
            built = []
            log(
                f"publishing: {detail} (mode 0600) then {db} (mode 0640) replaced atomically "
                f"({time.perf_counter() - stage:.2f}s)"
            )
    except (Refused, UnusableFile) as e:
        return _refuse(run, db, str(e), built, t0, log)
    except Exception as e:  # an unexpected failure must still leave the old files serving
        log(traceback.format_exc())
        message = f"unexpected error ({type(e).__name__}); the load's output has the details"
        return _refuse(run, db, message, built, t0, log)
    seconds = time.perf_counter() - t0
    log(
        f"Published run {run.run_id}: {run.rows_kept:,} rows kept, {len(run.issues):,} issues "
        f"recorded in load_issues, {seconds:.1f}s"
    )
    return LoadOutcome(
        run.run_id, "published", "published", db, run.as_at, seconds, run.rows_kept, len(run.issues)
    )


def _clear_leftovers(db: Path, log) -> None:
    """Remove what a load that died (killed, out of disk) left beside `db`: its files being
    built, their WAL and spill folders, its CIN workers' folder. Called under the lock, so
    no other load of `db` is running."""
    left = []
    for built in (build_path(detail_path(db), "*"), build_path(db, "*")):
        left += sorted(db.parent.glob(built.name))
    for path in left:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    if left:
        log(
            f"  removed {len(left)} file(s) and folder(s) left by a load that did not finish: "
            + ", ".join(p.name for p in left)
        )


def _published_facts(db: Path) -> dict:
    """The published board file's extract date and sources present (empty if none/unreadable)."""
    if not db.exists():
        return {}
    con = duckdb.connect()
    try:
        con.execute(attach_sql(db.resolve(), "previous"))
        as_at = con.execute("SELECT max(as_at) FROM previous.main.load_meta").fetchone()[0]
        rows = con.execute(
            "SELECT DISTINCT source FROM previous.main.load_sources WHERE present"
        ).fetchall()
        return {"as_at": as_at, "sources": {r[0] for r in rows}}
    except duckdb.Error:
        return {}
    finally:
        con.close()


def _not_older(as_at: date, published: date | None, allow_older: bool) -> None:
    if published is None or as_at >= published or allow_older:
        return
    raise Refused(
        f"This drop is as at {as_at:%d/%m/%Y}, older than the published data (as at "
        f"{published:%d/%m/%Y}): publishing it would replace newer data with older. If that is "
        "intended (reloading a corrected older drop), run the load again with --allow-older."
    )


def _missing_sources(tonight: set[str], before: set[str], run: Run, log) -> None:
    """A source in the last published load but not in tonight's drop: a warning for the board."""
    for source in sorted(before - tonight):
        label = SOURCES.get(source, source)
        message = (
            f"No {source}/ folder in tonight's drop, though the last published load had "
            f"{label} data: indicators that need it are blank until it returns. Check the "
            f"{label} extract ran and was copied into the drop."
        )
        run.issues.append(
            LoadIssue(f"{source}/", None, None, None, "source_missing", message, WARNING)
        )
        log(f"  warning: {message}")


def _refuse(run: Run, db: Path, message: str, built: list[Path], t0: float, log) -> LoadOutcome:
    for tmp in built:
        for p in (tmp, tmp.with_name(tmp.name + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
        shutil.rmtree(_spill(tmp), ignore_errors=True)
    run.status = "refused"
    run.finished_at = _now()
    run.message = message
    try:
        append_refused(db, run)
    except OSError as e:  # the refusal itself must still be reported
        log(f"  warning: could not write the load log: {e}")
    seconds = time.perf_counter() - t0
    log(f"REFUSED run {run.run_id}: {message}")
    log(f"The published database {db} was not changed; it keeps serving the last good load.")
    return LoadOutcome(run.run_id, "refused", message, db, run.as_at, seconds, 0, len(run.issues))


def _spill(tmp: Path) -> Path:
    return tmp.with_name(tmp.name + ".spill")


def _open_build(tmp: Path) -> duckdb.DuckDBPyConnection:
    """The detail file being built, with DuckDB's memory bounded (see LOAD_MEMORY)."""
    con = duckdb.connect(str(tmp))
    # no progress bars: the load's log is read by people and by cron's mail, a line a stage
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET memory_limit = '{LOAD_MEMORY}'")
    con.execute(f"SET temp_directory = '{str(_spill(tmp)).replace(chr(39), chr(39) * 2)}'")
    return con


def _read(extracts: Path, run: Run, staging: Staging, log) -> set[str]:
    """Read the drop into `staging`; the sources (folders) it has."""
    sources: set[str] = set()
    unusable: list[UnusableFile] = []
    found_any = False
    # A big CIN census is read by worker processes, started first, while the other sources
    # are read here; its rows are taken last. Files and issues are recorded in SOURCES order.
    cin = extracts / "cin"
    early = (
        start_cin(cin, root=extracts, as_at=run.as_at, staging=staging) if cin.is_dir() else None
    )
    results: dict[str, SourceResult] = {}
    try:
        apart = early.jobs if early is not None else 0
        order = [s for s in SOURCES if s != "cin" or not apart] + (["cin"] if apart else [])
        for source in order:
            label = SOURCES[source]
            stage = time.perf_counter()
            if source == "cin" and early is not None:
                result = early.finish()
            else:
                result = read_source(extracts, source, run.as_at, staging)
            if result is None:
                log(
                    f"reading {label}: no {source}/ folder in the drop -- its indicators will "
                    "be unavailable"
                )
                continue
            results[source] = result
            rows = sum(f.rows_read for f in result.files)
            kept = sum(staging.rows(name) for name in result.present)
            merged = " after merging collection years" if source != "local" else ""
            by = f", by {apart} processes alongside the other sources" if source == "cin" else ""
            log(
                f"reading {label}: {len(result.files)} files, {rows:,} rows read, {kept:,} "
                f"records kept{merged} ({time.perf_counter() - stage:.2f}s{by if apart else ''})"
            )
    finally:
        if early is not None:
            early.close()
    for source in SOURCES:
        if source not in results:
            continue
        result = results[source]
        found_any = True
        sources.add(source)
        run.files.extend(result.files)
        run.issues.extend(result.issues)
        unusable.extend(result.unusable)
    if unusable:
        lines = "\n".join(f"  - {u}" for u in unusable)
        for u in unusable:
            run.issues.append(
                LoadIssue(u.file, None, None, None, "unusable_file", u.message, "load refused")
            )
        raise Refused(f"{len(unusable)} file(s) cannot be used:\n{lines}")
    if not found_any:
        raise Refused(
            f"{extracts} has none of ssda903/, cin/, local/: nothing to load. See "
            "docs/data-contract.md for the layout of a drop."
        )
    return sources


def _validate(staging: Staging, run: Run, log) -> None:
    stage = time.perf_counter()
    present = set(staging.present)
    before = sum(staging.rows(name) for name in present)
    issues = check_drop(staging.con, present, log)
    run.issues.extend(issues)
    after = sum(staging.rows(name) for name in present)
    kept_out = sum(1 for i in run.issues if i.action == "row kept out")
    log(
        f"validating: {before - after:,} rows kept out by cross-table rules; "
        f"{kept_out:,} rows kept out in all, {len(run.issues):,} issues "
        f"({time.perf_counter() - stage:.2f}s)"
    )
    # rows_kept per file after the cross-table rules
    kept = staging.rows_by_file()
    for f in run.files:
        f.rows_kept = kept.get(f.path, 0)
    run.rows_kept = after


def _build(
    con: duckdb.DuckDBPyConnection,
    db: Path,
    staging: Staging,
    run: Run,
    population_csv,
    targets_csv,
    steps: Sequence[Step],
    log,
) -> None:
    """The detail file: every table of the drop (already in it; an empty one for each table
    the drop has not), reference tables, then the declared steps."""
    stage = time.perf_counter()
    sources = []
    for t in ALL_TABLES:
        present = t.name in staging.present
        if not present:
            con.execute(create_sql(t))
        sources.append((t.name, t.source, present, staging.rows(t.name) if present else 0))
    con.execute(
        "CREATE TABLE load_sources (table_name VARCHAR, source VARCHAR, "
        "present BOOLEAN, rows BIGINT)"
    )
    con.executemany("INSERT INTO load_sources VALUES (?, ?, ?, ?)", sources)
    con.execute("CREATE TABLE load_meta (as_at DATE, run_id VARCHAR)")
    con.execute("INSERT INTO load_meta VALUES (?, ?)", [run.as_at, run.run_id])

    try:
        pop = reference.population(population_csv or reference.POPULATION_CSV)
    except reference.ReferenceDataError as e:
        raise Refused(f"{e}. Correct the file; the last good database keeps serving.") from e
    con.register("_pop", pop)
    con.execute(
        "CREATE TABLE ref_population AS SELECT year::INTEGER AS year, "
        "population_0_17::INTEGER AS population_0_17, source FROM _pop ORDER BY year"
    )
    con.unregister("_pop")
    posts = []
    if "s903_episodes" in staging.present:
        posts = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT p FROM (SELECT home_post FROM s903_episodes UNION ALL "
                "SELECT pl_post FROM s903_episodes) e(p) WHERE p IS NOT NULL ORDER BY p"
            ).fetchall()
        ]
    locations = reference.postcode_locations(pd.Series(posts, dtype="string"))
    con.register("_pc", locations)
    con.execute("CREATE TABLE ref_postcodes AS SELECT * FROM _pc")
    con.unregister("_pc")
    log(
        f"building: {len(ALL_TABLES)} tables, {run.rows_kept:,} rows, "
        f"{len(locations):,} postcodes located ({time.perf_counter() - stage:.2f}s)"
    )

    ctx = StepContext(as_at=run.as_at, targets_csv=targets_csv, log=log)
    for step in steps:
        line = step.run(con, ctx)
        if line:
            log(line)

    run.status = "published"
    run.message = "published"
    run.finished_at = _now()
    detail = detail_path(db)
    write_history(con, detail if detail.exists() else db, db, run, log)
    con.execute("CHECKPOINT")


def _board(tmp: Path, detail_tmp: Path, steps: Sequence[Step], log) -> None:
    """The board's file: the declared aggregate tables copied from the detail file just built,
    and load_issues redacted. Nothing else -- no child-level table -- goes in."""
    stage = time.perf_counter()
    wanted = list(BOARD_TABLES) + [t for step in steps for t in step.board_tables]
    con = duckdb.connect(str(tmp))
    con.execute("SET enable_progress_bar = false")
    try:
        con.execute(attach_sql(detail_tmp.resolve(), "detail"))
        have = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'detail'"
            ).fetchall()
        }
        copied = []
        for name in dict.fromkeys(wanted):
            if name not in have:
                log(f"  warning: {name} was declared for the board but not built; left out")
                continue
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM detail.main."{name}"')
            copied.append(name)
        issues = con.execute("SELECT * FROM detail.main.load_issues").fetchdf()
        con.execute("CREATE TABLE load_issues AS SELECT * FROM detail.main.load_issues LIMIT 0")
        redacted = board_issues(issues)
        if len(redacted):
            con.register("_issues", redacted)
            con.execute("INSERT INTO load_issues SELECT * FROM _issues")
            con.unregister("_issues")
        con.execute("DETACH detail")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    kept_back = sorted(have - set(copied) - set(HISTORY_TABLES))
    # A table a step wrote but did not declare stays out of the board: say which, so a new
    # aggregate table is declared (Step.board_tables in scst_metrics/nightly.py), not missed.
    undeclared = [t for t in kept_back if t not in _LOADER_TABLES]
    log(
        f"board file: {len(copied) + 1} tables of aggregates and audit, load_issues redacted; "
        f"{len(kept_back)} tables stay in the detail file only"
        + (f" (not declared for the board: {', '.join(undeclared)})" if undeclared else "")
        + f" ({time.perf_counter() - stage:.2f}s)"
    )


_LOADER_TABLES = {t.name for t in ALL_TABLES} | {"ref_population", "ref_postcodes"}
