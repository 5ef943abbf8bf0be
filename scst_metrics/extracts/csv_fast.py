"""The fast path for a large, regular CSV: its body read and checked by DuckDB, not row by row.

Same checks, same messages, same rows kept out as the row-by-row reader, by construction:

- Only a *regular* file takes this path: printable ASCII, tab and "\\n" only (no quote, no
  carriage return, no byte-order mark, no NUL), no blank line, ending with a line break,
  every line with exactly the header's number of fields. Anything else (`scan` or
  `check_file` returns None) is read by the row-by-row reader, which gives the messages.
- DuckDB reads the body as text, one line a row, and splits it on commas. A conservative
  SQL predicate per column says a cell is *clean*: the Python checks of `cells.check_table`
  would certainly raise nothing for it and give the same typed value (an ID of letters and
  digits, a code exactly as the code list writes it, a yyyy-mm-dd date that exists, is not
  before 1900 and not after the extract date, ...). Anything unusual -- whitespace, another
  date shape, a formula start, a decimal, a code in another case -- is not clean.
- A row is clean when every cell is, its periods do not end before they start, and no other
  row of the file has a key that could be the same (keys compared coarsely: letters and
  digits only, case ignored; numbers and flags not at all). Clean rows are typed in SQL and
  never become Python rows; the other rows -- with every row that could share their key --
  go through `cells.check_table` unchanged, which writes every message. The two parts are put
  back together in file order.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from .cells import check_table
from .problems import LoadIssue
from .schema import CODE, DATE, DECIMAL, DMY, FLAG, ID, INT, POSTCODE, TEXT, Column, Table
from .staging import Staging

# A CSV at least this large is tried on the fast path (smaller files: the row-by-row reader,
# whose cost is not worth a DuckDB connection). SCST_CSV_FAST_PATH_BYTES=0 sends every
# regular file down the fast path (to run the bad-input tests through it).
FAST_PATH_BYTES = int(os.environ.get("SCST_CSV_FAST_PATH_BYTES", 1 << 20))
_CHUNK = 1 << 22
# Bytes a regular file may hold: printable ASCII but the double quote, tab and line feed.
_REGULAR = bytes(range(0x20, 0x7F)).replace(b'"', b"") + b"\t\n"
_FLAG_SPELLINGS = ("1", "0", "y", "n", "yes", "no", "true", "false", "t", "f")
_TRUE_SPELLINGS = ("1", "y", "yes", "true", "t")
_LATEST = "2200-12-31"  # pandas' Timestamp ends in 2262: later dates are left to Python


@dataclass
class Scan:
    sha256: str
    first_line: str
    size: int


def scan(path: Path) -> Scan | None:
    """The file's digest and header line when it is regular (see the module), else None."""
    digest = hashlib.sha256()
    first: bytes | None = None
    last = b""
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if chunk.translate(None, _REGULAR):
                return None
            if first is None:
                end = chunk.find(b"\n")
                if end <= 0:  # a blank first line, or a header longer than a chunk
                    return None
                first = chunk[:end]
            if b"\n\n" in last + chunk[:1] or b"\n\n" in chunk:
                return None
            last = chunk[-1:]
    if first is None or last != b"\n" or not any(ch.isalnum() for ch in first.decode("ascii")):
        return None
    return Scan(digest.hexdigest(), first.decode("ascii"), size)


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _value_sql(col: Column, c: str, date_format: str, as_at: date) -> tuple[str, str]:
    """(clean, typed value) SQL for the text cell `c` of `col`, a non-empty cell."""
    kind = col.kind
    if kind == ID:
        ok = (
            f"(regexp_full_match({c}, '[A-Za-z0-9][A-Za-z0-9_./-]*') "
            f"AND NOT regexp_full_match({c}, '[0-9]+([.][0-9]+)?[eE][0-9]+'))"
        )
        return ok, c
    if kind == TEXT:
        return f"regexp_full_match({c}, '[A-Za-z0-9(]([ -~]*[!-~])?')", c
    if kind == CODE:
        return f"({c} IN ({', '.join(_q(v) for v in col.codes)}))", c
    if kind == FLAG:
        spellings = {s for v in _FLAG_SPELLINGS for s in (v, v.upper(), v.capitalize())}
        ok = f"({c} IN ({', '.join(_q(s) for s in sorted(spellings))}))"
        return ok, f"(lower({c}) IN ({', '.join(_q(s) for s in _TRUE_SPELLINGS)}))"
    if kind == DATE:
        shape = "[0-9]{2}/[0-9]{2}/[0-9]{4}" if date_format == DMY else "[0-9]{4}-[0-9]{2}-[0-9]{2}"
        value = f"CAST(try_strptime({c}, {_q(date_format)}) AS DATE)"
        latest = pd.Timestamp(as_at).strftime("%Y-%m-%d") if col.past_only else _LATEST
        ok = (
            f"(regexp_full_match({c}, '{shape}') "
            f"AND {value} BETWEEN DATE '1900-01-01' AND DATE '{latest}')"
        )
        return ok, value
    if kind == INT:
        value = f"TRY_CAST({c} AS BIGINT)"
        ok = f"regexp_full_match({c}, '[0-9]{{1,12}}')"
        if col.minimum is not None:
            ok += f" AND {value} >= {col.minimum!r}"
        if col.maximum is not None:
            ok += f" AND {value} <= {col.maximum!r}"
        return f"({ok})", value
    if kind == POSTCODE:
        return f"regexp_full_match({c}, '[A-Z]{{1,2}}[0-9][A-Z0-9]? [0-9][A-Z]{{2}}')", c
    if kind == DECIMAL:  # pandas' and DuckDB's float parsing may differ: always Python's
        return "false", f"TRY_CAST({c} AS DOUBLE)"
    raise ValueError(f"unknown column kind {kind}")


def _norm_sql(col: Column, c: str) -> str:
    """A coarse form of a key cell: two cells the Python checks would type alike share it."""
    if col.kind in (ID, TEXT, CODE, POSTCODE, DATE):
        return f"lower(regexp_replace({c}, '[^A-Za-z0-9]', '', 'g'))"
    return "''"  # numbers and flags: every row alike (only ever more rows go to Python)


def check_file(
    path: Path,
    table: Table,
    header: list[str],
    *,
    file: str,
    as_at: date,
    staging: Staging,
    file_seq: int,
    year: int | None,
) -> tuple[list[LoadIssue], int] | None:
    """Stage the typed rows kept (`staging`, as its file number `file_seq`, collection year
    `year` for a yearly table); return the issues and the number of rows read, or None when
    the file is not regular after all (a line with another number of fields, a line with no
    letter or digit, no rows): then the row-by-row reader reads it, and nothing was staged."""
    positions = {h.strip().upper(): i for i, h in enumerate(header)}
    width = len(header)
    con = staging.con.cursor()  # its own temporary tables, dropped when it closes
    try:
        return _check(con, path, table, positions, width, file, as_at, staging, file_seq, year)
    except duckdb.Error:
        if table.name in staging.present:  # nothing of this file stays staged
            staging.con.execute(
                f"DELETE FROM {staging.stage(table)} WHERE file_seq = ?", [file_seq]
            )
        return None
    finally:
        con.close()


def _check(
    con,
    path: Path,
    table: Table,
    positions: dict,
    width: int,
    file: str,
    as_at: date,
    staging: Staging,
    file_seq: int,
    year: int | None,
):
    con.execute("SET enable_progress_bar = false")
    con.execute(
        "CREATE TEMP TABLE body AS SELECT line, string_split(line, ',') AS parts "
        "FROM read_csv(?, columns = {'line': 'VARCHAR'}, delim = '\\x01', quote = '', "
        "escape = '', header = false, skip = 1, auto_detect = false)",
        [str(path)],
    )
    rows, odd = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE line IS NULL OR len(parts) <> ? "
        "OR NOT regexp_matches(line, '[A-Za-z0-9]')) FROM body",
        [width],
    ).fetchone()
    if odd or not rows:
        return None
    cells = [f"parts[{positions[c.name.upper()] + 1}]" for c in table.columns]
    raw = [f"c{i}" for i in range(len(table.columns))]
    clean, typed = [], []
    for col, c in zip(table.columns, raw, strict=True):
        ok, value = _value_sql(col, c, table.date_format, as_at)
        clean.append(ok if col.required else f"({c} = '' OR {ok})")
        typed.append(f"CASE WHEN {c} = '' THEN NULL ELSE {value} END")
    by_name = {col.name: t for col, t in zip(table.columns, typed, strict=True)}
    for start, end in table.periods:
        s, e = by_name[start], by_name[end]
        clean.append(f"NOT coalesce({e} < {s}, false)")
    # The key in its coarse form (k0, k1, ...): a row whose coarse key another row shares is
    # not clean. Found by grouping (DuckDB spills a grouping past its memory limit; a window
    # over every row of a file of 100 million rows ran out of memory) and a join with the
    # few keys shared.
    cell_of = {col.name: x for col, x in zip(table.columns, cells, strict=True)}
    norms = [_norm_sql(table.column(k), cell_of[k]) for k in table.key]
    keys = [f"k{i}" for i in range(len(norms))]
    con.execute(
        f"CREATE TEMP TABLE staged AS SELECT rowid + 2 AS rn, "
        f"{', '.join(f'{x} AS {r}' for x, r in zip(cells, raw, strict=True))}, "
        f"{', '.join(f'{n} AS {k}' for n, k in zip(norms, keys, strict=True))} "
        "FROM body"
    )
    con.execute("DROP TABLE body")
    con.execute(
        f"CREATE TEMP TABLE shared AS SELECT {', '.join(keys)} FROM staged "
        f"GROUP BY {', '.join(keys)} HAVING count(*) > 1"
    )
    clean.append("shared.k0 IS NULL")
    con.execute(
        f"CREATE TEMP TABLE judged AS SELECT staged.* EXCLUDE ({', '.join(keys)}), "
        f"coalesce({' AND '.join(clean)}, false) AS clean FROM staged LEFT JOIN shared "
        f"ON {' AND '.join(f'staged.{k} = shared.{k}' for k in keys)}"
    )
    con.execute("DROP TABLE staged")
    con.execute("DROP TABLE shared")
    dirty = con.execute(
        f"SELECT rn, {', '.join(raw)} FROM judged WHERE NOT clean ORDER BY rn"
    ).fetchall()
    frame = pd.DataFrame(
        {
            col.name: pd.Series([r[i + 1] for r in dirty], dtype="object")
            for i, col in enumerate(table.columns)
        }
    )
    lines = pd.Series([r[0] for r in dirty], dtype="int64")
    del dirty
    checked, issues = check_table(table, frame, file=file, rows=lines, as_at=as_at)
    del frame
    names = [c.db_name for c in table.columns]
    # The rows checked in Python, then the clean rows straight from SQL; row_seq is the line
    # number, so together they are in file order.
    stage = staging.ensure(table)
    if len(checked):
        if table.yearly:
            checked["collection_year"] = pd.Series([year] * len(checked), dtype="Int64")
        staging.append(table, checked, file_seq, seq=checked["source_row"].to_numpy("int64"))
    con.execute(
        f"INSERT INTO {stage} SELECT "
        f"{', '.join(f'{t} AS {n}' for t, n in zip(typed, names, strict=True))}, "
        + (f"{int(year)}, " if table.yearly else "")
        + f"{_q(file)}, rn, {int(file_seq)}, rn FROM judged WHERE clean"
    )
    return issues, int(rows)
