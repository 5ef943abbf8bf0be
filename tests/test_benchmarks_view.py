"""How we compare on a chart card (scst_metrics/charts/benchmarks.py), from hand-made
`indicator_benchmarks` rows: markers at each 31 March, never lines; shapes and colours both
differ; hovers and the table name the DfE year and publication."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from scst_metrics.benchmarks.compare import COLUMNS
from scst_metrics.benchmarks.measures import CIN, CLA
from scst_metrics.charts.benchmarks import (
    STYLE,
    add_benchmarks,
    comparison_table,
    comparison_trend,
    short_year,
)


def bench_rows(indicator_id: str, measure: str, publication: str, figures: dict) -> pd.DataFrame:
    """figures: {year: {comparator: value or DfE symbol}}; us gets rank 84 of 153, B."""
    places = {
        "us_published": (871, "Slough"),
        "neighbours": (None, ""),
        "region": (989, "South East"),
        "england": (970, "England"),
    }
    out = []
    for year, by in figures.items():
        for comparator, got in by.items():
            symbol = got if isinstance(got, str) else None
            us = comparator == "us_published" and symbol is None
            out.append(
                {
                    "indicator_id": indicator_id,
                    "year": year,
                    "period_end": date(year, 3, 31),
                    "comparator": comparator,
                    "value": None if symbol else float(got),
                    "symbol": symbol,
                    "rank": 84 if us else None,
                    "rank_of": 153 if us else None,
                    "quartile": "B" if us else None,
                    "dfe_measure": measure,
                    "geography_code": places[comparator][0],
                    "geography_name": places[comparator][1],
                    "publication": publication,
                    "detail": "mean of 9 of 10 neighbours' published values (sn_may_2025)"
                    if comparator == "neighbours"
                    else "",
                }
            )
    frame = pd.DataFrame(out, columns=list(COLUMNS))
    for col in ("rank", "rank_of", "geography_code"):
        frame[col] = frame[col].astype("Int64")
    return frame


# Re-referrals (%), DfE years 2019-2025. 2024: the neighbours' average is missing (every
# neighbour suppressed, no row value) and our figure "c" in 2023.
YEARS = {
    2019: {"us_published": 25, "neighbours": 22, "region": 21, "england": 22.6},
    2020: {"us_published": 24, "neighbours": 21, "region": 20, "england": 22.1},
    2021: {"us_published": 23, "neighbours": 20, "region": 21, "england": 21.5},
    2022: {"us_published": 22, "neighbours": 19, "region": 22, "england": 21.6},
    2023: {"us_published": "c", "neighbours": 18, "region": 23, "england": 21.9},
    2024: {"us_published": 21, "region": 24, "england": 22.4},
    2025: {"us_published": 20.7, "neighbours": 17.4, "region": 28.4, "england": 22.6},
}


@pytest.fixture()
def rows() -> pd.DataFrame:
    return bench_rows("rereferrals_12m", "ReReferral", CIN, YEARS)


def monthly_line(first: date, last: date) -> go.Figure:
    months = pd.date_range(first, last, freq="ME")
    return go.Figure(go.Scatter(x=months, y=[20.0] * len(months), mode="lines", name="Ours"))


def test_markers_at_each_31_march_within_the_chart(rows):
    fig = add_benchmarks(monthly_line(date(2022, 4, 30), date(2025, 5, 31)), rows)
    added = [t for t in fig.data if t.meta and "benchmark" in t.meta]
    assert [t.meta["benchmark"] for t in added] == list(STYLE)
    # the monthly line spans 30/04/2022-31/05/2025: 31 March 2023, 2024, 2025 are inside
    # (2022's is before the first month). Ours "c" in 2023: no marker -> 2024, 2025.
    by = {t.meta["benchmark"]: t for t in added}
    assert [pd.Timestamp(x).date() for x in by["us_published"].x] == [
        date(2024, 3, 31),
        date(2025, 3, 31),
    ]
    assert list(by["us_published"].y) == [21.0, 20.7]
    # neighbours: none in 2024 -> 2023 and 2025
    assert list(by["neighbours"].y) == [18.0, 17.4]
    assert list(by["england"].y) == [21.9, 22.4, 22.6]
    # never lines; each comparator its own shape AND colour; all in one legend group
    assert {t.mode for t in added} == {"markers"}
    assert len({t.marker.symbol for t in added}) == 4
    assert len({t.marker.color for t in added}) == 4
    assert {t.legendgroup for t in added} == {"dfe_benchmarks"}
    # the legend says each figure is DfE's and annual
    assert [t.name for t in added] == [
        "Slough as published (DfE, year to 31 March)",
        "Statistical neighbours' average (DfE, year to 31 March)",
        "South East (DfE, year to 31 March)",
        "England (DfE, year to 31 March)",
    ]
    # the hover names the DfE year and publication, and our rank
    assert by["us_published"].hovertext[-1] == (
        "<b>Slough (DfE published)</b><br>year to 31 March 2025: 20.7%<br>"
        "rank 84 of 153, quartile B (1 = best)<br>"
        "DfE Characteristics of children in need (2025)"
    )
    assert "mean of 9 of 10 neighbours" in by["neighbours"].hovertext[0]
    assert "year to 31 March 2023: 21.9%" in by["england"].hovertext[0]
    fig.to_json()  # a figure plotly can draw and kaleido can export


def test_a_fixed_y_range_widens_to_show_every_marker(rows):
    fig = monthly_line(date(2024, 4, 30), date(2025, 5, 31))
    fig.update_yaxes(range=[0, 20.8])  # as a percentage chart fixes it to its own line
    add_benchmarks(fig, rows)
    # South East 28.4% at 31 March 2025 is the highest marker: the top becomes 28.4 * 1.04
    assert fig.layout.yaxis.range == (0, pytest.approx(29.536))


def test_explicit_span_and_empty_rows(rows):
    fig = add_benchmarks(go.Figure(), rows, start=date(2019, 1, 1), end=date(2020, 12, 31))
    assert [len(t.x) for t in fig.data] == [2, 2, 2, 2]  # 2019 and 2020
    # an empty figure takes every year: us 6 (2023 "c"), neighbours 6 (none in 2024)
    fig = add_benchmarks(go.Figure(), rows)
    assert [len(t.x) for t in fig.data] == [6, 6, 7, 7]
    line = monthly_line(date(2024, 4, 30), date(2025, 3, 31))
    assert len(add_benchmarks(line, rows.iloc[0:0]).data) == 1  # no DfE measure: unchanged


def test_rows_of_two_indicators_refused(rows):
    other = bench_rows("lac_rate", "LAC", CLA, {2025: {"england": 67}})
    with pytest.raises(ValueError, match="one indicator"):
        add_benchmarks(go.Figure(), pd.concat([rows, other]))


def test_comparison_table_latest_year(rows):
    # one row a comparator, one column of figures: it fits a half-width card (a row of seven
    # columns was cut off at its Quartile)
    table = comparison_table(rows)
    assert table.to_dict("list") == {
        "Compared with": [
            "Slough (DfE published)",
            "Statistical neighbours' average",
            "South East",
            "England",
            "Rank (1 = best)",
            "Quartile (A = best)",
        ],
        "Year to 31 March 2025": ["20.7%", "17.4%", "28.4%", "22.6%", "84 of 153", "B"],
    }
    caption = table.attrs["caption"]
    assert caption.startswith(
        "DfE published figures, year to 31 March 2025: "
        "DfE Characteristics of children in need (2025)."
    )
    assert "1 = best" in caption and "quartile A = the best quarter" in caption


def test_comparison_trend_five_years_newest_first(rows):
    trend = comparison_trend(rows).set_index("Compared with")
    assert list(trend.columns) == ["Mar 2025", "Mar 2024", "Mar 2023", "Mar 2022", "Mar 2021"]
    # 2024: no neighbours' row; 2023: ours suppressed -> the symbol in words, no rank
    assert trend.loc["Statistical neighbours' average", "Mar 2024"] == "no figure"
    assert trend.loc["Slough (DfE published)", "Mar 2023"] == "suppressed (c)"
    assert trend.loc[["Rank (1 = best)", "Quartile (A = best)"], "Mar 2023"].tolist() == [
        "not ranked",
        "no band",
    ]
    assert trend.loc["England", "Mar 2021"] == "21.5%"
    assert "year to 31 March 2025" in trend.attrs["caption"]


def test_snapshot_measure_without_polarity():
    # Children looked after per 10,000 at 31 March: a snapshot ("at"), no DfE polarity
    rows = bench_rows(
        "lac_rate",
        "LAC",
        CLA,
        {2025: {"us_published": 37, "neighbours": 46.2, "region": 55, "england": 67}},
    )
    rows["rank"] = pd.array([None] * len(rows), dtype="Int64")
    rows["rank_of"] = pd.array([None] * len(rows), dtype="Int64")
    rows["quartile"] = None
    table = comparison_table(rows)
    assert list(table.columns) == ["Compared with", "At 31 March 2025"]
    figures = dict(zip(table["Compared with"], table["At 31 March 2025"], strict=True))
    assert figures["Slough (DfE published)"] == "37 per 10,000"
    assert figures["Statistical neighbours' average"] == "46.2 per 10,000"
    assert (figures["Rank (1 = best)"], figures["Quartile (A = best)"]) == ("not ranked", "no band")
    assert "no better direction" in comparison_table(rows).attrs["caption"]
    fig = add_benchmarks(go.Figure(), rows)
    assert (
        fig.data[0]
        .hovertext[0]
        .startswith(
            "<b>Slough (DfE published)</b><br>at 31 March 2025: 37 per 10,000<br>DfE Children"
        )
    )


def test_short_year_headings_name_the_dfe_years_end():
    # the workforce census is at 30 September, an academic year ends 31 July, the rest 31 March
    assert short_year("caseload_per_fte", 2025) == "Sep 2025"
    assert short_year("vs_persistent_absence", 2025) == "2024/25"  # 1 Aug 2024 to 31 Jul 2025
    assert short_year("lac_rate", 2025) == "Mar 2025"
