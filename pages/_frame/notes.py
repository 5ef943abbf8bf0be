"""Commentary and actions on a chart card (scst_metrics.notes), for the indicator and the last
month shown (and the hub, when one hub is chosen).

What people write is shown as plain text -- st.text, or plain() inside the board's own words
-- never as Markdown or HTML. An editor for the indicator's area can write; a viewer reads.
A save over a version someone else has changed since is refused: the page says so and shows
both texts (the library keeps both).

The notes, histories and actions of a month and hub are read for every indicator at once
(scst_metrics.notes.lookups) and cached until the next write (the notes database's stamp, read
once per card, is part of the key): a page's cards cost one small query each, not four.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from scst_metrics import charts, notes
from scst_metrics.notes import lookups

from .access import current
from .text import plain


def _when(at) -> str:
    return pd.Timestamp(at).strftime("%-d %b %Y %H:%M UTC")


@dataclass(frozen=True)
class _Written:
    """What people wrote for one month and hub (None: the whole Trust), every indicator."""

    notes: dict[str, list[notes.Note]]  # by indicator id, newest first
    histories: dict[int, list[notes.NoteVersion]]  # by note id, oldest first
    actions: dict[str, list[notes.Action]]  # by indicator id, soonest due first


@st.cache_data(show_spinner=False, max_entries=200)
def _written(
    url: str, stamp: tuple[int, ...], month: date, hub: str | None, today: date
) -> _Written:
    """One month's and hub's notes, their histories and the hub's actions, three queries;
    cached per notes database and stamp (any write makes a new stamp), and per day (an
    action's status "overdue" depends on the date)."""
    found = lookups.notes_of_month(month, hub_id=hub, url=url)
    ids = [n.id for shown in found.values() for n in shown]
    return _Written(
        found,
        lookups.note_histories(ids, url=url),
        lookups.actions_by_indicator(hub_id=hub, today=today, url=url),
    )


def written(month: date, hub: str | None) -> _Written:
    """What people wrote for `month` and `hub`, as of the last write."""
    url = notes.notes_url()
    return _written(url, lookups.stamp(url=url), month, hub, date.today())


def _history(versions: list[notes.NoteVersion]) -> None:
    if len(versions) <= 1:
        return
    with st.popover(f"History ({len(versions)} entries)"):
        for v in versions:
            st.caption(f"Version {v.version}, {v.event} by {plain(v.who)}, {_when(v.at)}")
            st.text(v.text)


def _note_block(
    ind: dict,
    month: date,
    hub: str | None,
    kind: str,
    note,
    versions: list[notes.NoteVersion],
    editable: bool,
    key: str,
    open_key: str,
) -> None:
    st.markdown(f"**{notes.KINDS[kind]}**")
    if note is not None:
        st.text(note.text)
        st.caption(f"{plain(note.author)}, {_when(note.updated_at)} (version {note.version})")
        _history(versions)
    else:
        st.caption("Nothing written yet for this month.")
    if not editable:
        return
    st.text_area(
        "Update" if note else "Write",
        value=note.text if note else "",
        key=f"text_{key}",
        label_visibility="collapsed",
    )
    st.button(
        "Save",
        icon=":material/save:",
        key=f"save_{key}",
        on_click=_save,
        args=(ind["id"], month, hub, kind, note, f"text_{key}", f"said_{key}", open_key),
    )
    said = st.session_state.pop(f"said_{key}", None)
    if said is not None:  # the save was refused: say why, and show both texts
        message, current_text, yours = said
        st.error(message, icon=":material/warning:")
        if current_text is not None:
            st.caption("Saved now:")
            st.text(current_text)
            st.caption("Yours (kept in the history):")
            st.text(yours)


def _save(
    indicator_id, month, hub, kind, note, text_key: str, said_key: str, open_key: str
) -> None:
    """The Save button's callback: write the note, or leave the reason it was refused. The
    card's expander stays open (its label counts the notes, so a new one would be closed)."""
    st.session_state[open_key] = True
    text = st.session_state.get(text_key, "")
    author = current().author
    try:
        if note is None:
            notes.add(indicator_id, month, text, author=author, hub_id=hub, kind=kind)
        else:
            notes.update(note.id, text, author=author, expected_version=note.version)
    except notes.Conflict as e:
        st.session_state[said_key] = (str(e), e.current.text, text)
    except ValueError as e:
        st.session_state[said_key] = (str(e), None, None)


def _actions(
    ind: dict,
    month: date,
    hub: str | None,
    actions: list[notes.Action],
    editable: bool,
    key: str,
) -> None:
    st.markdown("**Actions**")
    if actions:
        # st.dataframe shows its cells as text, never Markdown
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Action": a.what,
                        "Owner": a.owner,
                        "Due": a.due,
                        "Status": a.status,
                        "Agreed": charts.formatting.month_label(a.month),
                    }
                    for a in actions
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption("No actions recorded.")
    if not editable:
        return
    said = st.session_state.pop(f"act_said_{key}", None)
    if said:  # the last add or mark-done was refused: say why
        st.error(said, icon=":material/warning:")
    # The forms' buttons act in callbacks (on_click), which run before the page does: the
    # table above shows the change on the same run.
    with st.popover("Add or update an action"):
        with st.form(key=f"act_{key}", border=False):
            st.text_input("What", key=f"act_what_{key}")
            st.text_input("Owner", key=f"act_owner_{key}")
            st.date_input("Due", key=f"act_due_{key}", value=None)
            st.form_submit_button(
                "Add action", on_click=_add_action, args=(ind["id"], month, hub, key)
            )
        open_ones = [a for a in actions if a.status != notes.DONE]
        if open_ones:
            with st.form(key=f"done_{key}", border=False):
                st.selectbox(
                    "Mark done",
                    options=[a.id for a in open_ones],
                    format_func={a.id: a.what for a in open_ones}.get,
                    key=f"done_pick_{key}",
                )
                st.form_submit_button(
                    "Mark done",
                    on_click=_mark_done,
                    args=({a.id: a.version for a in open_ones}, key),
                )


def _add_action(indicator_id: str, month: date, hub: str | None, key: str) -> None:
    """The Add action button's callback."""
    state = st.session_state
    try:
        notes.add_action(
            indicator_id,
            month,
            state.get(f"act_what_{key}", ""),
            owner=state.get(f"act_owner_{key}", ""),
            due=state.get(f"act_due_{key}"),
            author=current().author,
            hub_id=hub,
        )
    except (ValueError, TypeError) as e:
        state[f"act_said_{key}"] = str(e)


def _mark_done(versions: dict[int, int], key: str) -> None:
    """The Mark done button's callback: the picked action, at the version shown."""
    picked = st.session_state.get(f"done_pick_{key}")
    if picked not in versions:
        return
    try:
        notes.update_action(
            picked, author=current().author, expected_version=versions[picked], status=notes.DONE
        )
    except notes.Conflict as e:
        st.session_state[f"act_said_{key}"] = str(e)


def commentary(view, ind: dict) -> None:
    """The card's commentary and actions for the last month shown (and the hub, when one hub
    is chosen and the indicator is split by hub)."""
    if view.end is None:
        return
    hub = view.hubs[0] if len(view.hubs) == 1 and ind.get("splits_by_hub") else None
    where = view.hub_names.get(hub, hub) if hub else "whole Trust"
    notes_panel(ind, view.end, hub, where)


def notes_panel(
    ind: dict, month: date, hub: str | None, where: str, *, expanded: bool = False
) -> None:
    """Commentary and actions of one indicator, month and hub (None: the whole Trust), in an
    expander: on a chart card, and in meeting mode."""
    editable = current().can_edit(ind["service_area"], hub)
    key = f"{ind['id']}_{hub or 'trust'}"
    shown = written(month, hub)
    saved = shown.notes.get(ind["id"], [])
    label = f"Commentary and actions, {charts.formatting.month_label(month)} ({plain(where)})"
    if saved:
        label += f" -- {len(saved)} note{'s' if len(saved) != 1 else ''}"
    open_key = f"open_{key}"
    with st.expander(
        label, icon=":material/edit_note:", expanded=expanded or open_key in st.session_state
    ):
        for kind in notes.KINDS:
            note = next((n for n in saved if n.kind == kind), None)
            versions = shown.histories.get(note.id, []) if note else []
            _note_block(ind, month, hub, kind, note, versions, editable, f"{kind}_{key}", open_key)
        _actions(ind, month, hub, shown.actions.get(ind["id"], []), editable, key)
        if not editable:
            st.caption("You can read commentary here; editors for this area can write it.")
