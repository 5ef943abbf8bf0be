"""The board's life outside one page view, in a real `streamlit run` and headless Chromium:
a load published while the page is open shows on the next interaction, without a restart;
and the first run, with no database, builds the demo Trust with visible progress and then
shows the board.

Both use a small demo Trust (--scale 0.2, about 12 s to write and load) so they run in CI.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from board import expected_charts, wait_for_board
from conftest import (
    finish,
    free_port,
    publish,
    start_server,
    stop_server,
    write_demo_drop,
)
from playwright.sync_api import Page, expect

import scst_metrics as sm
from scst_metrics.charts import formatting as fmt

pytestmark = pytest.mark.browser

SCALE = 0.2
EARLIER, LATER = date(2026, 10, 15), date(2026, 11, 24)
SIDEBAR = '[data-testid="stSidebar"]'


def tiles(page: Page) -> list[tuple[str, str]]:
    """Every overview tile line as (label, value), in page order."""
    metrics = page.locator('[data-testid="stMetric"]')
    return [
        (
            m.locator('[data-testid="stMetricLabel"]').inner_text().strip(),
            m.locator('[data-testid="stMetricValue"]').inner_text().strip(),
        )
        for m in metrics.all()
    ]


def wait_for_tiles(page: Page, timeout: float = 60) -> None:
    """The overview has run to the end: at least one tile line per catalogue indicator."""
    expect(page.get_by_role("heading", name="Performance overview")).to_be_visible(
        timeout=timeout * 1000
    )
    wait_for_board(page, 0, timeout)
    n = len(sm.catalogue())
    page.wait_for_function(
        f"() => document.querySelectorAll('[data-testid=stMetric]').length >= {n}",
        timeout=timeout * 1000,
    )


def no_error_box(page: Page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0


def lac_count_tile(db, end: date) -> tuple[str, str]:
    """The whole-Trust 'children looked after' tile the library gives for the month `end`."""
    row = sm.latest("lac", end=end, db=db).set_index("indicator_id").loc["lac_count"]
    label = f"Whole Trust · {fmt.month_label(row['period_end'])}"
    return label, fmt.format_value(row["value"], "count")


def test_a_new_load_shows_on_the_next_interaction(browser, tmp_path):
    # two drops of the same demo Trust, six weeks apart; the earlier one is published first
    later = write_demo_drop(tmp_path / "later", SCALE, LATER, wait=False)
    write_demo_drop(tmp_path / "earlier", SCALE, EARLIER)
    finish(later)
    db = tmp_path / "scst.duckdb"
    publish(tmp_path / "earlier", db)
    proc = start_server(db, free_port(), tmp_path / "streamlit.log")
    server = f"http://127.0.0.1:{proc.args[proc.args.index('--server.port') + 1]}"
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        page = context.new_page()
        page.goto(server)
        wait_for_tiles(page)
        body = page.inner_text("body")
        assert "Data as at 15 October 2026" in body
        # the URL now names the months shown, ending with the extract's month (Oct 2026)
        assert "to=2026-10" in page.url
        before = tiles(page)
        october = date(2026, 10, 31)
        assert lac_count_tile(db, EARLIER) in before  # Oct 2026 to date (15th)

        publish(tmp_path / "later", db)  # the nightly load, while the page is open

        # next interaction: change page through the sidebar
        page.locator(SIDEBAR + " a", has_text="Looked after children").click()
        page.wait_for_url(re.compile(r".*/lac\?.*"))
        wait_for_board(page, expected_charts("lac", db))
        expect(page.locator("body")).to_contain_text("Data as at 24 November 2026")
        assert "15 October 2026" not in page.inner_text("body")
        no_error_box(page)

        # and back: the same link (to=2026-10) now shows October's full month from the new
        # load, not October to the 15th
        page.locator(SIDEBAR + " a", has_text="Overview").click()
        page.wait_for_url(re.compile(rf"^{re.escape(server)}/?\?.*"))
        wait_for_tiles(page)
        after = tiles(page)
        assert after != before
        assert lac_count_tile(db, october) in after
        assert "Data as at 24 November 2026" in page.inner_text("body")
        no_error_box(page)
    finally:
        context.close()
        stop_server(proc)


def test_first_run_builds_the_demo_trust_then_shows_the_board(browser, tmp_path):
    db = tmp_path / "data" / "scst.duckdb"  # absent: the app must build it
    env = {"SCST_DEMO_SCALE": str(SCALE)}
    proc = start_server(db, free_port(), tmp_path / "streamlit.log", env=env)
    server = f"http://127.0.0.1:{proc.args[proc.args.index('--server.port') + 1]}"
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        page = context.new_page()
        page.goto(server)
        body = page.locator("body")
        # visible progress: what is happening, step by step, with the generator's own lines
        expect(body).to_contain_text(f"No database at `{db}`".replace("`", ""), timeout=30_000)
        expect(body).to_contain_text("Building the demo Trust", timeout=30_000)
        expect(body).to_contain_text("1/2 Writing the demo Trust's extracts (scale 0.2)")
        expect(body).to_contain_text("2/2 Loading the extracts", timeout=120_000)
        # then the board itself
        wait_for_tiles(page, timeout=180)
        yesterday = date.today() - timedelta(days=1)
        assert f"Data as at {fmt.long_date(yesterday)}" in page.inner_text("body")
        assert len(tiles(page)) >= len(sm.catalogue())
        no_error_box(page)
        assert db.exists() and (tmp_path / "data" / "demo" / "extracts").is_dir()
        assert not (tmp_path / "data" / "demo" / "extracts.new").exists()
        assert sm.as_at(db=db) == yesterday
    finally:
        context.close()
        stop_server(proc)
