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
