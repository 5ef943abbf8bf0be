"""Checking the values of a table against its declaration, column by column.

Input is text exactly as it stood in the extract (CSV cell or XML element); output is a typed
pandas DataFrame of the rows kept and a LoadIssue for every problem. The rules:

- a bad or missing value in a *required* column keeps the whole row out;
- a bad value in an optional column is blanked and the row kept (an episode with an unknown
  placement postcode still counts as a child looked after);
- an end date before its start date keeps the row out;
- a second row with the same key as an earlier one in the same file is kept out.

Every message names the column and the value and says what to do.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from .problems import HIDDEN, ROW_KEPT_OUT, VALUE_BLANKED, WARNING, LoadIssue, identifying
from .schema import CODE, DATE, DECIMAL, DMY, FLAG, ID, INT, POSTCODE, TEXT, Column, Table

_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DMY_RE = re.compile(r"^\d{2}/\d{2}/\d{4}$")
_DMY_SHORT_YEAR_RE = re.compile(r"^\d{1,2}/\d{1,2}/\d{2}$")
_DATETIME_RE = re.compile(r"^(\d{2}/\d{2}/\d{4}|\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}(:\d{2})?")
_EXCEL_SERIAL_RE = re.compile(r"^\d{5}(\.0+)?$")
_SCIENTIFIC_RE = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
_INT_RE = re.compile(r"^[+-]?\d+$")
_POSTCODE_RE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")
_FORMULA_START = ("=", "+", "-", "@")
_NUMBER_RE = re.compile(r"^[+-]?\d+(\.\d+)?$")
_TRUE = {"1", "y", "yes", "true", "t"}
_FALSE = {"0", "n", "no", "false", "f"}
EARLIEST_DATE = pd.Timestamp("1900-01-01")


def _distinct(values) -> tuple[np.ndarray, np.ndarray]:
    """The codes and distinct present values of `values` (None: code -1). A column repeats
    its values (codes, dates, hubs), so a check applied to each distinct value once costs a
    fraction of a check per cell; fn must depend on the value alone."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
    return codes, np.asarray(uniques, dtype=object)


def _each(values: pd.Series, fn) -> pd.Series:
    """fn applied to each present value (None stays None), as an object Series."""
    codes, uniques = _distinct(values)
    mapped = np.empty(len(uniques) + 1, dtype=object)  # the last slot (code -1) stays None
    for i, v in enumerate(uniques):
        mapped[i] = fn(v)
    return pd.Series(mapped[codes], dtype="object")


def _test(values: pd.Series, fn) -> np.ndarray:
    """A boolean mask: fn is truthy for a present value (None is never flagged)."""
    codes, uniques = _distinct(values)
    flags = np.zeros(len(uniques) + 1, dtype=bool)
    for i, v in enumerate(uniques):
        flags[i] = bool(fn(v))
    return flags[codes]


def _format_name(fmt: str) -> str:
    return "dd/mm/yyyy" if fmt == DMY else "yyyy-mm-dd"


def _shown(col: Column, value):
    """What a message may quote: never the value of a column that identifies a person."""
    return HIDDEN if identifying(col.name) else value


class _Checker:
    """Collects the issues for one table of one file."""

    def __init__(self, table: Table, file: str, rows: pd.Series, as_at: date):
        self.table = table
        self.file = file
        self.rows = rows  # line number per record
        self.as_at = pd.Timestamp(as_at)
        self.issues: list[LoadIssue] = []
        self.drop = np.zeros(len(rows), dtype=bool)

    def report(self, mask, col: Column, values: pd.Series, rule: str, why, *, fatal=None):
        """Record one issue per True in mask; keep the row out or blank the value."""
        idx = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(idx):
            return
        fatal = col.required if fatal is None else fatal
        action = ROW_KEPT_OUT if fatal else VALUE_BLANKED
        for i in idx:
            if self.drop[i] and fatal:
                continue  # one reason is enough for a row already kept out
            value = values.iloc[i]
            text = why(_shown(col, value)) if callable(why) else why
            if not fatal:
                text += " The value was left blank and the row kept."
            self.issues.append(
                LoadIssue(
                    file=self.file,
                    row=int(self.rows.iloc[i]),
                    column=col.name,
                    value=None if value is None or value is pd.NA else str(value),
                    rule=rule,
                    message=text,
                    action=action,
                )
            )
        if fatal:
            self.drop[idx] = True

    def warn(self, mask, col: Column, values: pd.Series, rule: str, why):
        for i in np.flatnonzero(np.asarray(mask, dtype=bool)):
            value = values.iloc[i]
            self.issues.append(
                LoadIssue(
                    self.file,
                    int(self.rows.iloc[i]),
                    col.name,
                    str(value),
                    rule,
                    why(_shown(col, value)) if callable(why) else why,
                    WARNING,
                )
            )


def check_table(
    table: Table,
    raw: pd.DataFrame,
    *,
    file: str,
    rows: pd.Series,
    as_at: date,
    keys: bool = True,
) -> tuple[pd.DataFrame, list[LoadIssue]]:
    """Validate `raw` (text columns named as in the file, None for empty) against `table`.

    Returns the typed rows kept, with columns named as in the database plus `source_file`
    and `source_row`, and the issues found. `keys=False` leaves out the duplicate-key rule
    (a caller checking a file in batches applies it to the whole file: cin_census).
    """
    raw = raw.reset_index(drop=True)
    rows = pd.Series(rows).reset_index(drop=True)
    ck = _Checker(table, file, rows, as_at)
    out: dict[str, pd.Series] = {}
    for col in table.columns:
        if col.name in raw.columns:
            text = _each(raw[col.name], lambda v: v.strip() or None if isinstance(v, str) else None)
        else:
            text = pd.Series([None] * len(raw), dtype="object")
        out[col.db_name] = _check_column(ck, col, text)

    for start, end in table.periods:
        s, e = out[start.lower()], out[end.lower()]
        bad = (s.notna() & e.notna() & (e < s)).to_numpy(dtype=bool)
        start_col, end_col = table.column(start), table.column(end)
        ck.report(
            bad,
            end_col,
            e.dt.strftime("%Y-%m-%d").astype("object"),
            "end_before_start",
            lambda v, s=start_col.name, e=end_col.name: (
                f"{e} ({v}) is before {s}: a period cannot end before it starts. "
                f"Correct the dates in the case-management system."
            ),
            fatal=True,
        )

    frame = pd.DataFrame(out)
    frame["source_file"] = pd.Series([file] * len(frame), dtype="string")
    frame["source_row"] = rows.astype("Int64")

    # Duplicate keys: the first row wins, later ones are kept out.
    key = [k.lower() for k in table.key]
    # Only rows still in play count for duplication.
    candidates = ~pd.Series(ck.drop)
    dup = frame.loc[candidates.to_numpy(), key].duplicated(keep="first")
    if not keys:
        dup[:] = False
    dup_mask = np.zeros(len(frame), dtype=bool)
    dup_mask[np.flatnonzero(candidates.to_numpy())[dup.to_numpy()]] = True
    if dup_mask.any():
        first_row = {}
        for i in np.flatnonzero(candidates.to_numpy()):
            k = tuple(frame.loc[i, key])
            first_row.setdefault(k, int(rows.iloc[i]))
        key_label = " + ".join(table.key)
        for i in np.flatnonzero(dup_mask):
            k = tuple(frame.loc[i, key])
            ck.issues.append(
                LoadIssue(
                    file,
                    int(rows.iloc[i]),
                    key_label,
                    " / ".join("" if pd.isna(x) else str(x)[:10] for x in k),
                    "duplicate_key",
                    f"Duplicate {table.label} record: the same {key_label} is on row "
                    f"{first_row[k]}. The first row was kept; remove the duplicate at source.",
                    ROW_KEPT_OUT,
                )
            )
        ck.drop |= dup_mask

    kept = frame.loc[~ck.drop].reset_index(drop=True)
    return kept, ck.issues


def _check_column(ck: _Checker, col: Column, text: pd.Series) -> pd.Series:
    missing = text.isna().to_numpy()
    if col.required:
        ck.report(
            missing,
            col,
            text,
            "required",
            f"{col.name} is empty but required ({col.meaning}). "
            f"Fill it in at source; the row was kept out.",
        )
    kind = col.kind
    if kind == DATE:
        return _check_dates(ck, col, text)
    if kind in (ID, TEXT):
        if kind == ID:
            sci = _test(text, lambda v: _SCIENTIFIC_RE.match(v))
            ck.report(
                sci,
                col,
                text,
                "excel_mangled_id",
                lambda v: (
                    f"{col.name} '{v}' looks like a number Excel turned into "
                    "scientific notation; the real ID is lost. Export the file again without "
                    "opening it in Excel, or format the column as text."
                ),
                fatal=True,
            )
        # A leading minus or plus on a plain number is not a formula.
        formula = _test(
            text,
            lambda v: v.startswith(_FORMULA_START) and len(v) > 1 and not _NUMBER_RE.match(v),
        )
        ck.warn(
            formula,
            col,
            text,
            "formula_like_text",
            lambda v: (
                f"{col.name} starts like a spreadsheet formula; it was stored as "
                "plain text and is never evaluated. Check the record at source."
            ),
        )
        return text.astype("string")
    if kind == CODE:
        canon = {c.upper(): c for c in col.codes}
        mapped = _each(text, lambda v: canon.get(v.upper()))
        bad = (text.notna() & mapped.isna()).to_numpy()
        shown = (
            ", ".join(col.codes) if len(col.codes) <= 12 else ", ".join(col.codes[:12]) + ", ..."
        )
        ck.report(
            bad,
            col,
            text,
            "unknown_code",
            lambda v: (
                f"{col.name} '{v}' is not a valid code ({shown}). "
                "Correct it at source using the DfE / data-contract code list."
            ),
        )
        return mapped.astype("string")
    if kind == FLAG:

        def to_bool(v):
            if not isinstance(v, str):
                return None
            lv = v.lower()
            return True if lv in _TRUE else False if lv in _FALSE else "bad"

        mapped = _each(text, to_bool)
        bad = _test(mapped, lambda v: v == "bad")
        ck.report(
            bad,
            col,
            text,
            "not_yes_no",
            lambda v: f"{col.name} '{v}' is not a yes/no value (use Y/N, true/false or 1/0).",
        )
        return mapped.where(~pd.Series(bad), None).astype("boolean")
    if kind in (INT, DECIMAL):
        if kind == INT:
            ok = pd.Series(~_test(text, lambda v: not _INT_RE.match(v)))
            nums = pd.to_numeric(
                pd.Series(_each(text, lambda v: v if _INT_RE.match(v) else None)), errors="coerce"
            )
        else:
            nums = pd.to_numeric(text, errors="coerce")
            ok = text.isna() | nums.notna()
        bad = (~ok.astype(bool)).to_numpy()
        what = "a whole number" if kind == INT else "a number"
        ck.report(bad, col, text, "not_a_number", lambda v: f"{col.name} '{v}' is not {what}.")
        nums = nums.where(~pd.Series(bad), np.nan)
        lo, hi = col.minimum, col.maximum
        out_of_range = nums.notna() & (
            (nums < lo if lo is not None else False) | (nums > hi if hi is not None else False)
        )
        ck.report(
            out_of_range.to_numpy(dtype=bool),
            col,
            text,
            "out_of_range",
            lambda v: f"{col.name} {v} is outside the allowed range {lo:g} to {hi:g}.",
        )
        nums = nums.where(~out_of_range, np.nan)
        return nums.astype("Int64" if kind == INT else "Float64")
    if kind == POSTCODE:
        norm = _each(text, _normalise_postcode)
        bad = _test(norm, lambda v: not _POSTCODE_RE.match(v))
        ck.report(
            bad,
            col,
            text,
            "postcode",
            lambda v: f"{col.name} '{v}' is not a UK postcode. Correct it at source.",
        )
        return norm.where(~pd.Series(bad), None).astype("string")
    raise ValueError(f"unknown column kind {kind}")


def _normalise_postcode(v: str) -> str:
    s = re.sub(r"\s+", "", v.upper())
    return f"{s[:-3]} {s[-3:]}" if len(s) > 3 else s


def _check_dates(ck: _Checker, col: Column, text: pd.Series) -> pd.Series:
    fmt = ck.table.date_format
    pattern = _DMY_RE if fmt == DMY else _ISO_RE
    shape_ok = ~_test(text, lambda v: not pattern.match(v))
    parsed = pd.to_datetime(
        _each(text, lambda v: v if pattern.match(v) else None), format=fmt, errors="coerce"
    )
    present = text.notna().to_numpy()
    impossible = present & shape_ok & parsed.isna().to_numpy()
    wrong_shape = present & ~shape_ok
    ck.report(wrong_shape, col, text, "date_format", lambda v: _explain_bad_date(col, v, fmt))
    ck.report(
        impossible,
        col,
        text,
        "impossible_date",
        lambda v: f"{col.name} '{v}' is not a real date. Correct it at source.",
    )
    too_old = (parsed < EARLIEST_DATE).fillna(False).to_numpy(dtype=bool)
    ck.report(
        too_old,
        col,
        text,
        "impossible_date",
        lambda v: f"{col.name} '{v}' is before 1900: not a plausible date. Correct it at source.",
    )
    parsed = parsed.where(~pd.Series(too_old), pd.NaT)
    if col.past_only:
        future = (parsed > ck.as_at).fillna(False).to_numpy(dtype=bool)
        ck.report(
            future,
            col,
            text,
            "future_date",
            lambda v: (
                f"{col.name} '{v}' is after the extract date "
                f"({ck.as_at:%d/%m/%Y}): a recorded event cannot be in the future. "
                "Correct it at source."
            ),
        )
        parsed = parsed.where(~pd.Series(future), pd.NaT)
    return parsed.astype("datetime64[s]")


def _explain_bad_date(col: Column, v: str, fmt: str) -> str:
    expected = _format_name(fmt)
    if fmt == DMY and _ISO_RE.match(v):
        return (
            f"{col.name} '{v}' is an ISO date (yyyy-mm-dd) but SSDA903 dates must be "
            f"dd/mm/yyyy. Re-export the file with DfE date format."
        )
    if fmt != DMY and _DMY_RE.match(v):
        return f"{col.name} '{v}' is dd/mm/yyyy but this file's dates must be yyyy-mm-dd."
    if _EXCEL_SERIAL_RE.match(v):
        return (
            f"{col.name} '{v}' looks like an Excel date serial number, not a date: the file "
            f"was probably saved from Excel. Export it again with dates as {expected}."
        )
    if _DMY_SHORT_YEAR_RE.match(v) or _DATETIME_RE.match(v):
        return (
            f"{col.name} '{v}' looks like a date reformatted by Excel (two-digit year or a "
            f"time added). Export it again with dates as {expected}."
        )
    return f"{col.name} '{v}' is not a date in the form {expected}."
