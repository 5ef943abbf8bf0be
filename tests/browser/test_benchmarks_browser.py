"""How we compare, in real headless Chromium: on the looked-after children page the chart of
children looked after per 10,000 carries DfE's annual figures (England, region, statistical
neighbours, ours as published) as markers at 31 March, one a year, and the "how we compare"
table under it shows the figures the load published in `indicator_benchmarks` for 2025."""

from __future__ import annotations

import duckdb
import pytest
from board import PATHS, accessibility_violations, expected_charts, wait_for_board

pytestmark = pytest.mark.browser

INDICATOR = "lac_rate"
TITLE = "Children looked after per 10,000 children"

# Each drawn plotly chart: its title (line breaks as spaces) and, per trace, name (wrapped
# legend lines joined), mode and
# x values as plotly holds them (date strings), plus the trace's meta (the benchmark comparator).
TRACES = r"""() => [...document.querySelectorAll('.js-plotly-plot')].map(el => ({
  title: ((el.layout.title || {}).text || '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' '),
  traces: el.data.map(t => ({
    name: (t.name || '').replace(/<br>/g, ' '), mode: t.mode || '', x: (t.x || []).map(String),
    comparator: (t.meta || {}).benchmark || null,
  })),
}))"""


def _published(db, year: int) -> dict[str, tuple]:
    """comparator -> (value, rank, rank_of, quartile, geography_name) from the board's file."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT comparator, value, rank, rank_of, quartile, geography_name "
            "FROM indicator_benchmarks WHERE indicator_id = ? AND year = ?",
            [INDICATOR, year],
        ).fetchall()
        years = con.execute(
            "SELECT comparator, count(*), count(DISTINCT year) FROM indicator_benchmarks "
            "WHERE indicator_id = ? AND value IS NOT NULL GROUP BY comparator",
            [INDICATOR],
        ).fetchall()
    finally:
        con.close()
    return {r[0]: r[1:] for r in rows}, {c: (n, k) for c, n, k in years}


def _rate(value: float) -> str:
    # DfE's rounding as the table prints it: 37.0 -> "37 per 10,000", 36.5 -> "36.5 per 10,000"
    v = round(float(value), 1)
    return f"{v:,.0f} per 10,000" if v.is_integer() else f"{v:,.1f} per 10,000"


def test_lac_rate_chart_has_benchmark_markers_and_the_comparison_table(
    server, board_db, page, axe_source
):
    published, counts = _published(board_db, 2025)
    # all four comparators published a figure for 2025
    assert set(published) == {"us_published", "neighbours", "region", "england"}
    n = expected_charts("lac", board_db)
    page.goto(f"{server}/{PATHS['lac']}")
    wait_for_board(page, n)
    assert page.locator('[data-testid="stException"]').count() == 0

    charts = page.evaluate(TRACES)
    chart = next(c for c in charts if TITLE in c["title"])
    marks = {t["comparator"]: t for t in chart["traces"] if t["comparator"]}
    assert set(marks) == {"us_published", "neighbours", "region", "england"}
    region = published["region"][4]
    us_name = published["us_published"][4]
    assert marks["england"]["name"].startswith("England (DfE")
    assert marks["neighbours"]["name"].startswith("Statistical neighbours' average (DfE")
    assert marks["region"]["name"].startswith(f"{region} (DfE")
    assert marks["us_published"]["name"].startswith(f"{us_name} as published (DfE")
    for comparator, t in marks.items():
        assert t["mode"] == "markers", comparator  # never a line through annual figures
        days = [x[:10] for x in t["x"]]
        # every x is a 31 March, one a year, no year twice: never drawn as monthly
        assert all(d[5:] == "03-31" for d in days), (comparator, days)
        assert len({d[:4] for d in days}) == len(days), (comparator, days)
        # one marker per published year inside the chart's span (the board's window)
        assert 1 <= len(days) <= counts[comparator][1], (comparator, days)
        assert "2025-03-31" in days, comparator

    # the "how we compare" table under the chart: one row, DfE's year to 31 March 2025
    # (the card starts with an anchor named after the indicator; the first table after it)
    table = page.locator(
        f'xpath=//span[@id="{INDICATOR}"]/following::*[@data-testid="stTable"][1]//table'
    )
    # a row a comparator (it fits a half-width card), headed by DfE's year
    header = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert header[-2:] == ["Compared with", "At 31 March 2025"]
    row = {}
    for tr in table.locator("tbody tr").all():
        cells = [c.strip() for c in tr.locator("th, td").all_inner_texts()]
        row[cells[-2]] = cells[-1]
    assert row[f"{us_name} (DfE published)"] == _rate(published["us_published"][0])
    assert row["Statistical neighbours' average"] == _rate(published["neighbours"][0])
    assert row[region] == _rate(published["region"][0])
    assert row["England"] == _rate(published["england"][0])
    # DfE gives children looked after per 10,000 no better direction (LAIT dictionary
    # polarity "-"): no rank and no quartile band, and the file holds none
    assert published["us_published"][1] is None and published["us_published"][3] is None
    assert row["Rank (1 = best)"] == "not ranked"
    assert row["Quartile (A = best)"] == "no band"

    # WCAG 2.2 AA by axe-core on the page with the markers and tables: no violation at all
    assert accessibility_violations(page, axe_source) == []
