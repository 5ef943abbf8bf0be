"""Board charts: built from a series and its target, readable without colour."""

from datetime import date

import pandas as pd
import pytest

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
            }
        )
    )


PCT = {
    "id": "rereferrals_12m",
    "title": "Re-referrals within 12 months",
    "unit": "percent",
    "splits_by_hub": True,
    "sources": "cin_referrals",
    "period_words": "rolling 12 months",
}
COUNT = {
    "id": "hub_allocated",
    "title": "Children allocated to the hub",
    "unit": "count",
    "splits_by_hub": True,
    "sources": "allocations",
    "polarity": "within_band",
}


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
    assert any("Source: cin_referrals" in t and "2 April 2024" in t for t in foot)


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


def test_tiles_say_no_change_without_an_arrow_and_fit_a_rate():
    cat = pd.DataFrame(
        [
            {"id": "a", "title": "A", "service_area": "lac", "unit": "percent"},
            {"id": "b", "title": "B per 10,000", "service_area": "lac", "unit": "rate_per_10000"},
        ]
    ).assign(polarity="higher_is_better", splits_by_hub=False)
    latest = pd.DataFrame(
        [
            {"indicator_id": "a", "hub_id": None, "value": 50.0, "change": 0.04},
            {"indicator_id": "b", "hub_id": None, "value": 671.04, "change": -2.7},
        ]
    ).assign(period_end=date(2026, 10, 31), rag=None, target=None)
    a, b = (t.first for t in charts.tiles.tiles(latest, cat, {}))
    assert (a.change, a.steady) == ("no change", True)  # +0.04 pts shows as +0.0: no arrow
    assert (b.value, b.change, b.steady) == ("671.0", "-2.7", False)  # unit is in the title


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
