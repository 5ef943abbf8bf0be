"""The SQL that materialise.values_sql generates, compared with committed snapshots.

One indicator of each shape: a count split by hub, a rate per 10,000 with its own query, a
rate derived from a count, a percentage, a ratio for every kind of hub, an annual percentage,
a whole-Trust percentage, and a query using the home authority's code. A change to the
generator (or to one of these queries) shows here as a readable diff of the SQL.

When a change is intended, regenerate the snapshots and review the diff before committing:

    SCST_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_indicators_sql_snapshots.py
    git diff tests/snapshots/
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scst_metrics.indicators.catalogue import get
from scst_metrics.indicators.materialise import values_sql

SNAPSHOTS = Path(__file__).parent / "snapshots"
IDS = (
    "hub_allocated",
    "referrals_rate_12m",
    "lac_rate",
    "rereferrals_12m",
    "caseload_per_fte",
    "lac_health_assessments",
    "fostering_inhouse_pct",
    "lac_placed_outside_borough",
)


@pytest.mark.parametrize("indicator_id", IDS)
def test_generated_sql_matches_its_snapshot(indicator_id):
    sql = values_sql(get(indicator_id))
    path = SNAPSHOTS / f"{indicator_id}.sql"
    if os.environ.get("SCST_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(sql, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}: run with SCST_UPDATE_SNAPSHOTS=1 (see docstring)"
    assert sql == path.read_text(encoding="utf-8"), (
        f"values_sql({indicator_id}) changed: if intended, regenerate with "
        "SCST_UPDATE_SNAPSHOTS=1 and review git diff tests/snapshots/"
    )


def test_snapshots_say_what_each_shape_generates():
    """Spot checks of the snapshots themselves, so a regenerated snapshot cannot hide a
    wrong shape: the derived rate reads its count's whole-Trust values, not a query; the
    home authority's code is filled in; an annual indicator keeps only 31 March."""
    derived = (SNAPSHOTS / "lac_rate.sql").read_text(encoding="utf-8")
    assert "FROM indicator_values WHERE indicator_id = 'lac_count' AND hub_id IS NULL" in derived
    assert "10000.0 * coalesce(a.num, 0) / pp.population" in derived
    assert "JOIN hubs h" not in derived  # whole Trust only
    home = (SNAPSHOTS / "lac_placed_outside_borough.sql").read_text(encoding="utf-8")
    assert "$HOME_LA" not in home and "E06000039" in home
    annual = (SNAPSHOTS / "lac_health_assessments.sql").read_text(encoding="utf-8")
    assert "month(period_end) = 3 AND day(period_end) = 31" in annual
    split = (SNAPSHOTS / "hub_allocated.sql").read_text(encoding="utf-8")
    assert "h.hub_kind IN ('locality', 'assessment', 'disabled_children')" in split
    ratio = (SNAPSHOTS / "caseload_per_fte.sql").read_text(encoding="utf-8")
    assert "CASE WHEN coalesce(a.den, 0) > 0 THEN coalesce(a.num, 0) / coalesce(a.den, 0)" in ratio
