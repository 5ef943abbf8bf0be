"""Board charts: built from a series and its target, readable without colour."""

from datetime import date

import pandas as pd
import pytest

import scst_metrics as sm
from scst_metrics import charts
from scst_metrics.charts import filters, formatting

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
    assert "Hub 1 - Britwell: 72 ✖ Off target" in legend
    assert charts.wants_hub_comparison(COUNT, both)
    cmp = charts.hub_comparison_chart(both, COUNT, hub_names=names)
    bars = [t for t in cmp.data if t.type == "bar"][0]
    assert list(bars.y) == ["Hub 2 - Chalvey", "Hub 1 - Britwell"]  # sorted by value
    assert any("Off target" in t for t in bars.text)


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


def test_url_filters_resolve_against_the_data():
    months = [m.date() for m in pd.date_range("2020-01-31", periods=40, freq="ME")]
    f = filters.resolve(
        {"hub": ["H01", "ZZZ"], "from": ["2021-02"], "to": ["bad"]}, ["H01", "H02"], months
    )
    assert f.hubs == ("H01",)
    assert f.start == date(2021, 2, 28) and f.end == months[-1]
    assert len(f.notes) == 2
    d = filters.resolve({}, ["H01"], months)
    assert d.hubs == () and d.start == months[-24] and d.end == months[-1]
    assert d.query() == {"from": months[-24].strftime("%Y-%m"), "to": months[-1].strftime("%Y-%m")}


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
