"""The loader's last building step: compute every indicator series into the new database.

Creates, in the file being built:

- `indicators`: the catalogue as a table;
- `indicator_availability`: per indicator, whether its source tables were in the drop (and why
  not); an unavailable indicator simply has no values, and the load still publishes;
- `indicator_values`: `indicator_id, period_end, hub_id (NULL = whole Trust), numerator,
  denominator, value`, one row per period (per hub where the indicator splits by hub);
- `targets`: data/targets.csv as read; `indicator_targets`: the target in force for each row
  of indicator_values (financial year of the period end; a named hub beats its kind, which
  beats `all`), its RAG rating, and `rag_note` "too few to rate" where a percentage's
  denominator is too small for a verdict (small_numbers.py; rag is then NULL);
- `working_days`: one row per day, for counting working days.

Each query returns counted things (`period_end, hub_id, num, den`); they are summed per hub and,
separately, for the whole Trust (GROUPING SETS), so the Trust value comes from the data and
includes children not allocated to any hub. A scaffold of every period (and every hub open at
it, of the kinds the indicator is shown for) makes "nothing counted" explicit: a count is 0, a
percentage with no eligible children has value NULL ("no data"), never 0%.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from ..authority import AuthorityFileError, read_authority
from ..extracts.schema import TABLES
from ..load.steps import Refused
from . import helpers
from .catalogue import COUNT, INDICATORS, PERCENT, RATE_10K, RATIO, Indicator
from .rag import rag
from .small_numbers import TOO_FEW, too_few_to_rate
from .targets import Target, read_targets
from .working_days import create_working_days

FRAMES = Path(__file__).with_name("frames")  # the SQL every indicator's query is put in

VALUES_DDL = """
CREATE OR REPLACE TABLE indicator_values (
    indicator_id VARCHAR NOT NULL,
    period_end DATE NOT NULL,
    hub_id VARCHAR,
    numerator DOUBLE,
    denominator DOUBLE,
    value DOUBLE
)
"""


def materialise(
    con: duckdb.DuckDBPyConnection,
    as_at: date,
    *,
    targets_csv: Path | None = None,
    log=None,
) -> None:
    """Create and fill the indicator tables in the database being built (write access)."""
    targets = read_targets(targets_csv)  # a wrong targets file stops the load, naming the line
    try:
        home_la = read_authority().la_code  # "outside the authority" (data/authority.toml)
    except AuthorityFileError as e:
        raise Refused(f"{e} The last good database keeps serving.") from e
    start = helpers.data_start(con, as_at)
    create_working_days(con, min(start, date(2000, 1, 1)), as_at + timedelta(days=400))
    helpers.create_periods(con, start, as_at)
    helpers.create_building_blocks(con)
    _catalogue_table(con)
    flags = con.execute("SELECT table_name, present, rows FROM load_sources").fetchall()
    in_drop = {name for name, present, _ in flags if present}
    has_rows = {name for name, present, rows in flags if present and rows}
    con.execute(VALUES_DDL)
    availability = []
    for ind in INDICATORS:
        missing = [s for s in ind.sources if s not in in_drop]
        if missing:
            names = ", ".join(f"{TABLES[s].label} ({s})" for s in missing)
            availability.append((ind.id, False, f"not in this drop: {names}"))
            continue
        t0 = time.perf_counter()
        con.execute(values_sql(ind, home_la))
        notes = [f"{TABLES[s].label} has no rows" for s in ind.sources if s not in has_rows]
        if ind.splits_by_hub and "allocations" not in has_rows:
            notes.append("no allocations: whole-Trust values only")
        availability.append((ind.id, True, "; ".join(notes) or None))
        if log:
            log(f"  {ind.id}: {time.perf_counter() - t0:.2f}s")
    con.execute(
        "CREATE OR REPLACE TABLE indicator_availability "
        "(indicator_id VARCHAR, available BOOLEAN, reason VARCHAR)"
    )
    con.executemany("INSERT INTO indicator_availability VALUES (?, ?, ?)", availability)
    _targets_tables(con, targets)


def values_sql(ind: Indicator, home_la: str | None = None) -> str:
    """The INSERT that turns an indicator's query into its series (per hub and whole Trust).
    `$HOME_LA` in a query is the home authority's ONS code (default: data/authority.toml)."""
    if ind.derived_from is not None:
        # A rate per 10,000 derived from a count: its numerator is the count's whole-Trust
        # value, already in indicator_values (the count is declared, so computed, first).
        query = (
            "    SELECT period_end, NULL AS hub_id, numerator AS num, NULL AS den\n"
            f"    FROM indicator_values WHERE indicator_id = '{ind.derived_from}' "
            "AND hub_id IS NULL"
        )
    else:
        query = ind.sql.replace("$HOME_LA", home_la or read_authority().la_code)
    periods = "periods"
    if ind.frequency == "annual":
        periods = "(SELECT * FROM periods WHERE month(period_end) = 3 AND day(period_end) = 31)"
    kinds = ", ".join(f"'{k}'" for k in ind.hub_kinds)
    hub_frame = ""
    if ind.splits_by_hub:
        rows = fill(frame_sql("hub_rows"), periods=periods, kinds=kinds)
        hub_frame = "\n" + rows.removesuffix("\n")
    num = "coalesce(a.num, 0)"
    if ind.unit == COUNT:
        den, value = "NULL", num
    elif ind.unit == RATE_10K:
        den = "pp.population"
        value = f"CASE WHEN pp.population > 0 THEN 10000.0 * {num} / pp.population END"
    elif ind.unit in (PERCENT, RATIO):
        scale = "100.0 * " if ind.unit == PERCENT else ""
        den = "coalesce(a.den, 0)"
        value = f"CASE WHEN {den} > 0 THEN {scale}{num} / {den} END"
    else:
        raise ValueError(f"{ind.id}: unknown unit {ind.unit}")
    select = f"'{ind.id}', f.period_end, f.hub_id, {num}, {den}, {value}"
    parts = {"query": query, "periods": periods, "hub_frame": hub_frame, "select": select}
    return "\n" + fill(frame_sql("values"), **parts)


@cache
def frame_sql(name: str) -> str:
    """The SQL frame `frames/<name>.sql` without its leading comment lines."""
    lines = (FRAMES / f"{name}.sql").read_text(encoding="utf-8").splitlines(keepends=True)
    while lines and lines[0].startswith("--"):
        lines.pop(0)
    return "".join(lines)


def fill(template: str, **parts: str) -> str:
    """`template` with each {name} replaced by its part (SQL has braces of its own: no format)."""
    for name, part in parts.items():
        template = template.replace("{" + name + "}", part)
    return template


def _catalogue_table(con: duckdb.DuckDBPyConnection) -> None:
    rows = []
    for order, ind in enumerate(INDICATORS, start=1):
        d = asdict(ind)
        d["sources"] = ", ".join(ind.sources)
        d["hub_kinds"] = ", ".join(ind.hub_kinds)
        d["frequency"] = ind.frequency
        d["target_pro_rata"] = ind.target_pro_rata
        d["unit_label"] = ind.unit_label
        d["display_order"] = order
        d["query_sql"] = ind.sql
        rows.append(d)
    frame = pd.DataFrame(rows)
    con.register("_cat", frame)
    con.execute(
        "CREATE OR REPLACE TABLE indicators AS SELECT * REPLACE "
        "(derived_from::VARCHAR AS derived_from, dfe_measure::VARCHAR AS dfe_measure) FROM _cat"
    )
    con.unregister("_cat")


def _targets_tables(con: duckdb.DuckDBPyConnection, targets: list[Target]) -> None:
    con.execute(
        "CREATE OR REPLACE TABLE targets (indicator_id VARCHAR, from_date DATE, to_date DATE, "
        "hub VARCHAR, target DOUBLE, amber DOUBLE, low DOUBLE, high DOUBLE, source VARCHAR, "
        "line INTEGER)"
    )
    con.executemany(
        "INSERT INTO targets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (t.indicator_id, t.from_date, t.to_date, t.hub, t.target, t.amber, t.low, t.high)
            + (t.source, t.line)
            for t in targets
        ],
    )
    # A financial-year-to-date count (households approved since 1 April) is held to its
    # share of the year's target, and the amber tolerance likewise, so the board is not red
    # every April by construction (Indicator.target_pro_rata; periods.fy_share).
    resolved = con.execute(
        """
        SELECT v.indicator_id, v.period_end, v.hub_id, v.value, v.denominator, i.unit, i.polarity,
            t.target * share AS target, t.amber * share AS amber,
            t.low, t.high, t.source AS target_source
        FROM indicator_values v
        JOIN indicators i ON i.id = v.indicator_id
        JOIN periods p ON p.period_end = v.period_end
        CROSS JOIN LATERAL (SELECT CASE WHEN i.target_pro_rata THEN p.fy_share ELSE 1 END) s(share)
        LEFT JOIN hubs h ON h.hub_id = v.hub_id
        JOIN targets t ON t.indicator_id = v.indicator_id
            AND v.period_end >= t.from_date
            AND (t.to_date IS NULL OR v.period_end <= t.to_date)
            AND CASE
                WHEN v.hub_id IS NULL THEN t.hub = ''
                ELSE t.hub IN (v.hub_id, 'kind:' || h.hub_kind, 'all') END
        QUALIFY row_number() OVER (
            PARTITION BY v.indicator_id, v.period_end, v.hub_id
            ORDER BY CASE WHEN t.hub = v.hub_id THEN 0 WHEN t.hub LIKE 'kind:%' THEN 1
                ELSE 2 END) = 1
        """
    ).df()
    resolved["rag"] = [
        rag(v, p, t, a, lo, hi)
        for v, p, t, a, lo, hi in zip(
            resolved["value"].astype(object).where(resolved["value"].notna(), None),
            resolved["polarity"],
            resolved["target"],
            resolved["amber"],
            resolved["low"],
            resolved["high"],
            strict=True,
        )
    ]
    # Too few to rate (small_numbers.py): a percentage of fewer than 6 gets no verdict
    too_few = [
        too_few_to_rate(u, d) and r is not None
        for u, d, r in zip(resolved["unit"], resolved["denominator"], resolved["rag"], strict=True)
    ]
    resolved["rag_note"] = [TOO_FEW if t else None for t in too_few]
    resolved["rag"] = [None if t else r for t, r in zip(too_few, resolved["rag"], strict=True)]
    frame = resolved.drop(columns=["value", "denominator", "unit", "polarity"])
    con.register("_t", frame)
    con.execute(
        "CREATE OR REPLACE TABLE indicator_targets AS SELECT indicator_id, "
        "period_end::DATE AS period_end, hub_id::VARCHAR AS hub_id, target, amber, low, high, "
        "target_source::VARCHAR AS target_source, rag::VARCHAR AS rag, "
        "rag_note::VARCHAR AS rag_note FROM _t"
    )
    con.unregister("_t")
