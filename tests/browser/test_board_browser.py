"""The board in real headless Chromium: every page loads and draws all its charts, a link
with a hub shows that hub, and the chart toolbar downloads a report-resolution PNG."""

from __future__ import annotations

import re
import struct

import pytest
from board import PATHS, expected_charts, full_screenshot, wait_for_board
from conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", list(PATHS))
def test_every_page_loads_with_all_charts(server, board_db, page, name):
    n = expected_charts(name, board_db)
    page.goto(f"{server}/{PATHS[name]}")
    wait_for_board(page, n)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator(".js-plotly-plot").count() == n
    assert "Data as at 24 November 2026" in page.inner_text("body")
    full_screenshot(page, SCREENSHOTS / f"{name or 'overview'}.png")


def test_a_link_with_a_hub_shows_that_hub(server, board_db, page):
    n = expected_charts("hubs", board_db)
    page.goto(f"{server}/hubs?hub=H03&from=2025-04&to=2026-03")
    wait_for_board(page, n)
    body = page.inner_text("body")
    assert "showing Hub 3 - Cippenham Green, Apr 2025 to Mar 2026" in body
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "Hub 3 - Cippenham Green" in sidebar
    assert "hub=H03" in page.url and "from=2025-04" in page.url
    # the filters survive a page change through the sidebar
    page.locator('[data-testid="stSidebar"] a', has_text="Looked after children").click()
    page.wait_for_url(re.compile(r".*/lac\?.*hub=H03.*"))
    wait_for_board(page, expected_charts("lac", board_db))
    assert "showing Hub 3 - Cippenham Green" in page.inner_text("body")
    full_screenshot(page, SCREENSHOTS / "hubs_H03.png")


def test_toolbar_download_is_a_png_at_scale_2_with_a_meaningful_name(server, board_db, page):
    page.goto(f"{server}/lac?hub=LAC1&from=2025-04&to=2026-03")
    wait_for_board(page, expected_charts("lac", board_db))
    chart = page.locator(".js-plotly-plot").first
    chart.hover()
    button = chart.locator('.modebar-btn[data-title="Download plot as a PNG"]')
    with page.expect_download(timeout=60_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "lac_count_lac1_2026-03.png"
    data = download.path().read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    fig_height = page.evaluate("() => document.querySelector('.js-plotly-plot')._fullLayout.height")
    assert (width, height) == (1100 * 2, int(fig_height) * 2)
