"""A document as a PDF with fpdf2: embedded, subset Noto fonts (Latin, Cyrillic, Arabic, CJK;
fallback fonts pick the script), HarfBuzz shaping and the Unicode bidi algorithm
(``set_text_shaping``), an outline, page numbers, an optional table of contents; byte-reproducible
for a given :attr:`Document.created`."""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Sequence

import fpdf
from fpdf import FPDF
from fpdf.fonts import FontFace
from fpdf.outline import OutlineSection

from .fonts import resolve
from .model import Align, Block, Document, Heading, Image, KeyValues, PageBreak, Paragraph, Steps, Table

SANS, ARABIC, CJK, MONO = "NotoSans", "NotoNaskhArabic", "NotoSansCJK", "DejaVuMono"
BODY_PT, SMALL_PT, MONO_PT = 9.5, 8.0, 7.5
_HEADING_PT = {0: 18.0, 1: 13.5, 2: 11.0, 3: 10.0}
_PAD = 1.0  # cell padding (mm)


def _clean(text: str) -> str:
    """Control characters (which fonts lack and PDF text cannot carry) as U+FFFD; line breaks kept."""
    return "".join(c if c.isprintable() or c == "\n" else "\ufffd" for c in text)


class _PDF(FPDF):
    def __init__(self, doc: Document) -> None:
        super().__init__(format="A4", unit="mm")
        self.doc = doc
        self.rtl = doc.direction == "rtl"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(SANS, "", 7.5)
        self.set_text_color(90)
        label = self.doc.page_label.format(page=self.page_no(), pages="{nb}")
        left, right = (label, self.doc.footer) if self.rtl else (self.doc.footer, label)
        w = (self.w - self.l_margin - self.r_margin) / 2
        self.cell(w, 5, _clean(left), align="L")
        self.cell(w, 5, _clean(right), align="R")
        self.set_text_color(0)


def _texts(doc: Document) -> Iterator[str]:
    yield from (doc.title, doc.subtitle, doc.footer, doc.page_label, doc.contents_label)
    for block in doc.blocks:
        match block:
            case Heading(text=t) | Paragraph(text=t):
                yield t
            case KeyValues(rows=rows):
                for row in rows:
                    yield from row
            case Table(columns=cols, rows=rows, caption=caption):
                yield caption
                yield from (c.header for c in cols)
                for values in rows:
                    yield from values
            case Steps(items=items):
                for item in items:
                    yield from item
            case Image(caption=caption):
                yield caption


def _scripts(doc: Document) -> tuple[bool, bool]:
    """Whether the document holds right-to-left or complex-script text (Arabic, Hebrew, Syriac,
    Thaana, Indic…) and whether it holds CJK: shaping and the CJK font (both slow: HarfBuzz per
    fragment, a 20 MB font collection) are set up only when needed."""
    complex_, cjk = False, False
    for text in _texts(doc):
        for c in text:
            o = ord(c)
            if 0x0590 <= o <= 0x0DFF or 0xFB1D <= o <= 0xFEFF:
                complex_ = True
            elif (
                0x2E80 <= o <= 0x9FFF
                or 0xAC00 <= o <= 0xD7AF
                or 0xF900 <= o <= 0xFAFF
                or 0xFF00 <= o <= 0xFFEF
            ):
                cjk = True
        if complex_ and cjk:
            break
    return complex_, cjk


def _fonts(pdf: FPDF, doc: Document) -> None:
    found = resolve()
    complex_, cjk = _scripts(doc)
    families = [(SANS, "sans", "sans-bold")]
    families += [(ARABIC, "arabic", "arabic-bold")] if complex_ else []
    families += [(CJK, "cjk", "cjk")] if cjk else []  # one face: parsing the collection costs ~1 s
    for family, regular, bold in families:
        for style, role in (("", regular), ("B", bold)) if bold != regular else (("", regular),):
            path, index = found[role]
            pdf.add_font(family, style, str(path), collection_font_number=index)
    pdf.add_font(MONO, "", str(found["mono"][0]))
    if len(families) > 1:
        pdf.set_fallback_fonts([f for f, _, _ in families[1:]], exact_match=False)
    if complex_:
        pdf.set_text_shaping(True)


def _align(pdf: _PDF, align: Align = "left") -> str:
    """fpdf2's alignment letter, mirrored in a right-to-left document."""
    if align == "center":
        return "C"
    if pdf.rtl:
        return "L" if align == "right" else "R"
    return "R" if align == "right" else "L"


def _widths(
    pdf: _PDF, weights: Sequence[float], mono: Sequence[bool], rows: Sequence[Sequence[str]], size: float
) -> list[float]:
    """Column widths (mm) from relative weights, widened so that no token of a mono column
    (a hash, a path segment) is ever broken: a SHA-256 stays one word for ``pdftotext``."""
    total = pdf.epw
    widths = [total * w / sum(weights) for w in weights]
    pdf.set_font(MONO, "", min(size, MONO_PT + 0.5))
    need = [0.0] * len(weights)
    for i, is_mono in enumerate(mono):
        if is_mono:
            tokens = [t for row in rows for t in row[i].split()]
            if tokens:
                need[i] = max(pdf.get_string_width(t) for t in tokens) + 2 * _PAD + 0.5
    fixed = {i for i, n in enumerate(need) if n > widths[i]}
    if fixed:
        rest = total - sum(need[i] for i in fixed)
        free = sum(w for i, w in enumerate(weights) if i not in fixed)
        widths = [need[i] if i in fixed else max(rest, 10.0) * weights[i] / free for i in range(len(weights))]
    return widths


FAST_TABLE_ROWS = 60
"""Tables longer than this are laid out by :func:`_long_table` (when no text shaping is on)."""


class _Widths:
    """String widths (mm) in one font, additive per word (no kerning without text shaping), cached."""

    def __init__(self, pdf: _PDF) -> None:
        self.pdf = pdf
        self.cache: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        w = self.cache.get(text)
        if w is None:
            w = self.cache[text] = self.pdf.get_string_width(text)
        return w


def _wrap(text: str, width: float, sw: _Widths) -> list[str]:
    """``text`` broken into lines no wider than ``width``: at spaces, and inside a word only when
    the word alone is wider (as fpdf's own line breaking does); line breaks kept."""
    lines: list[str] = []
    space = sw(" ")
    for para in text.split("\n"):
        cur, cur_w = "", 0.0
        for word in para.split(" "):
            w = sw(word)
            if cur and cur_w + space + w <= width:
                cur, cur_w = f"{cur} {word}", cur_w + space + w
                continue
            if cur:
                lines.append(cur)
            while w > width and len(word) > 1:
                k = len(word) - 1
                while k > 1 and sw(word[:k]) > width:
                    k -= 1
                lines.append(word[:k])
                word = word[k:]
                w = sw(word)
            cur, cur_w = word, w
        lines.append(cur)
    return lines


def _long_table(
    pdf: _PDF,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    aligns: Sequence[str],
    mono: Sequence[bool],
    size: float,
) -> None:
    """A long bordered table drawn cell by cell: the same look as fpdf's ``table()`` (header row
    shaded and repeated on each page, rows never split) at a fraction of its cost. fpdf lays out
    every cell twice with its general line breaker, about 0.1 s a row on a loaded machine, so a
    10,000-artifact cover took hours; here a row costs a few cached width sums."""
    mono_pt = min(size, MONO_PT + 0.5)
    line_h = size * 0.5
    faces = {
        "head": (SANS, "B", size),
        "sans": (SANS, "", size),
        "mono": (MONO, "", mono_pt),
    }
    measures: dict[str, _Widths] = {}

    def measure(face: str) -> _Widths:
        family, style, pt = faces[face]
        pdf.set_font(family, style, pt)
        if face not in measures:
            measures[face] = _Widths(pdf)
        return measures[face]

    def lay_out(values: Sequence[str], head: bool) -> tuple[list[tuple[str, list[str]]], float]:
        cells = []
        for i, text in enumerate(values):
            face = "head" if head else "mono" if mono[i] else "sans"
            cells.append((face, _wrap(_clean(text), widths[i] - 2 * _PAD, measure(face))))
        return cells, max(len(lines) for _, lines in cells) * line_h + 2 * _PAD

    def draw(cells: list[tuple[str, list[str]]], height: float, head: bool) -> None:
        x, y = pdf.l_margin, pdf.get_y()
        for i, (face, lines) in enumerate(cells):
            if head:
                pdf.set_fill_color(235, 235, 235)
            pdf.rect(x, y, widths[i], height, style="DF" if head else "D")
            sw = measure(face)
            align = "L" if mono[i] else aligns[i]
            inner = widths[i] - 2 * _PAD
            for n, line in enumerate(lines):
                # text() rather than cell(): 4x cheaper; the baseline where cell() puts it
                shift = 0.0 if align == "L" else inner - sw(line) if align == "R" else (inner - sw(line)) / 2
                baseline = y + _PAD + n * line_h + 0.5 * line_h + 0.3 * pdf.font_size
                pdf.text(x + _PAD + shift, baseline, line)
            x += widths[i]
        pdf.set_xy(pdf.l_margin, y + height)

    head_cells, head_h = lay_out(headers, True)
    draw(head_cells, head_h, True)
    for values in rows:
        cells, height = lay_out(values, False)
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page(orientation=str(pdf.cur_orientation.value))
            draw(head_cells, head_h, True)
        draw(cells, height, False)


def _table(
    pdf: _PDF,
    headers: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    weights: Sequence[float],
    aligns: Sequence[Align],
    mono: Sequence[bool],
    size: float,
    bold_first: bool = False,
    gap: float = 2.0,
) -> None:
    order = list(range(len(weights)))
    if pdf.rtl:
        order.reverse()
    widths = _widths(pdf, weights, mono, rows, size)
    if headers is not None and len(rows) > FAST_TABLE_ROWS and not pdf.rtl and not pdf.text_shaping:
        _long_table(pdf, headers, rows, widths, [_align(pdf, a) for a in aligns], mono, size)
        pdf.ln(gap)
        return
    pdf.set_font(SANS, "", size)
    mono_face = FontFace(family=MONO, size_pt=min(size, MONO_PT + 0.5))
    label_face = FontFace(family=SANS, emphasis="BOLD", size_pt=size)
    with pdf.table(
        col_widths=tuple(widths[i] for i in order),
        width=min(sum(widths), pdf.epw),
        first_row_as_headings=headers is not None,
        headings_style=FontFace(family=SANS, emphasis="BOLD", size_pt=size, fill_color=(235, 235, 235)),
        line_height=size * 0.5,
        padding=_PAD,
        borders_layout="ALL" if headers is not None else "HORIZONTAL_LINES",
        repeat_headings=1,
    ) as table:
        if headers is not None:
            head = table.row()
            for i in order:
                head.cell(_clean(headers[i]), align=_align(pdf, aligns[i]))
        for values in rows:
            row = table.row()
            for i in order:
                face = mono_face if mono[i] else (label_face if bold_first and i == 0 else None)
                align = "L" if mono[i] else _align(pdf, aligns[i])
                row.cell(_clean(values[i]), align=align, style=face)
    pdf.ln(gap)


def _text(
    pdf: _PDF,
    text: str,
    *,
    size: float = BODY_PT,
    style: str = "",
    mono: bool = False,
    align: str | None = None,
    h: float | None = None,
) -> None:
    pdf.set_font(MONO if mono else SANS, "" if mono else style, size)
    pdf.multi_cell(
        0,
        h or size * 0.5,
        _clean(text),
        align=align or ("L" if mono else _align(pdf)),
        new_x="LMARGIN",
        new_y="NEXT",
    )


def _block(pdf: _PDF, block: Block, level: list[int]) -> None:
    match block:
        case Heading(text=text, level=n):
            n = max(1, min(n, level[0] + 1, 3))
            level[0] = n
            if pdf.will_page_break(20):
                pdf.add_page(orientation=str(pdf.cur_orientation.value))
            pdf.ln(2 if n > 1 else 4)
            pdf.start_section(_clean(text), level=n - 1)
            _text(pdf, text, size=_HEADING_PT[n], style="B", h=_HEADING_PT[n] * 0.55)
            if n == 1:
                y = pdf.get_y() + 0.5
                pdf.set_draw_color(140)
                pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
                pdf.set_draw_color(0)
            pdf.ln(2)
        case Paragraph(text=text, small=small, mono=mono):
            _text(pdf, text, size=MONO_PT if mono else SMALL_PT if small else BODY_PT, mono=mono)
            pdf.ln(1.5)
        case KeyValues(rows=rows, mono_values=mono, label_width=lw):
            _table(pdf, None, rows, (lw, 1 - lw), ("left", "left"), (False, mono), BODY_PT - 0.5, True, 0.0)
        case Table(columns=cols, rows=rows, caption=caption, font_size=size):
            if caption:
                _text(pdf, caption, style="B")
                pdf.ln(1)
            _table(
                pdf,
                [c.header for c in cols],
                rows,
                [c.width for c in cols],
                [c.align for c in cols],
                [c.mono for c in cols],
                size,
            )
        case Steps(items=items):
            for number, (text, command) in enumerate(items, 1):
                _text(pdf, f"{number}. {text}", style="B")
                if command:
                    pdf.set_x(pdf.l_margin + 5)
                    pdf.set_font(MONO, "", MONO_PT)
                    pdf.set_fill_color(244)
                    pdf.multi_cell(
                        pdf.epw - 5,
                        MONO_PT * 0.5,
                        _clean(command),
                        fill=True,
                        align="L",
                        new_x="LMARGIN",
                        new_y="NEXT",
                    )
                pdf.ln(1.5)
        case Image(png=png, caption=caption, width_mm=width):
            if pdf.will_page_break(width * 0.8):
                pdf.add_page(orientation=str(pdf.cur_orientation.value))
            x = pdf.w - pdf.r_margin - width if pdf.rtl else pdf.l_margin
            pdf.image(io.BytesIO(png), x=x, w=width)
            if caption:
                _text(pdf, caption, size=SMALL_PT)
            pdf.ln(2)
        case PageBreak(orientation=orientation):
            pdf.add_page(orientation="L" if orientation == "landscape" else "P")
        case _:
            raise TypeError(f"not a document block: {block!r}")


def _toc(pdf: FPDF, outline: list[OutlineSection]) -> None:
    assert isinstance(pdf, _PDF)
    pdf.set_x(pdf.l_margin)
    _text(pdf, pdf.doc.contents_label, size=_HEADING_PT[1], style="B")
    pdf.ln(2)
    pdf.set_font(SANS, "", BODY_PT)
    for section in outline:
        indent = 6 * section.level
        link = pdf.add_link(page=section.page_number)
        name, page = _clean(section.name), str(section.page_number)
        w = pdf.epw - indent - 12
        if pdf.rtl:
            pdf.set_x(pdf.l_margin)
            pdf.cell(12, 6, page, align="L", link=link)
            pdf.cell(w, 6, name, align="R", link=link, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_x(pdf.l_margin + indent)
            pdf.cell(w, 6, name, align="L", link=link)
            pdf.cell(12, 6, page, align="R", link=link, new_x="LMARGIN", new_y="NEXT")


def render_pdf(doc: Document, *, toc: bool = False) -> bytes:
    """The document as PDF bytes; ``toc`` inserts a table of contents after the title."""
    pdf = _PDF(doc)
    _fonts(pdf, doc)
    pdf.set_creation_date(doc.created)
    pdf.set_title(_clean(doc.title))
    if doc.author:
        pdf.set_author(_clean(doc.author))
    if doc.subject:
        pdf.set_subject(_clean(doc.subject))
    if doc.keywords:
        pdf.set_keywords(_clean(" ".join(doc.keywords)))
    pdf.set_creator(_clean(doc.creator))
    pdf.set_producer(f"fpdf2 {fpdf.__version__}")
    pdf.set_lang(doc.lang)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_margins(14, 14, 14)
    pdf.alias_nb_pages("{nb}")
    pdf.add_page()
    _text(pdf, doc.title, size=_HEADING_PT[0], style="B", h=_HEADING_PT[0] * 0.5)
    if doc.subtitle:
        pdf.ln(1)
        _text(pdf, doc.subtitle, size=BODY_PT + 1)
    pdf.ln(3)
    if toc:
        sections = sum(1 for b in doc.blocks if isinstance(b, Heading))
        pdf.insert_toc_placeholder(_toc, pages=max(1, math.ceil((sections + 4) / 38)))
    level = [0]
    for block in doc.blocks:
        _block(pdf, block, level)
    return bytes(pdf.output())
