"""The overview's MDC summary matrix and meeting mode, run in-process by Streamlit's AppTest
against a database the real loader built from a (small) demo Trust drop.

What the page shows must be the library's: the rows of scst_metrics.summary.summary_matrix in
its order (exceptions first), worded by scst_metrics.meeting; meeting mode steps through the
same exceptions, its position in the URL.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from scst_metrics import meeting, notes
from scst_metrics.charts import formatting as fmt
from scst_metrics.charts import icons
from scst_metrics.published import snapshot
from scst_metrics.summary import summary_matrix

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2026, 11, 24)
PAGES = {"overview": "pages/overview.py", "meeting": "pages/meeting.py"}


@pytest.fixture(scope="module")
def board_db(tmp_path_factory) -> Path:
    """A small demo Trust (seed 1, scale 0.3) loaded by the real nightly load."""
    from scst_metrics.demo.generate import generate
    from scst_metrics.load import load_drop

    root = tmp_path_factory.mktemp("overview")
    generate(root / "drop", AS_OF, seed=1, scale=0.3, progress=lambda _msg: None)
    outcome = load_drop(root / "drop", root / "scst.duckdb", log=lambda _line: None)
    assert outcome.status == "published", outcome.message
    return root / "scst.duckdb"


@pytest.fixture()
def db(board_db, monkeypatch, tmp_path):
    monkeypatch.setenv("SCST_DB", str(board_db))
    monkeypatch.setenv("SCST_NOTES_URL", f"sqlite:///{tmp_path / 'notes.sqlite'}")
    return board_db


def matrix(db: Path, hubs=None) -> pd.DataFrame:
    import os

    os.environ["SCST_DB"] = str(db)
    with snapshot() as conn:
        return summary_matrix(conn, hubs=hubs)


def run_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page(PAGES[page])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> pd.DataFrame:
    (table,) = [d for d in at.dataframe if "Indicator" in d.value.columns]
    return table.value


def test_overview_rows_are_the_matrix_exceptions_first_with_words_for_icons(db):
    expected = matrix(db, hubs=["H03"])
    # commentary on the first row's indicator: its row carries the mark, no other does
    first = expected.iloc[0]
    notes.add(first["indicator_id"], AS_OF, "Discussed at October's board.", author="t@x.org")
    at = run_page("overview", hub=["H03"])
    table = shown(at)
    assert list(table["Indicator"]) == list(expected["title"])  # one hub: titles alone
    # exceptions first: every row with an exception comes before every row without one
    flags = list(table["Exception"] != "")
    assert any(flags) and flags == sorted(flags, reverse=True)
    assert list(expected["exception_rank"]) == sorted(expected["exception_rank"])
    # the top row, worded as the library's numbers say
    row = table.iloc[0]
    assert row["Latest"] == fmt.format_value(first["value"], first["unit"])
    assert row["Variation"] == icons.label(first["variation"])
    assert row["Exception"] == first["exception"]
    if first["variation"] is not None:
        assert row["Variation icon"].startswith("data:image/svg+xml;base64,")
    assert row["Commentary"] == "Yes"
    assert (table["Commentary"] == "Yes").sum() == (
        expected["indicator_id"] == first["indicator_id"]
    ).sum()
    # every row opens its chart: the area's page, the same hub, the indicator's anchor
    assert row["Chart"].startswith(f"{first['service_area']}?")
    assert "hub=H03" in row["Chart"] and row["Chart"].endswith(f"#{first['indicator_id']}")
    # a month in progress says so
    part = expected[expected["part_month"]]
    if len(part):
        label = part.iloc[0]["period_label"]
        assert f"{label} (month in progress)" in set(table["Month"])


def test_a_special_cause_concern_shows_its_icon_words(db):
    expected = matrix(db)
    concern = expected[expected["variation"].isin(["concern_high", "concern_low"])]
    assert len(concern), "the demo Trust has at least one series in special cause concern"
    at = run_page("overview")
    table = shown(at).set_index("Indicator")
    r = concern.iloc[0]
    assert table.loc[r["title"], "Variation"].startswith("Special cause concern")
    assert table.loc[r["title"], "Exception"] == "Special cause concern"


def test_the_area_filter_keeps_that_areas_rows_in_order(db):
    expected = matrix(db)
    at = run_page("overview")
    assert len(shown(at)) == len(expected)
    at.selectbox(key="overview_area").set_value("lac").run()
    lac = expected[expected["service_area"] == "lac"]
    assert 0 < len(lac) < len(expected)
    assert list(shown(at)["Indicator"]) == list(lac["title"])


def test_meeting_item_2_shows_the_third_exception_and_next_moves_on(db):
    items = meeting.exceptions(matrix(db))
    assert len(items) >= 4
    at = run_page("meeting", item="2")
    assert at.title[0].value == f"{items.iloc[2]['title']} — Whole Trust"
    assert any(f"Exception **3 of {len(items)}**" in m.value for m in at.markdown)
    at.button(key="meeting_next").click().run()
    assert at.query_params["item"] == ["3"] or at.query_params["item"] == "3"
    assert at.title[0].value == f"{items.iloc[3]['title']} — Whole Trust"
    at.button(key="meeting_previous").click().run()
    assert at.title[0].value == f"{items.iloc[2]['title']} — Whole Trust"


def test_meeting_out_of_range_item_shows_the_last(db):
    items = meeting.exceptions(matrix(db))
    at = run_page("meeting", item="999")
    assert at.title[0].value == f"{items.iloc[-1]['title']} — Whole Trust"
    assert at.button(key="meeting_next").disabled
