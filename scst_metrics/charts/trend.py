"""The monthly line: one indicator over the chosen months, against its target.

- the value as a line (one per hub when several are chosen, else the whole Trust);
- the target as a dashed line, or a shaded band for a range target (e.g. 40 to 70);
- the latest point marked by RAG with a colour, a shape AND a word (never colour alone);
- a plain-language title, the hub and period as subtitle, the numerator and denominator in
  the hover, and a "Source / data as at" footnote naming the sources in the board's words
  (the catalogue's `source_words`), so a pasted image stands on its own.

With what the read API returns (scst_metrics.spc_points, spc_summary, events,
benchmark_rows) it also draws, in one call:

- Making Data Count (issue 10, charts/mdc.py) for ONE series -- the whole Trust or one hub:
  mean, process limits, points by type, the month in progress, process changes, and the
  variation and assurance icons beside the title. With several hubs on one chart, SPC is off
  and the chart says so: a head of service comparing hubs reads their lines against each
  other, and five sets of limits on one chart would hide that; the limits of one hub are one
  click away (choose that hub). A year-to-date count with SPC on its in-month figure is
  charted on that in-month figure (the year to date stays in the hover).
- DfE's annual benchmarks (issue 11, charts/benchmarks.py) on the whole-Trust chart: the
  figures are the authority's, so a hub's chart says where to find them instead.
- Small-number suppression for images that leave the building (`suppress_small`): a figure
  of 1 to 5 (small_numbers.suppress) is not drawn and reads "c" in labels and hover.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from ..indicators.catalogue import COUNT, PERCENT, TRUST
from ..indicators.small_numbers import SMALL_MAX, SUPPRESSED, suppress
from ..indicators.spc_step import Event
from . import formatting as fmt
from . import icons as mdc_icons
from . import mdc
from .benchmarks import add_benchmarks
from .theme import (
    BAND_EDGE,
    BAND_FILL,
    HUB_COLOURS,
    HUB_DASHES,
    INK,
    MEASURE,
    MUTED,
    TARGET,
    TITLE_SIZE,
    Rag,
    base_layout,
)


def _hub_name(hub_id: object, hub_names: Mapping[str, str]) -> str:
    if fmt.is_missing(hub_id):
        return TRUST
    return hub_names.get(str(hub_id), str(hub_id))


FOOT_CHARS = 52  # a footnote line that fits a half-width chart at 13px


def footnote_text(indicator: Mapping, as_at: date | None) -> str:
    """'Source: tables' (wrapped), then 'Data as at ... · each point: ...': short lines, since
    plotly cuts an annotation off at the chart's edge rather than wrapping it."""
    sources = indicator["source_words"]  # the board's words ("SSDA903 return"), not tables
    lines = textwrap.wrap(f"Source: {sources}", FOOT_CHARS) if sources else []
    when = f"Data as at {fmt.long_date(as_at)}"
    period = indicator["period_words"]
    if period and len(f"{when} · each point: {period}") <= FOOT_CHARS:
        lines.append(f"{when} · each point: {period}")
    else:
        lines += [when, f"Each point: {period}"] if period else [when]
    return "<br>".join(lines)


def subtitle_text(indicator: Mapping, hub_label: str, period_label: str) -> str:
    where = hub_label if indicator["splits_by_hub"] else f"{TRUST} (not split by hub)"
    return f"{where} · {period_label}"


def _target_traces(frame: pd.DataFrame, unit: object) -> list[go.Scatter]:
    """The target over time: a band where there is a range, a dashed line where a value."""
    traces: list[go.Scatter] = []
    targ = frame.drop_duplicates("period_end").sort_values("period_end")
    x = targ["period_end"]
    has_band = targ["target_low"].notna().any() and targ["target_high"].notna().any()
    if has_band:
        label = fmt.format_target(
            None, targ["target_low"].dropna().iloc[-1], targ["target_high"].dropna().iloc[-1], unit
        )
        traces.append(
            go.Scatter(
                x=x,
                y=targ["target_high"],
                mode="lines",
                line=dict(color=BAND_EDGE, width=1, shape="hv"),
                hoverinfo="skip",
                showlegend=False,
                name="target band top",
            )
        )
        traces.append(
            go.Scatter(
                x=x,
                y=targ["target_low"],
                mode="lines",
                line=dict(color=BAND_EDGE, width=1, shape="hv"),
                fill="tonexty",
                fillcolor=BAND_FILL,
                hoverinfo="skip",
                name=f"Target band: {label}",
            )
        )
    elif targ["target"].notna().any():
        label = fmt.format_target(targ["target"].dropna().iloc[-1], None, None, unit)
        traces.append(
            go.Scatter(
                x=x,
                y=targ["target"],
                mode="lines",
                line=dict(color=TARGET, width=2, dash="dash", shape="hv"),
                hoverinfo="skip",
                name=f"Target: {label}",
            )
        )
    return traces


def _hover(frame: pd.DataFrame, unit: object, name: str) -> list[list[str]]:
    rows = []
    for r in frame.itertuples(index=False):
        if getattr(r, "small", False):  # suppressed: nothing that would tell the figure
            rows.append([name, fmt.month_label(r.period_end), SUPPRESSED, "", ""])
            continue
        made_of = fmt.fraction_text(r.numerator, r.denominator)
        target = fmt.format_target(r.target, r.target_low, r.target_high, unit)
        rag = Rag.normal(r.rag)
        verdict = Rag.WORD[rag] if rag else r.rag_note  # "too few to rate": no verdict
        rows.append(
            [
                name,
                fmt.month_label(r.period_end),
                fmt.format_value(r.value, unit),
                made_of and f"{made_of}<br>",
                f"Target {target}" + (f" · {verdict}" if verdict else "") if target else "",
            ]
        )
    return rows


HOVER = (
    "<b>%{customdata[0]}</b> · %{customdata[1]}<br>"
    "<b>%{customdata[2]}</b><br>%{customdata[3]}%{customdata[4]}<extra></extra>"
)


def trend_chart(
    series: pd.DataFrame,
    indicator: Mapping,
    *,
    hub_names: Mapping[str, str] | None = None,
    hub_label: str = TRUST,
    period_label: str = "",
    as_at: date | None = None,
    height: int = 440,
    spc: pd.DataFrame | None = None,
    spc_summary: pd.DataFrame | None = None,
    events: pd.DataFrame | Iterable[Event] | None = None,
    benchmarks: pd.DataFrame | None = None,
    suppress_small: bool = False,
    notes: Iterable[str] = (),
) -> go.Figure:
    """The monthly line of one indicator (a frame from charts.data.series_frame).

    `spc`, `spc_summary`, `events`, `benchmarks`: the frames scst_metrics.spc_points,
    spc_summary, events and benchmark_rows return for this indicator (any hubs; the chart
    picks its series' rows). None leaves that layer out. `suppress_small`: for an image that
    leaves the Trust (export.chart_image turns it on for a single hub). `notes`: more short
    notes for the top of the plot (a board pack's), laid out with the chart's own."""
    hub_names = hub_names or {}
    unit = fmt.check_unit(indicator["unit"])
    fig = go.Figure(layout=base_layout(height))
    frame = series.assign(_hub=series["hub_id"].fillna("")).sort_values(
        ["_hub", "period_end"], kind="stable"
    )
    hidden = _suppressed(frame, unit) if suppress_small else pd.Series(False, index=frame.index)
    frame["small"] = hidden
    groups = [
        ("__trust__" if k == "" else k, g.drop(columns="_hub"))
        for k, g in frame.groupby("_hub", sort=True)
    ]
    frame = frame.drop(columns=["_hub", "small"])
    single = len(groups) == 1
    spc_layer = _spc_layer(spc, spc_summary, indicator, groups, hidden_ends(groups), suppress_small)
    in_month = spc_layer is not None and spc_layer.basis == IN_MONTH_BASIS
    if not in_month:  # the in-month figure has no target of its own on this chart
        for trace in _target_traces(frame, unit) if len(groups) <= 1 else []:
            fig.add_trace(trace)
    if len(groups) > 1:  # several hubs: the target once, if they share it
        first = groups[0][1]
        for trace in _target_traces(first, unit):
            fig.add_trace(trace)

    for i, (key, g) in enumerate(groups):
        if in_month:  # the SPC layer draws the in-month figure's line and points
            break
        name = _hub_name(None if key == "__trust__" else key, hub_names)
        colour = MEASURE if single else HUB_COLOURS[i % len(HUB_COLOURS)]
        dash = "solid" if single else HUB_DASHES[(i // len(HUB_COLOURS)) % 4]
        shown = g.assign(value=g["value"].where(~g["small"].astype(bool)))
        with_spc = spc_layer is not None and spc_layer.points is not None
        fig.add_trace(
            go.Scatter(
                x=shown["period_end"],
                y=shown["value"],
                # with SPC its points carry the markers (by type) and the hover (limits)
                mode="lines" if with_spc or len(g) > 36 else "lines+markers",
                name="Value" if single else f"{name}: {_latest_label(g, unit)}",
                legendgroup=name,
                line=dict(color=colour, width=3, dash=dash),
                marker=dict(size=6, color=colour),
                customdata=_hover(g, unit, name),
                hovertemplate=HOVER,
                hoverinfo="skip" if with_spc else None,
                connectgaps=False,
            )
        )
        _mark_latest(fig, g, unit, None if single else name, colour)

    events_list = _events(events)
    if spc_layer is not None:
        spc_layer.draw(fig, events_list, unit)
    if benchmarks is not None and not benchmarks.empty:
        if single and groups[0][0] == "__trust__":
            if unit == COUNT:  # England's 80,000 beside our 200 says nothing and flattens us
                benchmarks = benchmarks[benchmarks["comparator"] == "us_published"]
                mdc.corner_note(fig, COUNT_BENCHMARKS, y=-0.0)
            add_benchmarks(fig, benchmarks)  # before finish(): it sizes the legend
        else:
            mdc.corner_note(
                fig, "DfE benchmarks are the whole authority's: see the whole-Trust chart"
            )

    if frame.empty or frame["value"].isna().all():
        fig.add_annotation(
            text="No data for these months",
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            font=dict(size=20, color=MUTED),
        )

    if unit == PERCENT:
        # From zero (no exaggerated wiggles), to just above the highest value or target.
        tops = [*frame["value"].dropna(), *frame["target"].dropna(), *frame["target_high"].dropna()]
        if spc_layer is not None and spc_layer.points is not None:  # the limits stay in view
            tops += [*spc_layer.points["upl"].dropna(), *spc_layer.points["value"].dropna()]
        top = min(100.0, max(tops, default=100.0) * 1.2) if tops else 100.0
        fig.update_yaxes(range=[0, max(top, 5.0) * 1.04], ticksuffix="%")
    fig.update_xaxes(tickformat="%b %Y", hoverformat="%b %Y")
    # Month labels stay level and few (nticks): on a narrow chart plotly would tilt them and
    # grow the bottom margin, pushing the footnote up into the legend.
    fig.update_layout(
        yaxis_title=fmt.axis_title(unit),
        xaxis=dict(tickangle=0, nticks=6, tickformat="%b<br>%Y", automargin=False),
    )
    for note in notes:
        mdc.corner_note(fig, note)
    title = str(indicator["title"])
    if in_month:  # the points are the months' own figures, not the year to date
        indicator = {**indicator, "period_words": IN_MONTH_WORDS}
    footnote = footnote_text(indicator, as_at)
    if suppress_small:
        footnote += f"<br>{SUPPRESSED_NOTE}"
    band = finish(
        fig,
        title=title,
        subtitle=subtitle_text(indicator, hub_label, period_label),
        footnote=footnote,
        height=height,
    )
    if spc_layer is not None:  # after finish(): the icons are sized to the final plot area
        # above the notes' band (finish), so the notes and the icons' words never meet
        mdc_icons.add_title_icons(
            fig, spc_layer.variation, spc_layer.assurance, y=ICONS_Y + band / plot_height(fig)
        )
    return fig


IN_MONTH_BASIS = "in_month_from_year_to_date"  # spc_step: SPC on a year to date's months
IN_MONTH_WORDS = "the month's own figure (the year to date is in the hover)"
SUPPRESSED_NOTE = f"Figures of 1 to {SMALL_MAX} are shown as {SUPPRESSED} (DfE's convention)"
COUNT_BENCHMARKS = "DfE's count for us as published; England, region and neighbours in the table"
MANY_HUBS_SPC = (
    "SPC shown for one hub at a time: choose a single hub, or the whole Trust, for its limits"
)


def _suppressed(frame: pd.DataFrame, unit: str) -> pd.Series:
    """True where DfE's convention suppresses the figure (small_numbers.suppress: 'c')."""
    return pd.Series(
        [
            suppress(r.value, r.numerator, r.denominator, unit) == SUPPRESSED
            for r in frame.itertuples(index=False)
        ],
        index=frame.index,
        dtype=bool,
    )


def hidden_ends(groups: list[tuple[str, pd.DataFrame]]) -> set[pd.Timestamp]:
    """The suppressed months of a single series (none to hide with several hubs: no SPC)."""
    if len(groups) != 1:
        return set()
    g = groups[0][1]
    return set(pd.to_datetime(g.loc[g["small"].astype(bool), "period_end"]))


def _events(events: pd.DataFrame | Iterable[Event] | None) -> list[Event]:
    """scst_metrics.events() rows (event_date, scope, what) as the Events mdc draws."""
    if events is None:
        return []
    if isinstance(events, pd.DataFrame):
        return [
            Event(pd.Timestamp(r.event_date).date(), r.scope, r.what, 0)
            for r in events.itertuples(index=False)
        ]
    return list(events)


TOP_NOTES = ("spc_off", "spc_notes", "chart_note")  # mdc's and ours, at the plot's top left
NOTE_CHARS = 52  # a line of a top note that fits a half-width chart (1280 px screen) at 12px
NOTE_LINE = 16  # px per line of the top notes (12px text)
NOTE_GAP = 8  # px between the notes and the plot (clear of the top y tick label)
ICONS_Y = 1.02  # the SPC icons' bottom (paper): just above the plot, or above the notes' band


def _top_notes(fig: go.Figure, left: float) -> int:
    """The notes at the top left of the plot (no SPC and why, trial limits, benchmarks
    elsewhere, a pack's note) as one annotation, line under line, each line short enough for
    a half-width chart (plotly never wraps an annotation), in a band of their own just above
    the plot, from the figure's left edge as the title and footnote (`left`: the plot's left
    margin). The SPC icons and their words go above the band (trend_chart), so they never
    meet whatever the chart's width. Returns the band's height in px (0: no note)."""
    top = [a for a in fig.layout.annotations if a.name in TOP_NOTES and a.y == 1.0]
    if not top:
        return 0
    lines = [
        line
        for a in top
        for part in str(a.text).split("<br>")
        for line in textwrap.wrap(part, NOTE_CHARS, break_on_hyphens=False) or [part]
    ]
    rest = [a for a in fig.layout.annotations if a not in top]
    merged = top[0].to_plotly_json() | {
        "text": "<br>".join(lines),
        "name": "chart_notes",
        "align": "left",
        "xshift": -(left - 16),
        "yshift": NOTE_GAP,
    }
    fig.layout.annotations = [*rest, merged]
    return NOTE_LINE * len(lines) + NOTE_GAP + 4


def plot_height(fig: go.Figure) -> float:
    """The plot area's height in px (the figure's height less its top and bottom margins)."""
    m = fig.layout.margin
    return max(float(fig.layout.height) - float(m.t or 0) - float(m.b or 0), 1.0)


class _SpcLayer:
    """The SPC of the chart's one series, or why there is none (several hubs)."""

    def __init__(self, points, summary, reason: str | None = None, series=None) -> None:
        self.points = points
        self.summary = summary
        self.reason = reason
        self.series = series
        get = (lambda k: None) if summary is None else summary.get
        self.basis = get("basis") or "value"
        ok = reason is None and summary is not None and mdc.spc_off_reason(summary) is None
        self.variation = get("variation") if ok else None
        self.assurance = get("assurance") if ok else None

    def draw(self, fig: go.Figure, events: list[Event], unit: str) -> None:
        if self.reason is not None:
            mdc.corner_note(fig, self.reason)
            return
        mdc.add_spc(
            fig,
            self.series,
            self.points if self.points is not None else pd.DataFrame(),
            self.summary,
            events,
            unit=unit,
            icons=False,
            connect=self.basis == IN_MONTH_BASIS,
        )


def _spc_layer(
    spc: pd.DataFrame | None,
    summary: pd.DataFrame | None,
    indicator: Mapping,
    groups: list[tuple[str, pd.DataFrame]],
    hidden: set[pd.Timestamp],
    suppress_small: bool,
) -> _SpcLayer | None:
    if spc is None and summary is None:
        return None
    if len(groups) > 1:
        return _SpcLayer(None, None, MANY_HUBS_SPC)
    key, g = groups[0] if groups else ("__trust__", pd.DataFrame())
    hub = None if key == "__trust__" else key
    empty = pd.DataFrame(columns=["indicator_id", "hub_id"])
    points, row = mdc.spc_frames_for(
        empty if spc is None else spc,
        empty if summary is None else summary,
        str(indicator["id"]),
        hub,
    )
    if points.empty:
        points = None
    elif suppress_small:
        points = points.copy()
        if (row or {}).get("basis") == IN_MONTH_BASIS:
            # the in-month figure is a count of its own: suppressed on its own value
            small = [suppress(v, None, None, "count") == SUPPRESSED for v in points["value"]]
        else:
            small = pd.to_datetime(points["period_end"]).isin(hidden).tolist()
        points.loc[small, "value"] = float("nan")
    return _SpcLayer(points, row, None, g)  # g keeps `small`: mdc's hover says "c"


LEGEND_ROW = 26  # px per legend entry (one entry a line: readable in a narrow column)
LEGEND_CHARS = 30  # a legend line that fits a half-width chart (1280 px screen) at 16px
LEGEND_LINE = 20  # px per further line of a wrapped legend entry
FOOT_LINE = 18  # px per line of the "Source / data as at" note at the very bottom
AXIS_H = 58  # px for the x tick labels under the plot (month over year: two lines)


TITLE_CHARS = 32  # a title line that fits a half-width chart (1280 px screen) at TITLE_SIZE
TITLE_LINE = 28  # px per extra title line
SUBTITLE_CHARS = 40  # a subtitle line that fits a half-width chart at 15px
SUBTITLE_LINE = 20  # px for the subtitle's second line


def wrap_title(title: str, width: int = TITLE_CHARS) -> list[str]:
    """A long title on two or more lines (plotly cuts a long title off at the chart edge)."""
    return textwrap.wrap(title, width) or [title]


def legend_name(name: str) -> str:
    """A legend entry in lines that fit a half-width chart: 'Slough as published<br>(DfE, at
    31 March)', 'Hub 1 - Britwell:<br>72 ✖ Off target' -- broken before a bracket or after a
    colon where it has one, else between words. Read with its breaks as spaces, it is `name`."""
    if "<br>" in name:
        return name
    return "<br>".join(_legend_lines(name))


def _legend_lines(text: str) -> list[str]:
    if len(text) <= LEGEND_CHARS:
        return [text]
    bracket, colon = text.find(" (", 1), text.find(": ", 1)
    if bracket > 0:
        return _legend_lines(text[:bracket]) + _legend_lines(text[bracket + 1 :])
    if colon > 0:
        return _legend_lines(text[: colon + 1]) + _legend_lines(text[colon + 2 :])
    return textwrap.wrap(text, LEGEND_CHARS, break_on_hyphens=False)


def finish(fig: go.Figure, *, title: str, subtitle: str, footnote: str, height: int) -> int:
    """Title and subtitle on top, then the notes' band (_top_notes); under the plot the
    legend, one entry a line, then the footnote. Worked out in pixels, so nothing overlaps
    whatever the width. Returns the notes' band height in px."""
    lines = wrap_title(title)
    extra = TITLE_LINE * (len(lines) - 1)
    if len(subtitle) > SUBTITLE_CHARS and " · " in subtitle:  # hub on one line, months below
        subtitle = subtitle.replace(" · ", "<br>", 1)
        extra += SUBTITLE_LINE
    left = fig.layout.margin.l if fig.layout.margin.l is not None else 70
    band = _top_notes(fig, left)
    height += 2 * extra + band  # the plot keeps its height
    shown = [t for t in fig.data if t.showlegend is not False and t.name]
    entries = len(shown)
    extra_lines = 0
    for t in shown:  # plotly cuts a legend entry off at the plot's width: wrap a long one
        t.name = legend_name(t.name)
        extra_lines += t.name.count("<br>")
    legend_h = LEGEND_ROW * entries + LEGEND_LINE * extra_lines
    total = height + legend_h
    foot_h = FOOT_LINE * (footnote.count("<br>") + 1) + 8
    bottom = AXIS_H + legend_h + foot_h + 6
    fig.update_layout(
        height=total,
        title=dict(
            text="<br>".join(f"<b>{line}</b>" for line in lines),
            subtitle=dict(text=subtitle, font=dict(size=15, color=MUTED)),
            x=0,
            xanchor="left",
            xref="container",
            y=1,
            yref="container",
            yanchor="top",
            pad=dict(l=16, t=16 + extra),
            font=dict(size=TITLE_SIZE, color=INK),
        ),
        margin=dict(t=92 + 2 * extra + band, b=bottom),
        legend=dict(
            orientation="h",
            entrywidth=1,
            entrywidthmode="fraction",
            yref="container",
            y=(foot_h + 2) / total,
            yanchor="bottom",
            xref="container",
            x=0,
            xanchor="left",
            traceorder="normal",
            itemsizing="constant",
            indentation=8,
        ),
        showlegend=entries > 0,
    )
    fig.add_annotation(
        text=footnote,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xshift=-(left - 16),
        yshift=-bottom + 4,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        align="left",
        font=dict(size=13, color=MUTED),
    )
    return band


def _latest_label(g: pd.DataFrame, unit: object) -> str:
    have = g[g["value"].notna()]
    if have.empty:
        return "no data"
    last = have.iloc[-1]
    if bool(last.get("small", False)):
        return SUPPRESSED
    rag = Rag.normal(last["rag"])
    value = fmt.format_value(last["value"], unit)
    return f"{value} {Rag.ICON[rag]} {Rag.WORD[rag]}" if rag else value


def _mark_latest(
    fig: go.Figure, g: pd.DataFrame, unit: object, name: str | None, colour: str
) -> None:
    """The latest value: RAG colour, RAG shape, and a label saying value and RAG in words."""
    have = g[g["value"].notna()]
    if have.empty:
        return
    last = have.iloc[-1]
    if bool(last.get("small", False)):  # suppressed: no point, no RAG, just "c"
        if name is None:
            mdc.corner_note(fig, f"Latest ({fmt.month_label(last['period_end'])}): {SUPPRESSED}")
        return
    rag = Rag.normal(last["rag"])
    value = fmt.format_value(last["value"], unit)
    word = Rag.WORD[rag] if rag else "Latest"
    label = f"{value}" + (f" {Rag.ICON[rag]} {word}" if rag else "")
    # One series: the label sits by the point. Several: labels would collide, so each hub's
    # legend entry carries its latest value and RAG word instead.
    fig.add_trace(
        go.Scatter(
            x=[last["period_end"]],
            y=[last["value"]],
            mode="markers+text" if name is None else "markers",
            marker=dict(
                size=17,
                color=Rag.COLOUR[rag] if rag else colour,
                symbol=Rag.SYMBOL[rag] if rag else "circle",
                line=dict(color="white", width=2),
            ),
            text=[f"<b>{label}</b>"],
            textposition="top left",
            textfont=dict(size=15, color=Rag.COLOUR[rag] if rag else INK),
            name=f"Latest: {word}",
            legendgroup=name,
            hoverinfo="skip",
            showlegend=name is None and rag is not None,
            cliponaxis=False,
        )
    )
