"""Helpers for driving the board in a browser (shared by the browser tests and bench/)."""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import Page

import scst_metrics as sm
from scst_metrics import charts

AREAS = ("hubs", "lac", "fostering", "virtual_school")
PATHS = {"overview": "", **{a: a for a in AREAS}, "data_quality": "data_quality"}


def expected_charts(page_name: str, db: Path) -> int:
    """Charts a page draws: one per catalogue indicator of its area, plus a hub comparison
    for each hubs indicator held to a band."""
    if page_name not in AREAS:
        return 0
    indicators = charts.data.catalogue_frame(sm.catalogue(page_name)).to_dict("records")
    n = len(indicators)
    if page_name == "hubs":
        hub_ids = charts.data.hubs_frame(sm.hubs(db=db))["hub_id"].tolist()
        for ind in indicators:
            if ind["splits_by_hub"]:
                s = charts.data.series_frame(sm.series(ind["id"], hubs=hub_ids, db=db))
                n += charts.wants_hub_comparison(ind, s)
    return n


def _held(page: Page, timeout: float, settle: float, done, poll: float, what: str) -> float:
    """Seconds until done() first held for `settle` seconds (measured to when it first held)."""
    t0 = time.perf_counter()
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout * 1000)
    deadline = t0 + timeout
    done_since: float | None = None
    while time.perf_counter() < deadline:
        now_done = done()
        now = time.perf_counter()
        if not now_done:
            done_since = None
        elif done_since is None:
            done_since = now
        elif now - done_since >= settle:
            return done_since - t0
        time.sleep(poll)
    raise TimeoutError(f"{what} not drawn in {timeout} s")


def _page_ran(page: Page) -> bool:
    """The page has its title and Streamlit's "running" widget is gone."""
    return bool(
        page.locator("h1").count() and not page.locator('[data-testid="stStatusWidget"]').count()
    )


def wait_until_ran(page: Page, timeout: float = 60, settle: float = 0.75) -> float:
    """Wait until the page's run has finished (held for `settle` seconds). Before clicking a
    download button: a rerun in between replaces the file the button points at, and the
    click then downloads nothing."""
    return _held(page, timeout, settle, lambda: _page_ran(page), 0.1, "the page's run")


def wait_for_board(page: Page, n_charts: int, timeout: float = 240, settle: float = 0.75) -> float:
    """Wait until the page has finished running and drawn n_charts; seconds taken (to the
    moment it was first done). Done must hold for `settle` seconds: Streamlit shows its
    "running" widget a little after a run starts, so a page with no charts can look done
    while its script is still sending elements. A row of cards below the first is drawn when
    it scrolls into view (pages/_frame/card.py): each waiting row is scrolled to in turn, and
    each is a run of the server, hence the longer timeout."""

    def done() -> bool:
        drawn = page.locator(".js-plotly-plot .svg-container").count()
        ran = _page_ran(page)
        if ran and drawn < n_charts:
            _scroll_to_next_waiting(page)
        return (
            ran
            and drawn >= n_charts
            and bool(n_charts or page.locator('[data-testid="stException"]').count() == 0)
        )

    return _held(page, timeout, settle, done, 0.1, f"{n_charts} charts")


# A card still waiting to be scrolled to (pages/_frame/card.py draws the first row at once
# and each other card when it comes into view).
WAITING = '[class*="st-key-lazy_"]'


def _scroll_to_next_waiting(page: Page) -> None:
    page.evaluate(
        "(sel) => { const e = document.querySelector(sel); if (e) e.scrollIntoView(); }", WAITING
    )


# Charts on the page (and cards waiting to be drawn) and, of those that intersect the window,
# how many are drawn.
_IN_VIEW = """() => {
  const slots = [...document.querySelectorAll(
    '[data-testid="stPlotlyChart"], [class*="st-key-lazy_"]')];
  const seen = slots.filter(e => {
    const r = e.getBoundingClientRect();
    return r.height > 0 && r.bottom > 0 && r.top < window.innerHeight;
  });
  return [seen.length, seen.filter(e => e.querySelector('.svg-container')).length];
}"""


def wait_for_view(page: Page, timeout: float = 90, settle: float = 0.75) -> float:
    """Wait until the page has finished running and every chart in the window is drawn (charts
    below the fold may still be waiting to be scrolled to); seconds taken, to the moment it
    was first done (held for `settle` seconds, as in wait_for_board)."""

    def done() -> bool:
        in_view, drawn = page.evaluate(_IN_VIEW)
        return _page_ran(page) and drawn == in_view

    return _held(page, timeout, settle, done, 0.05, "the charts in view")


# WCAG 2.2 AA, as axe-core tags its rules (2.0, 2.1 and 2.2, levels A and AA)
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => ({
    rule: v.id,
    help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => [n.target.join(" "), n.failureSummary]),
  }));
}"""


def accessibility_violations(page: Page, axe_source: str) -> list[dict]:
    """axe-core's WCAG 2.2 AA violations on the page as it is now (injected, then run)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    return page.evaluate(_AXE_RUN, WCAG_AA)


def _content_height(page: Page) -> int:
    return int(
        page.evaluate(
            "() => Math.max(...[...document.querySelectorAll("
            "'[data-testid=stMain], [data-testid=stMainBlockContainer], "
            "[data-testid=stAppViewContainer], section')]"
            ".map(e => e.scrollHeight))"
        )
    )


def full_screenshot(page: Page, path: Path) -> None:
    """The whole page (Streamlit scrolls inside its own container, so grow the viewport
    until the content's height stops changing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    height = 0
    for _ in range(10):
        now = _content_height(page)
        if now == height:
            break
        height = now
        page.set_viewport_size({"width": 1600, "height": min(height + 40, 16000)})
        page.wait_for_timeout(800)
    page.screenshot(path=str(path), full_page=True)
