"""DfE's published figures: read DfE's own download, write and read the product's small file.

The shipped file (data/benchmarks/dfe_figures.csv) holds, for the DfE measures our indicators
are compared with (measures.py), every local authority, region and England, one row per
measure, year and geography. Values are DfE's; a suppressed or not-applicable figure keeps
DfE's symbol ("c", "k", "x", "z", "-", "..", ":", "u", "low") in `symbol` with an empty `value`:
never a zero. `geography_code` is DfE's three-digit LA number (England 970, regions 980-990),
the code LAIT and the statistical neighbours lists use.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from scst_metrics.benchmarks.measures import MEASURES, DfeMeasure

COLUMNS = (
    "measure",
    "year",
    "year_label",
    "geography_level",
    "geography_code",
    "geography_name",
    "region",
    "value",
    "symbol",
    "publication",
)
LEVELS = ("la", "region", "england")
SYMBOLS = ("c", "k", "x", "z", "-", "..", ":", "u", "low")
ENGLAND_CODE = 970
REGION_CODES = range(980, 991)  # LAIT: 980 North East ... 990 South West

# LAIT's "Region" column for an authority -> its region's geography code in the same file
REGION_OF = {
    "north east": 980,
    "north west": 981,
    "yorkshire and the humber": 982,
    "east midlands": 983,
    "west midlands": 984,
    "east of england": 985,
    "london": 986,
    "inner london": 987,
    "london (inner)": 987,
    "outer london": 988,
    "london (outer)": 988,
    "south east": 989,
    "south west": 990,
}
LONDON = 986

REBUILD = (
    "Rebuild it from DfE's download: python -m scst_metrics.benchmarks --from "
    "PATH/TO/lait_bds_long_0.parquet --out data/benchmarks/dfe_figures.csv"
)


class BenchmarksFileError(ValueError):
    """A benchmarks file that cannot be read; the message names file, line and column."""


def dfe_year(label: str) -> int | None:
    """The year DfE names a period by: "2025" and "2024-25" / "2024/25" (year to 31 March
    2025, or academic year 2024/25) are 2025. None for labels that are not one year (three-year
    spans such as "2014-16", "(OT)" variants)."""
    text = str(label).strip()
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    found = re.fullmatch(r"(\d{4})[-/](\d{2})", text)
    if found:
        start, end = int(found[1]), int(found[2])
        if (start + 1) % 100 == end:
            return start + 1
    return None


def _value_and_symbol(raw: object) -> tuple[float | None, str | None]:
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None, "-"
    text = str(raw).strip()
    if text == "" or text.lower() in {"na", "nan"}:
        return None, "-"
    if text.lower() in SYMBOLS:
        return None, text.lower()
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        return None, None
    if math.isnan(number):
        return None, "-"
    return number, None


def read_lait(path: Path, measures: Iterable[DfeMeasure] = MEASURES.values()) -> pd.DataFrame:
    """DfE's LAIT long file (parquet or CSV: columns Short Desc, Years, LA and Regions, Values,
    LA Number, Region) -> the shipped file's rows for `measures`."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        raw = pd.read_parquet(path)
    else:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    needed = ["Short Desc", "Years", "LA and Regions", "Values", "LA Number", "Region"]
    missing = [c for c in needed if c not in raw.columns]
    if missing:
        raise BenchmarksFileError(
            f"{path}: line 1: missing column(s) {', '.join(missing)}: this is not DfE's LAIT "
            "long file (bds_long). Download it from the LAIT repository "
            "(01_data/02_prod/bds_long_0.parquet)."
        )
    wanted = {m.measure: m for m in measures}
    raw = raw[raw["Short Desc"].isin(wanted)]
    rows = []
    for rec in raw[needed].itertuples(index=False):
        measure, label, name, raw_value, number, region = rec
        year = dfe_year(label)
        try:
            code = int(float(number))
        except (TypeError, ValueError):
            continue
        if year is None:
            continue
        value, symbol = _value_and_symbol(raw_value)
        if value is None and symbol is None:
            raise BenchmarksFileError(
                f"{path}: measure {measure}, {name}, {label}: column 'Values' holds "
                f"{raw_value!r}, neither a number nor a DfE symbol ({', '.join(SYMBOLS)})."
            )
        level = "england" if code == ENGLAND_CODE else "region" if code >= 980 else "la"
        rows.append(
            {
                "measure": measure,
                "year": year,
                "year_label": str(label),
                "geography_level": level,
                "geography_code": code,
                "geography_name": str(name),
                "region": "" if level != "la" or pd.isna(region) else str(region),
                "value": value,
                "symbol": symbol,
                "publication": wanted[measure].publication,
            }
        )
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    return out.sort_values(["measure", "year", "geography_code"], ignore_index=True)


def write_figures(frame: pd.DataFrame, out: Path) -> None:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for rec in frame[list(COLUMNS)].itertuples(index=False):
            row = list(rec)
            value = row[7]
            row[7] = "" if value is None or pd.isna(value) else f"{float(value):.10g}"
            row[8] = "" if row[8] is None or pd.isna(row[8]) else row[8]
            writer.writerow(row)


def read_figures(path: Path) -> pd.DataFrame:
    """The shipped benchmarks file, checked line by line. A malformed file is refused with
    BenchmarksFileError naming the file, line and column."""
    path = Path(path)
    if not path.is_file():
        raise BenchmarksFileError(f"{path}: no such file. {REBUILD}")
    rows: list[dict] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != COLUMNS:
            raise BenchmarksFileError(
                f"{path}: line 1: the header must be {','.join(COLUMNS)}; found "
                f"{','.join(header or [])!r}. {REBUILD}"
            )
        seen: set[tuple] = set()
        for line, fields in enumerate(reader, start=2):
            if not fields:
                continue

            def bad(column: str, why: str, line: int = line) -> BenchmarksFileError:
                return BenchmarksFileError(
                    f"{path}: line {line}, column '{column}': {why}. Correct the line or "
                    f"rebuild the file. {REBUILD}"
                )

            if len(fields) != len(COLUMNS):
                raise bad(
                    COLUMNS[min(len(fields), len(COLUMNS) - 1)],
                    f"{len(fields)} fields, expected {len(COLUMNS)}",
                )
            rec = dict(zip(COLUMNS, (f.strip() for f in fields), strict=True))
            if not rec["measure"]:
                raise bad("measure", "empty")
            if not re.fullmatch(r"\d{4}", rec["year"]):
                raise bad("year", f"{rec['year']!r} is not a year such as 2025")
            if rec["geography_level"] not in LEVELS:
                raise bad(
                    "geography_level",
                    f"{rec['geography_level']!r} is not one of {', '.join(LEVELS)}",
                )
            if not re.fullmatch(r"\d{3}", rec["geography_code"]):
                raise bad(
                    "geography_code",
                    f"{rec['geography_code']!r} is not a DfE three-digit LA number",
                )
            code = int(rec["geography_code"])
            expected = (
                "england" if code == ENGLAND_CODE else "region" if code in REGION_CODES else "la"
            )
            if rec["geography_level"] != expected:
                raise bad(
                    "geography_level", f"code {code} is {expected}, not {rec['geography_level']}"
                )
            if not rec["geography_name"]:
                raise bad("geography_name", "empty")
            if rec["value"] and rec["symbol"]:
                raise bad(
                    "symbol",
                    f"{rec['symbol']!r} given with a value: a suppressed figure has an empty value",
                )
            if rec["value"]:
                try:
                    value = float(rec["value"])
                except ValueError:
                    raise bad("value", f"{rec['value']!r} is not a number") from None
                if math.isnan(value):
                    raise bad("value", "NaN is not a figure; use a DfE symbol")
            else:
                value = None
                if rec["symbol"] not in SYMBOLS:
                    raise bad(
                        "symbol",
                        f"{rec['symbol']!r}: a row without a value needs a "
                        f"DfE symbol ({', '.join(SYMBOLS)})",
                    )
            if not rec["publication"]:
                raise bad("publication", "empty: every figure names its DfE publication")
            key = (rec["measure"], rec["year"], code)
            if key in seen:
                raise bad(
                    "geography_code", f"a second row for {rec['measure']} {rec['year']} {code}"
                )
            seen.add(key)
            rows.append(
                {
                    **rec,
                    "year": int(rec["year"]),
                    "geography_code": code,
                    "value": value,
                    "symbol": rec["symbol"] or None,
                }
            )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["value"] = frame["value"].astype("float64")
    return frame


# explore-education-statistics (EES) CSVs: DfE's open data standards -- time_period (2025, or
# 202425 for a financial/academic year), geographic_level (National / Regional / Local
# authority), region_name, old_la_code (DfE's three-digit LA number), la_name, then one column
# per indicator; suppressed cells hold a symbol (c, k, x, z, u, low, :).
EES_LEVELS = {"national": "england", "regional": "region", "local authority": "la"}


def ees_year(time_period: str) -> int | None:
    """EES time_period -> the year DfE names: 2025 -> 2025; 202425 -> 2025."""
    text = str(time_period).strip()
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    if re.fullmatch(r"\d{6}", text) and (int(text[:4]) + 1) % 100 == int(text[4:]):
        return int(text[:4]) + 1
    return None


def read_ees(
    path: Path,
    columns: dict[str, str],
    where: dict[str, str] | None = None,
    measures: dict[str, DfeMeasure] | None = None,
) -> pd.DataFrame:
    """One EES CSV -> the shipped file's rows. `columns` maps our DfE measure short name (as in
    measures.py) to the CSV's indicator column; `where` keeps rows whose filter columns hold
    the given values (e.g. {"characteristic": "Total"})."""
    from scst_metrics.benchmarks.measures import MEASURES

    path = Path(path)
    by_measure = {m.measure: m for m in (measures or MEASURES).values()}
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    needed = ["time_period", "geographic_level", "old_la_code", "la_name", "region_name"]
    needed += list(columns.values()) + list((where or {}).keys())
    missing = [c for c in dict.fromkeys(needed) if c not in raw.columns]
    if missing:
        raise BenchmarksFileError(
            f"{path}: line 1: missing column(s) {', '.join(missing)}: not an "
            "explore-education-statistics CSV with these columns."
        )
    unknown = [m for m in columns if m not in by_measure]
    if unknown:
        raise BenchmarksFileError(f"{path}: no indicator compares with measure(s) {unknown}")
    for col, value in (where or {}).items():
        raw = raw[raw[col] == value]
    rows = []
    for line, rec in zip(raw.index + 2, raw.to_dict("records"), strict=True):
        level = EES_LEVELS.get(rec["geographic_level"].strip().lower())
        year = ees_year(rec["time_period"])
        if level is None or year is None:
            continue
        if level == "england":
            code, name, region = ENGLAND_CODE, "England", ""
        elif level == "region":
            code = REGION_OF.get(rec["region_name"].strip().lower())
            if code is None:
                continue
            name, region = rec["region_name"], ""
        else:
            if not rec["old_la_code"].strip().isdigit():
                raise BenchmarksFileError(
                    f"{path}: line {line}, column 'old_la_code': {rec['old_la_code']!r} is not "
                    "a DfE three-digit LA number."
                )
            code, name, region = int(rec["old_la_code"]), rec["la_name"], rec["region_name"]
        for measure, column in columns.items():
            raw_value = rec[column].strip()
            value, symbol = _value_and_symbol(raw_value)
            if value is None and symbol is None:
                raise BenchmarksFileError(
                    f"{path}: line {line}, column '{column}': {raw_value!r} is neither a "
                    f"number nor a DfE symbol ({', '.join(SYMBOLS)})."
                )
            rows.append(
                {
                    "measure": measure,
                    "year": year,
                    "year_label": rec["time_period"],
                    "geography_level": level,
                    "geography_code": code,
                    "geography_name": name,
                    "region": region,
                    "value": value,
                    "symbol": symbol,
                    "publication": by_measure[measure].publication,
                }
            )
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    return out.sort_values(["measure", "year", "geography_code"], ignore_index=True)


def merge_figures(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """The shipped rows with `new`'s measure/year/geography rows replacing `old`'s."""
    key = ["measure", "year", "geography_code"]
    kept = old.merge(new[key], on=key, how="left", indicator=True)
    kept = kept[kept["_merge"] == "left_only"].drop(columns="_merge")
    both = pd.concat([kept, new], ignore_index=True)
    return both.sort_values(key, ignore_index=True)
