"""The pack as a PowerPoint deck (python-pptx): 16:9, every title, number and note real text.

Cover; the summary matrix (exceptions first) as native tables, MATRIX_ROWS to a slide; then one
slide per indicator: title, why it is an exception, the chart (PNG), its numbers as a table, how
we compare, the definition in a line and a Commentary box. The speaker notes hold the definition
in full (numerator, denominator, DfE's definition, source).
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Emu, Inches, Pt

from .content import Figure, Item, Pack

MATRIX_ROWS = 10  # rows of the summary table on one slide (a long title takes two lines)
INK = RGBColor(0x1F, 0x23, 0x28)
MUTED = RGBColor(0x4A, 0x51, 0x59)
RED = RGBColor(0xB3, 0x26, 0x1E)
HEAD = RGBColor(0xE8, 0xEE, 0xF4)
WIDE = Inches(13.333)
HIGH = Inches(7.5)
MARGIN = Inches(0.45)


def _text(slide, left, top, width, height, lines, size=14, colour=INK, bold=False):
    """A textbox of one paragraph per line; a line is str or (str, size, colour, bold)."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        text, s, c, b = line if isinstance(line, tuple) else (line, size, colour, bold)
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = text
        run.font.size = Pt(s)
        run.font.color.rgb = c
        run.font.bold = b
    return box


def _title(slide, text: str, size: int = 28) -> None:
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = (
        MARGIN,
        Inches(0.25),
        WIDE - 2 * MARGIN,
        Inches(0.8),
    )
    shape.text = text
    para = shape.text_frame.paragraphs[0]
    para.alignment = 1  # left
    for run in para.runs:
        run.font.size = Pt(size)
        run.font.bold = True
        run.font.color.rgb = INK


def _table(slide, left, top, width, header: list[str], rows: list[list[str]], widths, size=11):
    shape = slide.shapes.add_table(len(rows) + 1, len(header), left, top, width, Inches(0.3))
    table = shape.table
    total = sum(widths)
    for j, w in enumerate(widths):
        table.columns[j].width = Emu(int(width * w / total))
    for i, row in enumerate([header, *rows]):
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            cell.text = value
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            for para in cell.text_frame.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(size)
                    run.font.bold = i == 0
                    run.font.color.rgb = INK
            if i == 0:
                cell.fill.solid()
                cell.fill.fore_color.rgb = HEAD
            else:
                cell.fill.background()
    return shape


def _footnote(slide, pack: Pack) -> None:
    if pack.footnote:
        _text(
            slide,
            MARGIN,
            HIGH - Inches(0.45),
            WIDE - 2 * MARGIN,
            Inches(0.35),
            [pack.footnote],
            size=10,
            colour=MUTED,
        )


def _cover(prs, pack: Pack) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = pack.trust
    slide.shapes.title.left, slide.shapes.title.width = MARGIN, WIDE - 2 * MARGIN
    sub = slide.placeholders[1]
    sub.left, sub.width = MARGIN, WIDE - 2 * MARGIN
    sub.text_frame.text = pack.board
    for line in (
        pack.month,
        f"Showing: {pack.hubs_label}; charts {pack.period_label}",
        f"Data as at {pack.as_at}",
        pack.load_status,
    ):
        sub.text_frame.add_paragraph().text = line
    _footnote(slide, pack)


def _matrix(prs, pack: Pack) -> None:
    chunks = [pack.matrix[i : i + MATRIX_ROWS] for i in range(0, len(pack.matrix), MATRIX_ROWS)]
    for n, chunk in enumerate(chunks or [[]], start=1):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        more = f" ({n} of {len(chunks)})" if len(chunks) > 1 else ""
        _title(slide, f"Summary: exceptions first{more}")
        rows = [
            [r.title, r.hub, r.month, r.value, r.target, r.rag, r.change, r.exception]
            for r in chunk
        ]
        header = ["Indicator", "Hub", "Month", "Latest", "Target", "Rating", "Change", "Exception"]
        _table(
            slide,
            MARGIN,
            Inches(1.15),
            WIDE - 2 * MARGIN,
            header,
            rows,
            [30, 14, 10, 9, 9, 9, 8, 16],
            size=10,
        )
        _footnote(slide, pack)


def _figures_table(slide, left, top, width, figures: list[Figure]) -> None:
    if len(figures) == 1:
        f = figures[0]
        rows = [
            ["Latest", f"{f.value}" + (f" ({f.made_of})" if f.made_of else "")],
            ["Month", f.month],
            ["Target", f.target],
            ["Rating", f.rag],
            [f.change_label, f.change],
        ]
        if f.variation:
            rows.append(["Variation", f.variation])
        if f.assurance:
            rows.append(["Assurance", f.assurance])
        _table(slide, left, top, width, [f.hub, ""], rows, [2, 3], size=12)
    else:
        rows = [[f.hub, f.value, f.target, f.rag, f.change] for f in figures]
        _table(
            slide,
            left,
            top,
            width,
            ["Hub", "Latest", "Target", "Rating", "Change"],
            rows,
            [5, 3, 3, 3, 2],
            size=10,
        )


def _indicator(prs, pack: Pack, item: Item) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _title(slide, item.title, size=26)
    top = Inches(1.05)
    sub = []
    if item.exception:
        sub.append((f"Exception: {item.exception}", 14, RED, True))
    if item.note:
        sub.append((item.note, 12, MUTED, False))
    if sub:
        _text(slide, MARGIN, top, Inches(7.8), Inches(0.4), sub)
    # the chart, as wide as the left column allows and no taller than the space above the notes
    with Image.open(io.BytesIO(item.png)) as im:
        w_px, h_px = im.size
    width, max_h = Inches(7.8), Inches(4.2)
    height = int(width * h_px / w_px)
    if height > max_h:
        width, height = int(max_h * w_px / h_px), max_h
    picture = slide.shapes.add_picture(io.BytesIO(item.png), MARGIN, Inches(1.55), width, height)
    picture._element.nvPicPr.cNvPr.set("descr", f"Chart: {item.title}")  # alt text
    right = MARGIN + Inches(8.0)
    right_w = WIDE - right - MARGIN
    _figures_table(slide, right, Inches(1.55), right_w, item.figures)
    if item.compare:
        _text(
            slide,
            right,
            Inches(4.6),
            right_w,
            Inches(1.0),
            [("How we compare", 12, INK, True), (item.compare, 11, INK, False)],
        )
    _text(
        slide,
        MARGIN,
        Inches(5.8),
        Inches(7.8),
        Inches(0.4),
        [(f"What this measures: {item.definition}", 11, MUTED, False)],
    )
    box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, right, Inches(5.65), right_w, Inches(1.35))
    box.fill.background()
    box.line.color.rgb = MUTED
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = 1  # top
    head = frame.paragraphs[0].add_run()
    head.text = "Commentary"
    head.font.bold, head.font.size, head.font.color.rgb = True, Pt(12), INK
    for heading, text in item.commentary:
        run = frame.add_paragraph().add_run()
        run.text = f"{heading}: {text}"
        run.font.size, run.font.color.rgb = Pt(11), INK
    _footnote(slide, pack)
    slide.notes_slide.notes_text_frame.text = item.speaker_notes


def write_pptx(pack: Pack, out: Path) -> Path:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDE, HIGH  # 16:9
    prs.core_properties.title = f"{pack.trust}: {pack.title}"
    _cover(prs, pack)
    _matrix(prs, pack)
    for item in pack.items:
        _indicator(prs, pack, item)
    prs.save(out)
    return out
