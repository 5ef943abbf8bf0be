"""The board frame's pure parts (pages/_frame): the URL encoding and plain text."""

from __future__ import annotations

from datetime import date

import pandas as pd
from markdown_it import MarkdownIt

from pages._frame import url
from pages._frame.text import JOINER, plain

MONTHS = [m.date() for m in pd.date_range("2020-01-31", periods=40, freq="ME")]


def test_url_filters_resolve_against_the_data():
    f = url.resolve(
        {"hub": ["H01", "ZZZ"], "from": ["2021-02"], "to": ["bad"]}, ["H01", "H02"], MONTHS
    )
    assert f.hubs == ("H01",)
    # from=2021-02 -> the month's end; to=bad -> the default end, the last month (Apr 2023)
    assert f.start == date(2021, 2, 28) and f.end == date(2023, 4, 30)
    assert f.notes == (
        "Unknown hub in the link, ignored: ZZZ.",
        "'to=bad' is not a month (use YYYY-MM): default shown.",
    )
    d = url.resolve({}, ["H01"], MONTHS)
    # 40 months Jan 2020 .. Apr 2023; the last 24 start at month 17 (index 16): May 2021
    assert d.hubs == () and d.start == date(2021, 5, 31) and d.end == date(2023, 4, 30)


def test_a_reversed_or_out_of_range_period_is_put_right():
    f = url.resolve({"from": ["2030-01"], "to": ["2019-06"]}, [], MONTHS)
    # from is clamped to the last month (Apr 2023), to to the first (Jan 2020); then swapped
    assert (f.start, f.end) == (date(2020, 1, 31), date(2023, 4, 30))


def test_one_encoding_reads_back_as_the_same_filters():
    q = url.encode(("H02", "H01"), date(2021, 2, 28), date(2022, 3, 31))
    assert q == {"hub": ["H02", "H01"], "from": ["2021-02"], "to": ["2022-03"]}
    f = url.resolve(q, ["H01", "H02"], MONTHS)
    assert (f.hubs, f.start, f.end, f.notes) == (
        ("H02", "H01"),
        date(2021, 2, 28),
        date(2022, 3, 31),
        (),
    )
    assert url.encode(f.hubs, f.start, f.end) == q


def test_writing_the_url_touches_only_the_boards_keys():
    params = {"hub": ["H01"], "from": ["2020-01"], "item": ["3"]}
    url.write(params, (), None, date(2022, 3, 31))
    # no hub: removed; no start: removed; to written; a key the board does not own stays
    assert params == {"to": ["2022-03"], "item": ["3"]}


def rendered(text: str) -> str:
    """CommonMark's HTML for the text, as a reader sees it (the invisible joiner removed)."""
    return MarkdownIt("commonmark").render(text).replace(JOINER, "")


def test_plain_text_is_shown_as_written_never_as_markdown():
    link = "[Session expired - sign in again](https://example.org)"
    image = "![x](http://127.0.0.1:9/x.png)"
    for text in (link, image, "<b>bold</b> *em* `code` :red[alarm] $x$", "a\n# heading"):
        html = rendered(f"Note: {plain(text)}")
        assert "<a " not in html and "<img" not in html and "<em>" not in html
        assert "<code>" not in html and "<h1>" not in html and "<b>" not in html
    # the text a reader sees is the text that was given (line breaks become spaces)
    assert rendered(plain(link)) == f"<p>{link}</p>\n"
    assert rendered(plain(image)) == f"<p>{image}</p>\n"
    assert rendered(plain("a\n# b")) == "<p>a # b</p>\n"
    # GitHub's bare links are broken by an invisible joiner (the browser test checks that no
    # link is drawn): https:, www. and @ each get one
    assert plain("see https://a.org, www.b.org or c@d.org").count(JOINER) == 3
    # names without Markdown's characters are unchanged (tile labels, hub names)
    assert plain("Hub 3 - Cippenham Green") == "Hub 3 - Cippenham Green"
