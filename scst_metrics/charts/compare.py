"""Hub comparison: each hub's latest value side by side, against the target or band.

For the board's question "which hubs are outside the 40 to 70 band?": one bar per hub,
sorted, the band shaded behind, each bar labelled with its value and RAG in words, and an
off-target bar hatched, so the message survives a black-and-white printout.

With `spc_summary` (scst_metrics.spc_summary(indicator, "all")) each bar also says its hub's
MDC variation in words ("Concern: higher"): which hubs changed, at a glance. The limits
themselves belong on one hub's own chart (trend_chart with that hub chosen).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from ..indicators.small_numbers import SUPPRESSED, suppress
from . import formatting as fmt
from .icons import label, short_label
from .theme import BAND_EDGE, BAND_FILL, INK, MEASURE, TARGET, Rag, base_layout
from .trend import SUPPRESSED_NOTE, finish, footnote_text


def latest_per_hub(series: pd.DataFrame) -> pd.DataFrame:
    """The last month with a value, per hub (whole-Trust rows dropped)."""
    have = series[series["hub_id"].notna() & series["value"].notna()]
    if have.empty:
        return have
    last = have["period_end"].max()
    return have[have["period_end"] == last]


def hub_comparison_chart(
    series: pd.DataFrame,
    indicator: Mapping,
    *,
    hub_names: Mapping[str, str],
    as_at: date | None = None,
    height: int | None = None,
    spc_summary: pd.DataFrame | None = None,
    suppress_small: bool = False,
) -> go.Figure:
    """One bar per hub at the latest month. `suppress_small` (an image that leaves the Trust:
    export.comparison_figure): a hub's figure of 1 to 5 gets no bar and reads "c"."""
    unit = fmt.check_unit(indicator["unit"])
    variation = _variations(spc_summary)
    latest = latest_per_hub(series).copy()
    if latest["target_low"].notna().any():  # only the hubs held to the band
        latest = latest[latest["target_low"].notna()]
    small = [
        suppress_small and suppress(v, a, b, unit) == SUPPRESSED
        for v, a, b in zip(latest["value"], latest["numerator"], latest["denominator"], strict=True)
    ]
    if any(small):
        latest = latest.assign(
            value=latest["value"].where(~pd.Series(small, index=latest.index)),
            rag=[None if c else r for r, c in zip(latest["rag"], small, strict=True)],
            numerator=latest["numerator"].where(~pd.Series(small, index=latest.index)),
            denominator=latest["denominator"].where(~pd.Series(small, index=latest.index)),
        )
        latest["_small"] = small
    else:
        latest["_small"] = False
    latest["name"] = [hub_names.get(str(h), str(h)) for h in latest["hub_id"]]
    latest = latest.sort_values("value")
    n = len(latest)
    fig = go.Figure(layout=base_layout(height or max(380, 150 + 30 * n)))
    month = fmt.month_label(latest["period_end"].iloc[0]) if n else "no data"

    target_words = "no target"
    low = latest["target_low"].dropna()
    high = latest["target_high"].dropna()
    target = latest["target"].dropna()
    if len(low) and len(high):
        lo, hi = float(low.iloc[0]), float(high.iloc[0])
        fig.add_vrect(
            x0=lo, x1=hi, fillcolor=BAND_FILL, line=dict(color=BAND_EDGE, width=1), layer="below"
        )
        target_words = f"target band {fmt.format_target(None, lo, hi, unit)} (shaded)"
    elif len(target):
        t = float(target.iloc[0])
        fig.add_vline(x=t, line=dict(color=TARGET, dash="dash", width=2))
        target_words = f"target {fmt.format_target(t, None, None, unit)} (dashed line)"

    rags = [Rag.normal(r) for r in latest["rag"]]
    colours = [Rag.COLOUR[r] if r else MEASURE for r in rags]
    patterns = ["/" if r == "red" else "." if r == "amber" else "" for r in rags]
    labels = [
        (SUPPRESSED if c else f"{fmt.format_value(v, unit, short=True)}")
        + (f"  {Rag.ICON[r]} {Rag.WORD[r]}" if r else "")
        + (f" · {short_label(variation[h])}" if variation.get(h) else "")
        for v, r, h, c in zip(
            latest["value"], rags, latest["hub_id"], latest["_small"], strict=True
        )
    ]
    fig.add_trace(
        go.Bar(
            x=latest["value"],
            y=latest["name"],
            orientation="h",
            marker=dict(color=colours, pattern=dict(shape=patterns, fgcolor="white", size=8)),
            text=labels,
            textposition="outside",
            textfont=dict(size=14, color=INK),
            cliponaxis=False,
            customdata=[
                [fmt.fraction_text(a, b), label(variation.get(h)) if variation else ""]
                for a, b, h in zip(
                    latest["numerator"], latest["denominator"], latest["hub_id"], strict=True
                )
            ],
            hovertemplate=(
                "<b>%{y}</b><br>%{x}<br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>"
            ),
            name=f"Hubs at {month}",
            showlegend=False,
        )
    )
    fig.update_layout(
        bargap=0.25,
        margin=dict(l=210, r=170),
        xaxis=dict(
            title=fmt.axis_title(unit),
            showgrid=True,
            gridcolor="#DDE3E8",
            range=[0, 1.12 * max([*latest["value"].dropna(), *high, *target, 1])],
        ),
        yaxis=dict(title=None, type="category", tickfont=dict(size=15, color=INK), rangemode=None),
    )
    footnote = footnote_text(indicator, as_at)
    if suppress_small:
        footnote += f"<br>{SUPPRESSED_NOTE}"
    finish(
        fig,
        title=f"{indicator['title']}: hubs compared",
        subtitle=f"Each hub at {month} · {target_words}",
        footnote=footnote,
        height=fig.layout.height,
    )
    fig.update_layout(margin=dict(l=210, r=170), showlegend=False)
    return fig


def _variations(spc_summary: pd.DataFrame | None) -> dict[str, str]:
    """hub_id -> its MDC variation, from scst_metrics.spc_summary() rows (hubs with SPC)."""
    if spc_summary is None or spc_summary.empty:
        return {}
    rows = spc_summary[spc_summary["hub_id"].notna() & spc_summary["variation"].notna()]
    return dict(zip(rows["hub_id"], rows["variation"], strict=True))
