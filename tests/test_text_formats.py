"""Text extraction per format (docs/search.md, "Formats and limits"): a small generated file of
each format holds unique random words; the text analyzer extracts every one of them, names the
member they come from, and holds no word the file did not (the hidden ones stay hidden)."""

from __future__ import annotations

import email.message
import io
import random
import sqlite3
import string
import zipfile
from pathlib import Path

import pytest
from triage_plugins.text_index import TextAnalyzer


def _words(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return ["zq" + "".join(rng.choice(string.ascii_lowercase) for _ in range(12)) for _ in range(n)]


def _zip(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:  # deflated: raw strings cannot see them
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


def _xml(tag: str, body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><{tag} xmlns:a="urn:x">{body}</{tag}>'


def _pdf(a: str, b: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    for w in (a, b):
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.cell(text=f"Page text {w} end")
    return bytes(pdf.output())


def _docx(a: str) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(f"Body {a} here")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _eml(a: str, b: str, hidden: str) -> bytes:
    m = email.message.EmailMessage()
    m["From"] = "x@example.org"
    m["Subject"] = f"about {a}"
    m.set_content(f"Hello,\n{b} is the word.\n")
    m.add_attachment(
        f"{hidden}\n".encode(), maintype="application", subtype="octet-stream", filename="att.bin"
    )
    return bytes(m)


def _sqlite(tmp: Path, a: str, b: str) -> bytes:
    db = tmp / "t.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE messages(id INTEGER, body TEXT)")
    conn.execute("CREATE TABLE people(name TEXT)")
    conn.execute("INSERT INTO messages VALUES (1, ?)", (f"meet {a} at noon",))
    conn.execute("INSERT INTO people VALUES (?)", (b,))
    conn.commit()
    conn.close()
    return db.read_bytes()


W = _words(2020, 30)
CASES = {
    # name: (file name, mime, builder, {word: member})
    "html": (
        "a.html",
        "text/html",
        lambda t: (
            f"<html><head><style>.{W[2]} {{}}</style><script>var {W[2]}x;</script></head>"
            f"<body><p>{W[0]} &amp; <b>{W[1]}</b></p></body></html>"
        ).encode(),
        {W[0]: None, W[1]: None},
    ),
    "pdf": ("a.pdf", "application/pdf", lambda t: _pdf(W[3], W[4]), {W[3]: "page 1", W[4]: "page 2"}),
    "docx": (
        "a.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda t: _docx(W[5]),
        {W[5]: "word/document.xml"},
    ),
    "xlsx": (
        "a.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda t: _zip(
            {
                "[Content_Types].xml": _xml("Types", ""),
                "xl/sharedStrings.xml": _xml("sst", f"<si><t>{W[6]}</t></si><si><t>cell {W[7]}</t></si>"),
                "xl/worksheets/sheet1.xml": _xml(
                    "worksheet", f"<sheetData><c><is><t>{W[8]}</t></is></c></sheetData>"
                ),
            }
        ),
        {W[6]: "xl/sharedStrings.xml", W[7]: "xl/sharedStrings.xml", W[8]: "xl/worksheets/sheet1.xml"},
    ),
    "pptx": (
        "a.pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        lambda t: _zip(
            {
                "ppt/slides/slide1.xml": _xml("sld", f"<a:t>title {W[9]}</a:t>"),
                "ppt/slides/slide2.xml": _xml("sld", f"<a:t>{W[10]}</a:t>"),
                "ppt/media/hidden.xml": _xml("x", W[11]),  # not a text part
            }
        ),
        {W[9]: "ppt/slides/slide1.xml", W[10]: "ppt/slides/slide2.xml"},
    ),
    "odt": (
        "a.odt",
        "application/vnd.oasis.opendocument.text",
        lambda t: _zip(
            {
                "mimetype": "application/vnd.oasis.opendocument.text",
                "content.xml": _xml(
                    "office:document-content", f"<text:p>{W[12]} and {W[13]}</text:p>"
                ).replace('xmlns:a="urn:x"', 'xmlns:office="urn:o" xmlns:text="urn:t"'),
            }
        ),
        {W[12]: "content.xml", W[13]: "content.xml"},
    ),
    "rtf": (
        "a.rtf",
        "text/rtf",
        lambda t: (
            r"{\rtf1\ansi{\fonttbl\f0\fswiss Helvetica;}\f0\pard " + W[14] + r" {\b " + W[15] + r"}\par}"
        ).encode(),
        {W[14]: None, W[15]: None},
    ),
    "eml": ("a.eml", "message/rfc822", lambda t: _eml(W[16], W[17], W[18]), {W[16]: None, W[17]: None}),
    "mbox": (
        "a.mbox",
        "application/mbox",
        lambda t: (
            b"From a@example.org Mon Jan  1 00:00:00 2024\n" + _eml(W[19], W[20], W[21]) + b"\n"
            b"From b@example.org Mon Jan  1 00:00:01 2024\n" + _eml(W[22], W[23], W[24]) + b"\n"
        ),
        {W[19]: "message 1", W[20]: "message 1", W[22]: "message 2", W[23]: "message 2"},
    ),
    "sqlite": (
        "a.db",
        "application/vnd.sqlite3",
        lambda t: _sqlite(t, W[25], W[26]),
        {W[25]: "table messages", W[26]: "table people"},
    ),
    "latin1": (
        "a.txt",
        "text/plain",
        lambda t: (f"Le café de {W[27]} à côté, très élégant, déjà noté ; à bientôt {W[28]}. " * 3).encode(
            "latin-1"
        ),
        {W[27]: None, W[28]: None},
    ),
}
# words a file holds but not as text: the attachments' base64 bodies, HTML script/style, a non-text zip part
HIDDEN = {W[2], W[11], W[18], W[21], W[24]}


@pytest.mark.parametrize("fmt", sorted(CASES))
def test_format_text(run_analyzer, tmp_path: Path, fmt: str) -> None:
    name, mime, build, expected = CASES[fmt]
    data = build(tmp_path)
    result = run_analyzer(TextAnalyzer, data, name=name, mime=mime, options={"slack": False})
    assert result.errors == [] and result.gaps == [], (result.errors, result.gaps)
    text = [p for p in result.text if p.source == "text"]
    found = {w: {p.member for p in text if w in p.text} for w in W}
    for w, member in expected.items():
        assert found[w] == {member}, (fmt, w, found[w])
    planted = set(W)
    held = {w for p in text for w in planted if w in p.text}
    assert held == set(expected), (fmt, held - set(expected))
    assert not held & HIDDEN
    if fmt == "latin1":  # decoded as Latin-1, not mangled: the accented words survive
        joined = "".join(p.text for p in text)
        assert "café" in joined and "élégant" in joined
        assert joined.index(W[27]) == data.decode("latin-1").index(W[27])  # one byte a character
