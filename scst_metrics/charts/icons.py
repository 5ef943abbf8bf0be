"""Making Data Count icons drawn in the board's own style: small inline SVG, no external images.

Variation icons (from the latest point of an SPC chart): a ring in the MDC colour of the kind
of variation, a letter H (higher) or L (lower) and an arrow the way the process moved; common
cause is a grey ring with a flat, wavering line. Assurance icons (limits against the target): a
ring with P (consistently passes), F (consistently fails) or ? (inconsistent).

Colour is never the only cue: the letter and arrow carry the meaning, every SVG has a <title>
and an aria-label, and `label()` gives the text equivalent for tables, hover and exports.

Palette (MDC's, darkened where the original does not reach the 3:1 contrast WCAG 2.1 asks of
graphics, 1.4.11, against the white chart background; ratios by the WCAG relative-luminance
formula, `contrast_ratio`):
- improvement #0086C6 (MDC's #00B0F0 is 2.48:1; this is 4.02:1)
- concern #D4600A (MDC's #E46C0A is 3.26:1; darker for a projector: 3.83:1)
- neutral #7030A0 (8.02:1)
- common cause #7F7F7F (4.00:1; MDC's #A6A6A6 is 2.43:1)

`add_title_icons(fig, variation, assurance)` puts the icons beside a plotly title as layout
images from data: URIs, which plotly draws in the browser and kaleido writes into PNG and SVG
exports alike.
"""

from __future__ import annotations

import base64
from html import escape

import plotly.graph_objects as go

from ..spc import ASSURANCE_WORDS, VARIATION_WORDS

IMPROVEMENT = "#0086C6"
CONCERN = "#D4600A"
NEUTRAL = "#7030A0"
COMMON_CAUSE = "#7F7F7F"
WHITE = "#FFFFFF"

VARIATION_COLOUR = {
    "common_cause": COMMON_CAUSE,
    "improvement_high": IMPROVEMENT,
    "improvement_low": IMPROVEMENT,
    "concern_high": CONCERN,
    "concern_low": CONCERN,
    "neutral_high": NEUTRAL,
    "neutral_low": NEUTRAL,
}
ASSURANCE_COLOUR = {
    "consistent_pass": IMPROVEMENT,
    "consistent_fail": CONCERN,
    "inconsistent": COMMON_CAUSE,
}
ASSURANCE_LETTER = {"consistent_pass": "P", "consistent_fail": "F", "inconsistent": "?"}
_FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"


def label(kind: str | None) -> str:
    """The text equivalent of a variation or assurance icon, e.g. 'Special cause concern:
    higher'; 'No SPC' for None. An unknown name is an error (it is a bug, not data)."""
    if kind is None:
        return "No SPC"
    if kind in VARIATION_WORDS:
        return VARIATION_WORDS[kind]
    if kind in ASSURANCE_WORDS:
        return ASSURANCE_WORDS[kind]
    raise ValueError(
        f"{kind!r} is neither a variation ({', '.join(VARIATION_WORDS)}) nor an assurance "
        f"({', '.join(ASSURANCE_WORDS)})"
    )


# Beside the icons on a chart, where room is short (the full words stay in layout.meta)
SHORT_WORDS = {
    "common_cause": "Common cause",
    "improvement_high": "Improvement: higher",
    "improvement_low": "Improvement: lower",
    "concern_high": "Concern: higher",
    "concern_low": "Concern: lower",
    "neutral_high": "Special cause: higher",
    "neutral_low": "Special cause: lower",
    "consistent_pass": "Meets the target",
    "consistent_fail": "Misses the target",
    "inconsistent": "Target: hit and miss",
}


def short_label(kind: str | None) -> str:
    """The icon's words in two or three words, for beside the icon on a chart."""
    label(kind)  # the same check of the name
    return "No SPC" if kind is None else SHORT_WORDS[kind]


def _svg(body: str, title: str, size: int) -> str:
    t = escape(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 40 40" role="img" aria-label="{t}"><title>{t}</title>'
        f'<circle cx="20" cy="20" r="17.5" fill="{WHITE}" stroke="{{c}}" stroke-width="3"/>'
        f"{body}</svg>"
    )


def _letter(text: str, colour: str, x: float = 20, size: int = 17) -> str:
    return (
        f'<text x="{x}" y="26" text-anchor="middle" font-family="{_FONT}" '
        f'font-size="{size}" font-weight="bold" fill="{colour}">{escape(text)}</text>'
    )


def variation_svg(variation: str, size: int = 40) -> str:
    """The variation icon as an SVG string (`size` pixels square)."""
    colour = VARIATION_COLOUR[variation]  # KeyError names a bad variation
    if variation == "common_cause":
        body = (
            f'<polyline points="9,21 14,17 19,23 24,18 29,22 32,20" fill="none" '
            f'stroke="{colour}" stroke-width="3" stroke-linejoin="round" '
            f'stroke-linecap="round"/>'
        )
    else:
        high = variation.endswith("_high")
        arrow = (
            "25,18 29.5,11 34,18" if high else "25,22 29.5,29 34,22"
        )  # a triangle pointing up (higher) or down (lower), right of the letter
        body = _letter("H" if high else "L", colour, x=15) + (
            f'<polygon points="{arrow}" fill="{colour}"/>'
        )
    return _svg(body, label(variation), size).replace("{c}", colour)


def assurance_svg(assurance: str, size: int = 40) -> str:
    """The assurance icon as an SVG string: P, F or ? in a ring."""
    colour = ASSURANCE_COLOUR[assurance]
    body = _letter(ASSURANCE_LETTER[assurance], colour, size=19)
    return _svg(body, label(assurance), size).replace("{c}", colour)


def data_uri(svg: str) -> str:
    """An SVG as a data: URI (for a plotly layout image or an <img> in a table cell)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def icons_text(variation: str | None, assurance: str | None) -> str:
    """One line for hover, alt text and exports: 'Special cause concern: higher · ...'."""
    parts = [label(variation)]
    if assurance is not None:
        parts.append(label(assurance))
    return " · ".join(parts)


def add_title_icons(
    fig: go.Figure,
    variation: str | None,
    assurance: str | None,
    *,
    size: float = 0.14,
    x: float = 1.0,
    y: float = 1.02,
    words: bool = True,
) -> go.Figure:
    """Put the variation and assurance icons at the top right of `fig`, beside the title.

    Icons are layout images (paper coordinates; `size` is a fraction of the plot height),
    right-aligned at `x`, so they render on screen and in kaleido's PNG/SVG alike. With
    `words`, a small annotation under them carries the text equivalent (colour and shape are
    never the only cue; a pasted image stands on its own). The text is also kept in
    `fig.layout.meta["spc_icons"]` for a page's alt text. Nothing is drawn when there is no
    SPC (variation None)."""
    meta = dict(fig.layout.meta) if isinstance(fig.layout.meta, dict) else {}
    meta["spc_icons"] = icons_text(variation, assurance)
    fig.update_layout(meta=meta)
    if variation is None:
        return fig
    # paper x and y units differ: make the icons' width match their height (the figure's
    # plot area when its size is set, else a half-width board chart's)
    m = fig.layout.margin
    plot_w = (
        (fig.layout.width or 640)
        - (m.l if m.l is not None else 80)
        - (m.r if m.r is not None else 80)
    )
    plot_h = (
        (fig.layout.height or 440)
        - (m.t if m.t is not None else 100)
        - (m.b if m.b is not None else 80)
    )
    width = size * max(plot_h, 1) / max(plot_w, 1)
    svgs = [variation_svg(variation)]
    if assurance is not None:
        svgs.append(assurance_svg(assurance))
    # right to left: assurance at the edge, variation left of it
    for i, svg in enumerate(reversed(svgs)):
        fig.add_layout_image(
            source=data_uri(svg),
            xref="paper",
            yref="paper",
            x=x - i * width * 1.2,
            y=y,
            sizex=width,
            sizey=size,
            xanchor="right",
            yanchor="bottom",
            layer="above",
        )
    if words:  # left of the icons, level with them
        fig.add_annotation(
            text="<br>".join(short_label(k) for k in (variation, assurance) if k is not None),
            xref="paper",
            yref="paper",
            x=x - len(svgs) * width * 1.2,
            y=y,
            xanchor="right",
            yanchor="bottom",
            showarrow=False,
            align="right",
            font=dict(size=11, color="#5B6770"),
            name="spc_icons_words",
        )
    return fig


def contrast_ratio(colour: str, background: str = WHITE) -> float:
    """WCAG 2.1 contrast ratio of two #RRGGBB colours (1.4.11 asks 3:1 of graphics)."""

    def luminance(hex_colour: str) -> float:
        h = hex_colour.lstrip("#")
        rgb = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(colour), luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
