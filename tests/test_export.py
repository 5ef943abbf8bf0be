"""Server-side chart images: real kaleido rendering through Chromium, one warm renderer."""

import struct
import time
from datetime import date

import pandas as pd

import scst_metrics as sm
from scst_metrics import charts, export


def _figure():
    s = charts.data.series_frame(
        pd.DataFrame(
            {
                "period_end": pd.date_range("2025-01-31", periods=12, freq="ME"),
                "hub_id": [None] * 12,
                "numerator": range(40, 52),
                "denominator": [60] * 12,
                "value": [100 * n / 60 for n in range(40, 52)],
                "target": [80.0] * 12,
                "target_low": [None] * 12,
                "target_high": [None] * 12,
                "rag": ["red"] * 11 + ["amber"],
                "rag_note": [None] * 12,
            }
        )
    )
    cat = charts.data.catalogue_frame(sm.catalogue()).set_index("id", drop=False)
    # a long title, to show it wraps
    ind = cat.loc["pep_in_date"].to_dict() | {"title": "Children with a PEP in the last 6 months"}
    return charts.trend_chart(
        s, ind, hub_label="Whole Trust", period_label="Jan to Dec 2025", as_at=date(2026, 1, 5)
    )


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_png_at_report_resolution_and_svg_with_title(tmp_path):
    fig = _figure()
    png = export.render(fig, "png")
    width, height = export.image_size(fig)
    assert png_size(png) == (width * export.PNG_SCALE, height * export.PNG_SCALE)
    assert len(png) > 20_000
    svg = (
        export.render(fig, "svg").decode("utf-8")
        if isinstance(export.render(fig, "svg"), bytes)
        else export.render(fig, "svg")
    )
    assert svg.lstrip().startswith("<svg")
    # the title wraps onto two lines so it fits a half-width chart: each line is in the image
    assert charts.trend.wrap_title("Children with a PEP in the last 6 months") == [
        "Children with a PEP in the last",
        "6 months",
    ]
    for text in (
        "Children with a PEP in the last",
        "6 months",
        "Whole Trust",
        "Target: 80.0%",
        "Source: SSDA903 return, virtual school records: PEPs",  # the board's words
        "5 January 2026",
    ):
        assert text in svg
    out = export.write(fig, tmp_path / "pep.svg")
    assert out.read_bytes()[:4] == b"<svg"


def test_renderer_stays_warm():
    fig = _figure()
    export.render(fig, "png")  # warm
    t0 = time.perf_counter()
    for _ in range(3):
        export.render(fig, "svg")
    assert (time.perf_counter() - t0) / 3 < 2.0  # no browser start per image


def test_file_names_say_indicator_hub_and_month():
    assert export.file_name("lac_count", (), date(2025, 10, 31), "png") == (
        "lac_count_whole-trust_2025-10.png"
    )
    assert export.file_name("lac_count", ("H01",), date(2025, 10, 31)) == "lac_count_h01_2025-10"
    cfg = export.toolbar_config("x", _figure())
    assert cfg["toImageButtonOptions"]["scale"] == 2


def _hub_counts(values):
    n = len(values)
    return charts.data.series_frame(
        pd.DataFrame(
            {
                "period_end": pd.date_range("2025-01-31", periods=n, freq="ME"),
                "hub_id": ["H01"] * n,
                "numerator": values,
                "denominator": [None] * n,
                "value": values,
                "target": [None] * n,
                "target_low": [None] * n,
                "target_high": [None] * n,
                "rag": [None] * n,
                "rag_note": [None] * n,
            }
        )
    )


def test_a_single_hubs_image_shows_small_numbers_as_c():
    cat = charts.data.catalogue_frame(sm.catalogue()).set_index("id", drop=False)
    ind = cat.loc["hub_allocated"].to_dict()
    # a hub's counts 40, 41, 3: the last, 3, is 1 to 5 -> "c" (DfE's convention)
    s = _hub_counts([40.0, 41.0, 3.0])
    svg = export.chart_image(s, ind, "svg", hub_label="Hub 1").decode("utf-8")
    assert "Figures of 1 to 5 are shown as c (DfE's convention)" in svg
    assert "Latest (Mar 2025): c" in svg
    assert "Source: case management system: allocations" in svg
    # for internal use, suppression off: the 3 is labelled, no footnote
    inside = export.chart_image(s, ind, "svg", suppress_small=False).decode("utf-8")
    assert "shown as c" not in inside and ">3<" in inside


def test_an_image_carries_the_spc_icons_and_dfe_markers():
    cat = charts.data.catalogue_frame(sm.catalogue()).set_index("id", drop=False)
    ind = cat.loc["lac_rate"].to_dict()
    s = charts.data.series_frame(
        pd.DataFrame(
            {
                "period_end": pd.date_range("2024-01-31", periods=6, freq="ME"),
                "hub_id": [None] * 6,
                "numerator": [170.0] * 6,
                "denominator": [36000.0] * 6,
                "value": [47.2] * 6,
                "target": [None] * 6,
                "target_low": [None] * 6,
                "target_high": [None] * 6,
                "rag": [None] * 6,
                "rag_note": [None] * 6,
            }
        )
    )
    pts = pd.DataFrame(
        {
            "indicator_id": "lac_rate",
            "hub_id": None,
            "period_end": s["period_end"],
            "value": s["value"],
            "mean": 47.2,
            "lpl": 40.0,
            "upl": 54.4,
            "nlpl": 42.4,
            "nupl": 52.0,
            "special_cause": False,
            "special_cause_type": None,
            "point_type": "common_cause",
            "rebase_group": 0,
            "part_month": False,
        }
    )
    summary = pd.DataFrame(
        [
            {
                "indicator_id": "lac_rate",
                "hub_id": None,
                "variation": "common_cause",
                "assurance": None,
                "trial_limits": True,
                "baseline_start": s["period_end"].iloc[0],
                "baseline_points": 6,
                "reason_if_none": None,
                "basis": "value",
            }
        ]
    )
    bench = pd.DataFrame(
        [
            {
                "indicator_id": "lac_rate",
                "year": 2024,
                "period_end": date(2024, 3, 31),
                "comparator": "england",
                "value": 70.0,
                "symbol": None,
                "rank": None,
                "rank_of": None,
                "quartile": None,
                "dfe_measure": "x",
                "geography_code": None,
                "geography_name": None,
                "publication": "Children looked after in England",
                "detail": "",
            }
        ]
    )
    fig = charts.trend_chart(s, ind, spc=pts, spc_summary=summary, benchmarks=bench)
    svg = export.render(fig, "svg").decode("utf-8")
    for text in ("Mean", "Process limits", "Common cause", "England (DfE, at 31 March)"):
        assert text in svg
    assert "Trial limits: 6 points since Jan 2024" in svg
    assert svg.count("data:image/svg+xml;base64") == 1  # the variation icon (no assurance)
