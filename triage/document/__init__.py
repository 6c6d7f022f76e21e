"""Documents triage writes for people (cover sheet, examination report): a small model of
frozen blocks and two renderers, self-contained HTML and PDF with embedded fonts."""

from __future__ import annotations

from .fonts import FONTS, FontMissing
from .fonts import status as font_status
from .html import render_html
from .model import (
    Block,
    Column,
    Document,
    Heading,
    Image,
    KeyValues,
    Labels,
    PageBreak,
    Paragraph,
    Steps,
    Table,
    labels,
)
from .pdf import render_pdf

__all__ = [
    "FONTS",
    "Block",
    "Column",
    "Document",
    "FontMissing",
    "Heading",
    "Image",
    "KeyValues",
    "Labels",
    "PageBreak",
    "Paragraph",
    "Steps",
    "Table",
    "font_status",
    "labels",
    "render_html",
    "render_pdf",
]
