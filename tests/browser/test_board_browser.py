"""The board in real headless Chromium: every page loads and draws all its charts, a link
with a hub shows that hub, and the chart toolbar downloads a report-resolution PNG."""

from __future__ import annotations

import re
import struct
from urllib.parse import urlencode, urlsplit

import pytest
from board import (
    PATHS,
    accessibility_violations,
    expected_charts,
    full_screenshot,
    wait_for_board,
)
from conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", list(PATHS))
def test_every_page_loads_with_all_charts_and_is_accessible(
    server, board_db, page, axe_source, name
):
    n = expected_charts(name, board_db)
    page.goto(f"{server}/{PATHS[name]}")
    wait_for_board(page, n)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator(".js-plotly-plot").count() == n
    assert "Data as at 24 November 2026" in page.inner_text("body")
    # Making Data Count on every line chart: its mean and dashed process limits with the
    # variation icon beside the title, or the reason SPC is not applied written on it
    charts = page.evaluate(SPC_LAYERS)
    assert len(charts) == n
    lines = [c for c in charts if not c["bars"]]
    for c in lines:
        if not c["off"]:  # no reason written: the limits and the icon must be there
            assert {"Mean", "Process limits"} <= set(c["traces"]), c
            assert c["icons"] >= 1, c  # the variation icon (and the assurance one when rated)
    if name in ("lac", "hubs"):  # both have indicators with SPC at the whole Trust
        assert any(not c["off"] for c in lines)
    # WCAG 2.2 AA by axe-core: no violation at all (colour contrast included)
    assert accessibility_violations(page, axe_source) == []
    full_screenshot(page, SCREENSHOTS / f"{name or 'overview'}.png")


# Each drawn plotly chart: its trace names, whether it is the hubs-compared bar chart, how many
# icons sit beside its title, and the "SPC not applied: ..." note when there is one.
SPC_LAYERS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(el => ({
  traces: el.data.map(t => t.name || ''),
  bars: el.data.some(t => t.type === 'bar'),
  icons: (el.layout.images || []).length,
  off: ((el.layout.annotations || []).map(a => a.text || '')
        .find(t => t.includes('SPC not applied') || t.includes('SPC shown for one hub'))
        || '').replace(/<[^>]*>/g, '')
}))"""


def test_a_link_with_a_hub_shows_that_hub(server, board_db, page, axe_source):
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
    # a hub chosen: the sidebar's chips and the locality notes meet WCAG 2.2 AA too
    assert accessibility_violations(page, axe_source) == []
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


def test_text_in_the_link_is_shown_as_written_and_fetches_nothing(server, page, axe_source):
    link = "[Session expired - sign in again](https://example.org)"
    image = "![x](http://127.0.0.1:9/x.png)"
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{server}/?{urlencode({'hub': link, 'from': image})}")
    wait_for_board(page, 0)
    notes = page.locator('[data-testid="stAlertContentInfo"]')
    # as the reader sees them (plain text carries an invisible joiner that stops bare links)
    texts = [t.replace("\u2060", "").strip() for t in notes.all_inner_texts()]
    assert f"Unknown hub in the link, ignored: {link}." in texts
    assert f"'from={image}' is not a month (use YYYY-MM): default shown." in texts
    # no link and no image made of them, anywhere on the page, and nothing fetched
    assert page.locator('a[href*="example.org"]').count() == 0
    assert notes.locator("a, img").count() == 0
    assert page.locator('img[src*="127.0.0.1:9"]').count() == 0
    page.wait_for_timeout(1000)  # an image would be requested as soon as it is drawn
    assert not [u for u in requested if urlsplit(u).netloc in ("127.0.0.1:9", "example.org")]
    assert accessibility_violations(page, axe_source) == []
