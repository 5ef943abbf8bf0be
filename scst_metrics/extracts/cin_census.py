"""Reading the children in need (CIN) census XML: one file per collection year.

The file follows the DfE children in need census XML structure (DfE "Children in need
census: guide" and its technical specification for the collection year; element names and
code lists as checked by the DfE CIN validation rules, published by Data to Insight as
csc-validator-be-cin):

    <Message><Header><CollectionDetails><Collection>CIN</Collection>
        <ReferenceDate>2025-03-31</ReferenceDate>...</Header>
      <Children><Child>
        <ChildIdentifiers> LAchildID UPN FormerUPN UPNunknown PersonBirthDate
                           ExpectedPersonBirthDate Sex (GenderCurrent in older years)
        <ChildCharacteristics> Ethnicity Disabilities/Disability
        <CINdetails> CINreferralDate ReferralSource PrimaryNeedCode CINclosureDate
                     ReasonForClosure DateOfInitialCPC ReferralNFA
          <Assessments> AssessmentActualStartDate AssessmentAuthorisationDate
                        FactorsIdentifiedAtAssessment/AssessmentFactors
          <CINPlanDates> CINPlanStartDate CINPlanEndDate
          <Section47> S47ActualStartDate InitialCPCtarget DateOfInitialCPC ICPCnotRequired
          <ChildProtectionPlans> CPPstartDate CPPendDate InitialCategoryOfAbuse
                     LatestCategoryOfAbuse NumberOfPreviousCPP Reviews/CPPreviewDate

Each file is flattened into the tables of `schema.CIN_TABLES` and checked with
`cells.check_table`, like the CSV extracts. Elements not listed above (PreProceedingsandFGDM,
PersonDeathDate, ...) are ignored. Element names are matched on their local name, so a
namespace prefix or a default xmlns makes no difference.

The XML is untrusted. A file is first parsed by libxml2 through lxml (C, streaming: each
<Child> is walked once it has ended, then dropped), with entities left unexpanded, no network
and no DTD: a file whose prolog has a <!DOCTYPE> never reaches it. Anything out of the
ordinary -- a DTD, XML that is not well formed or is cut short, a root that is not <Message>,
a collection that is not CIN, a <Child> outside Message/Children -- is read again from the
start by the reader that gives the messages: defusedxml's expat SAX driver, streaming, with
DTDs, entity declarations and external references forbidden (a file that has any of them is
refused unread). Both give the same rows: the line number of every record (the line of its
Child, CINdetails, Assessments, ... element: lxml's `sourceline`, expat's SAX locator) is the
`source_row` of the row and the `row` of its issues.

A big census (PARALLEL_BYTES) is read by worker processes, a file each (`start_cin`: the
load reads its other sources meanwhile), each file staged into its own DuckDB file and taken
into the load's staging in file order: the same rows, in the same order, as one process.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler

import duckdb
import pandas as pd
from defusedxml.common import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.expatreader import DefusedExpatParser
from lxml import etree

from .cells import check_table
from .csv_files import collection_year
from .files import drop_files
from .problems import ROW_KEPT_OUT, WARNING, FileRead, LoadIssue, SourceResult, UnusableFile
from .schema import CIN_TABLES, Table
from .staging import Staging, columns_of, typed_frame

CIN_LABEL = "CIN census"
FILE_TABLE = "cin_census"  # FileRead.table for a CIN XML: one file feeds all CIN_TABLES
_CHUNK = 1 << 20
# Records checked and staged at a time: the reader's memory does not grow with the file.
_BATCH_ROWS = 100_000
_TABLES: dict[str, Table] = {t.name: t for t in CIN_TABLES}

# Leaf elements read into each record: element local name -> column.
_CHILD_IDS = {
    "LAchildID": "child_id",
    "UPN": "upn",
    "FormerUPN": "former_upn",
    "UPNunknown": "upn_unknown",
    "PersonBirthDate": "birth_date",
    "ExpectedPersonBirthDate": "expected_birth_date",
    "Sex": "sex",
    "GenderCurrent": "sex",
}
_REFERRAL = {
    "CINreferralDate": "referral_date",
    "ReferralSource": "referral_source",
    "PrimaryNeedCode": "primary_need",
    "CINclosureDate": "closure_date",
    "ReasonForClosure": "reason_for_closure",
    "ReferralNFA": "referral_nfa",
}
_ASSESSMENT = {
    "AssessmentActualStartDate": "start_date",
    "AssessmentAuthorisationDate": "authorisation_date",
}
_PLAN = {"CINPlanStartDate": "start_date", "CINPlanEndDate": "end_date"}
_S47 = {
    "S47ActualStartDate": "s47_start_date",
    "InitialCPCtarget": "icpc_target_date",
    "DateOfInitialCPC": "icpc_date",
    "ICPCnotRequired": "icpc_not_required",
}
_CPP = {
    "CPPstartDate": "start_date",
    "CPPendDate": "end_date",
    "InitialCategoryOfAbuse": "initial_category",
    "LatestCategoryOfAbuse": "latest_category",
    "NumberOfPreviousCPP": "previous_plans",
}
# Record elements inside CINdetails -> (table, leaf map)
_SUB_RECORDS = {
    "Assessments": ("cin_assessments", _ASSESSMENT),
    "CINPlanDates": ("cin_plans", _PLAN),
    "Section47": ("cin_section47", _S47),
    "ChildProtectionPlans": ("cin_cp_plans", _CPP),
}


class _Stop(Exception):
    """Raised from inside the SAX handler to abandon a file."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _Record:
    __slots__ = ("line", "values", "codes", "extra", "icpc_line")

    def __init__(self, line: int):
        self.line = line
        self.icpc_line = line  # Section47: line of its DateOfInitialCPC
        self.values: dict[str, str] = {}
        self.codes: list[str] = []  # disabilities / assessment factors
        self.extra: list = []  # CP plan reviews: (line, date text)


class _Referral:
    __slots__ = ("line", "values", "icpc", "subs")

    def __init__(self, line: int):
        self.line = line
        self.values: dict[str, str] = {}
        self.icpc: list[tuple[int, str]] = []  # CINdetails-level DateOfInitialCPC
        self.subs: list[tuple[str, _Record]] = []


class _Child:
    __slots__ = ("line", "record", "referrals")

    def __init__(self, line: int):
        self.line = line
        self.record = _Record(line)
        self.referrals: list[_Referral] = []


class _Rows:
    """Raw text rows of one table (a dict of values each), with their line numbers."""

    def __init__(self, table: Table):
        self.table = table
        self.values: list[dict] = []
        self.lines: list[int] = []

    def add(self, line: int, values: dict) -> None:
        self.values.append(values)
        self.lines.append(line)

    @property
    def columns(self) -> dict[str, list]:
        """Column by column; empty is "", as in a CSV cell (check_table treats it as empty)."""
        rows = self.values
        return {c.name: [v.get(c.name) or "" for v in rows] for c in self.table.columns}

    def __len__(self) -> int:
        return len(self.lines)


class _Handler(ContentHandler):
    """Streams one CIN census Message into raw rows per table."""

    def __init__(self, rel: str):
        super().__init__()
        self.rel = rel
        self.locator = None
        self.stack: list[str] = []
        self.text: list[str] = []
        self.rows = {t.name: _Rows(t) for t in CIN_TABLES}
        self.issues: list[LoadIssue] = []
        self.collection: str | None = None
        self.reference_date: str | None = None
        self.reference_line: int | None = None
        self.saw_children = False
        self.children = 0
        self.kept_out = 0  # records of children without LAchildID
        self.child: _Child | None = None
        self.referral: _Referral | None = None
        self.sub: _Record | None = None

    def pending(self) -> int:
        """Rows read and not yet staged."""
        return sum(len(r) for r in self.rows.values())

    def setDocumentLocator(self, locator):  # noqa: N802 (SAX API)
        self.locator = locator

    def line(self) -> int:
        return int(self.locator.getLineNumber()) if self.locator is not None else 0

    # --- SAX events ------------------------------------------------------------------
    def startElement(self, name, attrs):  # noqa: N802 (SAX API)
        local = name.rpartition(":")[2]
        stack = self.stack
        if not stack and local != "Message":
            raise _Stop(
                f"is not a CIN census file: its root element is <{name}>, not <Message>. "
                "Check this is the CIN census XML exported for the DfE return."
            )
        parent = stack[-1] if stack else None
        stack.append(local)
        self.text = []
        if local == "Child" and parent == "Children":
            self.child = _Child(self.line())
            self.children += 1
        elif local == "Children" and parent == "Message":
            self.saw_children = True
        elif self.child is None:
            return
        elif local == "CINdetails" and parent == "Child":
            self.referral = _Referral(self.line())
            self.child.referrals.append(self.referral)
        elif local in _SUB_RECORDS and parent == "CINdetails" and self.referral is not None:
            self.sub = _Record(self.line())
            self.referral.subs.append((local, self.sub))

    def characters(self, content):
        self.text.append(content)

    def endElement(self, name):  # noqa: N802 (SAX API)
        stack = self.stack
        local = stack.pop()
        text = "".join(self.text).strip()
        self.text = []
        parent = stack[-1] if stack else None
        child = self.child
        if child is None:
            if parent == "CollectionDetails":
                if local == "Collection":
                    self.collection = text
                    if text.upper() != "CIN":
                        raise _Stop(
                            f"is a '{text}' collection, not the CIN census (Header "
                            "CollectionDetails/Collection should be CIN). Check this is the CIN "
                            "census XML."
                        )
                elif local == "ReferenceDate":
                    self.reference_date = text
                    self.reference_line = self.line()
            return
        if local == "Child" and parent == "Children":
            self._emit(child)
            self.child = None
            return
        grand = stack[-2] if len(stack) > 1 else None
        referral = self.referral
        if parent == "ChildIdentifiers" and grand == "Child":
            column = _CHILD_IDS.get(local)
            if column:
                child.record.values[column] = text
        elif parent == "ChildCharacteristics" and grand == "Child":
            if local == "Ethnicity":
                child.record.values["ethnicity"] = text
        elif local == "Disability" and parent == "Disabilities" and grand == "ChildCharacteristics":
            if text:
                child.record.codes.append(text)
        elif referral is None:
            return
        elif local == "CINdetails" and parent == "Child":
            self.referral = None
        elif parent == "CINdetails":
            if local in _SUB_RECORDS:
                self.sub = None
            elif local == "DateOfInitialCPC":
                if text:
                    referral.icpc.append((self.line(), text))
            else:
                column = _REFERRAL.get(local)
                if column:
                    referral.values[column] = text
        elif self.sub is not None:
            sub = self.sub
            if grand == "CINdetails":
                column = _SUB_RECORDS[parent][1].get(local)
                if column:
                    sub.values[column] = text
                    if column == "icpc_date":
                        sub.icpc_line = self.line()
            elif (local, parent, grand) == (
                "AssessmentFactors",
                "FactorsIdentifiedAtAssessment",
                "Assessments",
            ):
                if text:
                    sub.codes.append(text)
            elif (local, parent, grand) == ("CPPreviewDate", "Reviews", "ChildProtectionPlans"):
                sub.extra.append((self.line(), text))

    # --- records -> rows -------------------------------------------------------------
    def _emit(self, child: _Child) -> None:
        ident = child.record.values.get("child_id") or None
        if ident is None:
            n = 1 + sum(
                1 + len(r.icpc) + sum(1 + len(sub.extra) for _, sub in r.subs)
                for r in child.referrals
            )
            self.kept_out += n
            self.issues.append(
                LoadIssue(
                    self.rel,
                    child.line,
                    "child_id",
                    None,
                    "required",
                    f"The child at line {child.line} has no LAchildID, so none of its records "
                    f"({n} in all: the child, its referrals, assessments, plans...) can be "
                    "linked to a child; they were kept out. Add the child's LAchildID in the "
                    "case-management system and export the census again.",
                    ROW_KEPT_OUT,
                )
            )
            return
        values = dict(child.record.values)
        values["disabilities"] = " ".join(child.record.codes) or None
        self.rows["cin_children"].add(child.line, values)
        for ref in child.referrals:
            base = {"child_id": ident, "referral_date": ref.values.get("referral_date")}
            self.rows["cin_referrals"].add(ref.line, {**ref.values, **base})
            # Initial conferences: CINdetails' own DateOfInitialCPC and each Section47's,
            # one row per date (a Section47 date adds its enquiry's start).
            conferences: dict[str, tuple[int, str | None]] = {}
            for line, icpc in ref.icpc:
                conferences.setdefault(icpc, (line, None))
            for kind, sub in ref.subs:
                if kind == "Section47" and sub.values.get("icpc_date"):
                    icpc = sub.values["icpc_date"]
                    s47 = sub.values.get("s47_start_date") or None
                    line, known = conferences.get(icpc, (sub.icpc_line, None))
                    conferences[icpc] = (line, known or s47)
            for icpc, (line, s47) in conferences.items():
                self.rows["cin_initial_conferences"].add(
                    line, {**base, "icpc_date": icpc, "s47_start_date": s47}
                )
            for kind, sub in ref.subs:
                table = _SUB_RECORDS[kind][0]
                values = {**sub.values, **base}
                if kind == "Assessments":
                    values["factors"] = " ".join(sub.codes) or None
                self.rows[table].add(sub.line, values)
                if kind == "ChildProtectionPlans":
                    for line, review in sub.extra:
                        self.rows["cin_cp_reviews"].add(
                            line,
                            {
                                "child_id": ident,
                                "plan_start_date": sub.values.get("start_date"),
                                "review_date": review,
                            },
                        )


def read_cin(
    folder: Path, *, root: Path, as_at: date, staging: Staging | None = None
) -> SourceResult:
    """Read every *.xml under `folder` as a CIN census file (one per collection year).

    Follows the DfE children in need census XML (DfE "Children in need census" guide and
    technical specification; codes as in the DfE CIN validation rules, csc-validator-be-cin).
    The collection year is the 4-digit year in the file name or nearest folder name, else the
    year of the Header's CollectionDetails/ReferenceDate. A record in several years' files
    (a referral open across 31 March) is one record: the latest year's row wins.

    The rows kept go to `staging` (scst_metrics.extracts.staging) as each file is checked;
    with no staging given, to an in-memory one, and the tables come back as pandas frames in
    `result.tables`.
    """
    return start_cin(folder, root=root, as_at=as_at, staging=staging).finish()


def start_cin(
    folder: Path, *, root: Path, as_at: date, staging: Staging | None = None
) -> CinReading:
    """Start reading the CIN census (see read_cin): a big drop's files are read by worker
    processes, started here, while the caller reads the other sources; `.finish()` takes
    their rows and gives the SourceResult."""
    return CinReading(folder, root, as_at, staging)


class CinReading:
    """A CIN census being read (start_cin)."""

    def __init__(self, folder: Path, root: Path, as_at: date, staging: Staging | None):
        self.folder, self.root, self.as_at = folder, root, as_at
        self.own = staging is None
        self.staging = Staging.in_memory() if self.own else staging
        self.paths, self.unusable = drop_files(folder, root, ".xml")
        self.first = self.staging.reserve(len(self.paths))  # file_seq of paths[0]
        jobs = _jobs(self.paths)
        self.workers = (
            _Workers(self.paths, root, as_at, self.first, self.staging, jobs) if jobs > 1 else None
        )

    @property
    def jobs(self) -> int:
        """Processes reading the files (0: read in this process, in turn, by finish())."""
        return 0 if self.workers is None else self.workers.jobs

    def close(self) -> None:
        """Stop the workers (if any) and remove their files; finish() does it too."""
        if self.workers is not None:
            self.workers.close()

    def finish(self) -> SourceResult:
        try:
            return self._finish()
        finally:
            self.close()

    def _finish(self) -> SourceResult:
        staging, root, as_at = self.staging, self.root, self.as_at
        result = SourceResult()
        result.unusable = self.unusable
        usable: set[int] = set()  # files read whole (an empty file gives no table)
        for i, path in enumerate(self.paths):
            rel = path.relative_to(root).as_posix()
            seq = self.first + i
            if self.workers is not None:
                read, issues, whole, unusable = self.workers.take(i)
            else:
                read = FileRead(rel, FILE_TABLE, None, "")
                unusable = None
                try:
                    issues, whole = _read_one(path, rel, root, as_at, read, staging, seq)
                except UnusableFile as e:
                    _forget(staging, seq)  # the batches of a file that turns out unusable
                    read.rows_read = 0
                    unusable = e
            result.files.append(read)
            if unusable is not None:
                result.unusable.append(unusable)
                continue
            result.issues.extend(issues)
            if whole:
                usable.add(seq)

        staging.finish(result, CIN_TABLES if usable else (), own=self.own)
        if not result.present:
            where = self.folder.relative_to(root).as_posix() + "/"
            for t in CIN_TABLES:
                result.issues.append(
                    LoadIssue(
                        file=where,
                        row=None,
                        column=None,
                        value=None,
                        rule="missing_table",
                        message=f"No usable CIN census XML in this drop, so no {CIN_LABEL} "
                        f"{t.label} table: indicators that need it will show as unavailable. Add "
                        "the CIN census XML file (one per collection year) to this folder.",
                        action=WARNING,
                    )
                )
        return result


# A drop whose CIN census files add up to this many bytes is read by several processes at
# once (SCST_LOAD_JOBS of them, default one per CPU, at most 4), a file each: the parse and
# checks of one file are Python in one thread, and a Trust the size of England has ~1 GB a year.
PARALLEL_BYTES = int(os.environ.get("SCST_CIN_PARALLEL_BYTES", 64 << 20))
# DuckDB's memory in each of those processes (they spill to disk past it).
_PART_MEMORY = "256MB"


def _jobs(paths: list[Path]) -> int:
    jobs = int(os.environ.get("SCST_LOAD_JOBS") or min(4, os.cpu_count() or 1))
    if len(paths) < 2 or sum(p.stat().st_size for p in paths) < PARALLEL_BYTES:
        return 1
    return max(1, min(jobs, len(paths)))


class _Workers:
    """Worker processes reading a CIN census a file each, each file into its own DuckDB file
    in a private folder beside the file being built; `take(i)` waits for file i and appends
    its staged rows to `staging` (same file_seq and row_seq as if read in this process).
    Workers are started fresh (spawn), never forked from a process holding a DuckDB
    connection."""

    def __init__(self, paths, root: Path, as_at: date, first: int, staging: Staging, jobs: int):
        where = staging.con.execute(
            "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchone()
        # beside the file being built, named after it (a load that dies leaves it with it)
        build = Path(where[0]) if where and where[0] else None
        self.folder = Path(
            tempfile.mkdtemp(
                prefix=f"{build.name}.cin-" if build else ".scst-cin-",
                dir=build.parent if build else None,
            )
        )
        self.staging, self.jobs = staging, jobs
        self.parts = [self.folder / f"part{i}.duckdb" for i in range(len(paths))]
        self.pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"))
        self.futures = [
            self.pool.submit(_read_part, (path, root, as_at, first + i, part))
            for i, (path, part) in enumerate(zip(paths, self.parts, strict=True))
        ]

    def take(self, i: int) -> tuple:
        read, issues, whole, bad, present = self.futures[i].result()
        if bad is None:
            _take_part(self.staging, self.parts[i], present)
        self.parts[i].unlink(missing_ok=True)
        return read, issues, whole, (None if bad is None else UnusableFile(*bad))

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def _read_part(work) -> tuple:
    """In a worker: one file read into its own DuckDB file (see _read_apart)."""
    path, root, as_at, seq, part = work
    rel = path.relative_to(root).as_posix()
    con = duckdb.connect(str(part))
    con.execute("SET enable_progress_bar = false")
    con.execute("SET threads = 1")
    con.execute(f"SET memory_limit = '{_PART_MEMORY}'")
    con.execute(f"SET temp_directory = '{str(part) + '.spill'}'")
    staging = Staging(con)
    read = FileRead(rel, FILE_TABLE, None, "")
    try:
        issues, whole = _read_one(path, rel, root, as_at, read, staging, seq)
        bad = None
    except UnusableFile as e:
        read.rows_read, issues, whole, bad = 0, [], False, (e.file, e.message)
    con.close()
    return read, issues, whole, bad, sorted(staging.present)


def _take_part(staging: Staging, part: Path, present: list[str]) -> None:
    con = staging.con
    con.execute(f"ATTACH '{str(part).replace(chr(39), chr(39) * 2)}' AS _part (READ_ONLY)")
    try:
        for name in present:
            t = _TABLES[name]
            con.execute(f"INSERT INTO {staging.ensure(t)} SELECT * FROM _part.{staging.stage(t)}")
    finally:
        con.execute("DETACH _part")


def _forget(staging: Staging, seq: int) -> None:
    for t in CIN_TABLES:
        if t.name in staging.present:
            staging.con.execute(f"DELETE FROM {staging.stage(t)} WHERE file_seq = ?", [seq])


def _read_one(
    path: Path, rel: str, root: Path, as_at: date, read: FileRead, staging: Staging, seq: int
) -> tuple[list[LoadIssue], bool]:
    """Parse one file, its records checked and staged (as file `seq`) every _BATCH_ROWS rows;
    returns the issues and whether the file gave tables (an empty file does not), or raises
    UnusableFile (then some batches may be staged already).

    lxml first; a file it leaves (anything out of the ordinary) is read again from the start
    by the SAX reader, which says what is wrong with it."""
    try:
        return _parse(path, rel, root, as_at, read, staging, seq, fast=True)
    except _NotOrdinary:
        _forget(staging, seq)
        read.rows_read = 0
        return _parse(path, rel, root, as_at, read, staging, seq, fast=False)


def _parse(
    path: Path,
    rel: str,
    root: Path,
    as_at: date,
    read: FileRead,
    staging: Staging,
    seq: int,
    *,
    fast: bool,
) -> tuple[list[LoadIssue], bool]:
    digest = hashlib.sha256()
    handler = _Handler(rel)
    if fast:
        parser = _LxmlFeed(handler)
    else:
        parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
        parser.setContentHandler(handler)
        # The expat SAX driver is its own locator (line of the current event); it only hands
        # itself to the handler in parse(), not when fed incrementally, so do it here.
        handler.setDocumentLocator(parser)
    failure: UnusableFile | None = None
    size = 0
    head = b""
    batches = _Batches(handler, rel, as_at, read, staging, seq, collection_year(path, root))
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if len(head) < 65536:
                head += chunk[: 65536 - len(head)]
            if failure is None:
                try:
                    parser.feed(chunk)
                except Exception as e:  # noqa: BLE001 -- turned into UnusableFile below
                    if fast:
                        raise _NotOrdinary from e
                    failure = _unusable(e, rel, handler, head, at_end=False)
                if failure is None and handler.pending() >= _BATCH_ROWS:
                    batches.flush()
    read.sha256 = digest.hexdigest()
    if size == 0:
        return [
            LoadIssue(
                rel,
                None,
                None,
                None,
                "empty_file",
                "The file is empty (0 bytes), taken as a CIN census with no children. If "
                "children were expected, the extract failed: run it again.",
                WARNING,
            )
        ], False
    if failure is None:
        try:
            parser.close()
        except Exception as e:  # noqa: BLE001
            if fast:
                raise _NotOrdinary from e
            failure = _unusable(e, rel, handler, head, at_end=True)
    if failure is None and not handler.saw_children and handler.collection is None:
        if fast:
            raise _NotOrdinary
        failure = UnusableFile(
            rel,
            "is a <Message> with neither a CIN Header (CollectionDetails/Collection) nor a "
            "<Children> element: it is not a CIN census file. Check this is the CIN census XML.",
        )
    if failure is not None:
        raise failure

    issues = list(handler.issues)
    ref_year = _year_of(handler.reference_date)
    read.collection_year = collection_year(path, root)
    if read.collection_year is None:
        read.collection_year = ref_year
    if read.collection_year is None:
        raise UnusableFile(
            rel,
            "has no collection year: none in its file or folder name and no valid Header "
            "CollectionDetails/ReferenceDate. Put the year whose 31 March ends the collection "
            "in the file or folder name (e.g. cin/2025/cin_census.xml).",
        )
    if ref_year is not None and ref_year != read.collection_year:
        issues.append(
            LoadIssue(
                rel,
                handler.reference_line,
                "ReferenceDate",
                handler.reference_date,
                "collection_year_mismatch",
                f"The file name or folder says collection year {read.collection_year} but the "
                f"Header's ReferenceDate is {handler.reference_date}. The year "
                f"{read.collection_year} from the name was used; check the right file is in "
                "the right place.",
                WARNING,
            )
        )

    batches.flush()
    if batches.year is None:  # the year came from the Header: the batches staged without it
        batches.year = read.collection_year
        for t in CIN_TABLES:
            staging.con.execute(
                f"UPDATE {staging.stage(t)} SET collection_year = ? WHERE file_seq = ?",
                [read.collection_year, seq],
            )
    read.rows_read += handler.kept_out
    return issues + batches.issues + batches.duplicates(), True


class _NotOrdinary(Exception):
    """A file the lxml walk leaves to the SAX reader, which says what is wrong with it."""


# What the lxml parser reports (each once it has ended); the rest of the tree is built in C
# and only walked below a <Child>.
_LXML_TAGS = ("{*}Child", "{*}Collection", "{*}ReferenceDate")
# The start of a document up to its root element: no DOCTYPE (a BOM, the XML declaration,
# comments, processing instructions and white space only).
_PLAIN_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->)*<[A-Za-z_:]", re.S)


class _Locals(dict):
    """Element tag -> local name, without its {namespace} or prefix (as the SAX reader)."""

    def __missing__(self, tag: str) -> str:
        name = self[tag] = tag.rpartition("}")[2].rpartition(":")[2]
        return name


_LOCAL = _Locals()


def _line(el) -> int:
    """The line of an element's start tag. libxml2 keeps an element's line only up to 65535;
    past it lxml gives the line of the node after the start tag (where that text ends), so
    the line breaks in that text are taken off again."""
    line = el.sourceline
    if line >= 65535:
        if el.text is not None:
            line -= el.text.count("\n")
        elif el.tail and not len(el):
            line -= el.tail.count("\n")
    return line


def _text(el) -> str:
    """An element's text as the SAX reader takes it: what follows its last child element."""
    return ((el[-1].tail if len(el) else el.text) or "").strip()


class _LxmlFeed:
    """Parses a CIN census with libxml2 (lxml), fed a chunk at a time like the SAX parser:
    each <Child> becomes the handler's records when it ends, then is dropped from the tree.
    Entities are not expanded, nothing is fetched, and the bytes are only handed to libxml2
    once the prolog is seen to have no DOCTYPE. Raises _NotOrdinary for anything the SAX
    reader should look at."""

    def __init__(self, handler: _Handler):
        self.handler = handler
        self.parser = etree.XMLPullParser(
            events=("end",),
            tag=_LXML_TAGS,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            remove_comments=True,
            remove_pis=True,
        )
        self.head: bytes | None = b""  # bytes held back until the prolog is known plain
        self.root = None

    def feed(self, chunk: bytes) -> None:
        if self.head is not None:
            self.head += chunk
            if not _PLAIN_PROLOG.match(self.head):
                if len(self.head) > 65536 or b"<!D" in self.head:
                    raise _NotOrdinary
                return
            chunk, self.head = self.head, None
        self.parser.feed(chunk)
        self._events()

    def close(self) -> None:
        if self.head is not None:
            raise _NotOrdinary  # no root element seen
        root = self.parser.close()
        self._events()
        if self.root is None:
            self._check_root(root)
        self.handler.saw_children = any(
            isinstance(e.tag, str) and _LOCAL[e.tag] == "Children" for e in root
        )

    def _check_root(self, root) -> None:
        if _LOCAL[root.tag] != "Message":
            raise _NotOrdinary
        self.root = root

    def _events(self) -> None:
        handler = self.handler
        for _event, el in self.parser.read_events():
            if self.root is None:
                self._check_root(el.getroottree().getroot())
            name = _LOCAL[el.tag]
            parent = el.getparent()
            if name == "Child":
                if _LOCAL[parent.tag] != "Children" or parent.getparent() != self.root:
                    raise _NotOrdinary
                handler.children += 1
                handler._emit(_child_of(el))
                el.clear()
                while el.getprevious() is not None:
                    del parent[0]
            elif _LOCAL[parent.tag] == "CollectionDetails" and not any(
                _LOCAL[a.tag] == "Child" for a in el.iterancestors()
            ):
                text = _text(el)
                if name == "Collection":
                    handler.collection = text
                    if text.upper() != "CIN":
                        raise _NotOrdinary
                else:
                    handler.reference_date = text
                    handler.reference_line = _line(el)


def _child_of(el) -> _Child:
    """A <Child> element's records, as the SAX handler builds them."""
    child = _Child(_line(el))
    record = child.record
    for part in el:
        name = _LOCAL[part.tag]
        if name == "ChildIdentifiers":
            for leaf in part:
                column = _CHILD_IDS.get(_LOCAL[leaf.tag])
                if column:
                    record.values[column] = (
                        (leaf[-1].tail if len(leaf) else leaf.text) or ""
                    ).strip()
        elif name == "ChildCharacteristics":
            for leaf in part:
                kind = _LOCAL[leaf.tag]
                if kind == "Ethnicity":
                    record.values["ethnicity"] = _text(leaf)
                elif kind == "Disabilities":
                    for d in leaf:
                        if _LOCAL[d.tag] == "Disability" and (code := _text(d)):
                            record.codes.append(code)
        elif name == "CINdetails":
            child.referrals.append(_referral_of(part))
    return child


def _referral_of(el) -> _Referral:
    referral = _Referral(_line(el))
    for leaf in el:
        name = _LOCAL[leaf.tag]
        if name in _SUB_RECORDS:
            sub = _Record(_line(leaf))
            referral.subs.append((name, sub))
            columns = _SUB_RECORDS[name][1]
            for part in leaf:
                kind = _LOCAL[part.tag]
                column = columns.get(kind)
                if column:
                    sub.values[column] = ((part[-1].tail if len(part) else part.text) or "").strip()
                    if column == "icpc_date":
                        sub.icpc_line = _line(part)
                elif name == "Assessments" and kind == "FactorsIdentifiedAtAssessment":
                    for x in part:
                        if _LOCAL[x.tag] == "AssessmentFactors" and (code := _text(x)):
                            sub.codes.append(code)
                elif name == "ChildProtectionPlans" and kind == "Reviews":
                    for x in part:
                        if _LOCAL[x.tag] == "CPPreviewDate":
                            sub.extra.append((_line(x), _text(x)))
        elif name == "DateOfInitialCPC":
            if icpc := _text(leaf):
                referral.icpc.append((_line(leaf), icpc))
        else:
            column = _REFERRAL.get(name)
            if column:
                referral.values[column] = (
                    (leaf[-1].tail if len(leaf) else leaf.text) or ""
                ).strip()
    return referral


class _Batches:
    """A file's records, checked (cells.check_table) and staged a batch at a time; the
    duplicate-key rule, which needs the whole file, applied in SQL once it is all staged."""

    def __init__(self, handler, rel, as_at, read: FileRead, staging: Staging, seq, year):
        self.handler, self.rel, self.as_at, self.read = handler, rel, as_at, read
        self.staging, self.seq, self.year = staging, seq, year
        self.issues: list[LoadIssue] = []
        self.offsets = {t.name: 0 for t in CIN_TABLES}  # rows of each table staged so far

    def flush(self) -> None:
        for name, raw_rows in self.handler.rows.items():
            table = _TABLES[name]
            self.staging.ensure(table)
            if not len(raw_rows):
                continue
            raw = pd.DataFrame(raw_rows.columns, dtype="object")
            kept, cell_issues = check_table(
                table,
                raw,
                file=self.rel,
                rows=pd.Series(raw_rows.lines, dtype="int64"),
                as_at=self.as_at,
                keys=False,
            )
            self.issues.extend(cell_issues)
            kept["collection_year"] = pd.Series([self.year] * len(kept), dtype="Int64")
            self.staging.append(table, kept, self.seq, first=self.offsets[name])
            self.offsets[name] += len(kept)
            self.read.rows_read += len(raw_rows)
            self.handler.rows[name] = _Rows(table)

    def duplicates(self) -> list[LoadIssue]:
        """A second record with the key of an earlier one in the file is kept out (as
        cells.check_table does within one frame: same message)."""
        issues: list[LoadIssue] = []
        con = self.staging.con
        for t in CIN_TABLES:
            key = [k.lower() for k in t.key]
            stage = self.staging.stage(t)
            dups = con.execute(
                f"""
                SELECT * FROM (
                    SELECT {", ".join(columns_of(t))}, row_seq,
                           row_number() OVER w AS k, first_value(source_row) OVER w AS first_row
                    FROM {stage} WHERE file_seq = ?
                    WINDOW w AS (PARTITION BY {", ".join(key)} ORDER BY row_seq))
                WHERE k > 1 ORDER BY row_seq
                """,
                [self.seq],
            ).fetchdf()
            if not len(dups):
                continue
            firsts, seqs = dups.pop("first_row"), dups.pop("row_seq")
            dups = typed_frame(t, dups)
            label = " + ".join(t.key)
            for i in range(len(dups)):
                values = [dups.at[i, k] for k in key]
                issues.append(
                    LoadIssue(
                        self.rel,
                        int(dups.at[i, "source_row"]),
                        label,
                        " / ".join("" if pd.isna(x) else str(x)[:10] for x in values),
                        "duplicate_key",
                        f"Duplicate {t.label} record: the same {label} is on row "
                        f"{int(firsts[i])}. The first row was kept; remove the duplicate at "
                        "source.",
                        ROW_KEPT_OUT,
                    )
                )
            con.register("_dups", pd.DataFrame({"s": seqs.astype("int64")}))
            con.execute(
                f"DELETE FROM {stage} WHERE file_seq = ? AND row_seq IN (SELECT s FROM _dups)",
                [self.seq],
            )
            con.unregister("_dups")
        return issues


def _year_of(text: str | None) -> int | None:
    if text and re.match(r"^\d{4}-\d{2}-\d{2}$", text.strip()):
        return int(text.strip()[:4])
    return None


def _unusable(e: Exception, rel: str, handler: _Handler, head: bytes, *, at_end: bool):
    """The UnusableFile for an exception raised while parsing."""
    line = handler.line() if handler.locator is not None else None
    where = f" at line {line}" if line else ""
    if isinstance(e, _Stop):
        return UnusableFile(rel, e.message)
    if isinstance(e, DTDForbidden | EntitiesForbidden | ExternalReferenceForbidden):
        lowered = head.decode("latin-1").lower()
        what = []
        if "<!entity" in lowered:
            what.append(
                "declares entities (which can expand without limit, a 'billion laughs' attack)"
            )
        if re.search(r"\bsystem\b|\bpublic\b", lowered):
            what.append(
                "refers to external files or addresses (an external entity, which "
                "could read files on this computer)"
            )
        detail = f": it {' and '.join(what)}" if what else ""
        return UnusableFile(
            rel,
            f"has a DTD (<!DOCTYPE ...>){where}{detail}. A CIN census file never needs a DTD, "
            "and DTDs, entity declarations and external entities are refused for safety; the "
            "file was not read. Export the CIN census again from the case-management system "
            "and do not edit it by hand.",
        )
    if isinstance(e, SAXParseException):
        line = e.getLineNumber()
        reason = e.getMessage()
        if at_end:
            return UnusableFile(
                rel,
                f"ends before the XML is complete (the file looks cut short; the parser "
                f"stopped at line {line}: {reason}). Run the extract again and check the whole "
                "file was copied.",
            )
        return UnusableFile(
            rel,
            f"is not well-formed XML: {reason} at line {line}, column {e.getColumnNumber() + 1}. "
            "Export the CIN census again from the case-management system; if it was edited by "
            "hand, fix the XML at that line.",
        )
    return UnusableFile(
        rel,
        f"could not be read as XML{where} ({type(e).__name__}: {e}). Export the CIN census again.",
    )
