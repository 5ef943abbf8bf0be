"""The Making Data Count layers of a chart (issue 10), added to any plotly figure.

`add_spc(fig, series, spc_points, summary, events)` draws, for one hub or the whole Trust:

- the mean (solid) and the process limits (dashed), and optionally the near-limit lines
  (dotted), each drawn per rebase group: limits are never joined across a process change;
- every complete point coloured by its point type in the MDC palette (charts/icons.py, with
  the WCAG ratios) AND with its own marker shape, named in the legend (colour is never the
  only cue): common cause grey circle, improvement blue diamond, concern orange square,
  neutral purple triangle up (higher) or down (lower);
- the month in progress as a hollow marker labelled "1-24 Nov": not a month, left out of the
  limits and rules (spc_step), drawn against the latest limits;
- the process changes of data/events.csv (spc_step.read_events) inside the series as dotted
  vertical lines with their words;
- hover: the value, numerator and denominator, the mean and the process limits, what the
  point is;
- the variation and assurance icons beside the title (icons.add_title_icons), a "Trial
  limits" note when the baseline has fewer than 12 points, and when there is no SPC, the
  reason on the chart ("SPC not applied: rolling 12-month figure ...").

Contrast against the white background (WCAG 2.1, 1.4.11 asks 3:1 of graphics; see
icons.contrast_ratio): point colours as icons.py (4.02, 3.83, 8.02, 4.00); mean #4A5560 7.61;
limits #5B6770 5.80; month in progress #1F4E79 8.66; joining line #7A858E 3.77.

Inputs: `series` as `charts.data.series_frame` gives it (period_end, numerator, denominator,
value, ...) for ONE hub or the Trust; `spc_points` the rows of `indicator_spc` for the same
series; `summary` its row of `indicator_spc_summary` (a mapping or a one-row Series/None).
A year-to-date count has SPC on its in-month figure (summary basis
"in_month_from_year_to_date"): the points drawn are `spc_points.value` (the month's own
figure), so the caller charts the in-month figure, and the note says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go

from ..indicators.spc_step import Event, period_label
from . import formatting as fmt
from .icons import COMMON_CAUSE, CONCERN, IMPROVEMENT, NEUTRAL, add_title_icons

MEAN_COLOUR = "#4A5560"
LIMIT_COLOUR = "#5B6770"
NOTE_COLOUR = "#5B6770"
PART_MONTH_COLOUR = "#1F4E79"
LINE_COLOUR = "#7A858E"  # the optional line joining the points

# point type -> (legend words, colour, marker symbol)
POINT_STYLE = {
    "common_cause": ("Common cause", COMMON_CAUSE, "circle"),
    "special_cause_improvement": ("Special cause: improvement", IMPROVEMENT, "diamond"),
    "special_cause_concern": ("Special cause: concern", CONCERN, "square"),
    "special_cause_neutral_high": ("Special cause: higher", NEUTRAL, "triangle-up"),
    "special_cause_neutral_low": ("Special cause: lower", NEUTRAL, "triangle-down"),
}

# The reasons spc_step stores (reason_if_none), said shortly on a chart
_SHORT_REASONS = (
    ("A rolling 12-month figure", "SPC not applied: rolling 12-month figure (months overlap)"),
    ("A financial year-to-date", "SPC not applied: financial year-to-date figure"),
    ("A academic year-to-date", "SPC not applied: academic year-to-date figure"),
    ("Fewer than 2 complete", "SPC not applied: fewer than 2 complete months"),
    ("No values in this load", "SPC not applied: no values in this load"),
)


def _get(summary, key):
    if summary is None:
        return None
    value = summary.get(key) if isinstance(summary, Mapping) else summary[key]
    return None if fmt.is_missing(value) else value


def spc_off_reason(summary) -> str | None:
    """'SPC not applied: ...' when the series has no SPC, else None."""
    reason = _get(summary, "reason_if_none")
    if summary is None:
        return "SPC not applied: no SPC stored for this series"
    if reason is None:
        return None
    for start, short in _SHORT_REASONS:
        if str(reason).startswith(start):
            return short
    return f"SPC not applied: {reason}"


def trial_limits_note(summary) -> str | None:
    """'Trial limits: 7 points since Apr 2024' when the baseline has fewer than 12 points
    (limits from fewer than 12 points move as months are added: NHSRplotthedots' trial
    limits)."""
    if not _get(summary, "trial_limits"):
        return None
    n = _get(summary, "baseline_points")
    start = _get(summary, "baseline_start")
    since = f" since {pd.Timestamp(start).strftime('%b %Y')}" if start is not None else ""
    count = f"{int(n)} points" if n is not None else "fewer than 12 points"
    return f"Trial limits: {count}{since}"


def events_in(events: Iterable[Event], start, end) -> list[Event]:
    """The events dated inside (start, end]: the ones a chart of those months shows."""
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    return [e for e in events if lo < pd.Timestamp(e.when) <= hi]


def corner_note(fig: go.Figure, text: str, y: float = 1.0, name: str = "chart_note") -> None:
    """A short grey note at the top left of the plot (or, y=0, its bottom left)."""
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=0,
        y=y,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font=dict(size=12, color=NOTE_COLOUR),
        name=name,
    )


def add_spc(
    fig: go.Figure,
    series: pd.DataFrame,
    spc_points: pd.DataFrame,
    summary,
    events: Iterable[Event] = (),
    *,
    unit: object = None,
    near_limits: bool = False,
    icons: bool = True,
    connect: bool = False,
) -> go.Figure:
    """Add the MDC layers to `fig` (see module doc); returns `fig`.

    `unit` formats the hover ('68.2%', '42'); `near_limits` draws the 2-sigma lines; `icons`
    puts the variation and assurance icons beside the title; `connect` joins the points with
    a thin line (for a figure that has no value line of its own)."""
    off = spc_off_reason(summary)
    if off is not None or spc_points is None or spc_points.empty:
        corner_note(fig, off or "SPC not applied: no SPC points", 1.0, "spc_off")
        if icons:
            add_title_icons(fig, None, None)
        return fig

    pts = spc_points.copy()
    pts["period_end"] = pd.to_datetime(pts["period_end"])
    pts = pts.sort_values("period_end").reset_index(drop=True)
    basis = _get(summary, "basis") or "value"
    own = series.copy()
    own["period_end"] = pd.to_datetime(own["period_end"])
    by_end = own.set_index("period_end")
    pts["hover_text"] = [_hover(r, by_end, basis, unit) for r in pts.itertuples(index=False)]

    if connect:
        fig.add_trace(
            go.Scatter(
                x=pts["period_end"],
                y=pts["value"],
                mode="lines",
                line=dict(color=LINE_COLOUR, width=1.5),
                hoverinfo="skip",
                showlegend=False,
                name="spc_line",
            )
        )
    _limit_traces(fig, pts, near_limits)
    whole = pts[~pts["part_month"].astype(bool)]
    for point_type, (words, colour, symbol) in POINT_STYLE.items():
        g = whole[whole["point_type"] == point_type]
        if g.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=g["period_end"],
                y=g["value"],
                mode="markers",
                name=words,
                marker=dict(
                    color=colour, symbol=symbol, size=10, line=dict(color="white", width=1)
                ),
                customdata=g[["hover_text"]].to_numpy(),
                hovertemplate="%{customdata[0]}<extra></extra>",
                legendgroup=f"spc_{point_type}",
            )
        )
    part = pts[pts["part_month"].astype(bool)]
    for r in part.itertuples(index=False):
        label = period_label(r.period_end, True).rsplit(" ", 1)[0]  # "1-24 Nov"
        fig.add_trace(
            go.Scatter(
                x=[r.period_end],
                y=[r.value],
                mode="markers+text",
                name=f"Month in progress ({label}): not used for the limits",
                marker=dict(
                    symbol="circle-open", size=12, color=PART_MONTH_COLOUR, line=dict(width=2)
                ),
                text=[label],
                textposition="top center",
                textfont=dict(size=12, color=PART_MONTH_COLOUR),
                customdata=[[r.hover_text]],
                hovertemplate="%{customdata[0]}<extra></extra>",
            )
        )
    _event_marks(fig, events_in(events, pts["period_end"].iloc[0], pts["period_end"].iloc[-1]))

    notes = []
    if basis == "in_month_from_year_to_date":
        notes.append("SPC on the in-month figure behind the year to date")
    trial = trial_limits_note(summary)
    if trial:
        notes.append(trial)
    if notes:
        corner_note(fig, "<br>".join(notes), 1.0, "spc_notes")
    if icons:
        add_title_icons(fig, _get(summary, "variation"), _get(summary, "assurance"))
    return fig


def _limit_traces(fig: go.Figure, pts: pd.DataFrame, near_limits: bool) -> None:
    """Mean and limits as flat segments, one per rebase group (a break between groups)."""
    lines = [
        ("mean", "Mean", dict(color=MEAN_COLOUR, width=2)),
        ("upl", "Process limits", dict(color=LIMIT_COLOUR, width=1.5, dash="dash")),
        ("lpl", "Process limits", dict(color=LIMIT_COLOUR, width=1.5, dash="dash")),
    ]
    if near_limits:
        lines += [
            ("nupl", "Near-limit lines", dict(color=LIMIT_COLOUR, width=1, dash="dot")),
            ("nlpl", "Near-limit lines", dict(color=LIMIT_COLOUR, width=1, dash="dot")),
        ]
    shown: set[str] = set()
    for _, g in pts.groupby("rebase_group", sort=True):
        x = [g["period_end"].iloc[0], g["period_end"].iloc[-1]]
        for col, words, line in lines:
            y = g[col].iloc[-1]
            if fmt.is_missing(y):
                continue
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=[y, y],
                    mode="lines",
                    line=line,
                    name=words,
                    legendgroup=f"spc_{words}",
                    showlegend=words not in shown,
                    hoverinfo="skip",
                )
            )
            shown.add(words)


def _event_marks(fig: go.Figure, events: list[Event]) -> None:
    for e in events:
        when = pd.Timestamp(e.when)
        fig.add_shape(
            type="line",
            xref="x",
            yref="paper",
            x0=when,
            x1=when,
            y0=0,
            y1=1,
            line=dict(color=NOTE_COLOUR, width=1, dash="dot"),
            name=f"event {e.when.isoformat()}",
        )
        words = e.what if len(e.what) <= 40 else e.what[:39] + "…"
        fig.add_annotation(
            x=when,
            y=1,
            xref="x",
            yref="paper",
            text=f"{when.strftime('%b %Y')}: {words}",
            showarrow=False,
            xanchor="left",
            yanchor="top",
            font=dict(size=11, color=NOTE_COLOUR),
            bgcolor="rgba(255,255,255,0.8)",
            name="event",
        )


def _hover(r, by_end: pd.DataFrame, basis: str, unit: object) -> str:
    when = pd.Timestamp(r.period_end)
    part = bool(r.part_month)
    head = period_label(when, part)
    lines = [f"<b>{head}</b>", f"<b>{fmt.format_value(r.value, unit)}</b>"]
    src = by_end.loc[when] if when in by_end.index else None
    if isinstance(src, pd.DataFrame):
        src = src.iloc[-1]
    # a series marked `small` (an export's suppression, charts.trend) shows no figure of it
    small = src is not None and bool(src.get("small", False))
    if basis == "value" and src is not None and not fmt.is_missing(src["denominator"]):
        if not small:
            lines.append(f"{_n(src['numerator'])} of {_n(src['denominator'])}")
    elif basis != "value":
        lines[1] += " in the month"
        if src is not None:
            ytd = "c" if small else fmt.format_value(src["value"], unit)
            lines.append(f"Year to date: {ytd}")
    lines.append(
        f"Mean {fmt.format_value(r.mean, unit)} · limits {fmt.format_value(r.lpl, unit)}"
        f" to {fmt.format_value(r.upl, unit)}"
    )
    if part:
        lines.append("Month in progress: not used for the limits")
    elif isinstance(r.point_type, str):
        lines.append(POINT_STYLE[r.point_type][0])
    return "<br>".join(lines)


def _n(x: object) -> str:
    return "?" if fmt.is_missing(x) else f"{float(x):,.0f}"


def spc_frames_for(
    spc_points: pd.DataFrame, summaries: pd.DataFrame, indicator_id: str, hub_id: str | None
) -> tuple[pd.DataFrame, Mapping | None]:
    """The points and the summary row of one series from the whole tables (a convenience for
    a caller that read indicator_spc and indicator_spc_summary once)."""

    def pick(frame: pd.DataFrame) -> pd.DataFrame:
        hub = frame["hub_id"]
        same_hub = hub.isna() if hub_id is None else hub.eq(hub_id)
        return frame[frame["indicator_id"].eq(indicator_id) & same_hub]

    rows = pick(summaries)
    return pick(spc_points).reset_index(drop=True), (rows.iloc[0].to_dict() if len(rows) else None)


__all__ = [
    "POINT_STYLE",
    "add_spc",
    "events_in",
    "spc_frames_for",
    "spc_off_reason",
    "trial_limits_note",
]
