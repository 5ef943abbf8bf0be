"""The hub holding a child's case at a period end (`child_hub_spans`), worked out by hand.

Allocations (end dates inclusive), periods Jan-Apr 2019 (as at 30/04/2019):
- A: H01 from 10/01/2019, open.
- B: H01 01/01-28/02/2019, then H02 from 28/02/2019: both open on the month end 28/02, where
  the later-starting one (H02) wins.
- C: H02 and H01 both from 05/01/2019, open: the same start, so the first hub_id (H01).
- D: H01 all year, with H02 nested 10/02-20/02/2019 (not open at any month end): H01 throughout.
- E: H03 01/01-30/03/2019: ends the day before the March month end, so no hub then.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from scst_metrics.indicators import helpers

ALLOCATIONS = [
    ("A", "H01", "W1", date(2019, 1, 10), None),
    ("B", "H01", "W1", date(2019, 1, 1), date(2019, 2, 28)),
    ("B", "H02", "W2", date(2019, 2, 28), None),
    ("C", "H02", "W2", date(2019, 1, 5), None),
    ("C", "H01", "W3", date(2019, 1, 5), None),
    ("D", "H01", "W1", date(2019, 1, 1), date(2019, 12, 31)),
    ("D", "H02", "W2", date(2019, 2, 10), date(2019, 2, 20)),
    ("E", "H03", None, date(2019, 1, 1), date(2019, 3, 30)),
]


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE allocations (child_id VARCHAR, hub_id VARCHAR, worker_id VARCHAR, "
        "start_date DATE, end_date DATE)"
    )
    con.executemany("INSERT INTO allocations VALUES (?, ?, ?, ?, ?)", ALLOCATIONS)
    helpers.create_periods(con, date(2019, 1, 1), date(2019, 4, 30))
    (spans,) = [sql for sql in helpers.BUILDING_BLOCKS if "TABLE child_hub_spans" in sql]
    con.execute(spans)
    yield con
    con.close()


def hubs_at(con, period_end: date) -> dict[str, tuple[str, str | None]]:
    """Each child's (hub, worker) at a period end, looked up as the indicator queries do."""
    rows = con.execute(
        "SELECT c.child_id, h.hub_id, h.worker_id "
        "FROM (SELECT DISTINCT child_id FROM allocations) c "
        "JOIN periods p ON p.period_end = ? "
        "LEFT JOIN child_hub_spans h ON h.child_id = c.child_id "
        "    AND p.period_end BETWEEN h.from_date AND h.to_date",
        [period_end],
    ).fetchall()
    assert len(rows) == 5  # at most one span per child and period end
    return {child: (hub, worker) for child, hub, worker in rows}


def test_hub_at_each_month_end(con):
    jan = hubs_at(con, date(2019, 1, 31))
    # A H01; B H01 (H02 not yet); C H01 (same start as H02: the first hub_id, with its worker
    # W3); D H01; E H03 with no worker
    assert jan == {
        "A": ("H01", "W1"),
        "B": ("H01", "W1"),
        "C": ("H01", "W3"),
        "D": ("H01", "W1"),
        "E": ("H03", None),
    }
    feb = hubs_at(con, date(2019, 2, 28))
    # B: H01 ends 28/02 (inclusive) and H02 starts 28/02: both open, the later start wins
    # D: H02 ran 10/02-20/02, over by the month end
    assert feb["B"] == ("H02", "W2")
    assert feb["D"] == ("H01", "W1")
    assert feb["C"] == ("H01", "W3")
    mar = hubs_at(con, date(2019, 3, 31))
    # E's allocation ended 30/03: nobody holds the case on 31/03
    assert mar["E"] == (None, None)
    assert mar["B"] == ("H02", "W2")
    apr = hubs_at(con, date(2019, 4, 30))  # the as-at date
    assert apr == {
        "A": ("H01", "W1"),
        "B": ("H02", "W2"),
        "C": ("H01", "W3"),
        "D": ("H01", "W1"),
        "E": (None, None),
    }


def test_children_without_overlaps_keep_their_allocations_as_spans(con):
    # Only A and E have allocations that never overlap: their spans are the
    # allocations themselves (an open end is 31/12/9999); B, C, D are resolved per month end
    # (4 period ends each: 12 one-day spans).
    rows = con.execute(
        "SELECT child_id, count(*), min(from_date), max(to_date) FROM child_hub_spans "
        "GROUP BY child_id ORDER BY child_id"
    ).fetchall()
    assert rows == [
        ("A", 1, date(2019, 1, 10), date(9999, 12, 31)),
        ("B", 4, date(2019, 1, 31), date(2019, 4, 30)),
        ("C", 4, date(2019, 1, 31), date(2019, 4, 30)),
        ("D", 4, date(2019, 1, 31), date(2019, 4, 30)),
        ("E", 1, date(2019, 1, 1), date(2019, 3, 30)),
    ]
