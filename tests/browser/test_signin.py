"""Sign-in through a real OpenID Connect provider: npm's oidc-provider on Node.js, started on
loopback, and Streamlit's own st.login in a small test app (tests/oidc/app.py), driven by
headless Chromium. Each person's role comes from an access file like data/access.csv."""

from __future__ import annotations

import pytest
from conftest import SCREENSHOTS

from scst_metrics import notes
from tests.oidc import harness
from tests.oidc.harness import SignInStack, loopback_only

pytestmark = pytest.mark.browser

# The provider's test users (login -> claims), and the access file the app reads.
USERS = {
    "viewer": {"email": "viewer@trust.example", "name": "Vera Viewer"},
    "editor": {"email": "Editor@Trust.example", "name": "Eddie Editor"},
    "reader": {"email": "reader@trust.example", "name": "Rita Reader", "groups": ["readers"]},
    "stranger": {"email": "stranger@elsewhere.example", "name": "Sam Stranger"},
}
ACCESS = """who,role,hubs,service_areas
viewer@trust.example,viewer,,
editor@trust.example,editor,H03,lac
group:readers,viewer,H03;H04,
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = SignInStack(tmp_path_factory.mktemp("signin"), USERS, ACCESS).start()
    yield running
    running.stop()


@pytest.fixture()
def page(browser):
    """A fresh browser profile (no cookies) that reaches loopback only."""
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    loopback_only(context)
    pg = context.new_page()
    yield pg
    context.close()


def sign_in(page, stack: SignInStack, login: str) -> str:
    """Sign in at the provider as `login`; the app's text afterwards (and a screenshot)."""
    harness.sign_in(page, stack, login)
    # the app's last element: everything above it is drawn
    page.get_by_role("button", name="Sign out").wait_for(timeout=30_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"signin-{login}.png"), full_page=True)
    return page.inner_text("body")


def test_before_sign_in_nothing_but_the_button(stack, page):
    page.goto(stack.url)
    page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
    assert "Not signed in." in page.inner_text("body")
    assert "Role:" not in page.inner_text("body")


@pytest.mark.parametrize(
    ("login", "shown", "role", "hubs", "may_edit"),
    [
        ("viewer", "viewer@trust.example", "viewer", "all", "no"),
        # the e-mail as the provider sent it; matched to the file whatever its case
        ("editor", "Editor@Trust.example", "editor", "H03", "yes"),
    ],
)
def test_the_role_and_hubs_come_from_the_access_file(
    stack, page, login, shown, role, hubs, may_edit
):
    body = sign_in(page, stack, login)
    assert f"Signed in as {shown}" in body
    assert f"Role: {role}\nHubs: {hubs}\nMay edit LAC commentary: {may_edit}" in body
    assert page.get_by_label("New commentary").count() == (may_edit == "yes")


def test_a_link_to_another_hub_is_refused(stack, page):
    sign_in(page, stack, "editor")  # H03 only
    page.goto(f"{stack.url}/?hub=H04")
    page.get_by_role("button", name="Sign out").wait_for(timeout=30_000)
    body = page.inner_text("body")
    assert "You do not have access to hub H04" in body and "Showing hub" not in body
    page.goto(f"{stack.url}/?hub=H03")
    page.get_by_role("button", name="Sign out").wait_for(timeout=30_000)
    assert "Showing hub H03" in page.inner_text("body")


SCRIPT = "<script>window.pwned = 1</script><b>bold?</b> [link](javascript:alert(1))"


def test_an_editor_writes_commentary_shown_as_text(stack, page):
    sign_in(page, stack, "editor")
    page.get_by_label("New commentary").fill(SCRIPT)
    page.get_by_role("button", name="Save commentary").click()
    shown = page.get_by_text(f"Editor@Trust.example wrote: {SCRIPT}", exact=True)
    shown.wait_for(timeout=30_000)
    # Shown literally: the script never ran, no bold element or link was made from it.
    assert page.evaluate("window.pwned") is None
    assert page.locator("b", has_text="bold?").count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "signin-editor-commentary.png"), full_page=True)
    # Kept as typed, under the editor's sign-in e-mail.
    [note] = notes.for_indicator("lac_rate", url=stack.notes_url)
    assert (note.text, note.author) == (SCRIPT, "Editor@Trust.example")


def test_a_group_member_gets_the_group_row(stack, page):
    body = sign_in(page, stack, "reader")
    assert "Role: viewer" in body and "Hubs: H03, H04" in body


def test_a_stranger_is_told_to_ask_for_access(stack, page):
    body = sign_in(page, stack, "stranger")
    assert "no access to the board" in body
    assert "Ask your performance team for access." in body
    assert "Role:" not in body


def test_sign_out_returns_to_the_button(stack, page):
    sign_in(page, stack, "viewer")
    page.get_by_role("button", name="Sign out").click()
    # The provider asks to confirm, then sends the browser back to the app.
    page.get_by_role("button", name="Yes, sign me out").click()
    page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
    page.reload()
    page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
    assert "Role:" not in page.inner_text("body")
