"""The nightly load, stage by stage: reading, validating, building, publishing.

Nothing is published unless every stage succeeds. A refused load leaves the published file
exactly as it was (byte for byte); it is recorded in the load log beside it.
"""

from __future__ import annotations

import contextlib
import secrets
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from ..extracts import SOURCES, read_source
from ..extracts.problems import LoadIssue, UnusableFile
from ..extracts.schema import ALL_TABLES, CODE, DATE, DECIMAL, FLAG, ID, INT, POSTCODE, TEXT
from ..published import ALIAS, attach_sql
from . import reference
from .checks import check_drop
from .history import Run, append_refused, write_history
from .publish import build_path, exclusive_lock, publish

SQL_TYPES = {
    ID: "VARCHAR",
    TEXT: "VARCHAR",
    CODE: "VARCHAR",
    POSTCODE: "VARCHAR",
    DATE: "DATE",
    INT: "BIGINT",
    DECIMAL: "DOUBLE",
    FLAG: "BOOLEAN",
}


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


class Refused(Exception):
    """The load cannot publish; the message says what to do."""


def _now() -> datetime:
    return datetime.now()


def new_run_id(started: datetime) -> str:
    return f"{started:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def read_as_at(extracts: Path, given: date | None) -> date:
    """The date the extract was taken: --as-at, else the drop's as_at.txt, else today."""
    if given is not None:
        return given
    marker = extracts / "as_at.txt"
    if marker.exists():
        text = marker.read_text(encoding="utf-8-sig").strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise Refused(
                f"{marker}: '{text[:40]}' is not a date in the form yyyy-mm-dd. Write the date "
                "the extract was taken (e.g. 2025-03-31) or remove the file."
            ) from None
    return date.today()


def load_drop(
    extracts: Path | str,
    db: Path | str,
    *,
    as_at: date | None = None,
    population_csv: Path | None = None,
    targets_csv: Path | None = None,
    log: Callable[[str], None] = print,
) -> LoadOutcome:
    """Load one drop of extracts into a new database and publish it at `db`."""
    extracts, db = Path(extracts), Path(db)
    t0 = time.perf_counter()
    started = _now()
    run = Run(new_run_id(started), started, str(extracts))
    log(f"Nightly load {run.run_id}: {extracts} -> {db}")
    tmp: Path | None = None
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        with exclusive_lock(db):
            if not extracts.is_dir():
                raise Refused(
                    f"The extracts folder {extracts} does not exist. Point --extracts "
                    "at the folder the case-management system drops files into."
                )
            run.as_at = read_as_at(extracts, as_at)
            log(f"  extract as at {run.as_at:%d/%m/%Y}")
            tables = _read(extracts, run, log)
            _validate(tables, run, log)
            tmp = build_path(db, run.run_id)
            _build(tmp, db, tables, run, population_csv, targets_csv, log)
            stage = time.perf_counter()
            publish(tmp, db)
            tmp = None
            log(f"publishing: {db} replaced atomically ({time.perf_counter() - stage:.2f}s)")
    except (Refused, UnusableFile) as e:
        return _refuse(run, db, str(e), tmp, t0, log)
    except Exception as e:  # an unexpected failure must still leave the old file serving
        log(traceback.format_exc())
        return _refuse(run, db, f"unexpected error: {type(e).__name__}: {e}", tmp, t0, log)
    seconds = time.perf_counter() - t0
    log(
        f"Published run {run.run_id}: {run.rows_kept:,} rows kept, {len(run.issues):,} issues "
        f"recorded in load_issues, {seconds:.1f}s"
    )
    return LoadOutcome(
        run.run_id, "published", "published", db, run.as_at, seconds, run.rows_kept, len(run.issues)
    )


def _refuse(run: Run, db: Path, message: str, tmp: Path | None, t0: float, log) -> LoadOutcome:
    if tmp is not None:
        for p in (tmp, tmp.with_name(tmp.name + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
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


def _read(extracts: Path, run: Run, log) -> dict[str, pd.DataFrame]:
    tables: dict[str, pd.DataFrame] = {}
    unusable: list[UnusableFile] = []
    found_any = False
    for source, label in SOURCES.items():
        stage = time.perf_counter()
        result = read_source(extracts, source, run.as_at)
        if result is None:
            log(
                f"reading {label}: no {source}/ folder in the drop -- its indicators will be "
                "unavailable"
            )
            continue
        found_any = True
        run.files.extend(result.files)
        run.issues.extend(result.issues)
        unusable.extend(result.unusable)
        tables.update(result.tables)
        rows = sum(f.rows_read for f in result.files)
        kept = sum(len(t) for t in result.tables.values())
        merged = " after merging collection years" if source != "local" else ""
        log(
            f"reading {label}: {len(result.files)} files, {rows:,} rows read, {kept:,} "
            f"records kept{merged} ({time.perf_counter() - stage:.2f}s)"
        )
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
    return tables


def _validate(tables: dict, run: Run, log) -> None:
    stage = time.perf_counter()
    before = sum(len(t) for t in tables.values())
    issues = check_drop(tables, log)
    run.issues.extend(issues)
    after = sum(len(t) for t in tables.values())
    kept_out = sum(1 for i in run.issues if i.action == "row kept out")
    log(
        f"validating: {before - after:,} rows kept out by cross-table rules; "
        f"{kept_out:,} rows kept out in all, {len(run.issues):,} issues "
        f"({time.perf_counter() - stage:.2f}s)"
    )
    # rows_kept per file after the cross-table rules
    kept: dict[str, int] = {}
    for frame in tables.values():
        for f, n in frame["source_file"].value_counts().items():
            kept[str(f)] = kept.get(str(f), 0) + int(n)
    for f in run.files:
        f.rows_kept = kept.get(f.path, 0)
    run.rows_kept = after


def _build(tmp: Path, db: Path, tables: dict, run: Run, population_csv, targets_csv, log) -> None:
    stage = time.perf_counter()
    # no progress bars: the load's log is read by people and by cron's mail, a line a stage
    con = duckdb.connect(str(tmp))
    con.execute("SET enable_progress_bar = false")
    try:
        sources = []
        for t in ALL_TABLES:
            cols = [f"{c.db_name} {SQL_TYPES[c.kind]}" for c in t.columns]
            if t.yearly:
                cols.append("collection_year INTEGER")
            cols += ["source_file VARCHAR", "source_row BIGINT"]
            con.execute(f"CREATE TABLE {t.name} ({', '.join(cols)})")
            frame = tables.get(t.name)
            present = frame is not None
            if present and len(frame):
                names = (
                    [c.db_name for c in t.columns]
                    + (["collection_year"] if t.yearly else [])
                    + ["source_file", "source_row"]
                )
                con.register("_rows", frame[names])
                con.execute(f"INSERT INTO {t.name} SELECT * FROM _rows")
                con.unregister("_rows")
            sources.append((t.name, t.source, present, 0 if frame is None else len(frame)))
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
        episodes = tables.get("s903_episodes")
        posts = (
            pd.concat([episodes["home_post"], episodes["pl_post"]])
            if episodes is not None
            else pd.Series(dtype="string")
        )
        locations = reference.postcode_locations(posts)
        con.register("_pc", locations)
        con.execute("CREATE TABLE ref_postcodes AS SELECT * FROM _pc")
        con.unregister("_pc")
        log(
            f"building: {len(ALL_TABLES)} tables, {run.rows_kept:,} rows, "
            f"{len(locations):,} postcodes located ({time.perf_counter() - stage:.2f}s)"
        )

        stage = time.perf_counter()
        materialise = _indicator_hook()
        if materialise is None:
            log("building indicators: the indicator library is not installed; skipped")
        else:
            from ..indicators.targets import TargetsError

            try:
                materialise(con, run.as_at, targets_csv=targets_csv)
            except TargetsError as e:  # people edit the targets file: say which line
                raise Refused(f"{e} The last good database keeps serving.") from e
            n = con.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
            log(f"building indicators: {n:,} values ({time.perf_counter() - stage:.2f}s)")

        run.status = "published"
        run.message = "published"
        run.finished_at = _now()
        write_history(con, db, run, log)
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _indicator_hook():
    """The indicator library's materialise(), once that package exists."""
    import importlib
    import importlib.util

    if importlib.util.find_spec(f"{__package__.rsplit('.', 1)[0]}.indicators") is None:
        return None
    return importlib.import_module("..indicators", __package__).materialise


def rows_by_table(db: Path) -> dict[str, int]:
    """Row counts of every table of a published file (for summaries and notes)."""
    con = duckdb.connect()  # attach, not connect: see scst_metrics.published
    try:
        con.execute(attach_sql(db.resolve()))
        con.execute(f"USE {ALIAS}")
        names = [r[0] for r in con.execute("SHOW TABLES").fetchall()]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        con.close()
