"""Working days: weekdays that are not England bank holidays (the `holidays` package).

DfE timeliness measures (assessments within 45 working days, initial conferences within 15
working days of the section 47 start) count working days. We materialise one row per calendar
day with `wd`, the number of working days from a fixed origin up to and including that day, so
SQL counts working days by subtraction: the working days from A (day 0) to B are
`wd(B) - wd(A)`. A weekend or bank holiday carries the index of the working day before it, so a
visit or conference on a Saturday counts as on the Friday.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import holidays
import pandas as pd

TABLE = "working_days"


def england_bank_holidays(first: date, last: date) -> dict[date, str]:
    """England (and Wales) bank holidays between two dates, with their names."""
    years = range(first.year, last.year + 1)
    found = holidays.country_holidays("GB", subdiv="ENG", years=years)
    return {d: name for d, name in sorted(found.items()) if first <= d <= last}


def working_days_frame(first: date, last: date) -> pd.DataFrame:
    """One row per day: day, is_working, bank_holiday (name or None), wd (cumulative count)."""
    bank = england_bank_holidays(first, last)
    days = pd.date_range(first, last, freq="D")
    names = [bank.get(d.date()) for d in days]
    working = [(d.weekday() < 5) and (n is None) for d, n in zip(days, names, strict=True)]
    frame = pd.DataFrame(
        {
            "day": days.date,
            "is_working": working,
            "bank_holiday": pd.Series(names, dtype="string"),
        }
    )
    frame["wd"] = frame["is_working"].astype("int64").cumsum()
    return frame


def create_working_days(con: duckdb.DuckDBPyConnection, first: date, last: date) -> None:
    """Create the `working_days` table (kept in the published file, for reference)."""
    frame = working_days_frame(first - timedelta(days=7), last)
    con.register("_wd", frame)
    con.execute(
        f"CREATE OR REPLACE TABLE {TABLE} AS SELECT day::DATE AS day, is_working, "
        "bank_holiday::VARCHAR AS bank_holiday, wd::INTEGER AS wd FROM _wd ORDER BY day"
    )
    con.unregister("_wd")


def working_days_between(start: date, end: date) -> int:
    """Working days from `start` (day 0) to `end`: the Python twin of the SQL rule, for tests."""
    frame = working_days_frame(min(start, end), max(start, end))
    wd = dict(zip(frame["day"], frame["wd"], strict=True))
    return int(wd[end] - wd[start])
