"""What a chart card shows fits it, measured in real headless Chromium.

- "How we compare" (DfE's latest year beside an indicator): a row a comparator and one column
  of figures, so at 1280, 1400 and 1600 px windows, and at 200 % zoom (a 1400 px window
  zoomed: 700 CSS px, WCAG 1.4.10 reflow), every row -- the quartile's included -- lies inside
  the card's visible box (it was cut off at its Quartile column in a 1400 px window).
- The chart's legend above it: every entry whole inside the legend's box (long entries were
  cut off at the plot's width) in 1280, 1400 and 1600 px windows.
- A hub's chart: the note "DfE benchmarks are the whole authority's..." and the SPC icons'
  words ("Special cause: lower") never overlap, on the board (a 1400 px window, the live
  plotly.js chart) and in the exported images and board-pack charts kaleido renders (their
  SVG opened in Chromium, its text boxes measured), at the widths the board uses.
"""

from __future__ import annotations

from datetime import date

import pytest
from board import accessibility_violations, wait_for_view

import scst_metrics as sm
from scst_metrics import charts, export
from scst_metrics.pack import sources as pack_sources

pytestmark = pytest.mark.browser

RANKED = "lac_health_assessments"  # DfE ranks it (quartile bands A-D): every row is filled

# The figure cells of the "how we compare" table after the card's anchor, each with the
# visible box around it: the card (the nearest ancestor holding the anchor) cut by every
# ancestor in between that clips what overflows it.
FIT = r"""(id) => {
  const anchor = document.getElementById(id);
  const table = document.evaluate(
    `//span[@id="${id}"]/following::*[@data-testid="stTable"][1]//table`, document, null,
    XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
  if (!anchor || !table) return null;
  const box = (e) => { const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  let card = table;
  while (card && !card.contains(anchor)) card = card.parentElement;
  const visible = box(card);
  for (let e = table; e && e !== card; e = e.parentElement) {
    const style = getComputedStyle(e);
    if (style.overflowX !== "visible" || style.overflowY !== "visible") {
      const r = box(e);
      visible.left = Math.max(visible.left, r.left);
      visible.right = Math.min(visible.right, r.right);
      visible.top = Math.max(visible.top, r.top);
      visible.bottom = Math.min(visible.bottom, r.bottom);
    }
  }
  const head = [...table.querySelectorAll("thead th")].map(c => c.innerText.trim());
  const rows = [...table.querySelectorAll("tbody tr")].map(tr =>
    [...tr.querySelectorAll("th, td")].map(c => ({text: c.innerText.trim(), box: box(c)})));
  return {head, rows, visible, card: box(card), scrolls: table.parentElement.scrollWidth >
    table.parentElement.clientWidth};
}"""


# The legend of the card's chart: its box (plotly clips its entries to it) and each entry's
# text box.
LEGEND = r"""(id) => {
  const a = document.getElementById(id);
  let card = a.parentElement;
  while (card && !card.querySelector(".js-plotly-plot")) card = card.parentElement;
  const box = (e) => { const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const legend = card.querySelector(".legend");
  return {legend: box(legend.querySelector("rect.bg")),
    entries: [...legend.querySelectorAll(".legendtext")].map(t => ({
      text: [...t.querySelectorAll("tspan.line")].map(l => l.textContent).join(" ")
        || t.textContent, box: box(t)}))};
}"""


def _inside(inner: dict, outer: dict, slack: float = 0.5) -> bool:
    return (
        inner["left"] >= outer["left"] - slack
        and inner["right"] <= outer["right"] + slack
        and inner["top"] >= outer["top"] - slack
        and inner["bottom"] <= outer["bottom"] + slack
    )


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def _published(db, indicator_id: str) -> tuple[int, dict]:
    """DfE's latest year and, of it, comparator -> (value, rank, rank_of, quartile)."""
    rows = sm.benchmark_rows(indicator_id, db=db)
    year = int(rows["year"].max())
    latest = rows[rows["year"] == year].set_index("comparator")
    return year, {
        c: (r["value"], r["rank"], r["rank_of"], r["quartile"]) for c, r in latest.iterrows()
    }


def _scroll_to_card(page, indicator_id: str) -> None:
    """Scroll the card into view and wait until its chart is drawn (pages draw a row of
    cards when it comes into view)."""
    drawn = f"""() => {{
      const a = document.getElementById("{indicator_id}");
      if (!a) return false;
      a.scrollIntoView({{block: "start"}});
      // the card: the nearest ancestor of the anchor holding a chart and no other card
      let card = a.parentElement;
      while (card && !card.querySelector(".js-plotly-plot")) card = card.parentElement;
      return !!(card && card.querySelectorAll("span[id]").length === 1
        && card.querySelector(".js-plotly-plot .svg-container"));
    }}"""
    page.wait_for_function(drawn, timeout=180_000, polling=500)
    page.wait_for_timeout(300)


@pytest.mark.parametrize(("width", "zoom"), [(1400, 1), (1280, 1), (1600, 1), (1400, 2)], ids=str)
def test_how_we_compare_fits_its_card(server, board_db, browser, axe_source, width, zoom):
    # zoom 2: the 1400 px window zoomed to 200 % lays the page out in 700 CSS px
    context = browser.new_context(
        viewport={"width": width // zoom, "height": 1000 // zoom}, device_scale_factor=zoom
    )
    page = context.new_page()
    try:
        page.goto(f"{server}/lac")
        wait_for_view(page, timeout=180)
        _scroll_to_card(page, RANKED)
        fit = page.evaluate(FIT, RANKED)
        assert fit is not None
        year, published = _published(board_db, RANKED)
        # DfE's 2025 figures for health assessments (data/benchmarks): our 88.0%, rank 116
        # of 151, quartile D (the pack test reads the same from the board's file)
        assert year == 2025 and published["us_published"][1:] == (116, 151, "D")
        assert [published[c][0] for c in ("us_published", "neighbours", "region", "england")] == [
            88.0,
            93.7,
            87.0,
            90.0,
        ]
        assert fit["head"] == ["Compared with", "Year to 31 March 2025"]
        shown = {row[0]["text"]: row[1]["text"] for row in fit["rows"]}
        # as DfE prints them: 88.0 -> "88%", 93.7 -> "93.7%" (benchmarks.labels.value_words)
        assert shown == {
            "Slough (DfE published)": "88%",
            "Statistical neighbours' average": "93.7%",
            "South East": "87%",
            "England": "90%",
            "Rank (1 = best)": "116 of 151",
            "Quartile (A = best)": "D",
        }
        # every cell, the quartile's included, inside the card's visible box; nothing to
        # scroll sideways
        for row in fit["rows"]:
            for cell in row:
                assert _inside(cell["box"], fit["visible"]), (width, zoom, cell, fit["visible"])
        quartile = next(r for r in fit["rows"] if r[0]["text"] == "Quartile (A = best)")
        assert _inside(quartile[1]["box"], fit["card"])
        assert not fit["scrolls"]
        if zoom != 1:  # 200 %: the sidebar, open beside it, leaves the chart 300 px wide
            return
        # the chart above it: every legend entry whole inside the legend (DfE's four markers'
        # entries, "Statistical neighbours' average (DfE, year to 31 March)" the longest,
        # were cut off at the plot's width)
        legend = page.evaluate(LEGEND, RANKED)
        texts = [e["text"] for e in legend["entries"]]
        assert "Statistical neighbours' average (DfE, year to 31 March)" in texts, texts
        for entry in legend["entries"]:
            assert _inside(entry["box"], legend["legend"]), (width, entry, legend["legend"])
        if width == 1400:  # WCAG 2.2 AA on the page with the table drawn
            assert accessibility_violations(page, axe_source) == []
    finally:
        context.close()


# The boxes of a plotly chart's top notes, SPC icons' words, icons, title and subtitle, and
# of the chart itself, in the page's pixels; `names` maps an annotation's name to its index
# (plotly.js draws annotation i as g.annotation[data-index=i]).
BOXES = r"""(root, names) => {
  const box = (e) => { const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const out = {};
  for (const [name, i] of Object.entries(names)) {
    const t = root.querySelector(`g.annotation[data-index="${i}"] text`);
    out[name] = t ? box(t) : null;
  }
  out.icons = [...root.querySelectorAll(".imagelayer image")].map(box);
  out.title = box(root.querySelector(".gtitle"));
  out.subtitle = box(root.querySelector(".gtitle-subtitle"));
  out.chart = box(root);
  return out;
}"""

NOTES, WORDS = "chart_notes", "spc_icons_words"


def _names(annotations) -> dict[str, int]:
    return {a["name"]: i for i, a in enumerate(annotations) if a.get("name") in (NOTES, WORDS)}


def _assert_apart(boxes: dict, what: str) -> None:
    """The notes, the icons' words and the icons never meet, nor the title and subtitle;
    the notes lie inside the chart (plotly cuts off what does not)."""
    notes, words = boxes[NOTES], boxes[WORDS]
    assert notes and words, (what, boxes)
    assert not _overlap(notes, words), (what, notes, words)
    for icon in boxes["icons"]:
        assert not _overlap(notes, icon), (what, notes, icon)
    for head in ("title", "subtitle"):
        assert not _overlap(notes, boxes[head]), (what, head, notes, boxes[head])
    assert _inside(notes, boxes["chart"]), (what, notes, boxes["chart"])
    assert notes["top"] >= words["bottom"] - 0.5, (what, notes, words)  # under the words


HUB = "H03"
START, END = date(2024, 12, 1), date(2026, 11, 30)


def _hub_charts(db) -> list[dict]:
    """The hubs page's indicators split by hub, as a catalogue row each."""
    frame = charts.data.catalogue_frame(sm.catalogue("hubs"))
    return [ind for ind in frame.to_dict("records") if ind["splits_by_hub"]]


def test_a_hub_charts_notes_clear_the_spc_words_on_the_board(server, board_db, browser):
    cp = next(i for i in _hub_charts(board_db) if i["id"] == "cp_plans")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{server}/hubs?hub={HUB}")
        wait_for_view(page, timeout=180)
        _scroll_to_card(page, "cp_plans")
        plots = page.locator(".js-plotly-plot").element_handles()
        title = " ".join(charts.trend.wrap_title(cp["title"]))
        plot = next(
            p
            for p in plots
            if p.evaluate(
                "(el, t) => (el.layout.title.text || '').replace(/<[^>]*>/g, ' ')"
                ".replace(/\\s+/g, ' ').trim() === t",
                title,
            )
        )
        names = _names(plot.evaluate("(el) => el.layout.annotations.map(a => ({name: a.name}))"))
        boxes = plot.evaluate(BOXES, names)
        # the reported case: DfE's note on a hub's chart beside "Special cause: ..." words
        text = plot.evaluate(f"(el) => el.layout.annotations[{names[NOTES]}].text")
        assert "DfE benchmarks are the whole authority's" in text
        _assert_apart(boxes, "cp_plans on the board at 1400 px")
    finally:
        context.close()


def test_exported_hub_charts_keep_notes_clear_of_the_spc_words(board_db, page):
    """Every hubs indicator split by hub with SPC icons, of hub 3, as the PNG / SVG buttons
    export it (1100 px) and as a board pack draws it (900 px, with its own note), and at the
    board's narrow and half widths: kaleido's SVG, measured in Chromium."""
    names_of = dict(zip(*[sm.hubs(db=board_db)[c] for c in ("hub_id", "hub_name")], strict=True))
    checked = 0
    for ind in _hub_charts(board_db):
        series = charts.data.series_frame(
            sm.series(ind["id"], hubs=[HUB], start=START, end=END, db=board_db)
        )
        layers = sm.chart_layers(ind["id"], hubs=[HUB], start=START, end=END, db=board_db)
        kw = dict(
            hub_names=names_of,
            hub_label=charts.data.hub_label((HUB,), names_of),
            period_label="Dec 2024 to Nov 2026",
            as_at=date(2026, 11, 24),
        )
        exported = export.chart_figure(series, ind, **kw, **layers)
        packed = pack_sources.chart(
            series,
            ind,
            hubs=[HUB],
            names=names_of,
            period_label=kw["period_label"],
            as_at=kw["as_at"],
            left_out=True,
            layers=layers,
            suppress_small=True,
        )
        for fig, widths in ((exported, (360, 520, 1100)), (packed, (900,))):
            names = _names([a.to_plotly_json() for a in fig.layout.annotations])
            if WORDS not in names or NOTES not in names:  # no SPC icons, or no note
                continue
            for width in widths:
                svg = export.render(fig, "svg", width=width).decode("utf-8")
                page.set_content(f"<body style='margin:0'>{svg}</body>")
                boxes = page.locator("svg").first.evaluate(BOXES, names)
                _assert_apart(boxes, f"{ind['id']} at {width} px")
                checked += 1
    # hub 3's split indicators with SPC (their icons drawn): several, each at 4 sizes
    assert checked >= 4 * 4, checked
