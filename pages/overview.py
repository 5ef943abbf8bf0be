"""Overview: the Making Data Count summary matrix, exceptions first (issue 10).

One row per indicator for the chosen hubs: latest value and month, target, variation and
assurance icons with their words, a sparkline, changes, how we compare, a commentary mark,
and a link to the chart. Rows and words come from scst_metrics.summary and
scst_metrics.meeting; this page lays them out.
"""

import streamlit as st

from pages import _frame as frame
from pages._frame import board_reads
from scst_metrics import charts

view = frame.current_view()

st.title("Performance overview")
st.markdown(
    f"The latest month for **{frame.plain(view.hub_label)}**, exceptions first: special cause "
    "concern, then consistently missing the target, then inconsistent and off target, then "
    "off target. Each icon has its words beside it. Open a row's chart for the trend and the "
    "definition; [meeting mode](" + view.link("meeting") + ") steps through the exceptions."
)

areas = list(dict.fromkeys(view.catalogue()["service_area"]))
area = st.selectbox(
    "Service area",
    options=["all", *areas],
    format_func=lambda a: "All service areas" if a == "all" else charts.tiles.area_title(a),
    key="overview_area",
)
table = board_reads.overview_table(view, board_reads.noted(view.hubs))
if area != "all":
    table = table[table["service_area"] == area]

n_exceptions = int((table["Exception"] != "").sum())
st.markdown(f"**{n_exceptions}** of {len(table)} rows need attention.")
st.dataframe(
    table.drop(columns=["indicator_id", "service_area"]),
    hide_index=True,
    width="stretch",
    height=min(38 + 35 * len(table), 1200),
    column_config={
        "Indicator": st.column_config.TextColumn("Indicator", width="large"),
        "Variation icon": st.column_config.ImageColumn(
            "Var.", help="Variation icon (its words are in the next column)", width="small"
        ),
        "Assurance icon": st.column_config.ImageColumn(
            "Ass.", help="Assurance icon (its words are in the next column)", width="small"
        ),
        "Trend": st.column_config.LineChartColumn("Trend (13 months)", width="small"),
        "Commentary": st.column_config.TextColumn("Commentary", help="Commentary exists"),
        "Chart": st.column_config.LinkColumn("Chart", display_text="Open chart"),
    },
    key="overview_matrix",
)
st.caption(
    "A month in progress is labelled as such and is not judged: the icons and changes are "
    "those of the latest complete month. Neighbours / England: DfE's latest published year."
)

# The previous overview's tiles, below the matrix (a reader may fold them away): each line is
# a hub's latest figure with its month, RAG words and target, every figure at a glance.
PAGES = {"hubs": "hubs", "lac": "lac", "fostering": "fostering", "virtual_school": "virtual_school"}
with st.expander("Every indicator as a tile (latest month, off-target first)", expanded=True):
    for tile_area, tiles in board_reads.tiles(view):
        if area not in ("all", tile_area):
            continue
        st.subheader(charts.tiles.area_title(tile_area), anchor=f"area-{tile_area}")
        for tile_row in charts.data.rows_of(tiles, 4):
            for column, tile in zip(st.columns(4, gap="small"), tile_row, strict=False):
                with column, st.container(border=True, height="stretch"):
                    st.markdown(f"**{tile.title}**")
                    for line in tile.lines:
                        st.metric(
                            label=f"{frame.plain(line.hub_name)} · {tile.month}",
                            value=line.value,
                            delta=line.change,
                            delta_color="off" if line.steady else tile.delta_color,
                            delta_arrow="off" if line.steady else "auto",
                            help="Change on the period before",
                        )
                        target = f"target {line.target}" if line.target else "no target (context)"
                        st.markdown(f"{frame.rag_badge(line.rag)} &nbsp; {target}")
                    link = view.link(PAGES.get(tile_area, tile_area), tile.indicator_id)
                    st.markdown(f"[See the chart →]({link})")
