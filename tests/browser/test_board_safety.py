"""The board when things go wrong, in a real `streamlit run` and headless Chromium: a database
it cannot use is explained without a traceback, and damaged drops put no child's details on
any page or exported image.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from board import AREAS, PATHS, accessibility_violations, expected_charts, wait_for_board
from conftest import free_port, publish, start_server, stop_server, write_demo_drop

import scst_metrics as sm
from scst_metrics.load import load_drop

pytestmark = pytest.mark.browser

SCALE = 0.2


def served(db: Path, tmp_path: Path, name: str):
    proc = start_server(db, free_port(), tmp_path / f"{name}.log")
    return proc, f"http://127.0.0.1:{proc.args[proc.args.index('--server.port') + 1]}"


# --- a database the board cannot use ---------------------------------------------------------


@pytest.mark.parametrize("case", ["corrupt file", "unwritable folder"])
def test_an_unusable_database_is_explained_not_a_traceback(browser, tmp_path, axe_source, case):
    if case == "corrupt file":
        db = tmp_path / "scst.duckdb"
        db.write_bytes(b"\x00not a database\n" * 4096)
        what = "The board cannot read its database"
        todo = "Publish it again with the nightly load"
    else:
        # /sys refuses new folders to everyone, root included (CI runs as root)
        db = Path("/sys/scst-board-test/scst.duckdb")
        what = "the board cannot create one: the board may not write to that folder"
        todo = "Point SCST_DB at a file in a folder the board may write to"
    proc, server = served(db, tmp_path, "server")
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        page = context.new_page()
        page.goto(f"{server}/lac")
        page.get_by_text(what).wait_for(timeout=60_000)
        body = page.inner_text("body")
        assert todo in body and str(db) in body
        html = page.content()
        assert page.locator('[data-testid="stException"]').count() == 0
        for leak in ("Traceback", "site-packages", ".py", "duckdb.", "Error:"):
            assert leak not in body, leak
        assert "site-packages" not in html and "Traceback" not in html
        assert accessibility_violations(page, axe_source) == []
    finally:
        context.close()
        stop_server(proc)
    # the details are in the server's log, for whoever runs the board
    log = (tmp_path / "server.log").read_text()
    assert "board database unusable" in log and "Traceback" in log


# --- damaged drops: no child's details on any page or image ----------------------------------

ID_COLUMNS = ("CHILD", "child_id", "UPN", "DOB", "HOME_POST", "PL_POST", "MC_DOB")


def identifiers(drop: Path) -> set[str]:
    """Child IDs, UPNs, dates of birth and postcodes in the drop's files, as written there."""
    found: set[str] = set()
    for path in drop.rglob("*.csv"):
        with path.open(newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for col in ID_COLUMNS:
                    v = (row.get(col) or "").strip()
                    if len(v) >= 6:
                        found.add(v)
    return found


def without_header_row(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[1:]), encoding="utf-8")


def with_a_duplicated_column(path: Path, column: str) -> None:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    i = rows[0].index(column)
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(row + [row[i]] for row in rows)


def test_damaged_drops_put_no_child_details_on_any_page_or_image(browser, tmp_path):
    drop = tmp_path / "drop"
    write_demo_drop(drop, SCALE)
    db = tmp_path / "scst.duckdb"
    publish(drop, db)
    ids = identifiers(drop)
    assert len(ids) > 100
    # a whole value, not part of a longer one: not inside a number (12.104044), a colour
    # (#104044) or plotly's random element ids (defs-104044, which may be all digits)
    pattern = re.compile(r"(?<![\w/.#-])(" + "|".join(map(re.escape, ids)) + r")(?![\w/]|\.\d)")
    years = sorted(p.name for p in (drop / "ssda903").iterdir())

    # a Header file with a duplicated column (DOB twice), then one with its header row gone
    # (the first line is then a child's record), each as the nightly load would meet it
    dup = tmp_path / "dup"
    shutil.copytree(drop, dup)
    with_a_duplicated_column(dup / "ssda903" / years[-2] / "header.csv", "DOB")
    load_drop(dup, db, log=lambda _line: None)
    headless = tmp_path / "headless"
    shutil.copytree(drop, headless)
    without_header_row(headless / "ssda903" / years[-1] / "header.csv")
    outcome = load_drop(headless, db, log=lambda _line: None)
    assert outcome.status == "refused"

    proc, server = served(db, tmp_path, "server")
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    leaks: dict[str, list[str]] = {}
    figures = images = 0
    try:
        page = context.new_page()
        for name, path in PATHS.items():
            for query in ("", "?hub=LAC1"):
                n = expected_charts(name, db) if not query else 0
                page.goto(f"{server}/{path}{query}")
                wait_for_board(page, n, timeout=180)
                assert "The last load" in page.inner_text("body")  # the refusal is shown
                found = set(pattern.findall(page.content()))
                if found:
                    leaks[f"{name}{query}"] = sorted(found)[:5]
                # every chart's whole figure as the server sent it (data, hover text, layout):
                # what the exported images draw, and more
                specs = page.evaluate(FIGURES_JS)
                if not query:
                    assert len(specs) == n, (name, len(specs), n)
                    figures += len(specs)
                for i, spec in enumerate(specs):
                    found = set(pattern.findall(spec))
                    if found:
                        leaks[f"{name}{query} chart {i + 1}"] = sorted(found)[:5]
            # the export path itself: the server-side PNG and SVG of the page's first chart
            # (every image is a render of a figure checked above)
            for kind in ("PNG", "SVG"):
                buttons = page.get_by_role("button", name=f"{kind} image")
                if not buttons.count():
                    continue
                with page.expect_download(timeout=120_000) as info:
                    buttons.first.click()
                data = info.value.path().read_bytes()
                images += 1
                found = set(pattern.findall(data.decode("latin-1")))
                if found:
                    leaks[info.value.suggested_filename] = sorted(found)[:5]
    finally:
        context.close()
        stop_server(proc)
    # a chart for every catalogue indicator (the hubs page adds its hub comparisons)
    assert figures >= len(sm.catalogue(db=db))
    assert images == 2 * len(AREAS)  # a PNG and an SVG from each area's page
    # (if this fails only for pages, with the refused load's message in the banner, the
    # load's message quotes a row: the loader must name file, line and column instead)
    assert not leaks, "\n".join(f"{where}: {found}" for where, found in sorted(leaks.items()))


# Each plotly chart's figure (data and layout) as JSON, without plotly's random trace uids.
FIGURES_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(
    gd => JSON.stringify({data: gd.data, layout: gd.layout},
                         (k, v) => (k === 'uid' || k.startsWith('_')) ? undefined : v))"""
