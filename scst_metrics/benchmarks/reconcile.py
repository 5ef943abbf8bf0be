"""Reconciliation: our own year-end figure, computed from the extracts, beside the figure DfE
published for us for that year, with the difference.

Our figure is the whole-Trust value of the indicator at the month end that closes DfE's year
(31 March; 30 September for the workforce census; 31 July for the academic year): there a
rolling-12-months indicator covers exactly DfE's year and a month-end snapshot is DfE's
snapshot (an indicator counted within one month, such as children missing in the month, is
not reconciled). A difference larger than the tolerance is flagged for the data quality page. DfE
rounds what it publishes (whole numbers for most rates and percentages), so the default
tolerance is 0 for counts and 1 (point or rate unit) otherwise.
"""

from __future__ import annotations

import os
from datetime import date

import duckdb
import pandas as pd

from scst_metrics.benchmarks.labels import value_words, year_words
from scst_metrics.benchmarks.measures import MEASURES, DfeMeasure
from scst_metrics.benchmarks.tables import RECONCILIATION
from scst_metrics.published import snapshot

COLUMNS = RECONCILIATION.columns
TABLE = RECONCILIATION.name
_OURS_SQL = (
    "SELECT indicator_id, period_end, value FROM indicator_values "
    "WHERE hub_id IS NULL AND indicator_id IN ({marks})"
)


def _what(indicator_id: str, unit: str, year: int) -> str:
    """'count of children looked after at 31 March 2025'; 'figure for re-referrals within
    12 months, year to 31 March 2025,' (the catalogue's title, the DfE year)."""
    from scst_metrics.indicators.catalogue import get

    title = get(indicator_id).title
    if len(title) > 1 and title[1].islower():  # "Children ..." -> "children ...", not "PEPs"
        title = title[0].lower() + title[1:]
    when = year_words(indicator_id, year)
    if unit == "count":
        return f"count of {title} {when}"
    return f"figure for {title}, {when},"


def _at_year_ends(rows: list, measures: dict[str, DfeMeasure]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["indicator_id", "period_end", "value"])
    frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    keep = [
        measures[i].year_end == (d.month, d.day)
        for i, d in zip(frame.indicator_id, frame.period_end, strict=True)
    ]
    return frame[keep].reset_index(drop=True)


def write_reconciliation(
    con: duckdb.DuckDBPyConnection,
    benchmarks: pd.DataFrame | None = None,
    tolerance: dict[str, float] | None = None,
    measures: dict[str, DfeMeasure] = MEASURES,
) -> pd.DataFrame:
    """In the database being built, after the indicators are materialised: create and fill
    `benchmark_reconciliation` -- our whole-Trust figure at each DfE year end beside the
    figure DfE published for us, the difference, and a flag beyond the tolerance (see the
    module docstring). `benchmarks`: the compare() frame; default: the
    `indicator_benchmarks` table already written in `con` (write_table()). Returns the rows."""
    if benchmarks is None:
        benchmarks = con.execute(
            "SELECT indicator_id, year, comparator, value, symbol FROM indicator_benchmarks"
        ).df()
    ids = list(measures)
    rows = con.execute(_OURS_SQL.format(marks=", ".join("?" for _ in ids)), ids).fetchall()
    frame = reconcile(_at_year_ends(rows, measures), benchmarks, tolerance=tolerance)
    RECONCILIATION.write(con, frame)
    return frame


def our_year_ends(
    db: str | os.PathLike | None = None, measures: dict[str, DfeMeasure] = MEASURES
) -> pd.DataFrame:
    """Our whole-Trust values (indicator_id, period_end, value) at the month ends closing
    DfE's years, from the published database."""
    ids = list(measures)
    with snapshot(db) as conn:
        rows = conn.exec_driver_sql(
            _OURS_SQL.format(marks=", ".join("?" for _ in ids)), tuple(ids)
        ).fetchall()
    return _at_year_ends(rows, measures)


def reconcile(
    ours: pd.DataFrame,
    benchmarks: pd.DataFrame,
    units: dict[str, str] | None = None,
    tolerance: dict[str, float] | None = None,
    measures: dict[str, DfeMeasure] = MEASURES,
) -> pd.DataFrame:
    """One row per indicator and DfE year where we hold our figure and DfE published one for
    us. `ours`: indicator_id, period_end, value. `benchmarks`: the compare() frame. `units`:
    indicator_id -> catalogue unit ("count" gets tolerance 0). `tolerance` overrides per id."""
    from scst_metrics.indicators.catalogue import IN_MONTH, INDICATORS

    if units is None:
        units = {i.id: i.unit for i in INDICATORS}
    # a figure for one month (e.g. children missing in the month) is not DfE's year
    monthly = {i.id for i in INDICATORS if i.period == IN_MONTH}
    tolerance = tolerance or {}
    published = benchmarks[benchmarks.comparator == "us_published"]
    out = []
    for rec in ours.itertuples(index=False):
        m = measures.get(rec.indicator_id)
        if m is None or rec.indicator_id in monthly or rec.value is None or pd.isna(rec.value):
            continue
        end: date = rec.period_end
        year = end.year
        if m.period_end(year) != end:
            continue
        dfe = published[(published.indicator_id == rec.indicator_id) & (published.year == year)]
        if dfe.empty:
            continue
        dfe_value, symbol = dfe.iloc[0].value, dfe.iloc[0].symbol
        tol = tolerance.get(
            rec.indicator_id, 0.0 if units.get(rec.indicator_id) == "count" else 1.0
        )
        known = dfe_value is not None and not pd.isna(dfe_value)
        diff = float(rec.value) - float(dfe_value) if known else None
        beyond = bool(known and abs(diff) > tol + 1e-9)
        unit = units.get(rec.indicator_id, "")
        said = f"our {_what(rec.indicator_id, unit, year)} is {value_words(rec.value, unit)}"
        if known:
            message = f"{said}; DfE published {value_words(dfe_value, unit)}"
        else:
            message = f"{said}; DfE published no figure ({value_words(None, unit, symbol)})"
        out.append(
            {
                "indicator_id": rec.indicator_id,
                "year": year,
                "period_end": end,
                "ours": float(rec.value),
                "dfe": float(dfe_value) if known else None,
                "dfe_symbol": symbol if isinstance(symbol, str) else None,
                "difference": diff,
                "tolerance": tol,
                "beyond_tolerance": beyond,
                "dfe_measure": m.measure,
                "publication": m.publication,
                "message": message,
            }
        )
    return pd.DataFrame(out, columns=list(COLUMNS))
