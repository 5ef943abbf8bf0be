"""Overview: every indicator as a tile, off-target first, grouped by service area."""

import streamlit as st

from pages import _frame as frame
from scst_metrics import charts

view = frame.current_view()

st.title("Performance overview")
st.markdown(
    f"The latest month for **{frame.plain(view.hub_label)}**: each indicator against its target, "
    "off-target first. Open a tile's chart for the trend and the definition."
)

PAGES = {"hubs": "hubs", "lac": "lac", "fostering": "fostering", "virtual_school": "virtual_school"}

for area, tiles in view.tiles():
    st.subheader(charts.tiles.area_title(area), anchor=f"area-{area}")
    for row in charts.data.rows_of(tiles, 4):
        for column, tile in zip(st.columns(4, gap="small"), row, strict=False):
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
                link = view.link(PAGES.get(area, area), tile.indicator_id)
                st.markdown(f"[See the chart →]({link})")
