"""A small Streamlit app for the sign-in tests (not the board): Streamlit's own st.login
against the test OpenID Connect provider, then the role that data/access.csv gives.

Run by tests/browser/test_signin.py with a secrets.toml written in a temporary folder and
$SCST_ACCESS pointing at the test's access file.
"""

from datetime import date

import streamlit as st

from scst_metrics import access, notes

st.set_page_config(page_title="Sign-in test")

if not st.user.is_logged_in:
    st.text("Not signed in.")
    if st.button("Sign in"):
        st.login()
    st.stop()

email = str(st.user.get("email") or "")
role = access.role_of(st.user)
if role is None:
    st.error("You are signed in, but you have no access to the board.")
    st.text(f"Signed in as {email}. Ask your performance team for access.")
else:
    hubs = access.allowed_hubs(st.user)
    st.text(f"Signed in as {email}")
    st.text(f"Role: {role}")
    st.text(f"Hubs: {'all' if hubs is None else ', '.join(sorted(hubs))}")
    st.text(f"May edit LAC commentary: {'yes' if access.can_edit(st.user, 'lac') else 'no'}")
    # A link naming a hub: shown only to someone allowed to read that hub.
    hub = st.query_params.get("hub")
    if hub is not None:
        if access.can_read_hub(st.user, hub):
            st.text(f"Showing hub {hub}")
        else:
            st.error(f"You do not have access to hub {hub}. Ask your performance team.")
    # Commentary through scst_metrics.notes ($SCST_NOTES_URL), shown as plain text.
    st.subheader("Commentary on lac_rate")
    for note in notes.for_indicator("lac_rate"):
        st.text(f"{note.author} wrote: {note.text}")
    if access.can_edit(st.user, "lac"):
        text = st.text_area("New commentary")
        if st.button("Save commentary") and text.strip():
            notes.add("lac_rate", date.today(), text, author=email)
            st.rerun()
if st.button("Sign out"):
    st.logout()
