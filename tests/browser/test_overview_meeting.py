"""The overview matrix and meeting mode in real headless Chromium: meeting mode driven by the
keyboard (the right arrow moves to the next exception: the title and the URL change), and
axe-core's WCAG 2.2 AA rules on both pages."""

from __future__ import annotations

import os
import re

import pytest
from board import accessibility_violations, full_screenshot, wait_for_board
from conftest import SCREENSHOTS
from playwright.sync_api import expect

from scst_metrics import meeting
from scst_metrics.published import snapshot
from scst_metrics.summary import summary_matrix

pytestmark = pytest.mark.browser


def exceptions(db) -> list[str]:
    os.environ["SCST_DB"] = str(db)
    with snapshot() as conn:
        items = meeting.exceptions(summary_matrix(conn))
    return [f"{t} — Whole Trust" for t in items["title"]]


def test_overview_matrix_is_accessible(server, board_db, page, axe_source):
    page.goto(f"{server}/")
    expect(page.get_by_role("heading", name="Performance overview")).to_be_visible(timeout=90_000)
    wait_for_board(page, 0)
    expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible()
    n = len(exceptions(board_db))
    assert f"{n} of 43 rows need attention." in page.inner_text("body")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert accessibility_violations(page, axe_source) == []
    full_screenshot(page, SCREENSHOTS / "overview_matrix.png")


def test_meeting_mode_moves_with_the_arrow_keys(server, board_db, page, axe_source):
    titles = exceptions(board_db)
    assert len(titles) >= 3
    page.goto(f"{server}/meeting?item=1")
    heading = page.locator("h1")
    expect(heading).to_have_text(titles[1], timeout=90_000)
    wait_for_board(page, 1)
    assert accessibility_violations(page, axe_source) == []
    full_screenshot(page, SCREENSHOTS / "meeting.png")
    page.set_viewport_size({"width": 1600, "height": 1000})

    page.locator("h1").click()  # focus on the page, not in a widget
    page.keyboard.press("ArrowRight")
    expect(heading).to_have_text(titles[2], timeout=30_000)
    page.wait_for_url(re.compile(r".*[?&]item=2(&|$)"))
    page.keyboard.press("ArrowLeft")
    expect(heading).to_have_text(titles[1], timeout=30_000)
    page.wait_for_url(re.compile(r".*[?&]item=1(&|$)"))
