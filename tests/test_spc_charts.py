"""The MDC chart layers (scst_metrics/charts/mdc.py) and icons (scst_metrics/charts/icons.py).

The chart tests draw hand-made SPC frames shaped as `indicator_spc` rows (two rebase groups and
a month in progress), so every trace can be checked against numbers written here; the icons
are exported by kaleido to PNG and SVG to show they survive an export.
"""

# ruff: noqa: F811  (pytest fixtures imported from indicator_drops are used as arguments)

from __future__ import annotations

import base64
import io
import xml.etree.ElementTree as ET
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from indicator_drops import indicator_db, with_spc  # noqa: F401
from PIL import Image

import scst_metrics as sm
from scst_metrics.charts import icons
from scst_metrics.charts.data import series_frame
from scst_metrics.charts.mdc import add_spc, spc_frames_for, spc_off_reason, trial_limits_note
from scst_metrics.indicators.spc_step import Event, events_for, read_events

SVG_NS = "{http://www.w3.org/2000/svg}"

# --- icons ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("concern_high", "Special cause concern: higher"),
        ("improvement_low", "Special cause improvement: lower"),
        ("common_cause", "Common cause variation: no significant change"),
        ("neutral_high", "Special cause variation: higher (neither better nor worse)"),
        ("consistent_fail", "Consistently misses the target"),
        ("inconsistent", "Inconsistent: sometimes meets the target, sometimes misses it"),
        (None, "No SPC"),
    ],
)
def test_every_icon_has_words(kind, words):
    assert icons.label(kind) == words


def test_an_unknown_icon_name_is_an_error():
    with pytest.raises(ValueError, match="'concern' is neither a variation"):
        icons.label("concern")


def test_variation_svg_has_letter_arrow_colour_and_title():
    root = ET.fromstring(icons.variation_svg("concern_high"))
    assert root.get("aria-label") == "Special cause concern: higher"
    assert root.find(f"{SVG_NS}title").text == "Special cause concern: higher"
    assert root.find(f"{SVG_NS}circle").get("stroke") == icons.CONCERN
    assert root.find(f"{SVG_NS}text").text == "H"
    # the arrow points up: its apex (29.5, 11) is above its base (y = 18)
    assert root.find(f"{SVG_NS}polygon").get("points") == "25,18 29.5,11 34,18"
    low = ET.fromstring(icons.variation_svg("improvement_low"))
    assert low.find(f"{SVG_NS}text").text == "L"
    assert low.find(f"{SVG_NS}circle").get("stroke") == icons.IMPROVEMENT
    flat = ET.fromstring(icons.variation_svg("common_cause"))
    assert flat.find(f"{SVG_NS}text") is None and flat.find(f"{SVG_NS}polyline") is not None


@pytest.mark.parametrize(
    ("assurance", "letter", "colour"),
    [
        ("consistent_pass", "P", icons.IMPROVEMENT),
        ("consistent_fail", "F", icons.CONCERN),
        ("inconsistent", "?", icons.COMMON_CAUSE),
    ],
)
def test_assurance_svg(assurance, letter, colour):
    root = ET.fromstring(icons.assurance_svg(assurance))
    assert root.find(f"{SVG_NS}text").text == letter
    assert root.find(f"{SVG_NS}circle").get("stroke") == colour


def test_palette_contrast_against_white():
    # WCAG 2.1 relative luminance; #7F7F7F: 127/255 = 0.498 -> ((0.498 + 0.055) / 1.055)^2.4
    # = 0.2122; (1 + 0.05) / (0.2122 + 0.05) = 4.00
    assert round(icons.contrast_ratio(icons.COMMON_CAUSE), 2) == 4.00
    assert round(icons.contrast_ratio("#000000"), 2) == 21.0
    ratios = {
        c: round(icons.contrast_ratio(c), 2)
        for c in (icons.IMPROVEMENT, icons.CONCERN, icons.NEUTRAL)
    }
    assert ratios == {"#0086C6": 4.02, "#D4600A": 3.83, "#7030A0": 8.02}
    assert min(ratios.values()) >= 3  # WCAG 1.4.11: graphics 3:1
    # MDC's own light blue and grey would not be: why the palette is darker
    assert icons.contrast_ratio("#00B0F0") < 3 and icons.contrast_ratio("#A6A6A6") < 3


def _icon_figure(variation, assurance) -> go.Figure:
    fig = go.Figure(layout=dict(width=640, height=440, title="Children in care"))
    fig.add_trace(go.Scatter(x=[1, 2], y=[1, 2], line=dict(color="black")))
    return icons.add_title_icons(fig, variation, assurance)


def test_title_icons_are_layout_images_with_words():
    fig = _icon_figure("concern_low", "consistent_fail")
    sources = [img.source for img in fig.layout.images]
    assert len(sources) == 2
    svgs = [base64.b64decode(s.split(",", 1)[1]).decode() for s in sources]
    # right to left: the assurance icon at the edge, the variation icon left of it
    assert svgs == [icons.assurance_svg("consistent_fail"), icons.variation_svg("concern_low")]
    assert fig.layout.meta["spc_icons"] == (
        "Special cause concern: lower · Consistently misses the target"
    )
    # beside the icons, short words (the full ones are in meta, for alt text)
    words = [a.text for a in fig.layout.annotations]
    assert words == ["Concern: lower<br>Misses the target"]
    none = _icon_figure(None, None)
    assert len(none.layout.images) == 0 and none.layout.meta["spc_icons"] == "No SPC"


def _pixels_near(png: bytes, hex_colour: str, tol: int = 30) -> int:
    target = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    return int((np.abs(img - target) <= tol).all(axis=2).sum())


def test_icons_survive_kaleido_png_and_svg_export():
    fig = _icon_figure("concern_high", "inconsistent")
    png = fig.to_image(format="png")
    # the orange ring and letter are drawn: orange pixels appear only with the icon
    assert _pixels_near(png, icons.CONCERN) > 50
    plain = go.Figure(fig)
    plain.layout.images = ()
    assert _pixels_near(plain.to_image(format="png"), icons.CONCERN) == 0
    svg = fig.to_image(format="svg").decode()
    assert svg.count("data:image/svg+xml;base64") == 2


# --- the MDC layers -----------------------------------------------------------------------

ENDS = list(pd.date_range("2024-01-31", periods=8, freq="ME")) + [pd.Timestamp("2024-09-24")]
# group 0: Jan-Apr, mean 10, limits 4 to 16; group 1 (rebased May): May-Aug, mean 20,
# limits 14 to 26; the month in progress to 24 September keeps group 1's limits
VALUES = [9, 11, 17, 10, 20, 21, 19, 27, 8]
TYPES = ["common_cause", "common_cause", "special_cause_concern", "common_cause"] + [
    "common_cause",
    "common_cause",
    "common_cause",
    "special_cause_concern",
    None,
]


def spc_rows() -> pd.DataFrame:
    g = [0] * 4 + [1] * 5
    return pd.DataFrame(
        {
            "indicator_id": "referrals_month",
            "hub_id": None,
            "period_end": ENDS,
            "value": [float(v) for v in VALUES],
            "mean": [10.0 if x == 0 else 20.0 for x in g],
            "lpl": [4.0 if x == 0 else 14.0 for x in g],
            "upl": [16.0 if x == 0 else 26.0 for x in g],
            "nlpl": [6.0 if x == 0 else 16.0 for x in g],
            "nupl": [14.0 if x == 0 else 24.0 for x in g],
            "special_cause": [t == "special_cause_concern" for t in TYPES],
            "point_type": TYPES,
            "rebase_group": g,
            "part_month": [False] * 8 + [True],
        }
    )


def series_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_end": ENDS,
            "value": [float(v) for v in VALUES],
            "numerator": [float(v) for v in VALUES],
            "denominator": [40.0] * 9,
        }
    )


SUMMARY = {
    "indicator_id": "referrals_month",
    "variation": "concern_high",
    "assurance": "inconsistent",
    "trial_limits": True,
    "baseline_start": pd.Timestamp("2024-05-31"),
    "baseline_points": 4,
    "reason_if_none": None,
    "basis": "value",
}
EVENTS = [
    Event(date(2015, 10, 1), "all", "Trust launched", 2),  # before the chart: not drawn
    Event(date(2024, 5, 1), "hubs", "New front door", 3),
]


def chart(**kw) -> go.Figure:
    fig = go.Figure(layout=dict(width=640, height=440))
    return add_spc(fig, series_rows(), spc_rows(), SUMMARY, EVENTS, unit="count", **kw)


def test_limits_are_drawn_per_rebase_group_not_joined():
    fig = chart()
    means = [t for t in fig.data if t.name == "Mean"]
    assert [list(t.y) for t in means] == [[10, 10], [20, 20]]
    assert [(t.x[0], t.x[1]) for t in means] == [
        (ENDS[0], ENDS[3]),  # January - April
        (ENDS[4], ENDS[8]),  # May - the month in progress (drawn against the latest limits)
    ]
    limits = [t for t in fig.data if t.name == "Process limits"]
    assert sorted(t.y[0] for t in limits) == [4, 14, 16, 26]
    assert {t.line.dash for t in limits} == {"dash"}
    assert [t.showlegend for t in fig.data if t.name in ("Mean", "Process limits")] == [
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    assert not [t for t in fig.data if t.name == "Near-limit lines"]
    near = [t for t in chart(near_limits=True).data if t.name == "Near-limit lines"]
    assert sorted(t.y[0] for t in near) == [6, 14, 16, 24]


def test_points_by_type_with_colour_and_shape():
    fig = chart()
    by_name = {t.name: t for t in fig.data if t.mode == "markers"}
    common = by_name["Common cause"]
    concern = by_name["Special cause: concern"]
    assert list(common.y) == [9, 11, 10, 20, 21, 19]
    assert list(concern.y) == [17, 27]
    assert (common.marker.symbol, common.marker.color) == ("circle", icons.COMMON_CAUSE)
    assert (concern.marker.symbol, concern.marker.color) == ("square", icons.CONCERN)


def test_month_in_progress_is_hollow_and_labelled():
    fig = chart()
    (part,) = [t for t in fig.data if t.name and t.name.startswith("Month in progress")]
    assert part.name == "Month in progress (1-24 Sep): not used for the limits"
    assert list(part.y) == [8] and part.marker.symbol == "circle-open"
    assert list(part.text) == ["1-24 Sep"]
    assert "Month in progress: not used for the limits" in part.customdata[0][0]


def test_hover_says_value_fraction_and_limits():
    concern = [t for t in chart().data if t.name == "Special cause: concern"][0]
    first = concern.customdata[0][0]
    # March 2024: 17 referrals of a base of 40; group 0: mean 10, limits 4 to 16
    assert first == (
        "<b>Mar 2024</b><br><b>17</b><br>17 of 40<br>Mean 10 · limits 4 to 16"
        "<br>Special cause: concern"
    )


def test_events_inside_the_chart_are_marked():
    fig = chart()
    marks = [a.text for a in fig.layout.annotations if a.name == "event"]
    assert marks == ["May 2024: New front door"]
    assert [s.x0 for s in fig.layout.shapes] == [pd.Timestamp("2024-05-01")]


def test_trial_limits_note_and_icons():
    fig = chart()
    notes = [a.text for a in fig.layout.annotations if a.name == "spc_notes"]
    assert notes == ["Trial limits: 4 points since May 2024"]
    assert len(fig.layout.images) == 2
    assert fig.layout.meta["spc_icons"] == (
        "Special cause concern: higher · Inconsistent: sometimes meets the target, "
        "sometimes misses it"
    )


def test_in_month_basis_says_so_and_hovers_the_year_to_date():
    summary = SUMMARY | {"basis": "in_month_from_year_to_date", "trial_limits": False}
    ytd = series_rows().assign(value=[float(sum(VALUES[: i + 1])) for i in range(9)])
    fig = add_spc(go.Figure(), ytd, spc_rows(), summary, unit="count")
    notes = [a.text for a in fig.layout.annotations if a.name == "spc_notes"]
    assert notes == ["SPC on the in-month figure behind the year to date"]
    first = [t for t in fig.data if t.name == "Common cause"][0].customdata[0][0]
    # January: 9 in the month, 9 year to date; February (second common-cause point): 11, 20
    assert "<b>9</b> in the month<br>Year to date: 9" in first
    second = [t for t in fig.data if t.name == "Common cause"][0].customdata[1][0]
    assert "<b>11</b> in the month<br>Year to date: 20" in second


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        (
            "A rolling 12-month figure: each month shares 11 months with the one before, so "
            "the SPC run rules would fire from the overlap alone. No SPC on this series.",
            "SPC not applied: rolling 12-month figure (months overlap)",
        ),
        (
            "A academic year-to-date figure: each month includes the months before it, and "
            "the month's own figure cannot be taken from the stored values. No SPC.",
            "SPC not applied: academic year-to-date figure",
        ),
        ("Something new", "SPC not applied: Something new"),
    ],
)
def test_no_spc_says_why_on_the_chart(reason, text):
    summary = {"reason_if_none": reason, "basis": "none", "variation": None}
    assert spc_off_reason(summary) == text
    fig = add_spc(go.Figure(), series_rows(), spc_rows().iloc[0:0], summary)
    assert [a.text for a in fig.layout.annotations] == [text]
    assert len(fig.data) == 0 and len(fig.layout.images) == 0


def test_no_trial_note_with_12_points():
    assert trial_limits_note(SUMMARY | {"trial_limits": False}) is None


# --- on the real loader's database ----------------------------------------------------------


@pytest.fixture(scope="module")
def loaded(indicator_db, tmp_path_factory):
    con = duckdb.connect(str(with_spc(indicator_db, tmp_path_factory.mktemp("spc_charts"))))
    yield con
    con.close()


def test_a_loaded_series_charted(loaded, indicator_db):
    # the series as the read API gives it to a chart (values with their targets and RAG)
    values = sm.series("referrals_month", db=indicator_db)
    spc_points, summary = spc_frames_for(
        loaded.execute("SELECT * FROM indicator_spc").df(),
        loaded.execute("SELECT * FROM indicator_spc_summary").df(),
        "referrals_month",
        None,
    )
    # the events of data/events.csv (2015, 2016) are older than this drop (April 2018 on)
    events = events_for(read_events(), "referrals_month", "hubs")
    assert [e.when.year for e in events] == [2015, 2016]
    fig = add_spc(go.Figure(), series_frame(values), spc_points, summary, events, unit="count")
    # 14 month ends (April 2018 - May 2019) in one rebase group, then 1-12 June 2019
    (mean,) = [t for t in fig.data if t.name == "Mean"]
    assert (mean.x[0], mean.x[1]) == (pd.Timestamp("2018-04-30"), pd.Timestamp("2019-06-12"))
    assert mean.y[0] == spc_points["mean"].iloc[0]
    (part,) = [t for t in fig.data if t.name and t.name.startswith("Month in progress")]
    assert list(part.text) == ["1-12 Jun"]
    drawn = sum(len(t.y) for t in fig.data if t.mode == "markers")
    assert drawn == 14
    assert not [a for a in fig.layout.annotations if a.name == "event"]
    # neutral (referrals are context): no assurance icon, the variation one alone
    assert summary["variation"] == "neutral_high" and len(fig.layout.images) == 1


def test_chart_line_colours_reach_3_to_1():
    from scst_metrics.charts import mdc

    for colour in (mdc.MEAN_COLOUR, mdc.LIMIT_COLOUR, mdc.PART_MONTH_COLOUR, mdc.LINE_COLOUR):
        assert icons.contrast_ratio(colour) >= 3, colour
