"""Reading CSV extracts: SSDA903 tables and the local CSVs.

A table is recognised by its header, not its file name. SSDA903 files carry a collection
year: the 4-digit year in the file name or, failing that, in the nearest folder name
(`2025-episodes.csv`, `2025/episodes.csv`). When the same record appears in several years
(an episode open across 31 March) the latest year's row wins.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd

from . import csv_fast
from .cells import check_table
from .files import drop_files
from .problems import ROW_KEPT_OUT, WARNING, FileRead, LoadIssue, SourceResult, UnusableFile
from .schema import TABLES, Table, tables_of
from .staging import Staging

_YEAR_RE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes, rel: str) -> str:
    """Text of a CSV file: UTF-8 (with or without BOM), UTF-16 with a BOM, or Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise UnusableFile(
                rel,
                f"says it is UTF-16 but cannot be decoded ({e.reason}). "
                "Save it again as UTF-8 CSV.",
            ) from e
    if b"\x00" in data[:4096]:
        raise UnusableFile(
            rel,
            "contains NUL bytes: it looks like UTF-16 without a byte-order mark, or is not a "
            "text file. Save it as UTF-8 CSV (Excel: 'CSV UTF-8').",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as e:
        raise UnusableFile(
            rel, "is not readable as UTF-8 or Windows-1252 text. Save it as UTF-8 CSV."
        ) from e


def collection_year(path: Path, root: Path) -> int | None:
    """The 4-digit year in the file name, else in the nearest enclosing folder under root."""
    parts = [path.stem] + [p.name for p in path.relative_to(root).parents if p.name][::1]
    for part in parts:
        found = _YEAR_RE.findall(part)
        if found:
            return int(found[-1])
    return None


def recognise(
    header: list[str],
    tables: tuple[Table, ...],
    rel: str,
    source_label: str,
    named: Table | None = None,
):
    """Which declared table this header belongs to, and any extra columns it has.

    `named` is the table the file name suggests: a header sharing columns with it is taken
    as that table with columns missing (a clearer message than "matches nothing")."""
    cols = [h.strip().lstrip("\ufeff") for h in header]
    upper = [c.upper() for c in cols]
    best, best_overlap = None, 0
    for t in tables:
        want = [c.upper() for c in t.header]
        overlap = len(set(want) & set(upper))
        if overlap > best_overlap:
            best, best_overlap = t, overlap
    if best is not None:
        want = [c.upper() for c in best.header]
        missing = [c for c in best.header if c.upper() not in upper]
        if not missing:
            extra = [c for c in cols if c.upper() not in want]
            return best, extra
        # A near miss (most of a table's columns) is that table with columns missing.
        if best_overlap >= max(2, len(want) // 2) or (best is named and best_overlap >= 2):
            raise UnusableFile(
                rel,
                f"looks like the {source_label} {best.label} table but its header is missing "
                f"{', '.join(missing)}. Expected columns: {', '.join(best.header)}. "
                "Re-export the table with the full header.",
            )
    names = "; ".join(f"{t.label}: {', '.join(t.header)}" for t in tables)
    # Never quote the line: when the header row is missing it is a child's record.
    raise UnusableFile(
        rel,
        f"line 1 (the first non-blank line, {len(cols)} fields) is not the header of any "
        f"{source_label} table: the header row is missing or this is not the right extract. "
        f"Expected one of -- {names}. Re-export the table with its header.",
    )


def _guess_by_name(path: Path, tables: tuple[Table, ...]) -> Table | None:
    stem = re.sub(r"[^a-z]", "", path.stem.lower())
    for t in tables:
        for name in (t.label, t.name.split("_", 1)[-1]):
            if re.sub(r"[^a-z]", "", name.lower()) and re.sub(r"[^a-z]", "", name.lower()) in stem:
                return t
    return None


def read_csv_source(
    folder: Path,
    source: str,
    *,
    root: Path,
    as_at: date,
    source_label: str,
    staging: Staging | None = None,
) -> SourceResult:
    """Read every *.csv under `folder` as tables of `source` (SSDA903 or LOCAL).

    The rows kept go to `staging` as each file is checked, then become its tables
    (`Staging.combine`); with no staging given, to an in-memory one, and the tables come back
    as pandas frames in `result.tables`."""
    own = staging is None
    staging = Staging.in_memory() if own else staging
    tables = tables_of(source)
    result = SourceResult()
    paths, result.unusable = drop_files(folder, root, ".csv")
    for path in paths:
        rel = path.relative_to(root).as_posix()
        read = FileRead(rel, None, None, "")
        result.files.append(read)
        seq = staging.next_file()
        try:
            got = None
            if path.stat().st_size >= csv_fast.FAST_PATH_BYTES:
                got = _read_fast(path, rel, tables, root, as_at, source_label, read, staging, seq)
            if got is None:
                data = [path.read_bytes()]  # handed over: _read_one lets go of it once decoded
                read.sha256 = sha256_of(data[0])
                got = _read_one(path, data, rel, tables, root, as_at, source_label, read)
                frame, issues = got
                if frame is not None:
                    staging.append(TABLES[read.table], frame, seq)
            else:
                issues = got
        except UnusableFile as e:
            result.unusable.append(e)
            continue
        result.issues.extend(issues)

    staging.finish(result, tables, own=own)
    for t in tables:
        if t.name not in result.present:
            result.issues.append(
                LoadIssue(
                    file=folder.relative_to(root).as_posix() + "/",
                    row=None,
                    column=None,
                    value=None,
                    rule="missing_table",
                    message=f"No {source_label} {t.label} table in this drop: indicators that "
                    f"need it will show as unavailable. Add a file with header "
                    f"{', '.join(t.header)} if the system can produce it.",
                    action=WARNING,
                )
            )
    return result


def _no_rows(path, rel, tables, read: FileRead, what: str) -> list[LoadIssue]:
    guess = _guess_by_name(path, tables)
    read.table = guess.name if guess else None
    table = f"the {guess.label} table" if guess else "an unknown table"
    return [
        LoadIssue(
            rel,
            None,
            None,
            None,
            "empty_file",
            f"The file is {what}, taken as {table} with no rows. If rows were "
            "expected, the extract failed: run it again.",
            WARNING,
        )
    ]


_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z_ ]{0,39}$")


def column_label(name: str, position: int) -> str:
    """A header column as a message may name it: its name when it looks like a column name,
    else only its position (a header line can hold anything)."""
    name = name.strip().lstrip("\ufeff")
    return f"{name} (column {position})" if _NAME_RE.match(name) else f"column {position}"


def _lines(text: str) -> Iterator[str]:
    """The text's lines with their endings (\\n, \\r\\n or \\r), one at a time: the csv reader
    takes the header without the body being split first (20 MB of junk costs no more than its
    text)."""
    i, n = 0, len(text)
    while i < n:
        j = text.find("\n", i)
        k = text.find("\r", i, j if j >= 0 else n)
        if k >= 0:
            end = k + 2 if text.startswith("\n", k + 1) else k + 1
        else:
            end = n if j < 0 else j + 1
        yield text[i:end]
        i = end


def _read_one(path, holder: list[bytes], rel, tables, root, as_at, source_label, read: FileRead):
    issues: list[LoadIssue] = []
    data = holder.pop()  # the only reference: the bytes are freed once decoded
    if len(data) == 0:
        return None, _no_rows(path, rel, tables, read, "empty (0 bytes)")
    text = decode(data, rel)
    del data
    if not text or text.isspace():  # what exporters write for an empty table: a line break
        return None, _no_rows(path, rel, tables, read, "blank (no non-blank content)")
    reader = csv.reader(_lines(text))
    line = 1
    header = None
    try:
        # The header first, checked before the body is read: junk is refused at line 1.
        for rec in reader:
            line = reader.line_num + 1
            if any(c.strip() for c in rec):
                header = rec
                break
    except csv.Error as e:
        raise UnusableFile(
            rel, f"is not valid CSV near line {reader.line_num} ({e}). Re-export the file."
        ) from e
    if header is None:
        raise UnusableFile(rel, "has no header row. Re-export the table with its header.")
    table, extra = _table_of(path, header, rel, tables, root, source_label, read)
    records = []
    blank = []
    try:
        for rec in reader:
            start = line
            line = reader.line_num + 1
            if not "".join(rec).strip():  # no cell with anything but whitespace
                blank.append(start)
                continue
            records.append((start, rec))
    except csv.Error as e:
        raise UnusableFile(
            rel, f"is not valid CSV near line {reader.line_num} ({e}). Re-export the file."
        ) from e
    ends_cleanly = text.endswith(("\n", "\r"))
    del reader, text  # the records hold the cells; the file's text is no longer needed
    issues.extend(_extra_columns(header, extra, table, rel))
    if blank:
        issues.append(
            LoadIssue(
                rel,
                blank[0],
                None,
                None,
                "blank_lines",
                f"{len(blank)} blank line(s) skipped (first at line {blank[0]}).",
                WARNING,
            )
        )
    positions = {h.strip().lstrip("\ufeff").upper(): i for i, h in enumerate(header)}
    width = len(header)
    good, rows = [], []
    for n, (start, rec) in enumerate(records):
        if len(rec) != width:
            last = n == len(records) - 1
            if last and len(rec) < width and not ends_cleanly:
                msg = (
                    f"The last row has {len(rec)} of {width} fields and the file does not end "
                    "with a line break: the file looks cut short. Run the extract again."
                )
                rule = "file_cut_short"
            else:
                msg = (
                    f"The row has {len(rec)} fields but the header has {width}. "
                    "Check for a stray comma or line break in this row."
                )
                rule = "field_count"
            # never the row's values: a row is a child's record
            issues.append(LoadIssue(rel, start, None, None, rule, msg, ROW_KEPT_OUT))
            continue
        good.append(rec)
        rows.append(start)
    read.rows_read = len(records)
    del records
    raw = pd.DataFrame(
        {c.name: [r[positions[c.name.upper()]] for r in good] for c in table.columns},
        dtype="object",
    )
    del good  # the cells live on in raw, without a list per row
    kept, cell_issues = check_table(table, raw, file=rel, rows=pd.Series(rows), as_at=as_at)
    issues.extend(cell_issues)
    return _with_year(kept, table, read), issues


def _with_year(kept: pd.DataFrame, table: Table, read: FileRead) -> pd.DataFrame:
    if table.yearly:
        kept["collection_year"] = pd.Series([read.collection_year] * len(kept), dtype="Int64")
    return kept


def _table_of(path, header, rel, tables, root, source_label, read: FileRead):
    """The declared table a header line belongs to and its extra columns; refuses a header
    with a column twice and a yearly table's file without a collection year."""
    table, extra = recognise(header, tables, rel, source_label, _guess_by_name(path, tables))
    seen: dict[str, int] = {}
    for i, h in enumerate(header, start=1):
        name = h.strip().lstrip("\ufeff").upper()
        if name in seen:
            raise UnusableFile(
                rel,
                f"its header has {column_label(h, i)} twice (first as column {seen[name]}): "
                "the load cannot tell which one holds the data. Re-export the table with each "
                "column once.",
            )
        seen[name] = i
    read.table = table.name
    if table.yearly:
        read.collection_year = collection_year(path, root)
        if read.collection_year is None:
            raise UnusableFile(
                rel,
                "has no collection year in its name or folder. Put the year whose 31 March "
                "ends the collection in the file or folder name (e.g. 2025/episodes.csv).",
            )
    return table, extra


def _extra_columns(header, extra, table: Table, rel: str) -> list[LoadIssue]:
    if not extra:
        return []
    names = [
        column_label(h, i)
        for i, h in enumerate(header, start=1)
        if h.strip().lstrip("\ufeff") in extra
    ]
    return [
        LoadIssue(
            rel,
            1,
            ", ".join(names),
            None,
            "extra_columns",
            f"Columns not in the {table.label} table were ignored: {', '.join(names)}.",
            WARNING,
        )
    ]


def _read_fast(path, rel, tables, root, as_at, source_label, read: FileRead, staging, seq):
    """A large regular file read and checked by DuckDB (csv_fast), its rows kept staged;
    the issues, or None: read it row by row. The header is checked here exactly as by
    _read_one (the same messages)."""
    scanned = csv_fast.scan(path)
    if scanned is None:
        return None
    read.sha256 = scanned.sha256
    header = next(csv.reader([scanned.first_line]))
    table, extra = _table_of(path, header, rel, tables, root, source_label, read)
    got = csv_fast.check_file(
        path,
        table,
        header,
        file=rel,
        as_at=as_at,
        staging=staging,
        file_seq=seq,
        year=read.collection_year,
    )
    if got is None:
        return None
    cell_issues, read.rows_read = got
    return _extra_columns(header, extra, table, rel) + cell_issues
