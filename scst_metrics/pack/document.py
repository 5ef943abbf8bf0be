"""The pack as a PDF (fpdf2): A4 landscape, numbered pages, a contents page, text as text.

Cover; contents; the summary matrix (exceptions first; the table carries on over pages with
its header repeated); then one page per indicator laid out as the slide is.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace
from PIL import Image

from .content import Item, Pack

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core
BOTTOM = 24  # mm kept free at the foot of a page for the footnote and page number
LINE = 6.5  # mm, a contents line
FIRST_PAGE_LINES = 23  # contents lines under the heading (24 fit above the page break)
MORE_LINES = 25  # on each further contents page (26 fit)
INK = (31, 35, 40)
MUTED = (74, 81, 89)
RED = (179, 38, 30)
HEAD = (232, 238, 244)


class _PackPDF(FPDF):
    def __init__(self, pack: Pack) -> None:
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.pack = pack
        self.set_auto_page_break(True, margin=BOTTOM)
        self.set_margins(12, 12, 12)
        regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            self.add_font("Body", "", str(regular))
            self.add_font("Body", "B", str(bold))
            self.family = "Body"
            self.unicode = True
        else:  # the PDF core font: Latin-1 only, so other characters are replaced
            self.family = "Helvetica"
            self.unicode = False
        self.set_title(f"{pack.trust}: {pack.title}")
        self.set_author(pack.trust)

    def t(self, text: str) -> str:
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, bold: bool = False, colour=INK) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*colour)

    def footer(self) -> None:
        """On every page: the small-numbers footnote (when on), then title and page number."""
        if self.pack.footnote:
            self.set_xy(self.l_margin, -21)
            self.font(8, colour=MUTED)
            self.multi_cell(0, 4, self.t(self.pack.footnote), new_x="LMARGIN", new_y="NEXT")
        self.set_xy(self.l_margin, -12)
        self.font(8, colour=MUTED)
        self.cell(0, 5, self.t(f"{self.pack.trust} · {self.pack.title}"), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")


def _contents(pdf: _PackPDF, outline) -> None:
    """The contents (called by fpdf2 once every page is known); a long one carries on over
    the pages reserved for it (contents_pages) by the automatic page break."""
    pdf.set_xy(pdf.l_margin, 14)
    pdf.font(20, bold=True)
    pdf.cell(0, 12, "Contents", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.font(11)
    for section in (s for s in outline if s.level == 0):
        link = pdf.add_link(page=section.page_number)
        pdf.cell(pdf.epw - 20, LINE, pdf.t(section.name), link=link)
        pdf.cell(20, LINE, str(section.page_number), align="R", new_x="LMARGIN", new_y="NEXT")


def contents_pages(entries: int) -> int:
    """Pages the contents needs: FIRST_PAGE_LINES on the first, MORE_LINES on each next."""
    return 1 + math.ceil(max(0, entries - FIRST_PAGE_LINES) / MORE_LINES)


def _cover(pdf: _PackPDF, pack: Pack) -> None:
    pdf.add_page()
    pdf.set_y(55)
    pdf.font(28, bold=True)
    pdf.multi_cell(0, 13, pdf.t(pack.trust), new_x="LMARGIN", new_y="NEXT")
    pdf.font(20)
    pdf.multi_cell(0, 11, pdf.t(pack.board), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.font(16, bold=True)
    pdf.cell(0, 9, pack.month, new_x="LMARGIN", new_y="NEXT")
    pdf.font(12)
    for line in (
        f"Showing: {pack.hubs_label}; charts {pack.period_label}",
        f"Data as at {pack.as_at}",
        pack.load_status,
    ):
        pdf.multi_cell(0, 7, pdf.t(line), new_x="LMARGIN", new_y="NEXT")


def _matrix(pdf: _PackPDF, pack: Pack) -> None:
    pdf.start_section("Summary: exceptions first")
    pdf.font(18, bold=True)
    pdf.cell(0, 10, "Summary: exceptions first", new_x="LMARGIN", new_y="NEXT")
    pdf.font(8.5)
    header = ["Indicator", "Hub", "Month", "Latest", "Target", "Rating", "Change", "Exception"]
    with pdf.table(
        col_widths=(30, 14, 10, 8, 9, 9, 8, 16),
        headings_style=FontFace(emphasis="BOLD", fill_color=HEAD),
        line_height=5,
        repeat_headings=1,
        text_align="LEFT",
    ) as table:
        table.row([pdf.t(h) for h in header])
        for r in pack.matrix:
            cells = [r.title, r.hub, r.month, r.value, r.target, r.rag, r.change, r.exception]
            table.row([pdf.t(c) for c in cells])


def _indicator(pdf: _PackPDF, pack: Pack, item: Item) -> None:
    pdf.add_page()
    pdf.start_section(item.title)
    pdf.font(18, bold=True)
    pdf.multi_cell(0, 9, pdf.t(item.title), new_x="LMARGIN", new_y="NEXT")
    if item.exception:
        pdf.font(11, bold=True, colour=RED)
        pdf.cell(0, 6, pdf.t(f"Exception: {item.exception}"), new_x="LMARGIN", new_y="NEXT")
    if item.note:
        pdf.font(10, colour=MUTED)
        pdf.cell(0, 6, pdf.t(item.note), new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y() + 2
    with Image.open(io.BytesIO(item.png)) as im:
        # the chart's background is white: flattened to RGB, the PDF needs no alpha mask
        # (half the compression work per image)
        picture = im.convert("RGB") if im.mode != "RGB" else im.copy()
    w_px, h_px = picture.size
    width, max_h = 172.0, 118.0
    height = width * h_px / w_px
    if height > max_h:
        width, height = max_h * w_px / h_px, max_h
    pdf.image(
        picture,
        x=pdf.l_margin,
        y=top,
        w=width,
        h=height,
        alt_text=pdf.t(f"Chart: {item.title}"),
    )
    # numbers on the right
    right = pdf.l_margin + 176
    right_w = pdf.w - pdf.r_margin - right
    pdf.set_xy(right, top)
    pdf.font(9)
    if len(item.figures) == 1:
        f = item.figures[0]
        rows = [
            ["Latest", f.value + (f" ({f.made_of})" if f.made_of else "")],
            ["Month", f.month],
            ["Target", f.target],
            ["Rating", f.rag],
            [f.change_label, f.change],
        ]
        rows += [["Variation", f.variation]] if f.variation else []
        rows += [["Assurance", f.assurance]] if f.assurance else []
        header, widths = [f.hub, ""], (2, 3)
    else:
        rows = [[f.hub, f.value, f.target, f.rag, f.change] for f in item.figures]
        header, widths = ["Hub", "Latest", "Target", "Rating", "Change"], (5, 3, 3, 3, 2)
    pdf.set_left_margin(right)
    with pdf.table(
        width=right_w,
        col_widths=widths,
        align="LEFT",
        headings_style=FontFace(emphasis="BOLD", fill_color=HEAD),
        line_height=5,
        text_align="LEFT",
    ) as table:
        table.row([pdf.t(h) for h in header])
        for row in rows:
            table.row([pdf.t(c) for c in row])
    if item.compare:
        pdf.ln(3)
        pdf.font(10, bold=True)
        pdf.cell(right_w, 6, "How we compare", new_x="LMARGIN", new_y="NEXT")
        pdf.font(9)
        pdf.multi_cell(right_w, 4.5, pdf.t(item.compare), new_x="LMARGIN", new_y="NEXT")
    pdf.set_left_margin(12)
    # under the chart: the definition, then the commentary box
    y = max(top + height + 3, pdf.get_y() + 3)
    pdf.set_xy(pdf.l_margin, y)
    pdf.font(9, colour=MUTED)
    pdf.multi_cell(
        0, 4.5, pdf.t(f"What this measures: {item.definition}"), new_x="LMARGIN", new_y="NEXT"
    )
    box_top = pdf.get_y() + 2
    box_h = max(pdf.h - BOTTOM - 1 - box_top, 14)
    pdf.set_draw_color(*MUTED)
    pdf.rect(pdf.l_margin, box_top, pdf.epw, box_h)
    pdf.set_xy(pdf.l_margin + 2, box_top + 1.5)
    pdf.font(10, bold=True)
    pdf.cell(0, 5, "Commentary", new_x="LMARGIN", new_y="NEXT")
    pdf.font(9)
    pdf.set_auto_page_break(False)
    for heading, text in item.commentary:
        pdf.set_x(pdf.l_margin + 2)
        pdf.multi_cell(pdf.epw - 4, 4.5, pdf.t(f"{heading}: {text}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_auto_page_break(True, margin=BOTTOM)


def write_pdf(pack: Pack, out: Path) -> Path:
    pdf = _PackPDF(pack)
    _cover(pdf, pack)
    pdf.add_page()
    # the contents take this page (and more if needed); the summary starts on the next
    pdf.insert_toc_placeholder(_contents, pages=contents_pages(len(pack.items) + 1))
    _matrix(pdf, pack)
    for item in pack.items:
        _indicator(pdf, pack, item)
    pdf.output(str(out))
    return out
