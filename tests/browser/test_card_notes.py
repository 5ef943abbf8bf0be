"""The chart card in a real browser: commentary written with a `<script>` in it is shown as
text and never run, the card's CSV download holds the numbers behind the chart, and axe-core
finds no WCAG 2.2 AA failure with the card's table and commentary open."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from board import accessibility_violations, wait_until_ran
from conftest import free_port, start_server, stop_server

import scst_metrics as sm
from scst_metrics import notes

SCRIPT = '<script>window.__injected = 1</script><img src=x onerror="window.__injected=2">'


@pytest.fixture(scope="module")
def card_server(board_db, tmp_path_factory):
    root = tmp_path_factory.mktemp("card-server")
    url = f"sqlite:///{root / 'notes.sqlite'}"
    notes.migrate(url)
    month = max(sm.periods(db=board_db))  # the month a card shows by default
    notes.add("lac_count", month, SCRIPT, author="amy@trust.example", url=url)
    port = free_port()
    proc = start_server(board_db, port, root / "streamlit.log", env={"SCST_NOTES_URL": url})
    yield f"http://127.0.0.1:{port}"
    stop_server(proc)


def test_injected_script_is_text_csv_downloads_and_axe_passes(
    card_server, board_db, page, axe_source
):
    page.goto(f"{card_server}/lac")
    commentary = page.get_by_text("Commentary and actions", exact=False).first
    commentary.wait_for(timeout=120_000)
    commentary.click()
    shown = page.get_by_test_id("stText").get_by_text(SCRIPT, exact=True)
    shown.wait_for(timeout=30_000)  # shown as written, in st.text
    assert page.evaluate("() => window.__injected") is None  # never run
    assert page.locator("script:has-text('__injected')").count() == 0

    page.get_by_text("Show as table").first.click()
    wait_until_ran(page)
    with page.expect_download(timeout=60_000) as got:
        page.get_by_role("button", name="CSV of these figures").first.click()
    download = got.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "Month ending", "Hub", "Numerator", "Denominator", "Value", "Target", "RAG",
    ]  # fmt: skip
    # the whole Trust's count of children looked after, each month shown, as the library says
    lib = sm.series("lac_count", hubs=None, db=board_db)
    last = lib.iloc[-1]
    assert rows[-1]["Month ending"] == str(last["period_end"])[:10]
    assert float(rows[-1]["Numerator"]) == float(last["numerator"])
    assert date.fromisoformat(rows[0]["Month ending"]) <= date.fromisoformat(
        rows[-1]["Month ending"]
    )

    assert accessibility_violations(page, axe_source) == []
