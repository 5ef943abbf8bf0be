"""The pages' reads of DfE benchmarks (scst_metrics/benchmarks/read.py) and the reconciliation
table the load writes (write_reconciliation), on a real DuckDB file built by the real loader
from the indicator fixture drop (tests/fixtures/drops/indicators, as tests/indicator_drops.py
describes: population 50,000, so a rate per 10,000 is count / 5)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from indicator_drops import build
from test_benchmarks import SLOUGH, SN

from scst_metrics.benchmarks import publish_benchmarks, read_lait
from scst_metrics.benchmarks.figures import write_figures
from scst_metrics.benchmarks.read import (
    OVERVIEW_COLUMNS,
    for_indicator,
    overview_column,
    reconciliation,
)
from scst_metrics.benchmarks.reconcile import COLUMNS
from scst_metrics.published import snapshot

# DfE figures for the year to / at 31 March 2019, in LAIT's long format. Slough's April 2021
# neighbours (the list for years before 2025, in SN): 872, 301, 302.
LAIT_2019 = """Short Desc,Data item,Years,LA and Regions,Values,LA Number,Region
LACnum,,2019,Slough,7,871,South East
LACnum,,2019,Reading,10,872,South East
LACnum,,2019,Barking and Dagenham,20,301,Outer London
LACnum,,2019,Barnet,c,302,Outer London
LACnum,,2019,South East,9000,989,
LACnum,,2019,England,78000,970,
LAC,,2019,Slough,1,871,South East
LAC,,2019,England,65,970,
LACStable_2016on,,2019,Slough,20,871,South East
CareLeaverAcc,,2019,Slough,35,871,South East
CareLeaverAcc,,2019,Reading,90,872,South East
"""


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> tuple[Path, Path, pd.DataFrame]:
    """The real load's database, before and after the two benchmark steps the load makes."""
    tmp = tmp_path_factory.mktemp("bench_read")
    db = build(tmp)
    (tmp / "lait.csv").write_text(LAIT_2019, encoding="utf-8")
    (tmp / "sn.csv").write_text(SN, encoding="utf-8")
    figures_csv = tmp / "dfe_figures.csv"
    write_figures(read_lait(tmp / "lait.csv"), figures_csv)
    before = tmp / "before.duckdb"
    before.write_bytes(db.read_bytes())
    # a file published before the load had its benchmarks step: the two tables absent
    with duckdb.connect(str(before)) as con:
        con.execute("DROP TABLE IF EXISTS indicator_benchmarks")
        con.execute("DROP TABLE IF EXISTS benchmark_reconciliation")
    # the load's call, after materialise(): the benchmarks table, then the reconciliation
    with duckdb.connect(str(db)) as con:
        n, written = publish_benchmarks(
            con, SLOUGH, figures_csv=figures_csv, neighbours_csv=tmp / "sn.csv"
        )
    # LACnum: us, neighbours, region, England; LAC: us, neighbours, England;
    # LACStable_2016on and CareLeaverAcc: us and neighbours (no South East or England row)
    # -> 4 + 3 + 2 + 2 = 11
    assert n == 11
    return db, before, written


def test_reconciliation_written_by_the_load_step(loaded):
    db, _, written = loaded
    with snapshot(db) as conn:
        rows = reconciliation(conn)
        flagged = reconciliation(conn, beyond_only=True)
    assert list(rows.columns) == list(COLUMNS)
    assert len(written) == len(rows) == 4
    got = {
        r.indicator_id: (r.ours, r.dfe, r.difference, r.tolerance, r.beyond_tolerance)
        for r in rows.itertuples()
    }
    # At 31/03/2019 looked after: L1, L2, L3, L4, L6 = 5; DfE 7: a count must match -> flagged
    assert got["lac_count"] == (5.0, 7.0, -2.0, 0.0, True)
    # rate: 5 / 50,000 * 10,000 = 1.0; DfE 1 -> 0
    assert got["lac_rate"] == (1.0, 1.0, 0.0, 1.0, False)
    # 3+ placements, year to 31/03/2019: L2 of five = 20%; DfE 20 -> 0
    assert got["lac_3plus_placements"] == (20.0, 20.0, 0.0, 1.0, False)
    # suitable accommodation, OC3 2019: CL1 of CL1, CL2, CL4 = 33.33%; DfE 35: 1.67 points
    # beyond the 1-point tolerance -> flagged
    ours, dfe, diff, tol, beyond = got["care_leavers_accommodation"]
    assert (round(ours, 4), dfe, round(diff, 4), tol, beyond) == (33.3333, 35.0, -1.6667, 1, True)
    assert set(rows.year) == {2019} and set(rows.period_end) == {date(2019, 3, 31)}
    # the data quality page shows the flagged rows' messages, in these words
    assert list(flagged.message) == [
        "our figure for care leavers aged 19-21 in suitable accommodation, year to 31 March "
        "2019, is 33.3%; DfE published 35%",
        "our count of children looked after at 31 March 2019 is 5; DfE published 7",
    ]
    assert set(flagged.publication) == {"DfE Children looked after in England"}


def test_for_indicator_rows_in_order(loaded):
    db, _, _ = loaded
    with snapshot(db) as conn:
        rows = for_indicator(conn, "lac_count")
        none = for_indicator(conn, "fostering_households")  # no DfE measure
    assert list(rows.comparator) == ["us_published", "neighbours", "region", "england"]
    assert set(rows.period_end) == {date(2019, 3, 31)} and set(rows.year) == {2019}
    values = dict(zip(rows.comparator, rows.value, strict=True))
    # neighbours (April 2021 list for 2019): 872 = 10, 301 = 20, 302 "c" -> (10 + 20) / 2
    assert values == {"us_published": 7, "neighbours": 15, "region": 9000, "england": 78000}
    assert "2 of 3" in rows.detail.iloc[1]
    assert rows.empty is False and none.empty
    with snapshot(db) as conn:
        acc = for_indicator(conn, "care_leavers_accommodation").set_index("comparator")
    # higher is better; 35 and 90 published: 90 better -> 2 of 2; type 7 quartiles of
    # 35, 90: 25% = 35 + 0.25 * 55 = 48.75; 35 <= 48.75 -> lowest quarter -> D
    us = acc.loc["us_published"]
    assert (us["rank"], us["rank_of"], us["quartile"]) == (2, 2, "D")


def test_overview_column(loaded):
    db, _, _ = loaded
    with snapshot(db) as conn:
        column = overview_column(conn).set_index("indicator_id")
    assert set(column.index) == {
        "care_leavers_accommodation",
        "lac_3plus_placements",
        "lac_count",
        "lac_rate",
    }
    lac = column.loc["lac_count"]
    assert (lac.us, lac.neighbours, lac.england, lac.year) == (7, 15, 78000, 2019)
    assert lac.text == "neighbours 15 / England 78,000 (2019)"
    # the rate: no neighbour published one -> said, not zero
    assert column.loc["lac_rate"].text == "neighbours no figure / England 65 per 10,000 (2019)"
    assert column.loc["care_leavers_accommodation"].quartile == "D"


def test_a_database_without_benchmarks_reads_empty(loaded):
    _, before, _ = loaded
    with snapshot(before) as conn:
        assert for_indicator(conn, "lac_count").empty
        assert list(overview_column(conn).columns) == list(OVERVIEW_COLUMNS)
        assert overview_column(conn).empty
        assert reconciliation(conn).empty


def test_reconciliation_newest_years(loaded, tmp_path):
    db, _, _ = loaded
    older = tmp_path / "older.duckdb"
    older.write_bytes(db.read_bytes())
    with duckdb.connect(str(older)) as con:  # a row for DfE's 2018 beside the 2019 ones
        con.execute(
            "INSERT INTO benchmark_reconciliation SELECT indicator_id, 2018, "
            "DATE '2018-03-31', ours, dfe, dfe_symbol, difference, tolerance, "
            "beyond_tolerance, dfe_measure, publication, 'older' FROM "
            "benchmark_reconciliation WHERE indicator_id = 'lac_count'"
        )
    with snapshot(older) as conn:
        assert list(reconciliation(conn).year) == [2019] * 4 + [2018]
        assert list(reconciliation(conn, years=1).year) == [2019] * 4
        assert list(reconciliation(conn, years=2).year) == [2019] * 4 + [2018]
        flagged = reconciliation(conn, beyond_only=True, years=1)
        assert list(flagged.indicator_id) == ["care_leavers_accommodation", "lac_count"]
