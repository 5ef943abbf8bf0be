"""Who is looking: sign-in (Streamlit's st.login / st.user, OpenID Connect) and what the
access file (data/access.csv, scst_metrics.access) lets them do.

- No `[auth]` section in .streamlit/secrets.toml (the demo, `make run` on a new machine): the
  board stays open, everyone is an editor, and the sidebar says so.
- With `[auth]`: a person not signed in sees a sign-in button; someone the access file does
  not name sees only "ask your performance team for access"; a person restricted to some
  hubs is refused a URL naming another hub, and a URL naming no hub is narrowed to theirs
  (so every read of the page takes only their hubs).

The notes database is migrated once per process, before the first page is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from scst_metrics import access, notes
from scst_metrics.indicators.catalogue import SERVICE_AREAS

from .text import plain

WHO_KEY = "_board_who"
NOT_CONFIGURED = "Sign-in not configured: everyone is an editor"
NO_ACCESS = (
    "You are signed in, but the board does not know you yet: ask your performance team for access."
)


@dataclass(frozen=True)
class Who:
    """The person of this run and what they may do."""

    email: str | None  # None: sign-in not configured
    role: str  # viewer, editor or admin
    hubs: frozenset[str] | None  # None: every hub
    areas: frozenset[str]  # service areas they may write for
    signed_in: bool  # False: sign-in not configured

    def can_edit(self, area: str, hub_id: str | None = None) -> bool:
        if self.role == access.VIEWER or area not in self.areas:
            return False
        return hub_id is None or self.hubs is None or hub_id in self.hubs

    @property
    def author(self) -> str:
        return self.email or "board user (sign-in not configured)"

    @property
    def is_admin(self) -> bool:
        return self.role == access.ADMIN or not self.signed_in


OPEN_BOARD = Who(None, access.EDITOR, None, frozenset(SERVICE_AREAS), False)


def auth_configured() -> bool:
    """Is there an `[auth]` section in st.secrets? (No secrets file at all: no.)"""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 -- Streamlit raises when there is no secrets file
        return False


@st.cache_resource(show_spinner=False)
def _migrated(url: str) -> bool:
    notes.migrate(url)
    return True


def _refuse(message: str) -> None:
    st.error(message, icon=":material/lock:")
    if st.button("Sign out", key="sign_out_refused"):
        st.logout()
    st.stop()


def gate() -> Who:
    """Sign the person in (when configured) and decide what they may see; stops the run for
    anyone who may not see this page. Returns (and remembers) who they are.

    Without `[auth]` the board is open -- unless the session already holds a Who, which only
    the server's own code can put there (AppTest, to run the pages as a restricted person)."""
    _migrated(notes.notes_url())
    who = _signed_in() if auth_configured() else st.session_state.get(WHO_KEY, OPEN_BOARD)
    if who.hubs is not None:
        _hubs_of_the_link(who.hubs)
    st.session_state[WHO_KEY] = who
    return who


def _signed_in() -> Who:
    """The signed-in person as the access file knows them; stops for anyone else."""
    if not st.user.is_logged_in:
        st.title("Performance board")
        st.markdown("Sign in with your Trust account to see the board.")
        st.button("Sign in", on_click=st.login, type="primary", key="sign_in")
        st.stop()
    granted = access.access_of(st.user.to_dict())
    email = access._identity(st.user.to_dict())[0]
    if granted is None:
        st.title("Performance board")
        _refuse(NO_ACCESS)
    return Who(email, granted.role, granted.hubs, granted.areas, True)


def _hubs_of_the_link(allowed: frozenset[str]) -> None:
    """A link naming a hub outside `allowed` is refused; one naming none shows theirs."""
    asked = st.query_params.get_all("hub")
    other = [h for h in asked if h not in allowed]
    if other:
        st.title("Performance board")
        _refuse(access.refusal([plain(h) for h in other], allowed))  # as a pack refuses
    if not asked:  # the whole Trust is more than they may read: their hubs only
        st.query_params["hub"] = sorted(allowed)


def current() -> Who:
    """Who this run is for (gate() has run in app.py; AppTest of a page alone: open board)."""
    return st.session_state.get(WHO_KEY, OPEN_BOARD)


def sidebar_note() -> None:
    """The sidebar's line about sign-in."""
    who = current()
    if not who.signed_in:
        st.caption(NOT_CONFIGURED)
        return
    st.caption(f"Signed in as {plain(who.email)} ({who.role})")
    if st.button("Sign out", key="sign_out"):
        st.logout()
