"""Every page of the board, run in-process by Streamlit's AppTest against a real database
built by the real loader from a demo Trust drop.

For a chosen hub and period the values a page shows must equal what scst_metrics returns, and
changing the hub filter must change them. No child-level identifier may appear anywhere.
"""

from __future__ import annotations

import base64
import csv
import json
import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import scst_metrics as sm
from scst_metrics import charts
from scst_metrics.charts import formatting as fmt

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2026, 11, 24)
PAGES = {
    "overview": "pages/overview.py",
    "hubs": "pages/hubs.py",
    "lac": "pages/lac.py",
    "fostering": "pages/fostering.py",
    "virtual_school": "pages/virtual_school.py",
    "data_quality": "pages/data_quality.py",
}


@pytest.fixture(scope="session")
def board_db(demo_db) -> Path:
    """The demo Trust's drop, loaded by the real nightly load: the session's shared build
    (tests/conftest.py; its drop_path.txt names the drop)."""
    return demo_db


@pytest.fixture()
def db(board_db, monkeypatch):
    monkeypatch.setenv("SCST_DB", str(board_db))
    return board_db


DRAW_ALL = "board_draw_all"  # pages/_frame/card.py: session state, draw every card at once


def run_page(page: str, *, draw_all: bool = True, **query) -> AppTest:
    """Run a page; draw_all: every card at once (in a browser, a row of cards below the first
    is drawn when it scrolls into view, which AppTest cannot do)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state[DRAW_ALL] = draw_all
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page(PAGES[page])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def _array(values) -> list:
    """plotly JSON arrays: a list, or numpy typed-array encoding {dtype, bdata}."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values or [])


def value_traces(fig: dict) -> dict[str, list]:
    """The value line(s) of a trend chart: legend name -> y values."""
    out = {}
    for t in fig["data"]:
        if (
            t.get("type") == "scatter"
            and t.get("customdata") is not None
            and t.get("mode") != "markers"
        ):
            out[t["name"]] = _array(t.get("y"))
    return out


def title_of(fig: dict) -> str:
    text = fig["layout"]["title"]["text"].replace("<br>", " ")  # a long title is wrapped
    return re.sub("<[^>]+>", "", text)


def same(a: list, b: list) -> bool:
    a = [None if v is None or (isinstance(v, float) and np.isnan(v)) else round(v, 6) for v in a]
    b = [None if v is None or (isinstance(v, float) and np.isnan(v)) else round(v, 6) for v in b]
    return a == b


# --- every page runs -----------------------------------------------------------------------


@pytest.mark.parametrize("page", list(PAGES))
def test_page_runs_without_exception(db, page):
    at = run_page(page)
    assert at.title, "each page has a heading"
    assert any("Data as at 24 November 2026" in c.value for c in at.caption)


def test_area_pages_draw_one_chart_per_catalogue_indicator(db):
    cat = charts.data.catalogue_frame(sm.catalogue())
    for area in ("lac", "fostering", "virtual_school"):
        at = run_page(area)
        titles = [title_of(f) for f in figures(at)]
        assert titles == list(cat.loc[cat["service_area"] == area, "title"]), area


def test_an_area_page_draws_its_first_row_and_names_the_rest_until_scrolled_to(db):
    cat = charts.data.catalogue_frame(sm.catalogue())
    titles = list(cat.loc[cat["service_area"] == "lac", "title"])
    assert len(titles) == 16  # 8 rows of 2
    at = run_page("lac", draw_all=False)
    # the first row's two charts, in catalogue order
    assert [title_of(f) for f in figures(at)] == titles[:2]
    # each of the other 7 rows: a placeholder naming its two indicators, drawn on scroll
    waiting = [c.value for c in at.caption if c.value == "Drawn when you scroll to it."]
    assert len(waiting) == 7
    named = [m.value.strip("*") for m in at.markdown if m.value.strip("*") in titles]
    assert named == titles[2:]


# --- values equal the library's, and follow the hub filter -------------------------------------


def test_chart_values_equal_the_library_for_a_hub_and_period(db):
    at = run_page("lac", hub=["LAC1"], **{"from": "2025-04", "to": "2026-03"})
    start, end = date(2025, 4, 30), date(2026, 3, 31)
    cat = charts.data.catalogue_frame(sm.catalogue("lac")).set_index("title")
    checked = 0
    for fig in figures(at):
        ind = cat.loc[title_of(fig)]
        hubs = ["LAC1"] if ind["splits_by_hub"] else None
        expected = sm.series(ind["id"], hubs=hubs, start=start, end=end)
        lines = value_traces(fig)
        assert len(lines) == 1
        (shown,) = lines.values()
        assert same(shown, expected["value"].astype(float).tolist()), ind["id"]
        checked += 1
    assert checked == len(cat)


def test_changing_the_hub_changes_the_values(db):
    at = run_page("hubs", hub=["H01"])
    before = {title_of(f): value_traces(f) for f in figures(at)}
    at.multiselect(key="f_hubs").set_value(["H02"]).run()
    assert not at.exception
    after = {title_of(f): value_traces(f) for f in figures(at)}
    assert at.query_params["hub"] == ["H02"] or at.query_params["hub"] == "H02"
    expected = sm.series("hub_allocated", hubs=["H02"], start=None, end=None)
    line = after["Children allocated to the hub"]
    (shown,) = line.values()
    assert shown == expected["value"].astype(float).tolist()[-len(shown) :]
    assert before["Children allocated to the hub"] != line


def test_overview_tiles_equal_latest_for_a_hub_and_change_with_it(db):
    def tiles(at):
        return {(m.label, m.value) for m in at.metric}

    at = run_page("overview", hub=["H03"])
    shown = tiles(at)
    cat = charts.data.catalogue_frame(sm.catalogue()).set_index("id")
    by_hub = sm.latest(hubs=["H03"])
    trust = sm.latest(hubs=None)
    expected = set()
    for ind_id, ind in cat.iterrows():
        rows = by_hub if ind["splits_by_hub"] else trust
        for r in rows[rows["indicator_id"] == ind_id].to_dict("records"):
            hub = "Hub 3 - Cippenham Green" if ind["splits_by_hub"] else "Whole Trust"
            label = f"{hub} · {fmt.month_label(r['period_end'])}"
            expected.add((label, fmt.format_value(r["value"], ind["unit"], short=True)))
    assert expected and expected <= shown
    at.multiselect(key="f_hubs").set_value(["H04"]).run()
    assert tiles(at) != shown


def test_fostering_says_the_hub_filter_does_not_apply(db):
    at = run_page("fostering", hub=["H01"])
    assert any("does not apply" in i.value for i in at.info)


def test_a_locality_hub_on_the_lac_page_is_told_where_the_children_are(db):
    """Children looked after are held by the LAC hubs, leaving care and disabled children's
    teams: filtered to locality Hub 3 each LAC chart says so instead of standing empty."""
    # (a chart where Hub 3 held a child in the period speaks for itself)
    lac = [i for i in sm.catalogue("lac") if i.splits_by_hub]
    at = run_page("lac", hub=["H03"], **{"from": "2025-04", "to": "2026-03"})
    start, end = date(2025, 4, 30), date(2026, 3, 31)
    notes = [i.value for i in at.info if "none of these children" in i.value]
    empty = [
        i for i in lac if sm.series(i.id, hubs=["H03"], start=start, end=end)["value"].isna().all()
    ]
    assert len(notes) == len(empty) > 10
    assert notes[0].startswith("Hub 3 - Cippenham Green holds none")
    assert "the LAC hubs" in notes[0]
    # a LAC hub sees its charts without the note
    at = run_page("lac", hub=["LAC1"])
    assert not [i for i in at.info if "none of these children" in i.value]


def test_a_bad_link_is_explained_not_fatal(db):
    at = run_page("overview", hub=["NOPE"], **{"from": "20x5"})
    notes = " ".join(i.value for i in at.info)
    assert "NOPE" in notes and "20x5" in notes


# --- no child-level identifiers ------------------------------------------------------------


def identifiers(drop: Path) -> set[str]:
    """Child IDs, UPNs, dates of birth and postcodes present in the test drop."""
    found: set[str] = set()
    for path in drop.rglob("*.csv"):
        with path.open(newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for col in ("CHILD", "child_id", "UPN", "DOB", "HOME_POST", "PL_POST", "MC_DOB"):
                    v = (row.get(col) or "").strip()
                    if len(v) >= 6:
                        found.add(v)
    return found


# Counts and positions in the data-quality tables: numbers, not identifiers, shown with a
# thousands separator ("289,118 rows read"); a count may equal a demo child ID by chance. The
# overview's "Trend" sparklines are the indicator's monthly values (e.g. 93.622142 %, stored
# to 6 decimals), whose decimals may spell a demo child ID by chance too.
COUNT_COLUMNS = [
    "rows_read",
    "rows_kept",
    "issues",
    "files",
    "row_number",
    "Rows",
    "Files",
    "Row",
    "Trend",
]


def page_text(at: AppTest) -> str:
    parts = []
    for kind in ("markdown", "caption", "title", "subheader", "info", "warning", "error"):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for df in [*at.dataframe, *at.table]:
        frame = df.value.drop(columns=COUNT_COLUMNS, errors="ignore")
        for col in frame.select_dtypes(include=["datetime", "datetimetz"]).columns:
            # as shown (to the minute): the microseconds of a load's start or finish time
            # are not on the page, and six of their digits may match a demo child ID
            frame[col] = frame[col].dt.strftime("%Y-%m-%d %H:%M")
        parts.append(frame.to_csv())
    for el in at.get("plotly_chart"):
        parts.append(el.proto.spec)
    return "\n".join(parts)


def test_no_child_identifier_on_any_page(db, board_db):
    drop = Path((board_db.parent / "drop_path.txt").read_text())
    ids = identifiers(drop)
    assert len(ids) > 100
    pattern = re.compile(r"(?<![\w/])(" + "|".join(map(re.escape, ids)) + r")(?![\w/])")
    for page in PAGES:
        for query in ({}, {"hub": ["H01"]}, {"hub": ["LAC1"]}):
            text = page_text(run_page(page, **query))
            leaked = sorted(set(pattern.findall(text)))
            assert not leaked, f"{page} {query}: {leaked[:5]}"


# --- text from a link is shown as written, never as Markdown ---------------------------------


def rendered(markdown: str) -> str:
    """What a Markdown body becomes in the browser (CommonMark, as Streamlit's renderer)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").render(markdown).replace("\u2060", "")  # invisible joiner


def test_text_from_the_link_is_plain_text_not_a_link_or_an_image(db):
    link = "[Session expired](https://example.org)"
    image = "![x](http://127.0.0.1:9/x.png)"
    at = run_page("overview", hub=[link], **{"from": image})
    notes = [i.value for i in at.info]
    assert len(notes) == 2, notes
    html = "\n".join(rendered(n) for n in notes)
    assert "<a " not in html and "<img" not in html
    # the reader sees the link's own text, character for character
    assert f"<p>Unknown hub in the link, ignored: {link}.</p>" in html
    assert f"<p>'from={image}' is not a month (use YYYY-MM): default shown.</p>" in html


# --- a database the board cannot use: a clear message, details in the server's log ----------


def page_words(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("title", "error", "caption") for e in at.get(kind))


def test_a_corrupt_database_is_explained_without_a_traceback(tmp_path, monkeypatch, caplog):
    bad = tmp_path / "scst.duckdb"
    bad.write_bytes(b"this is not a database\n" * 500)
    monkeypatch.setenv("SCST_DB", str(bad))
    at = run_page("overview")
    words = page_words(at)
    assert "The board cannot read its database" in words
    assert "make nightly" in words and str(bad) in words.replace("\\", "")
    assert "Traceback" not in words and "site-packages" not in words and ".py" not in words
    # the details are in the server's log, with the exception
    logged = [r for r in caplog.records if r.name == "scst.board"]
    assert logged and logged[0].exc_info is not None


def test_an_unwritable_folder_is_explained_without_a_traceback(monkeypatch, caplog):
    # /sys refuses new folders to everyone, root included (a chmod'ed folder does not stop
    # root, who runs CI)
    target = Path("/sys/scst-board-test/scst.duckdb")
    monkeypatch.setenv("SCST_DB", str(target))
    at = run_page("overview")
    words = page_words(at)
    assert "the board cannot create one: the board may not write to that folder" in words
    assert "Point SCST_DB at a file in a folder the board may write to" in words
    assert "Traceback" not in words and "site-packages" not in words and ".py" not in words
    assert not target.parent.exists()
    assert any(r.name == "scst.board" and r.exc_info for r in caplog.records)


# --- the banner shows the published load's warnings ------------------------------------------


@pytest.fixture(scope="module")
def warned_db(tmp_path_factory) -> Path:
    """A small demo Trust whose optional Suspensions table came as an empty file."""
    from scst_metrics.demo.generate import generate
    from scst_metrics.load import load_drop

    root = tmp_path_factory.mktemp("warned")
    drop = root / "drop"
    generate(drop, AS_OF, seed=1, scale=0.2, progress=lambda _msg: None)
    (drop / "local" / "suspensions.csv").write_bytes(b"")
    outcome = load_drop(drop, root / "scst.duckdb", log=lambda _line: None)
    assert outcome.status == "published", outcome.message
    return root / "scst.duckdb"


def test_the_banner_shows_the_last_loads_warnings_as_plain_text(warned_db, monkeypatch):
    monkeypatch.setenv("SCST_DB", str(warned_db))
    for page in ("overview", "data_quality"):
        at = run_page(page)
        (box,) = [w.value for w in at.warning if "The last load was published" in w.value]
        html = rendered(box)
        # the empty file gives two warnings: the file is empty, and so the table is missing
        assert "<strong>The last load was published with 2 warnings</strong>" in html
        assert (
            "<li>local/suspensions.csv: The file is empty (0 bytes), taken as the Suspensions "
            "and permanent exclusions table with no rows." in html
        )
        assert "<li>local/: No local Suspensions and permanent exclusions table" in html
        assert "<a " not in html
