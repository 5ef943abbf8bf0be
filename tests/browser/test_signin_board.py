"""Sign-in to the board itself (app.py and its pages) through a real OpenID Connect provider:
npm's oidc-provider on loopback, Streamlit's own st.login, headless Chromium. The board reads
the session's demo Trust (`board_db`, loaded by the real nightly load); its [auth] secrets and
access file are written into a temporary folder by tests/oidc/harness.py.

What each person sees (screenshots in test-artifacts/screenshots/signin_board_*.png, the
whole page and the first card's commentary):
a viewer reads the LAC page and finds no place to write on a card; an editor of LAC writes
commentary on a LAC card and finds it after a reload; a stranger sees only "ask your
performance team for access"; a person restricted to the hub LAC1 is refused a link naming
LAC2 and otherwise sees LAC1's figures only."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from board import full_screenshot, wait_for_board, wait_until_ran
from conftest import SCREENSHOTS
from playwright.sync_api import Page, expect

import scst_metrics as sm
from scst_metrics import notes
from tests.oidc import harness
from tests.oidc.harness import BOARD_APP, SignInStack, loopback_only

pytestmark = pytest.mark.browser

USERS = {
    "viewer": {"email": "viewer@trust.example", "name": "Vera Viewer"},
    "editor": {"email": "lac.editor@trust.example", "name": "Eddie Editor"},
    "lac1": {"email": "lac1.manager@trust.example", "name": "Lena Hubmanager"},
    "stranger": {"email": "stranger@elsewhere.example", "name": "Sam Stranger"},
}
ACCESS = """who,role,hubs,service_areas
viewer@trust.example,viewer,,
lac.editor@trust.example,editor,,lac
lac1.manager@trust.example,editor,LAC1,lac
"""
COMMENTARY = "Fewer children came into care in October; the edge-of-care team started in July."
NO_WRITING = "You can read commentary here; editors for this area can write it."
LAC_CHARTS = 16  # the catalogue's LAC indicators, one chart each
LAC1_NAME = "Looked After Children Hub 1"  # the demo Trust's hubs file


@pytest.fixture(scope="module")
def stack(board_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("signin-board")
    env = {"SCST_DB": str(board_db)}
    running = SignInStack(folder, USERS, ACCESS, app=BOARD_APP, env=env).start()
    yield running
    running.stop()


@pytest.fixture()
def page(browser):
    """A fresh browser profile (no cookies) that reaches loopback only."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    loopback_only(context)
    pg = context.new_page()
    yield pg
    context.close()


def open_lac(page: Page, stack: SignInStack, login: str, query: str = "") -> None:
    """Sign in as `login`, then open the LAC page; wait for its first card's commentary."""
    harness.sign_in(page, stack, login)
    page.goto(f"{stack.url}/lac{query}")
    expect(page.get_by_role("heading", name="Looked after children")).to_be_visible(timeout=120_000)
    wait_until_drawn(page)


def wait_until_drawn(page: Page) -> None:
    """The LAC page has finished its run (one chart per LAC indicator, nothing running)."""
    wait_for_board(page, LAC_CHARTS, timeout=180)


def signed_in_as(login: str, role: str) -> re.Pattern:
    """The sidebar's line (plain text puts a word joiner after the @, so no link is made)."""
    user, domain = USERS[login]["email"].split("@")
    return re.compile(rf"Signed in as {re.escape(user)}@\W?{re.escape(domain)} \({role}\)")


def first_commentary(page: Page):
    """The first card's (lac_count's) "Commentary and actions" expander."""
    return page.get_by_test_id("stExpander").filter(has_text="Commentary and actions").first


def open_first_commentary(page: Page):
    box = first_commentary(page)
    box.get_by_text("Commentary and actions").click()
    return box


def test_a_stranger_sees_only_ask_for_access(stack, page):
    harness.sign_in(page, stack, "stranger")
    refusal = page.get_by_text("ask your performance team for access")
    refusal.wait_for(timeout=60_000)
    body = page.inner_text("body")
    # nothing of the board: no page, no sidebar links, no figures
    for words in ("Performance overview", "Looked after children", "Hubs", "Meeting mode"):
        assert words not in body
    assert page.locator(".js-plotly-plot").count() == 0
    full_screenshot(page, SCREENSHOTS / "signin_board_stranger.png")
    # a link straight to a page is refused the same way
    page.goto(f"{stack.url}/lac")
    page.get_by_text("ask your performance team for access").wait_for(timeout=60_000)
    assert "Looked after children" not in page.inner_text("body")


def test_a_viewer_reads_the_lac_page_and_cannot_write(stack, page):
    open_lac(page, stack, "viewer")
    expect(page.get_by_test_id("stSidebar")).to_contain_text(signed_in_as("viewer", "viewer"))
    box = open_first_commentary(page)
    expect(box.get_by_text(NO_WRITING)).to_be_visible(timeout=30_000)
    # no place to write on any card: no text box, no Save, no action form
    assert page.locator("textarea").count() == 0
    assert page.get_by_role("button", name="Save").count() == 0
    assert page.get_by_text("Add or update an action").count() == 0
    full_screenshot(page, SCREENSHOTS / "signin_board_viewer.png")
    box.screenshot(path=str(SCREENSHOTS / "signin_board_viewer_card.png"))


def test_an_editor_writes_commentary_on_a_lac_card_that_stays(stack, page):
    open_lac(page, stack, "editor")
    expect(page.get_by_test_id("stSidebar")).to_contain_text(signed_in_as("editor", "editor"))
    box = open_first_commentary(page)
    box.locator("textarea").first.fill(COMMENTARY)
    box.get_by_role("button", name="Save").first.click()
    expect(box.get_by_test_id("stText").get_by_text(COMMENTARY, exact=True)).to_be_visible(
        timeout=30_000
    )
    # kept in the notes database under the editor's sign-in e-mail, for the whole Trust
    [note] = notes.for_indicator("lac_count", url=stack.notes_url)
    assert (note.text, note.author, note.hub_id) == (COMMENTARY, "lac.editor@trust.example", None)

    page.reload()
    wait_until_drawn(page)
    box = open_first_commentary(page)
    expect(box.get_by_test_id("stText").get_by_text(COMMENTARY, exact=True)).to_be_visible(
        timeout=30_000
    )
    expect(box).to_contain_text(re.compile(r"lac\.editor@\W?trust\.example"))
    full_screenshot(page, SCREENSHOTS / "signin_board_editor.png")
    box.screenshot(path=str(SCREENSHOTS / "signin_board_editor_card.png"))


def test_a_hub_restricted_person_sees_only_their_hub(stack, page, board_db):
    open_lac(page, stack, "lac1")
    # no hub named: the page is narrowed to theirs, and the link says so
    page.wait_for_url(re.compile(r".*[?&]hub=LAC1(&|$)"))
    assert "hub=LAC2" not in page.url
    # the first card's numbers: LAC1's only, as the library gives them for LAC1
    page.get_by_text("Show as table").first.click()
    wait_until_ran(page)
    with page.expect_download(timeout=60_000) as got:
        page.get_by_role("button", name="CSV of these figures").first.click()
    rows = list(csv.DictReader(io.StringIO(Path(got.value.path()).read_text(encoding="utf-8"))))
    assert rows and {r["Hub"] for r in rows} == {LAC1_NAME}
    lac1 = sm.series("lac_count", hubs=["LAC1"], db=board_db)
    assert rows[-1]["Month ending"] == str(lac1.iloc[-1]["period_end"])[:10]
    assert float(rows[-1]["Numerator"]) == float(lac1.iloc[-1]["numerator"])

    # a link naming another hub: a clear refusal, and nothing of the board
    page.goto(f"{stack.url}/lac?hub=LAC2")
    refusal = page.get_by_text("You do not have access to hub LAC2")
    refusal.wait_for(timeout=60_000)
    assert "Your access covers LAC1" in page.inner_text("body")
    assert page.locator(".js-plotly-plot").count() == 0
    assert page.get_by_role("heading", name="Looked after children").count() == 0
