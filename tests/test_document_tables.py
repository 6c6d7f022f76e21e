"""Long tables in PDF documents (the cover sheet's artifact list): laid out by triage's own row
renderer past :data:`FAST_TABLE_ROWS` rows; checked with poppler's ``pdftotext``, not with our code."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from triage.document.model import Column, Document, Heading, Table
from triage.document.pdf import FAST_TABLE_ROWS, render_pdf


def _doc(rows: int) -> tuple[Document, list[tuple[str, ...]]]:
    body = [
        (
            f"A{i:05d}",
            f"/evidence/folder {i % 7}/a rather long file name number {i} with words.txt",
            f"{i * 1000:,}",
            hashlib.sha256(str(i).encode()).hexdigest(),
        )
        for i in range(rows)
    ]
    table = Table(
        (
            Column("Exhibit", 1.3),
            Column("Original path", 4.5),
            Column("Size", 1.3, "right"),
            Column("SHA-256", 5, mono=True),
        ),
        tuple(body),
        font_size=7.0,
    )
    doc = Document("Rows", "en", (Heading("Artifacts"), table), datetime(2026, 12, 2, tzinfo=UTC))
    return doc, body


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_every_row_of_a_long_table_is_on_the_pages(tmp_path: Path) -> None:
    rows = 12 * FAST_TABLE_ROWS
    doc, body = _doc(rows)
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(render_pdf(doc))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) > 10
    for exhibit, _path, size, digest in body:
        assert digest in text and exhibit in text and size in text  # a hash is never broken
    # the header repeats on every page, and no row is split across two pages
    for page in (p for p in pages if p.strip()):
        assert "SHA-256" in page
    per_page = [sum(1 for _, _, _, d in body if d in p) for p in pages]
    assert sum(per_page) == rows
    assert "a rather long file name" in text and "with words.txt" in text  # wrapped, not cut
    assert render_pdf(doc) == pdf.read_bytes()  # reproducible
