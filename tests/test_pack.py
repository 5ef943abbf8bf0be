"""Board packs built from a real demo Trust database and opened again by real readers.

The demo Trust (seed 1, scale 0.2, as of 24 November 2026) is written by the real generator and
published by the real nightly load ONCE for this module; the packs are built with the real
charts and the one warm kaleido renderer, then reopened with python-pptx and pypdf.
"""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
from pptx import Presentation
from pptx.util import Inches
from pypdf import PdfReader

from scst_metrics import notes  # noqa: E402
from scst_metrics.pack import HubNotAllowed, build_pack  # noqa: E402
from scst_metrics.pack import sources as src  # noqa: E402
from scst_metrics.pack.__main__ import main  # noqa: E402
from scst_metrics.pack.content import gather  # noqa: E402
from scst_metrics.pack.slides import MATRIX_ROWS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2026, 11, 24)
NOTE = "Up by two since October: a sibling group of three came into care."


@pytest.fixture(scope="module")
def board(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("pack")
    drop, db = root / "drop", root / "scst.duckdb"
    cmd = [sys.executable, "-m", "scst_metrics.demo", "--out", str(drop), "--as-of"]
    cmd += [AS_OF.isoformat(), "--seed", "1", "--scale", "0.2"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    from scst_metrics.load import load_drop

    outcome = load_drop(drop, db, log=lambda _line: None)
    assert outcome.status == "published", outcome.message
    notes_url = f"sqlite:///{root / 'notes.sqlite'}"
    notes.add("lac_count", AS_OF, NOTE, author="head.of.service@trust.example", url=notes_url)
    return {"root": root, "db": db, "notes_url": notes_url}


def _order(db: Path, hubs: list[str], area: str | None) -> list[str]:
    """The indicators in the summary matrix's order (exceptions first)."""
    with src.open_snapshot(db) as conn:
        end = src.periods(conn)[-1]
        matrix = src.matrix(conn, hubs=hubs, end=end, area=area, allowed=None)
    first = matrix.drop_duplicates("indicator_id")
    ranks = list(first["exception_rank"])
    assert ranks == sorted(ranks), "the summary matrix puts exceptions first"
    return list(first["indicator_id"])


def _titles(db: Path) -> dict[str, str]:
    with src.open_snapshot(db) as conn:
        return {k: v["title"] for k, v in src.catalogue(conn).items()}


@pytest.fixture(scope="module")
def whole_board_pptx(board) -> Path:
    out = board["root"] / "board.pptx"
    seen = []
    build_pack(
        board["db"],
        out=out,
        notes_url=board["notes_url"],
        progress=lambda done, total, what: seen.append((done, total)),
    )
    assert seen[0] == (0, 43) and seen[-1] == (43, 43)
    return out


def test_whole_board_pptx_slides_in_exceptions_first_order(board, whole_board_pptx):
    prs = Presentation(str(whole_board_pptx))
    # 16:9: 13.333 x 7.5 inches
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    slides = list(prs.slides)
    order = _order(board["db"], [], None)
    assert len(order) == 43  # every indicator in the catalogue: 14 + 16 + 7 + 6
    matrix_slides = math.ceil(43 / MATRIX_ROWS)  # 43 Trust rows, 10 a slide: 5 slides
    assert len(slides) == 1 + matrix_slides + 43  # cover, summary, one per indicator: 49

    cover_text = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "Slough Children's Services Trust" in cover_text
    assert "November 2026" in cover_text
    assert "Data as at 24 November 2026" in cover_text
    assert "Last load: published" in cover_text

    titles = _titles(board["db"])
    listed = []
    for s in slides[1 : 1 + matrix_slides]:
        assert s.shapes.title.text.startswith("Summary: exceptions first")
        (table,) = [sh.table for sh in s.shapes if sh.has_table]
        listed += [table.cell(i, 0).text for i in range(1, len(table.rows))]
    assert listed == [titles[i] for i in order]  # the summary table, row by row, same order
    indicator_slides = slides[1 + matrix_slides :]
    assert [s.shapes.title.text for s in indicator_slides] == [titles[i] for i in order]
    with src.open_snapshot(board["db"]) as conn:
        cat = src.catalogue(conn)
    for indicator_id, s in zip(order, indicator_slides, strict=True):
        pictures = [sh for sh in s.shapes if sh.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == 1, s.shapes.title.text
        alt = pictures[0]._element.nvPicPr.cNvPr.get("descr")
        assert alt == f"Chart: {titles[indicator_id]}"
        notes_text = s.notes_slide.notes_text_frame.text
        # the definition and why it matters, as plain text (no Markdown on a slide)
        assert cat[indicator_id]["plain_definition"] in notes_text
        assert f"Why it matters: {cat[indicator_id]['why']}" in notes_text
        assert "**" not in notes_text
        texts = [sh.text_frame.text for sh in s.shapes if sh.has_text_frame]
        assert any(t.startswith("Commentary") for t in texts)
        shown = f"What this measures: {cat[indicator_id]['plain_definition']} Why it matters: "
        assert any(t.startswith(shown) and "**" not in t for t in texts)

    # the matrix's first rows are the exceptions, and their slides say why
    first = indicator_slides[0]
    assert any(
        sh.text_frame.text.startswith("Exception: ") for sh in first.shapes if sh.has_text_frame
    )
    # the commentary written for lac_count this month is on its slide
    lac = indicator_slides[order.index("lac_count")]
    box = next(
        sh for sh in lac.shapes if sh.has_text_frame and sh.text_frame.text.startswith("Commentary")
    )
    assert f"What the data tells us: {NOTE}" in box.text_frame.text


def test_whole_board_pptx_says_how_we_compare(board, whole_board_pptx):
    """lac_health_assessments has DfE figures (data/benchmarks): our published 88.0% in 2025,
    neighbours 93.7%, South East 87.0%, England 90.0%, rank 116 of 151 (quartile D)."""
    prs = Presentation(str(whole_board_pptx))
    titles = _titles(board["db"])
    slide = next(s for s in prs.slides if s.shapes.title.text == titles["lac_health_assessments"])
    text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert "How we compare" in text
    assert "DfE 2025: our published figure 88.0% (rank 116 of 151, quartile D)" in text
    assert "statistical neighbours 93.7%" in text
    assert "South East 87.0%" in text
    assert "England 90.0%" in text


def _cp_plans_h03(db: Path) -> float:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT value FROM indicator_values WHERE indicator_id = 'cp_plans' "
            "AND hub_id = 'H03' AND period_end = ?",
            [AS_OF],
        ).fetchone()[0]
    finally:
        con.close()


def test_one_hub_pdf_pages_contents_and_small_numbers(board):
    # Hub 3's children on a child protection plan on 24 November 2026: 5 (demo seed 1,
    # scale 0.2; 1 before plans nearing two years went to a review conference that ends or
    # keeps them, which changes which children are on a plan when) -- a count of 1 to 5, so
    # the pack must show "c", not 5.
    assert _cp_plans_h03(board["db"]) == 5
    out = build_pack(
        board["db"],
        area="hubs",
        hubs=["H03"],
        out=board["root"] / "h03.pdf",
        notes_url=board["notes_url"],
    )
    reader = PdfReader(str(out))
    pages = [p.extract_text() for p in reader.pages]
    order = _order(board["db"], ["H03"], "hubs")
    assert len(order) == 14
    titles = _titles(board["db"])
    assert "Slough Children's Services Trust" in pages[0]
    assert "Hub 3 - Cippenham Green" in pages[0]
    # the contents (its page's footer is drawn first, so extracted first): the summary, then
    # the 14 indicators in order, each on the page after the one before
    lines = pages[1].splitlines()
    listed = lines[lines.index("Contents") + 1 :]
    assert listed[0] == "Summary: exceptions first 3"  # cover 1, contents 2
    first_indicator_page = int(listed[1].rsplit(" ", 1)[1])
    for n, (line, indicator_id) in enumerate(zip(listed[1:], order, strict=True)):
        assert line == f"{titles[indicator_id]} {first_indicator_page + n}"
    assert len(pages) == first_indicator_page + 13
    for n, indicator_id in enumerate(order):
        page = pages[first_indicator_page - 1 + n]
        assert page.startswith(titles[indicator_id])
        assert f"Page {first_indicator_page + n} of {len(pages)}" in page
        assert reader.pages[first_indicator_page - 1 + n].images, titles[indicator_id]
    cp = pages[first_indicator_page - 1 + order.index("cp_plans")]
    assert "\nLatest c\n" in cp and "\nLatest 5\n" not in cp
    assert "\nChange on last month c\n" in cp
    assert '"c": a count of 1 to 5' in cp


H03_ONLY = frozenset({"H03"})  # a hub manager's access (data/access.csv: hubs H03)
REFUSED_H04 = (
    "You do not have access to hub H04. Your access covers H03; ask your performance team if "
    "you need more."
)


def _cp_plans_trust(db: Path) -> float:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT value FROM indicator_values WHERE indicator_id = 'cp_plans' "
            "AND hub_id IS NULL AND period_end = ?",
            [AS_OF],
        ).fetchone()[0]
    finally:
        con.close()


def test_a_restricted_persons_pack_holds_only_their_hubs(board):
    """Someone allowed hub H03 only asks for the hubs pack and names no hub: as on the pages
    (pages/_frame/view.py), the pack is of their hub, with the Trust's figure only for the
    indicators not split by hub, which the pages show them too."""
    with src.open_snapshot(board["db"]) as conn:
        names = src.hub_names(conn)
        cat = src.catalogue(conn)
    pack = gather(board["db"], area="hubs", allowed=H03_ONLY, notes_url=board["notes_url"])
    assert pack.hubs_label == names["H03"] == "Hub 3 - Cippenham Green"
    hubs_area = {i: ind["splits_by_hub"] for i, ind in cat.items() if ind["service_area"] == "hubs"}
    # the hubs area: 14 indicators, 2 of them Trust-wide (referrals per 10,000, CP rate)
    assert len(pack.items) == len(hubs_area) == 14
    trust_wide = sorted(i for i, split in hubs_area.items() if not split)
    assert trust_wide == ["cp_plans_rate", "referrals_rate_12m"]
    for item in pack.items:
        expected = [names["H03"]] if hubs_area[item.indicator_id] else ["Whole Trust"]
        assert [f.hub for f in item.figures] == expected, item.indicator_id
    # the summary matrix: 12 rows of H03 and the 2 Trust-wide indicators, no other hub
    shown = sorted(r.hub for r in pack.matrix)
    assert shown == ["Hub 3 - Cippenham Green"] * 12 + ["Whole Trust"] * 2
    # children on a CP plan: hub 3's count, 5 on 24 November 2026 (1 to 5 is shown "c"),
    # never the Trust's (more than 5, so it would be a number)
    assert _cp_plans_h03(board["db"]) == 5 and _cp_plans_trust(board["db"]) > 5
    cp = next(item for item in pack.items if item.indicator_id == "cp_plans")
    assert cp.figures[0].value == "c"


def test_a_restricted_person_asking_for_another_hub_is_refused(board, tmp_path):
    out = tmp_path / "h04.pptx"
    with pytest.raises(HubNotAllowed) as refused:
        build_pack(board["db"], area="hubs", hubs=["H03", "H04"], out=out, allowed=H03_ONLY)
    assert str(refused.value) == REFUSED_H04
    assert not out.exists()
    # every read of the pack goes through the pages' rule (access.check_read): the Trust
    # total of an indicator split by hub is refused, a Trust-wide indicator's is read
    with src.open_snapshot(board["db"]) as conn:
        cat = src.catalogue(conn)
        end = src.periods(conn)[-1]
        with pytest.raises(HubNotAllowed, match="Trust total of cp_plans"):
            src.series(conn, cat["cp_plans"], [], end, end, H03_ONLY)
        with pytest.raises(HubNotAllowed, match="Trust total of cp_plans"):
            src.chart_layers(conn, cat["cp_plans"], [], end, end, H03_ONLY)
        with pytest.raises(HubNotAllowed, match="Trust total of every indicator"):
            src.matrix(conn, hubs=[], end=end, area="hubs", allowed=H03_ONLY)
        rate = src.series(conn, cat["cp_plans_rate"], [], end, end, H03_ONLY)
        assert len(rate) == 1 and rate["hub_id"].isna().all()  # one month, the Trust's


def test_command_pack_for_a_person_refuses_other_hubs_and_strangers(
    board, capsys, monkeypatch, tmp_path
):
    access_csv = tmp_path / "access.csv"
    access_csv.write_text(
        "who,role,hubs,service_areas\nhub3.manager@trust.example,viewer,H03,\n", encoding="utf-8"
    )
    monkeypatch.setenv("SCST_ACCESS", str(access_csv))
    out = tmp_path / "pack.pdf"
    args = ["--db", str(board["db"]), "--area", "hubs", "--out", str(out)]
    assert main([*args, "--for", "hub3.manager@trust.example", "--hub", "H04"]) == 2
    assert f"error: {REFUSED_H04}" in capsys.readouterr().err
    assert main([*args, "--for", "someone.else@trust.example"]) == 2
    assert f"someone.else@trust.example is not in {access_csv}" in capsys.readouterr().err
    assert not out.exists()


def test_command_writes_exact_small_numbers_only_when_asked(board, capsys, monkeypatch):
    monkeypatch.setenv("SCST_NOTES_URL", board["notes_url"])
    out = board["root"] / "h03-exact.pptx"
    code = main(
        [
            "--db",
            str(board["db"]),
            "--area",
            "hubs",
            "--hub",
            "H03",
            "--out",
            str(out),
            "--exact-small-numbers",
        ]
    )
    assert code == 0
    assert f"Wrote {out}" in capsys.readouterr().out
    prs = Presentation(str(out))
    titles = _titles(board["db"])
    slide = next(s for s in prs.slides if s.shapes.title.text == titles["cp_plans"])
    table = next(sh.table for sh in slide.shapes if sh.has_table)
    cells = {table.cell(i, 0).text: table.cell(i, 1).text for i in range(len(table.rows))}
    assert cells["Latest"] == "5"  # the exact count (see above), for internal use
    assert not any('"c"' in sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--area", "schools"], "Unknown service area 'schools': choose one of hubs, lac"),
        (["--hub", "H99"], "Unknown hub H99: the published data has AST, DCT, H01"),
        (["--month", "2026-13"], "Month '2026-13' is not a month: write it as YYYY-MM"),
        (["--month", "1999-01"], "No data for 1999-01: the published data runs from"),
    ],
)
def test_command_refuses_bad_area_hub_month(board, capsys, args, message):
    out = board["root"] / "bad.pptx"
    assert main(["--db", str(board["db"]), "--out", str(out), *args]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_command_refuses_bad_extension_and_missing_database(board, capsys, tmp_path):
    assert main(["--db", str(board["db"]), "--out", str(tmp_path / "pack.docx")]) == 2
    assert "the pack is written as .pptx (PowerPoint) or .pdf" in capsys.readouterr().err
    missing = tmp_path / "none.duckdb"
    assert main(["--db", str(missing), "--out", str(tmp_path / "pack.pdf")]) == 2
    assert f"No published database at {missing}" in capsys.readouterr().err


def test_command_pack_for_an_earlier_month(board, capsys, monkeypatch):
    # --month 2026-10: the pack stands at 31 October 2026, the last period in that month
    monkeypatch.setenv("SCST_NOTES_URL", board["notes_url"])
    out = board["root"] / "fostering-oct.pdf"
    args = ["--db", str(board["db"]), "--area", "fostering", "--month", "2026-10"]
    assert main([*args, "--out", str(out)]) == 0
    pages = [p.extract_text() for p in PdfReader(str(out)).pages]
    assert "Performance board: Fostering" in pages[0]
    assert "October 2026" in pages[0]
    assert "charts Nov 2024 to Oct 2026" in pages[0]  # 24 months ending October 2026
    summary = pages[2]
    assert summary.startswith("Summary: exceptions first")
    assert "Oct 2026" in summary and "Nov 2026" not in summary
    assert len(pages) == 3 + 7  # cover, contents, summary, the 7 fostering indicators


def test_speaker_notes_say_how_ours_differs_from_dfe():
    """The catalogue's dfe_difference goes with the definition into the speaker notes."""
    from dataclasses import asdict

    from scst_metrics.indicators.catalogue import get
    from scst_metrics.pack.content import _speaker_notes

    words = {"unit_words": "%", "period_words": "the 12 months", "polarity_words": "lower"}
    notes = _speaker_notes(asdict(get("rereferrals_12m")) | words).splitlines()
    assert (
        "Beside DfE's ReReferral: Ours is the rolling 12 months to each month end; DfE's the "
        "year to 31 March." in notes
    )
    same = _speaker_notes(asdict(get("lac_health_assessments")) | words)  # no difference
    assert "Beside DfE's" not in same
