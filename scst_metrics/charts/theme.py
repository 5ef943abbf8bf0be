"""The board's look, shared by the screen, the chart toolbar's PNG and the exported images.

A calm palette that reads on a projector and survives colour blindness: one deep blue for
the measure, grey for the target, and RAG colours that are never the only signal (each RAG
state also has its own marker shape and a word). Colours match .streamlit/config.toml.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

INK = "#1B2733"  # text
MUTED = "#5B6770"  # secondary text, axes
GRID = "#DDE3E8"
BACKGROUND = "#FFFFFF"
MEASURE = "#1F4E79"  # the value line
TARGET = "#4A5560"
BAND_FILL = "rgba(42, 157, 143, 0.14)"
BAND_EDGE = "rgba(42, 157, 143, 0.55)"

# Several hubs on one chart: colour-blind-safe, distinguishable on a projector.
# Blues, purples and greys only: red, amber and green are kept for RAG.
HUB_COLOURS = [
    "#1F4E79",
    "#7B4FA0",
    "#0B7285",
    "#495057",
    "#5B8DB8",
    "#A65E8E",
    "#212529",
    "#3F6FB5",
]
HUB_DASHES = ["solid", "dash", "dot", "dashdot"]

FONT_FAMILY = "'Source Sans Pro', 'Segoe UI', Arial, 'Liberation Sans', sans-serif"
FONT_SIZE = 16  # projector-readable at a normal chart height
TITLE_SIZE = 22


class Rag:
    """Red / amber / green: colour, marker shape and the word, so colour is never alone."""

    COLOUR = {"green": "#1A7F4B", "amber": "#B35C00", "red": "#B3261E"}
    SYMBOL = {"green": "circle", "amber": "diamond", "red": "x"}
    WORD = {"green": "On target", "amber": "Near target", "red": "Off target"}
    ICON = {"green": "●", "amber": "◆", "red": "✖"}
    ORDER = {"red": 0, "amber": 1, "green": 2}

    @staticmethod
    def normal(rag: object) -> str | None:
        """The library's RAG ('green', 'amber', 'red'; None or NaN = not rated); anything
        else raises."""
        if rag is None or (isinstance(rag, float) and math.isnan(rag)):
            return None
        if isinstance(rag, str) and rag in Rag.COLOUR:
            return rag
        raise ValueError(f"unknown RAG {rag!r}: the library rates green, amber, red or None")


def base_layout(height: int = 440) -> go.Layout:
    """Axis, font and margin settings every board chart starts from."""
    return go.Layout(
        template="plotly_white",
        height=height,
        font=dict(family=FONT_FAMILY, size=FONT_SIZE, color=INK),
        paper_bgcolor=BACKGROUND,
        plot_bgcolor=BACKGROUND,
        margin=dict(l=70, r=40, t=92, b=118),
        hoverlabel=dict(font_size=FONT_SIZE, font_family=FONT_FAMILY, bgcolor="white"),
        xaxis=dict(
            showgrid=False,
            linecolor=MUTED,
            ticks="outside",
            tickcolor=MUTED,
            tickfont=dict(size=FONT_SIZE - 1, color=MUTED),
        ),
        yaxis=dict(
            gridcolor=GRID,
            zeroline=False,
            tickfont=dict(size=FONT_SIZE - 1, color=MUTED),
            title_font=dict(size=FONT_SIZE - 1, color=MUTED),
            rangemode="tozero",
        ),
        legend=dict(
            orientation="h",
            yanchor="top",
            y=-0.14,
            xanchor="left",
            x=0,
            font=dict(size=FONT_SIZE - 2),
            bgcolor="rgba(0,0,0,0)",
        ),
        hovermode="closest",
    )
