"""The SQL that materialise.values_sql generates, compared with committed snapshots.

One indicator of each shape: a count split by hub, a rate per 10,000 with its own query, a
rate derived from a count, a percentage, a ratio for every kind of hub, an annual percentage,
a whole-Trust percentage, and a query using the home authority's code.

Every indicator's SQL is the same frame around its own parts. The frame is SQL of its own
(scst_metrics/indicators/frames/values.sql, and hub_rows.sql for the per-hub rows), so a change
to it is a readable diff of that file; each indicator's snapshot `snapshots/<id>.sql` holds only
its own parts: its periods, the hub kinds it is split for, its SELECT list and where its query
comes from (its query file, with the home authority's code filled in, or the derived rate's
read of its count). The test fills the frame with the parts and checks the result is, character
for character, the whole generated SQL: a change to how values_sql builds the parts shows as a
readable diff of the snapshots.

When a change is intended, regenerate the parts and review the diff before committing:

    SCST_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_indicators_sql_snapshots.py
    git diff tests/snapshots/
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from scst_metrics.authority import read_authority
from scst_metrics.indicators.catalogue import QUERIES, get
from scst_metrics.indicators.materialise import fill, frame_sql, values_sql

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
PART = re.compile(r"^-- (periods|hub kinds|select|query): ?(.*)$")
QUERY_FILE = re.compile(r"^queries/(\w+)\.sql, \$HOME_LA filled in$")


def _query(source: str, inline: list[str]) -> str:
    match = QUERY_FILE.match(source)
    if match:
        text = (QUERIES / f"{match.group(1)}.sql").read_text(encoding="utf-8")
        return text.replace("$HOME_LA", read_authority().la_code)
    return "\n".join(inline)


def snapshot_sql(indicator_id: str) -> str:
    """The whole SQL the snapshots say values_sql generates: the frame with the parts."""
    parts: dict[str, str] = {}
    inline: list[str] = []
    for line in (SNAPSHOTS / f"{indicator_id}.sql").read_text(encoding="utf-8").splitlines():
        match = PART.match(line)
        if match:
            parts[match.group(1)] = match.group(2)
        else:
            inline.append(line)
    kinds = parts.pop("hub kinds")
    hub_rows = fill(frame_sql("hub_rows"), kinds=kinds, periods=parts["periods"])
    parts["hub_frame"] = "" if kinds == "none" else "\n" + hub_rows.removesuffix("\n")
    parts["query"] = _query(parts["query"], inline)
    return "\n" + fill(frame_sql("values"), **parts)


def _parts_of(sql: str) -> str:
    """The snapshot of one indicator's own parts, read off its generated SQL."""
    pattern = re.escape("\n" + frame_sql("values"))
    for key in ("query", "periods", "hub_frame", "select"):
        group = re.escape("{" + key + "}")
        pattern = pattern.replace(group, f"(?P<{key}>.*?)", 1).replace(group, f"(?P={key})")
    match = re.fullmatch(pattern, sql, re.DOTALL)
    assert match, "values_sql no longer fills frames/values.sql"
    kinds = re.search(r"h\.hub_kind IN \((.*?)\)", match["hub_frame"])
    lines = [
        f"-- periods: {match['periods']}",
        f"-- hub kinds: {kinds.group(1) if kinds else 'none'}",
        f"-- select: {match['select']}",
    ]
    for path in sorted(QUERIES.glob("*.sql")):
        own = path.read_text(encoding="utf-8").replace("$HOME_LA", read_authority().la_code)
        if own == match["query"]:
            return "\n".join([*lines, f"-- query: queries/{path.stem}.sql, $HOME_LA filled in"])
    return "\n".join([*lines, "-- query:", match["query"]]) + "\n"


@pytest.mark.parametrize("indicator_id", IDS)
def test_generated_sql_matches_its_snapshot(indicator_id):
    sql = values_sql(get(indicator_id))
    path = SNAPSHOTS / f"{indicator_id}.sql"
    if os.environ.get("SCST_UPDATE_SNAPSHOTS") == "1":
        path.write_text(_parts_of(sql).rstrip("\n") + "\n", encoding="utf-8")
    assert path.exists(), f"no snapshot {path}: run with SCST_UPDATE_SNAPSHOTS=1 (see docstring)"
    assert sql == snapshot_sql(indicator_id), (
        f"values_sql({indicator_id}) changed: if intended, regenerate with "
        "SCST_UPDATE_SNAPSHOTS=1 and review git diff tests/snapshots/"
    )


def test_snapshots_say_what_each_shape_generates():
    """Spot checks of the snapshots themselves, so a regenerated snapshot cannot hide a
    wrong shape: the derived rate reads its count's whole-Trust values, not a query; the
    home authority's code is filled in; an annual indicator keeps only 31 March."""
    derived = snapshot_sql("lac_rate")
    assert "FROM indicator_values WHERE indicator_id = 'lac_count' AND hub_id IS NULL" in derived
    assert "10000.0 * coalesce(a.num, 0) / pp.population" in derived
    assert "JOIN hubs h" not in derived  # whole Trust only
    home = snapshot_sql("lac_placed_outside_borough")
    assert "$HOME_LA" not in home and f"<> '{read_authority().la_code}'" in home
    annual = snapshot_sql("lac_health_assessments")
    assert "month(period_end) = 3 AND day(period_end) = 31" in annual
    split = snapshot_sql("hub_allocated")
    assert "h.hub_kind IN ('locality', 'assessment', 'disabled_children')" in split
    ratio = snapshot_sql("caseload_per_fte")
    assert "CASE WHEN coalesce(a.den, 0) > 0 THEN coalesce(a.num, 0) / coalesce(a.den, 0)" in ratio
