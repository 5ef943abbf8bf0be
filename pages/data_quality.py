"""Data quality: what the nightly loads did, what the last one kept out and why, and which
indicators cannot be shown and why."""

import streamlit as st

from pages import _frame as frame
from pages._frame import access
from pages._frame.card import reconciliation

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
    st.dataframe(
        reconciled[
            [
                "indicator_id",
                "year",
                "period_end",
                "ours",
                "dfe",
                "dfe_symbol",
                "difference",
                "tolerance",
                "beyond_tolerance",
                "publication",
            ]
        ],
        hide_index=True,
        width="stretch",
        column_config={
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
st.dataframe(
    tables["history"],
    hide_index=True,
    width="stretch",
    column_config={
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
        # a small table that wraps, so it reads whole on a projector (st.table reads its cells
        # as Markdown: the load's words are shown as plain text)
        st.table(
            frame.plain_frame(by_rule)
            .assign(rule=frame.rule_words(by_rule["rule"]))
            .rename(
                columns={
                    "rule": "Rule",
                    "action": "What the load did",
                    "issues": "Rows",
                    "files": "Files",
                }
            ),
            hide_index=True,
        )
with right:
    st.subheader("Files in the last load")
    st.dataframe(
        tables["files"],
        hide_index=True,
        width="stretch",
        column_config={
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
    st.table(
        frame.plain_frame(examples)
        .assign(rule=frame.rule_words(examples["rule"]))[
            ["rule", "message", "action", "file", "row_number", "column_name", "value"]
        ]
        .rename(
            columns={
                "rule": "Rule",
                "message": "Problem",
                "action": "What the load did",
                "file": "File",
                "row_number": "Row",
                "column_name": "Column",
                "value": "Value",
            }
        ),
        hide_index=True,
    )

st.subheader("Indicators that cannot be shown")
unavailable = view.unavailable()
if unavailable.empty:
    st.success("Every indicator in the catalogue has the data it needs.")
else:
    st.dataframe(
        unavailable[["title", "service_area", "reason"]],
        hide_index=True,
        width="stretch",
        column_config={"title": "Indicator", "service_area": "Area", "reason": "Why"},
    )
