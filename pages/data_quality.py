"""Data quality: what the nightly loads did, what the last one kept out and why, and which
indicators cannot be shown and why."""

import streamlit as st

from pages import _frame as frame
from pages._frame import access
from pages._frame.card import reconciliation


def _rule_table(rows, columns: dict[str, str]) -> None:
    """A small table of the load's findings by rule, the rule first, in words: it wraps, so it
    reads whole on a projector (st.table reads its cells as Markdown: the load's words are
    shown as plain text)."""
    words = frame.plain_frame(rows).assign(rule=frame.rule_words(rows["rule"]))
    st.table(words[["rule", *columns]].rename(columns={"rule": "Rule", **columns}), hide_index=True)


def _dataframe(rows, columns: dict) -> None:
    """A full-width table of `rows`' columns named in `columns` (name -> heading or config)."""
    st.dataframe(rows[list(columns)], hide_index=True, width="stretch", column_config=columns)


view = frame.current_view()
tables = view.quality_tables()
reconciled = reconciliation(view)
beyond = reconciliation(view, beyond_only=True, years=1)  # DfE's latest publication

st.title("Data quality")
st.markdown(
    "What the nightly load checked. Rows that break a rule are kept out of the figures (or a "
    "bad optional value is blanked); a file that cannot be read refuses the whole load, and "
    "the board keeps showing the last good data."
)

st.subheader("Our returns beside DfE's published figures")
if reconciled.empty:
    st.info("No DfE figures to reconcile with in this load.")
else:
    if beyond.empty:
        st.success("In DfE's latest year, every figure we hold agrees within tolerance.")
    else:
        st.markdown(
            f"**{len(beyond)} of our figures differ from what DfE published for us by more "
            "than the tolerance** (DfE's latest year; earlier years in the table):"
        )
    for message in beyond["message"]:  # the reconciliation's own words, as plain text
        st.warning(frame.plain(message[:1].upper() + message[1:]), icon=":material/warning:")
    _dataframe(
        reconciled,
        {
            "indicator_id": "Indicator",
            "year": st.column_config.NumberColumn("DfE year", format="%d"),
            "period_end": st.column_config.DateColumn("At", format="D MMM YYYY"),
            "ours": "Ours",
            "dfe": "DfE published",
            "dfe_symbol": "DfE symbol",
            "difference": "Difference",
            "tolerance": "Tolerance",
            "beyond_tolerance": "Beyond tolerance",
            "publication": "Publication",
        },
    )

if not access.current().is_admin:
    st.info("Load details (history, rows kept out, files) are for the board's admins.")
    st.stop()

st.subheader("Recent loads")
_dataframe(
    tables["history"],
    {
        "run_id": "Run",
        "started_at": st.column_config.DatetimeColumn("Started", format="D MMM YYYY HH:mm"),
        "finished_at": st.column_config.DatetimeColumn("Finished", format="D MMM YYYY HH:mm"),
        "status": "Outcome",
        "as_at": st.column_config.DateColumn("Data as at", format="D MMM YYYY"),
        "rows_kept": st.column_config.NumberColumn("Rows kept", format="localized"),
        "issues": st.column_config.NumberColumn("Issues", format="localized"),
        "message": "Message",
    },
)

left, right = st.columns(2)
with left:
    st.subheader("What the last load kept out, by rule")
    by_rule = tables["by_rule"]
    if by_rule.empty:
        st.success("The last load found no problems.")
    else:
        _rule_table(by_rule, {"action": "What the load did", "issues": "Rows", "files": "Files"})
with right:
    st.subheader("Files in the last load")
    _dataframe(
        tables["files"],
        {
            "path": "File",
            "table_name": "Table",
            "collection_year": "Year",
            "rows_read": st.column_config.NumberColumn("Rows read", format="localized"),
            "rows_kept": st.column_config.NumberColumn("Rows kept", format="localized"),
        },
    )

st.subheader("Examples, by rule")
st.caption("Up to three rows per rule. Values that identify a child are never shown.")
examples = tables["examples"]
if examples.empty:
    st.success("Nothing to show: the last load kept every row.")
else:
    columns = {"message": "Problem", "action": "What the load did", "file": "File"}
    columns |= {"row_number": "Row", "column_name": "Column", "value": "Value"}
    _rule_table(examples, columns)

st.subheader("Indicators that cannot be shown")
unavailable = view.unavailable()
if unavailable.empty:
    st.success("Every indicator in the catalogue has the data it needs.")
else:
    _dataframe(unavailable, {"title": "Indicator", "service_area": "Area", "reason": "Why"})
