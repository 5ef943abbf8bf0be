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

The XML is untrusted: it is parsed with defusedxml's expat SAX driver, streaming, with DTDs,
entity declarations and external references forbidden -- a file that has any of them is
refused unread. The line number of every record (the line of its Child, CINdetails,
Assessments, ... element) comes from the expat parser through the SAX locator, and is the
`source_row` of the row and the `row` of its issues.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler

import pandas as pd
from defusedxml.common import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.expatreader import DefusedExpatParser

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
    """Raw text rows of one table, column by column, with their line numbers."""

    def __init__(self, table: Table):
        self.table = table
        self.columns: dict[str, list] = {c.name: [] for c in table.columns}
        self.lines: list[int] = []

    def add(self, line: int, values: dict) -> None:
        # Empty is "", as in a CSV cell: check_table treats it as empty.
        for name, cells in self.columns.items():
            cells.append(values.get(name) or "")
        self.lines.append(line)

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
    own = staging is None
    staging = Staging.in_memory() if own else staging
    result = SourceResult()
    usable: set[int] = set()  # files read whole (an empty file gives no table)
    paths, result.unusable = drop_files(folder, root, ".xml")
    for path in paths:
        rel = path.relative_to(root).as_posix()
        read = FileRead(rel, FILE_TABLE, None, "")
        result.files.append(read)
        seq = staging.next_file()
        try:
            issues, whole = _read_one(path, rel, root, as_at, read, staging, seq)
        except UnusableFile as e:
            _forget(staging, seq)  # the batches of a file that turns out unusable
            read.rows_read = 0
            result.unusable.append(e)
            continue
        result.issues.extend(issues)
        if whole:
            usable.add(seq)

    staging.finish(result, CIN_TABLES if usable else (), own=own)
    if not result.present:
        where = folder.relative_to(root).as_posix() + "/"
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


def _forget(staging: Staging, seq: int) -> None:
    for t in CIN_TABLES:
        if t.name in staging.present:
            staging.con.execute(f"DELETE FROM {staging.stage(t)} WHERE file_seq = ?", [seq])


def _read_one(
    path: Path, rel: str, root: Path, as_at: date, read: FileRead, staging: Staging, seq: int
) -> tuple[list[LoadIssue], bool]:
    """Parse one file, its records checked and staged (as file `seq`) every _BATCH_ROWS rows;
    returns the issues and whether the file gave tables (an empty file does not), or raises
    UnusableFile (then some batches may be staged already)."""
    digest = hashlib.sha256()
    handler = _Handler(rel)
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
            failure = _unusable(e, rel, handler, head, at_end=True)
    if failure is None and not handler.saw_children and handler.collection is None:
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
