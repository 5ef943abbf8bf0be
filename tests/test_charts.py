"""Board charts: built from a series and its target, readable without colour."""

from datetime import date

import pandas as pd
import pytest

import scst_metrics as sm
from scst_metrics import charts
from scst_metrics.charts import formatting

MONTHS = pd.date_range("2024-01-31", periods=6, freq="ME")


def series(values, *, hub=None, target=None, low=None, high=None, rags=None, den=None):
    n = len(values)
    return charts.data.series_frame(
        pd.DataFrame(
            {
                "period_end": MONTHS[:n],
                "hub_id": [hub] * n,
                "numerator": values,
                "denominator": [den] * n,
                "value": values,
                "target": [target] * n,
                "target_low": [low] * n,
                "target_high": [high] * n,
                "rag": rags or [None] * n,
                "rag_note": [None] * n,
            }
        )
    )


# The charts take the catalogue as the library gives it (scst_metrics.catalogue())
CAT = charts.data.catalogue_frame(sm.catalogue()).set_index("id", drop=False)
PCT = CAT.loc["rereferrals_12m"].to_dict()
COUNT = CAT.loc["hub_allocated"].to_dict()


def test_trend_has_title_target_latest_rag_shape_and_footnote():
    s = series([20.0, 21.0, 25.5], target=22.0, rags=["green", "green", "red"], den=100)
    fig = charts.trend_chart(
        s, PCT, hub_label="Whole Trust", period_label="Jan 2024 to Mar 2024", as_at=date(2024, 4, 2)
    )
    assert "Re-referrals within 12 months" in fig.layout.title.text
    assert "Whole Trust · Jan 2024 to Mar 2024" in fig.layout.title.subtitle.text
    names = [t.name for t in fig.data]
    assert "Target: 22.0%" in names
    latest = [t for t in fig.data if t.name and t.name.startswith("Latest")][0]
    assert latest.marker.symbol == "x"  # red has its own shape, not just a colour
    assert "Off target" in latest.text[0] and "25.5%" in latest.text[0]
    foot = [a.text for a in fig.layout.annotations]
    # the board's words for the source, not the table name (cin_referrals)
    assert any("Source: CIN census" in t and "2 April 2024" in t for t in foot)


def test_hover_carries_numerator_and_denominator():
    s = series([25.0], target=22.0, rags=["red"], den=80)
    fig = charts.trend_chart(s, PCT)
    value = [t for t in fig.data if t.name == "Value"][0]
    assert "25 of 80" in value.customdata[0][3]


def test_band_target_is_shaded_and_hubs_compared():
    a = series([45.0, 72.0], hub="H01", low=40, high=70, rags=["green", "red"])
    b = series([50.0, 55.0], hub="H02", low=40, high=70, rags=["green", "green"])
    both = pd.concat([a, b], ignore_index=True)
    names = {"H01": "Hub 1 - Britwell", "H02": "Hub 2 - Chalvey"}
    fig = charts.trend_chart(both, COUNT, hub_names=names, hub_label="2 hubs")
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert "Target band: 40 to 70" in legend
    # 33 characters: on two lines (LEGEND_CHARS 30), after the hub's name, so it is not cut
    # off at the edge of a half-width chart
    assert "Hub 1 - Britwell:<br>72 ✖ Off target" in legend
    assert charts.wants_hub_comparison(COUNT, both)
    cmp = charts.hub_comparison_chart(both, COUNT, hub_names=names)
    bars = [t for t in cmp.data if t.type == "bar"][0]
    assert list(bars.y) == ["Hub 2 - Chalvey", "Hub 1 - Britwell"]  # sorted by value
    assert any("Off target" in t for t in bars.text)


def test_hubs_compared_say_each_hubs_variation():
    a = series([45.0, 72.0], hub="H01", low=40, high=70, rags=["green", "red"])
    b = series([50.0, 55.0], hub="H02", low=40, high=70, rags=["green", "green"])
    names = {"H01": "Hub 1 - Britwell", "H02": "Hub 2 - Chalvey"}
    summ = pd.DataFrame(
        {
            "indicator_id": ["hub_allocated"] * 3,
            "hub_id": [None, "H01", "H02"],
            "variation": ["common_cause", "concern_high", None],  # H02: no SPC
        }
    )
    cmp = charts.hub_comparison_chart(
        pd.concat([a, b], ignore_index=True), COUNT, hub_names=names, spc_summary=summ
    )
    (bars,) = [t for t in cmp.data if t.type == "bar"]
    # sorted by value: Hub 2 (55) then Hub 1 (72)
    assert list(bars.text) == ["55  ● On target", "72  ✖ Off target · Concern: higher"]
    assert bars.customdata[1][1] == "Special cause concern: higher"
    assert bars.customdata[0][1] == "No SPC"


def test_no_data_is_said_not_drawn_as_zero():
    s = series([None, None])
    fig = charts.trend_chart(s, PCT)
    assert any("No data" in a.text for a in fig.layout.annotations)
    assert formatting.format_value(None, "percent") == "no data"


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (68.24, "percent", "68.2%"),
        (42, "count", "42"),
        (31.46, "rate_per_10000", "31.5 per 10,000"),
        (17.25, "ratio", "17.2"),
    ],
)
def test_formatting(value, unit, text):
    assert formatting.format_value(value, unit) == text


def _latest(rows):
    """Rows shaped as scst_metrics.latest() returns them."""
    base = {
        "hub_id": None,
        "period_end": date(2026, 10, 31),
        "numerator": None,
        "denominator": None,
        "target": None,
        "target_low": None,
        "target_high": None,
        "rag": None,
        "rag_note": None,
        "change": None,
    }
    return pd.DataFrame([base | r for r in rows])


def test_tiles_say_no_change_without_an_arrow_and_fit_a_rate():
    cat = CAT.loc[["rereferrals_12m", "lac_rate"]].reset_index(drop=True)
    latest = _latest(
        [
            {"indicator_id": "rereferrals_12m", "value": 50.0, "change": 0.04},
            {"indicator_id": "lac_rate", "value": 671.04, "change": -2.7},
        ]
    )
    latest.loc[0, ["numerator", "denominator"]] = (30, 60)
    a, b = (t.first for t in charts.tiles.tiles(latest, cat, {}))
    assert (a.change, a.steady) == ("no change", True)  # +0.04 pts shows as +0.0: no arrow
    assert (a.value, a.base, a.value_with_base) == ("50.0%", "30 of 60", "50.0% (30 of 60)")
    assert (b.value, b.change, b.steady) == ("671.0", "-2.7", False)  # unit is in the title
    assert (b.base, b.value_with_base) == (None, "671.0")  # a rate: no count behind it shown


def test_a_tile_shows_the_count_behind_a_percentage_and_no_verdict_on_too_few():
    # 0 of 1 and 1 of 1 referrals re-referred: the overview once said "0.0% Off target"
    cat = CAT.loc[["rereferrals_12m"]].reset_index(drop=True)
    latest = _latest(
        [
            {
                "indicator_id": "rereferrals_12m",
                "hub_id": "H01",
                "value": 0.0,
                "numerator": 0,
                "denominator": 1,
                "target": 22.6,
                "rag_note": "too few to rate",
            },
            {
                "indicator_id": "rereferrals_12m",
                "hub_id": "H02",
                "value": 100.0,
                "numerator": 1,
                "denominator": 1,
                "target": 22.6,
                "rag_note": "too few to rate",
            },
            {
                "indicator_id": "rereferrals_12m",
                "hub_id": "H03",
                "value": 25.0,
                "numerator": 3,
                "denominator": 12,
                "target": 22.6,
                "rag": "amber",
            },
        ]
    )
    (tile,) = charts.tiles.tiles(latest, cat, {"H01": "Hub 1", "H02": "Hub 2", "H03": "Hub 3"})
    one, two, three = tile.lines
    # the tile's big number stays short (a longer one is cut off in a quarter-width tile);
    # the count behind it is its base
    assert (one.value, one.base, one.rag, one.rag_word) == (
        "0.0%",
        "0 of 1",
        None,
        "Too few to rate",
    )
    assert two.value_with_base == "100.0% (1 of 1)" and two.rag_word == "Too few to rate"
    assert (three.value_with_base, three.rag_word, three.target) == (
        "25.0% (3 of 12)",
        "Near target",
        "22.6%",
    )
    assert tile.worst == 1 * 1000  # amber (1), first in the catalogue (0): unrated lines rank last


def test_charts_refuse_what_the_library_never_returns():
    with pytest.raises(ValueError, match="unknown unit 'percentage'"):
        formatting.format_value(50.0, "percentage")  # once silently a ratio
    with pytest.raises(ValueError, match="unknown unit"):
        formatting.format_value(None, "days")
    with pytest.raises(ValueError, match="unknown RAG 'G'"):
        charts.Rag.normal("G")
    with pytest.raises(ValueError, match="unknown RAG 'Green'"):
        series([1.0], rags=["Green"])
    with pytest.raises(ValueError, match="no column period_end"):
        charts.data.series_frame(series([1.0]).rename(columns={"period_end": "month_end"}))
    with pytest.raises(TypeError, match="expected the DataFrame"):
        charts.data.series_frame([{"period_end": "2024-01-31", "value": 1.0}])
    with pytest.raises(TypeError, match="expected the Indicator declarations"):
        charts.data.catalogue_frame([{"id": "lac_count", "title": "Children looked after"}])
    with pytest.raises(ValueError, match="unknown polarity 'up'"):
        charts.tiles.tiles(_latest([]), CAT.assign(polarity="up").iloc[:1], {})
    with pytest.raises(KeyError, match="Unknown service area 'social_care'"):
        charts.tiles.area_title("social_care")


def test_words_come_from_the_catalogue():
    from scst_metrics.indicators import catalogue as cat

    row = CAT.loc["rereferrals_12m"]
    assert row["period_words"] == cat.PERIODS[cat.ROLLING_12M]  # as docs/indicators.md says
    assert row["unit_words"] == cat.UNITS[cat.PERCENT]
    assert row["polarity_words"] == "lower is better"
    assert row["definition"].endswith(cat.get("rereferrals_12m").why_text)  # "What this measures"
    assert "Why it matters" in row["definition"] and row["why_text"].endswith("framework.")
    assert charts.tiles.area_title("hubs") == cat.SERVICE_AREAS["hubs"]
    assert charts.data.hub_label([], {}) == sm.TRUST == cat.TRUST


def test_a_hub_of_the_wrong_kind_is_told_which_teams_count():
    ind = {"splits_by_hub": True, "hub_kinds": ("lac", "leaving_care")}
    kinds = {"H03": "locality", "LAC1": "lac", "AST": "assessment"}
    names = {"H03": "Hub 3", "LAC1": "LAC Hub 1", "AST": "Assessment Team"}
    note = charts.data.hubs_not_counted_note(ind, ["H03"], kinds, names)
    assert note == (
        "Hub 3 holds none of these children: this indicator is counted for the LAC hubs and "
        "the leaving care teams. Choose one of those, or the whole Trust, to see it."
    )
    several = charts.data.hubs_not_counted_note(ind, ["H03", "AST"], kinds, names)
    assert several.startswith("The 2 chosen hubs hold none of these children: ")
    assert charts.data.hubs_not_counted_note(ind, ["H03", "LAC1"], kinds, names) is None
    # a child briefly held by Hub 3 gives it a value: then the chart speaks for itself
    held = pd.DataFrame({"hub_id": ["H03", "H03"], "value": [None, 1.0]})
    assert charts.data.hubs_not_counted_note(ind, ["H03"], kinds, names, held) is None
    empty = pd.DataFrame({"hub_id": ["H03"], "value": [None]})
    assert charts.data.hubs_not_counted_note(ind, ["H03"], kinds, names, empty) is not None
    assert charts.data.hubs_not_counted_note(ind, [], kinds, names) is None
    trust_wide = {"splits_by_hub": False, "hub_kinds": ("lac",)}
    assert charts.data.hubs_not_counted_note(trust_wide, ["H03"], kinds, names) is None


# --- SPC, benchmarks and suppression on the board's chart (issues 10 and 11) ---------------
# The frames are the shapes the read API returns (sm.spc_points, sm.spc_summary,
# sm.benchmark_rows), built by hand so each expected number can be checked by eye.


def spc_points(indicator_id, hub=None, values=(20.0, 21.0, 25.5), types=None, part=None):
    n = len(values)
    return pd.DataFrame(
        {
            "indicator_id": indicator_id,
            "hub_id": [hub] * n,
            "period_end": MONTHS[:n],
            "value": list(values),
            "mean": [22.0] * n,
            "lpl": [16.0] * n,
            "upl": [28.0] * n,
            "nlpl": [18.0] * n,
            "nupl": [26.0] * n,
            "special_cause": [t != "common_cause" for t in (types or ["common_cause"] * n)],
            "special_cause_type": [None] * n,
            "point_type": types or ["common_cause"] * n,
            "rebase_group": [0] * n,
            "part_month": part or [False] * n,
        }
    )


def spc_summary(indicator_id, hub=None, **kw):
    row = {
        "indicator_id": indicator_id,
        "hub_id": hub,
        "variation": "concern_high",
        "assurance": "inconsistent",
        "trial_limits": False,
        "baseline_start": MONTHS[0],
        "reason_if_none": None,
        "basis": "value",
        "baseline_points": 3,
    }
    return pd.DataFrame([row | kw])


def benchmark_rows(indicator_id, values):
    """DfE rows for 31 March 2024: comparator -> value."""
    return pd.DataFrame(
        [
            {
                "indicator_id": indicator_id,
                "year": 2024,
                "period_end": date(2024, 3, 31),
                "comparator": comparator,
                "value": value,
                "symbol": None,
                "rank": 40 if comparator == "us_published" else None,
                "rank_of": 150 if comparator == "us_published" else None,
                "quartile": "B" if comparator == "us_published" else None,
                "dfe_measure": "x",
                "geography_code": None,
                "geography_name": "Slough" if comparator == "us_published" else None,
                "publication": "Characteristics of children in need",
                "detail": "",
            }
            for comparator, value in values.items()
        ]
    )


def names(fig):
    """Each trace's name as read (a wrapped legend entry's line breaks as spaces)."""
    return [t.name.replace("<br>", " ") for t in fig.data]


def notes(fig):
    """Each annotation's words as read (a wrapped note's line breaks as spaces)."""
    return [a.text.replace("<br>", " ") for a in fig.layout.annotations]


def test_one_series_gets_mean_limits_points_by_type_and_icons():
    s = series([20.0, 21.0, 29.5], target=22.0, rags=["green", "green", "red"], den=100)
    pts = spc_points(
        "rereferrals_12m",
        values=(20.0, 21.0, 29.5),
        types=["common_cause"] * 2 + ["special_cause_concern"],
    )
    fig = charts.trend_chart(s, PCT, spc=pts, spc_summary=spc_summary("rereferrals_12m"))
    got = names(fig)
    assert {"Mean", "Process limits", "Common cause", "Special cause: concern"} <= set(got)
    (mean,) = [t for t in fig.data if t.name == "Mean"]
    assert list(mean.y) == [22.0, 22.0]  # one rebase group: Jan to Mar 2024 at 22
    limits = sorted(t.y[0] for t in fig.data if t.name == "Process limits")
    assert limits == [16.0, 28.0]
    (concern,) = [t for t in fig.data if t.name == "Special cause: concern"]
    assert list(concern.y) == [29.5] and concern.marker.symbol == "square"
    (common,) = [t for t in fig.data if t.name == "Common cause"]
    assert list(common.y) == [20.0, 21.0] and common.marker.symbol == "circle"
    # the value line no longer carries markers or hover: the SPC points do
    (value,) = [t for t in fig.data if t.name == "Value"]
    assert value.mode == "lines"
    # variation and assurance icons beside the title, with their words
    assert len(fig.layout.images) == 2
    assert fig.layout.meta["spc_icons"].startswith("Special cause concern")
    # the legend is sized for every entry, SPC ones included (finish() counts them)
    entries = sum(1 for t in fig.data if t.showlegend is not False and t.name)
    plain = charts.trend_chart(s, PCT)
    plain_entries = sum(1 for t in plain.data if t.showlegend is not False and t.name)
    rows = charts.trend.LEGEND_ROW
    assert fig.layout.height - plain.layout.height == rows * (entries - plain_entries)


def test_no_spc_series_says_why():
    s = series([20.0, 21.0], den=100)
    summary = spc_summary(
        "rereferrals_12m",
        variation=None,
        assurance=None,
        basis="none",
        reason_if_none="A rolling 12-month figure: months overlap.",
    )
    fig = charts.trend_chart(s, PCT, spc=spc_points("x").iloc[0:0], spc_summary=summary)
    assert "SPC not applied: rolling 12-month figure (months overlap)" in notes(fig)
    assert "Mean" not in names(fig) and len(fig.layout.images) == 0
    assert fig.layout.meta["spc_icons"] == "No SPC"


def test_several_hubs_spc_is_off_and_the_chart_says_so():
    s = pd.concat([series([10.0, 11.0], hub="H01"), series([30.0, 31.0], hub="H02")])
    pts = pd.concat([spc_points("hub_allocated", "H01"), spc_points("hub_allocated", "H02")])
    fig = charts.trend_chart(s, COUNT, spc=pts, spc_summary=spc_summary("hub_allocated", "H01"))
    assert charts.trend.MANY_HUBS_SPC in notes(fig)
    assert "Mean" not in names(fig) and len(fig.layout.images) == 0


def test_one_hub_gets_its_own_hubs_spc():
    s = series([10.0, 11.0, 12.0], hub="H02")
    pts = pd.concat(
        [spc_points("hub_allocated", "H01", (1.0, 2.0, 3.0)), spc_points("hub_allocated", "H02")]
    )
    summ = pd.concat([spc_summary("hub_allocated", "H01"), spc_summary("hub_allocated", "H02")])
    fig = charts.trend_chart(s, COUNT, spc=pts, spc_summary=summ)
    (common,) = [t for t in fig.data if t.name == "Common cause"]
    assert list(common.y) == [20.0, 21.0, 25.5]  # H02's points, not H01's 1, 2, 3


def test_in_month_spc_charts_the_months_own_figure():
    fy = CAT.loc["fostering_approvals_fytd"].to_dict()
    # year to date 2, 3, 5 -> in the month 2, 1, 2 (spc_step derives them; given here)
    s = series([2.0, 3.0, 5.0])
    pts = spc_points("fostering_approvals_fytd", values=(2.0, 1.0, 2.0))
    summ = spc_summary("fostering_approvals_fytd", basis="in_month_from_year_to_date")
    fig = charts.trend_chart(s, fy, spc=pts, spc_summary=summ)
    assert "Value" not in names(fig)  # no year-to-date line under the in-month points
    (line,) = [t for t in fig.data if t.name == "spc_line"]
    assert list(line.y) == [2.0, 1.0, 2.0]
    assert "SPC on the in-month figure behind the year to date" in notes(fig)
    assert any("the month's own figure" in t for t in notes(fig))


def test_benchmark_markers_on_the_whole_trust_chart():
    s = series([20.0, 21.0, 25.5], den=100)
    rows = benchmark_rows(
        "rereferrals_12m",
        {"us_published": 21.0, "neighbours": 20.0, "region": 19.0, "england": 22.4},
    )
    plain = charts.trend_chart(s, PCT)
    fig = charts.trend_chart(s, PCT, benchmarks=rows)
    marks = {t.meta["benchmark"]: t for t in fig.data if isinstance(t.meta, dict)}
    assert set(marks) == {"us_published", "neighbours", "region", "england"}
    assert list(marks["england"].y) == [22.4] and marks["england"].mode == "markers"
    assert marks["england"].name == "England<br>(DfE, year to 31 March)"
    assert (
        marks["neighbours"].name == "Statistical neighbours'<br>average<br>(DfE, year to 31 March)"
    )
    # four more legend entries, each 26 px; three names are over LEGEND_CHARS (30) and take
    # 1 + 2 + 1 more lines of 20 px (Slough 43 characters, neighbours 55, England 31; the
    # region, unnamed here, is "region (DfE, year to 31 March)": 30, one line): the chart
    # grows by 4 x 26 + 4 x 20 = 184 px
    assert fig.layout.height - plain.layout.height == 184


def test_a_count_chart_shows_dfes_count_for_us_only():
    lac = CAT.loc["lac_count"].to_dict()
    s = series([200.0, 205.0, 210.0])
    rows = benchmark_rows(
        "lac_count", {"us_published": 201.0, "neighbours": 542.5, "england": 83530.0}
    )
    fig = charts.trend_chart(s, lac, benchmarks=rows)
    marks = [t.meta["benchmark"] for t in fig.data if isinstance(t.meta, dict)]
    assert marks == ["us_published"]  # England's 83,530 would flatten our 200
    assert charts.trend.COUNT_BENCHMARKS in notes(fig)


def test_a_hub_chart_points_to_the_whole_trust_for_benchmarks():
    s = series([20.0, 21.0], hub="H01", den=100)
    rows = benchmark_rows("rereferrals_12m", {"england": 22.4})
    fig = charts.trend_chart(s, PCT, benchmarks=rows)
    assert not [t for t in fig.data if isinstance(t.meta, dict)]
    assert any("whole-Trust chart" in t for t in notes(fig))


def test_small_numbers_are_c_on_a_single_hub_export():
    from scst_metrics import export

    # a hub's counts 12, 3, 0, 4: 3 and 4 are 1 to 5 -> "c"; 0 identifies nobody and stays
    s = series([12.0, 3.0, 0.0, 4.0], hub="H01")
    pts = spc_points("hub_allocated", "H01", values=(12.0, 3.0, 0.0, 4.0))
    summ = spc_summary("hub_allocated", "H01")
    fig = export.chart_figure(s, COUNT, spc=pts, spc_summary=summ)
    (value,) = [t for t in fig.data if t.name == "Value"]
    assert [None if pd.isna(y) else y for y in value.y] == [12.0, None, 0.0, None]
    assert [row[2] for row in value.customdata] == ["12", "c", "0", "c"]
    drawn = [y for t in fig.data if t.name == "Common cause" for y in t.y if not pd.isna(y)]
    assert sorted(drawn) == [0.0, 12.0]  # the SPC points hide 3 and 4 too
    assert "Latest (Apr 2024): c" in notes(fig)  # no marker, no "4" label
    assert not [t for t in fig.data if t.name and t.name.startswith("Latest")]
    assert any("Figures of 1 to 5 are shown as c (DfE's convention)" in t for t in notes(fig))
    # on for a single hub only, and off on request (internal use)
    inside = export.chart_figure(s, COUNT, suppress_small=False)
    assert list(next(t for t in inside.data if t.name == "Value").y) == [12.0, 3.0, 0.0, 4.0]
    trust = export.chart_figure(series([12.0, 3.0]), COUNT)
    assert list(next(t for t in trust.data if t.name == "Value").y) == [12.0, 3.0]
    assert not any("shown as c" in t for t in notes(trust))


def test_a_percentage_of_few_children_is_c():
    # 2 of 40 = 5.0%: the numerator 2 is 1 to 5 -> "c"; 30 of 40 = 75.0% stays
    s = charts.data.series_frame(
        pd.DataFrame(
            {
                "period_end": MONTHS[:2],
                "hub_id": ["H01"] * 2,
                "numerator": [30.0, 2.0],
                "denominator": [40.0, 40.0],
                "value": [75.0, 5.0],
                "target": [None] * 2,
                "target_low": [None] * 2,
                "target_high": [None] * 2,
                "rag": [None] * 2,
                "rag_note": [None] * 2,
            }
        )
    )
    fig = charts.trend_chart(s, PCT, suppress_small=True)
    (value,) = [t for t in fig.data if t.name == "Value"]
    assert [row[2] for row in value.customdata] == ["75.0%", "c"]
    assert "30 of 40" in value.customdata[0][3] and value.customdata[1][3] == ""


def test_tiles_say_the_month_icons_and_comparison():
    cat = CAT.reset_index(drop=True)
    latest = pd.DataFrame(
        [
            {
                "indicator_id": "fostering_approvals_fytd",
                "period_end": date(2026, 11, 24),
                "hub_id": None,
                "value": 5.0,
                "numerator": 5.0,
                "denominator": None,
                "rag": "red",
                "rag_note": None,
                "change": 1.0,
                "target": 9.0,
                "target_low": None,
                "target_high": None,
            },
            {
                "indicator_id": "lac_rate",
                "period_end": date(2026, 10, 31),
                "hub_id": None,
                "value": 48.0,
                "numerator": 176.0,
                "denominator": 36600.0,
                "rag": None,
                "rag_note": None,
                "change": 0.0,
                "target": None,
                "target_low": None,
                "target_high": None,
            },
        ]
    )
    summ = pd.concat(
        [
            spc_summary("fostering_approvals_fytd", variation="common_cause"),
            spc_summary(
                "lac_rate", variation=None, assurance=None, reason_if_none="No values in this load"
            ),
        ]
    )
    comparisons = pd.DataFrame(
        {"indicator_id": ["lac_rate"], "text": ["neighbours 61 / England 70 (2025)"]}
    )
    made = {
        t.indicator_id: t
        for t in charts.tiles.tiles(
            latest, cat, {}, as_at=date(2026, 11, 24), spc_summary=summ, comparisons=comparisons
        )
    }
    fy, rate = made["fostering_approvals_fytd"].first, made["lac_rate"].first
    assert fy.month == "1-24 Nov 2026"  # a year to date at the extract date: month to date
    assert rate.month == "Oct 2026"
    assert fy.variation_words.startswith("Common cause")
    assert fy.assurance_words.startswith("Inconsistent")
    assert rate.variation is None and rate.spc_note.startswith("SPC not applied")
    assert made["lac_rate"].comparison == "neighbours 61 / England 70 (2025)"
    assert made["fostering_approvals_fytd"].comparison is None


# --- on a real demo-size Trust, loaded by the real nightly load ---------------------------

DEMO_AS_OF = date(2026, 11, 24)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """The demo Trust (seed 1, extracted 24 Nov 2026) through load_drop: indicators, SPC
    and DfE benchmarks, as the board's file is published every night."""
    import subprocess
    import sys

    from scst_metrics.load import load_drop

    root = tmp_path_factory.mktemp("charts_demo")
    subprocess.run(
        [sys.executable, "-m", "scst_metrics.demo", "--out", str(root / "drop")]
        + ["--as-of", DEMO_AS_OF.isoformat(), "--seed", "1"],
        check=True,
        capture_output=True,
    )
    outcome = load_drop(root / "drop", root / "scst.duckdb", log=lambda _line: None)
    assert outcome.status == "published", outcome.message
    return root / "scst.duckdb"


def _demo_chart(db, indicator_id, hubs=None):
    with sm.snapshot(db) as conn:
        cat = charts.data.catalogue_frame(sm.catalogue(conn=conn)).set_index("id", drop=False)
        read = sm.chart_layers(indicator_id, hubs, conn=conn)  # what a page passes on
        s = charts.data.series_frame(sm.series(indicator_id, hubs, conn=conn))
        fig = charts.trend_chart(
            s, cat.loc[indicator_id].to_dict(), as_at=sm.as_at(conn=conn), **read
        )
    return fig, read


def test_demo_lac_count_has_spc_and_dfes_count_for_us(demo_db):
    fig, read = _demo_chart(demo_db, "lac_count")
    summary = read["spc_summary"].iloc[0]
    assert summary["hub_id"] is None and summary["variation"] is not None
    (mean,) = [t for t in fig.data if t.name == "Mean"]  # one rebase group on the demo
    assert mean.y[0] == read["spc"]["mean"].iloc[-1]
    points = [t for t in fig.data if t.name in {w for w, _, _ in charts.mdc.POINT_STYLE.values()}]
    drawn = sum(len(t.y) for t in points)
    whole = read["spc"][~read["spc"]["part_month"]]
    assert drawn == len(whole)  # every complete month has its point, by type
    assert len(fig.layout.images) >= 1  # the variation icon (lac_count is neutral: no assurance)
    (us,) = [t for t in fig.data if isinstance(t.meta, dict)]
    published = read["benchmarks"]
    published = published[published["comparator"] == "us_published"]
    assert us.meta["benchmark"] == "us_published"
    assert sorted(us.y) == sorted(published["value"].dropna().astype(float))
    assert any(a.text.startswith("Source: SSDA903 return") for a in fig.layout.annotations)


def test_demo_rereferrals_has_benchmarks_and_says_why_no_spc(demo_db):
    fig, read = _demo_chart(demo_db, "rereferrals_12m")
    # a rolling 12-month figure: SPC off by definition (spc_step), said on the chart
    assert read["spc"].empty
    assert "SPC not applied: rolling 12-month figure (months overlap)" in notes(fig)
    marks = {t.meta["benchmark"] for t in fig.data if isinstance(t.meta, dict)}
    assert marks == {"us_published", "neighbours", "region", "england"}
    (england,) = [
        t for t in fig.data if isinstance(t.meta, dict) and t.meta["benchmark"] == "england"
    ]
    rows = read["benchmarks"]
    assert sorted(england.y) == sorted(
        rows.loc[rows.comparator == "england", "value"].astype(float)
    )


def test_demo_one_lac_hub_has_its_own_spc_and_no_benchmarks(demo_db):
    fig, read = _demo_chart(demo_db, "lac_count", hubs=["LAC1"])
    assert list(read["spc_summary"]["hub_id"]) == ["LAC1"]
    (mean,) = [t for t in fig.data if t.name == "Mean"]
    assert mean.y[0] == read["spc"]["mean"].iloc[-1]
    assert not [t for t in fig.data if isinstance(t.meta, dict)]
    assert any("whole-Trust chart" in a.text for a in fig.layout.annotations)


def test_demo_tiles_carry_month_icons_and_comparison(demo_db):
    with sm.snapshot(demo_db) as conn:
        cat = charts.data.catalogue_frame(sm.catalogue(conn=conn))
        made = charts.tiles.tiles(
            sm.latest(conn=conn),
            cat,
            {},
            as_at=sm.as_at(conn=conn),
            spc_summary=sm.spc_summary(conn=conn),
            comparisons=sm.benchmark_overview(conn=conn),
        )
    by_id = {t.indicator_id: t for t in made}
    assert by_id["fostering_approvals_fytd"].first.month == "1-24 Nov 2026"  # month to date
    assert by_id["lac_count"].first.month == "24 Nov 2026"  # a snapshot on the extract date
    assert by_id["lac_count"].first.variation is not None
    assert by_id["rereferrals_12m"].first.spc_note.startswith("SPC not applied")
    assert by_id["lac_rate"].comparison.startswith("neighbours ")
    assert by_id["hub_allocated"].comparison is None  # no DfE measure


def test_an_in_month_export_hides_a_small_year_to_date_in_the_hover():
    from scst_metrics import export

    fy = CAT.loc["fostering_approvals_fytd"].to_dict()
    # a hub's year to date 0, 8, 9: in the month 0, 8, 1. The month's 1 is "c"; the year to
    # date 8 and 9 are not small; a year to date of 0 identifies nobody.
    s = series([0.0, 8.0, 9.0], hub="H01")
    pts = spc_points("fostering_approvals_fytd", "H01", values=(0.0, 8.0, 1.0))
    summ = spc_summary("fostering_approvals_fytd", "H01", basis="in_month_from_year_to_date")
    fig = export.chart_figure(s, fy, spc=pts, spc_summary=summ)
    (line,) = [t for t in fig.data if t.name == "spc_line"]
    assert [None if pd.isna(y) else y for y in line.y] == [0.0, 8.0, None]
    hovers = [c[0] for t in fig.data if t.name == "Common cause" for c in t.customdata]
    assert "Year to date: 8" in hovers[1]
    # year to date 5, 5: in the month 5, 0. The second month's 0 is drawn, but its year to
    # date, 5, is small: its hover says "c", never 5
    s2 = series([5.0, 5.0], hub="H01")
    pts2 = spc_points("fostering_approvals_fytd", "H01", values=(5.0, 0.0))
    fig2 = export.chart_figure(s2, fy, spc=pts2, spc_summary=summ)
    hovers2 = [c[0] for t in fig2.data if t.name == "Common cause" for c in t.customdata]
    assert "<b>0</b> in the month<br>Year to date: c" in hovers2[1]
    assert not any("Year to date: 5" in h for h in hovers2)  # Jan's 5 is not drawn either
    inside = export.chart_figure(s2, fy, spc=pts2, spc_summary=summ, suppress_small=False)
    hovers3 = [c[0] for t in inside.data if t.name == "Common cause" for c in t.customdata]
    assert "Year to date: 5" in hovers3[1]


def test_notes_at_the_top_are_merged_not_drawn_over_each_other():
    s = series([20.0, 21.0, 22.0], hub="H01", den=100)
    pts = spc_points("rereferrals_12m", "H01")
    summ = spc_summary("rereferrals_12m", "H01", trial_limits=True)  # "Trial limits: 3 points"
    rows = benchmark_rows("rereferrals_12m", {"england": 22.4})  # a hub: see the Trust's
    fig = charts.trend_chart(s, PCT, spc=pts, spc_summary=summ, benchmarks=rows)
    top = [a for a in fig.layout.annotations if a.name in charts.trend.TOP_NOTES + ("chart_notes",)]
    # one note a line, each wrapped to NOTE_CHARS (52): plotly never wraps an annotation
    assert [a.text for a in top] == [
        "Trial limits: 3 points since Jan 2024<br>"
        "DfE benchmarks are the whole authority's: see the<br>"
        "whole-Trust chart"
    ]
    assert charts.trend.NOTE_CHARS == 52


def test_hubs_compared_for_export_show_a_hubs_small_figure_as_c():
    from scst_metrics import export

    # Hub 1 holds 45 children, Hub 2 holds 4 (1 to 5 -> "c"): no bar, no RAG, just "c"
    a = series([45.0], hub="H01", low=40, high=70, rags=["green"])
    b = series([4.0], hub="H02", low=40, high=70, rags=["red"])
    names = {"H01": "Hub 1 - Britwell", "H02": "Hub 2 - Chalvey"}
    both = pd.concat([a, b], ignore_index=True)
    cmp = export.comparison_figure(both, COUNT, hub_names=names)
    (bars,) = [t for t in cmp.data if t.type == "bar"]
    shown = dict(zip(bars.y, bars.text, strict=True))
    assert shown == {"Hub 1 - Britwell": "45  ● On target", "Hub 2 - Chalvey": "c"}
    assert [None if pd.isna(x) else x for x in bars.x] == [45.0, None]
    assert any("shown as c" in a.text for a in cmp.layout.annotations)
    # on screen (and for internal use) the 4 is shown as it is
    screen = charts.hub_comparison_chart(both, COUNT, hub_names=names)
    (bars,) = [t for t in screen.data if t.type == "bar"]
    assert "4  ✖ Off target" in bars.text
