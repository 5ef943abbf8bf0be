"""Session-wide databases for the indicator tests, built by the real loader from real files.

`tests/fixtures/drops/indicators/` is a small hand-built drop (SSDA903 CSVs, a CIN census XML,
local CSVs) extracted on 12/06/2019; the reference month end of the tests is 31/05/2019. Its
population file gives 50,000 children for rates in 2019 (mid-2018 estimate), so a rate per
10,000 is count / 5.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from scst_metrics.load import load_drop
from scst_metrics.published import snapshot

DROP = Path(__file__).parent / "fixtures" / "drops" / "indicators"
MAY = date(2019, 5, 31)  # the reference month end
MARCH = date(2019, 3, 31)  # the annual (OC2/OC3) reference date
AS_AT = date(2019, 6, 12)


def build(tmp: Path, drop: Path = DROP) -> Path:
    db = tmp / "scst.duckdb"
    outcome = load_drop(drop, db, population_csv=DROP / "population.csv", log=lambda _: None)
    assert outcome.published, outcome.message
    return db


@pytest.fixture(scope="session")
def indicator_db(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("indicators"))


@pytest.fixture(scope="session")
def no_local_db(tmp_path_factory) -> Path:
    """The same drop without its local/ folder: local-only indicators are unavailable."""
    tmp = tmp_path_factory.mktemp("no_local")
    drop = tmp / "drop"
    shutil.copytree(DROP, drop, ignore=shutil.ignore_patterns("local"))
    return build(tmp, drop)


def with_spc(db: Path, tmp: Path) -> Path:
    """A copy of `db` in `tmp` with the SPC tables materialised (as the load's SPC step does)."""
    from scst_metrics.indicators.spc_step import materialise_spc

    copy = tmp / "scst.duckdb"
    shutil.copy(db, copy)
    con = duckdb.connect(str(copy))
    try:
        materialise_spc(con)
    finally:
        con.close()
    return copy


def row(db: Path, indicator_id: str, hub_id: str | None = None, period_end: date = MAY):
    """(numerator, denominator, value) of one indicator value; value None = no data."""
    with snapshot(db) as conn:
        found = conn.exec_driver_sql(
            "SELECT numerator, denominator, value FROM indicator_values "
            "WHERE indicator_id = ? AND period_end = ? AND hub_id IS NOT DISTINCT FROM ?",
            (indicator_id, period_end, hub_id),
        ).fetchall()
    assert len(found) == 1, f"{indicator_id} {hub_id} {period_end}: {found}"
    num, den, value = found[0]
    return num, den, None if value is None else round(value, 4)
