"""Meeting mode (issue 12): the board's exceptions one at a time, for the projector.

The same rows and order as the overview's matrix and the board pack (scst_metrics.meeting
.exceptions). Previous / next by the buttons or the arrow keys (Streamlit's own button
shortcuts: Left, Right); the position is in the URL (?item=N, from 0) so a link resumes it.
"""

from html import escape

import streamlit as st

from pages import _frame as frame
from pages._frame import board_reads, extra_pages
from pages._frame import notes as frame_notes
from scst_metrics import charts, meeting
from scst_metrics.charts import icons
from scst_metrics.notes import KINDS
from scst_metrics.notes.commentary import first_of_month

view = extra_pages.current_view()
items = meeting.exceptions(board_reads.matrix(view))
n = len(items)

st.html(
    "<style>.stMainBlockContainer p, .stMainBlockContainer li {font-size: 1.35rem;}"
    " [data-testid='stMetricValue'] {font-size: 2.6rem;}</style>"
)

if n == 0:
    st.title("Meeting mode")
    st.success(f"No exceptions for {frame.plain(view.hub_label)}: nothing needs attention.")
    st.stop()

i = meeting.item_number(st.query_params.get("item", 0), n)
st.query_params["item"] = str(i)


def _go(to: int) -> None:
    st.query_params["item"] = str(max(0, min(to, n - 1)))


row = items.iloc[i].to_dict()
cat = view.catalogue().set_index("id", drop=False)
ind = cat.loc[row["indicator_id"]].to_dict()
where = row["hub_name"]

nav = st.container(horizontal=True, vertical_alignment="center")
nav.button(
    "Previous",
    icon=":material/arrow_back:",
    on_click=_go,
    args=(i - 1,),
    disabled=i == 0,
    shortcut="Left",
    key="meeting_previous",
    help="Previous exception (left arrow key)",
)
nav.markdown(f"Exception **{i + 1} of {n}** · {frame.plain(view.hub_label)}")
nav.button(
    "Next",
    icon=":material/arrow_forward:",
    icon_position="right",
    on_click=_go,
    args=(i + 1,),
    disabled=i == n - 1,
    shortcut="Right",
    key="meeting_next",
    help="Next exception (right arrow key)",
)

st.title(f"{row['title']} — {where}", anchor="meeting-item")
st.markdown(f"**{frame.plain(row['exception'])}** · {charts.tiles.area_title(row['service_area'])}")

facts = dict(meeting.facts(row, board_reads.compare(view)))
for column, name in zip(
    st.columns(4), ("Latest", "Target", "Since last month", "Since last year"), strict=True
):
    column.metric(name, facts[name])

icon_html = []
for kind, svg in ((row["variation"], icons.variation_svg), (row["assurance"], icons.assurance_svg)):
    if kind is not None:
        uri = icons.data_uri(svg(kind))
        words = escape(icons.label(kind))
        icon_html.append(
            f'<span style="display:inline-flex;align-items:center;gap:.5rem;margin-right:2rem;'
            f'font-size:1.35rem"><img src="{uri}" alt="" width="48" height="48">{words}</span>'
        )
if not icon_html:
    icon_html.append('<span style="font-size:1.35rem">No SPC for this series.</span>')
st.html("<div>" + "".join(icon_html) + "</div>")
st.markdown(f"Neighbours / England: {frame.plain(facts['Neighbours / England'])}")

left, right = st.columns([3, 1], gap="large")
with left:
    fig, config = board_reads.meeting_chart(view, ind, row["hub_id"], where)
    st.plotly_chart(fig, config=config, key="meeting_chart", theme=None)
with right:
    st.subheader("Commentary")
    if view.end is not None:  # this month's, to read and (for editors) to write
        frame_notes.notes_panel(ind, view.end, row["hub_id"], where, expanded=True)
    this_month = first_of_month(view.end) if view.end else None
    earlier = board_reads.commentary(row["indicator_id"], row["hub_id"])
    earlier = [n_ for n_ in earlier if n_.month != this_month]
    if earlier:  # the latest month before with commentary
        month = earlier[0].month
        st.caption(f"Earlier: {charts.formatting.month_label(month)}")
        for note in (n_ for n_ in earlier if n_.month == month):
            st.markdown(f"**{KINDS.get(note.kind, note.kind)}**")
            st.markdown(frame.plain(note.text))
    st.markdown(f"[Open the chart's page]({view.link(row['service_area'], row['indicator_id'])})")
