"""Text of documents, by format: each extractor takes the file's bytes and yields ``(member, text)``.

``member`` names the part the text comes from (``word/document.xml``, ``page 3``, ``message 2``,
``table messages``; ``None`` for the whole file): offsets of ``text`` hits are character offsets in
that member's text (docs/search.md). Extractors run inside the scan's worker processes (a crash
costs the worker, which the engine retries without this analyzer) under a time limit set by the
caller. Choices: OOXML and ODF are read straight from their zip's XML (one code path for DOCX, XLSX,
PPTX, ODT, ODS and ODP, streamed, bounded per member); PDF with pypdf (pure Python and several times
faster than pdfminer.six on the fixtures, see docs/search.md); RTF with striprtf; e-mail with the
standard library; MSG with extract-msg; PST with libpff-python; SQLite with the standard library on
a private temporary copy.
"""

from __future__ import annotations

import email
import email.policy
import io
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from email.message import Message
from html.parser import HTMLParser
from typing import IO, Any
from xml.etree import ElementTree

Extractor = Callable[[bytes, int], Iterator[tuple[str | None, str]]]
"""``(data, max_member_bytes) -> (member, text)`` pairs."""


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data)


def decode_text(data: bytes) -> str:
    """Bytes of unknown encoding as text: a BOM, else UTF-8, else charset-normalizer's best guess."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 256 * 1024]).best()
    return data.decode(best.encoding if best else "latin-1", errors="replace")


def html_text(text: str) -> str:
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    return "\n".join(parser.parts)


def plain(data: bytes, limit: int) -> Iterator[tuple[str | None, str]]:
    yield None, decode_text(data)


def html(data: bytes, limit: int) -> Iterator[tuple[str | None, str]]:
    yield None, html_text(decode_text(data))


def _xml_text(stream: IO[bytes], limit: int) -> str:
    """The character data of an XML part, paragraphs on their own lines (at most ``limit`` bytes read)."""
    parts: list[str] = []
    reader = _Bounded(stream, limit)
    for _, elem in ElementTree.iterparse(reader, events=("end",)):
        tag = elem.tag.rsplit("}", 1)[-1]
        if elem.text and tag in ("t", "v", "span", "p", "h", "s", "a") or (elem.text and tag.startswith("t")):
            parts.append(elem.text)
        if tag in ("p", "tr", "row", "h", "si"):
            parts.append("\n")
        elif tag in ("tab", "c", "tc"):
            parts.append(" ")
        elem.clear()
    return re.sub(r"[ \t]*\n[\s]*", "\n", "".join(parts)).strip()


class _Bounded(io.RawIOBase):
    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._s = stream
        self.left = limit

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        if self.left <= 0:
            return 0
        data = self._s.read(min(len(b), self.left))
        self.left -= len(data)
        b[: len(data)] = data
        return len(data)


_OOXML = re.compile(
    r"^(word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml"
    r"|xl/sharedStrings\.xml|xl/worksheets/sheet\d+\.xml"
    r"|ppt/slides/slide\d+\.xml|ppt/notesSlides/notesSlide\d+\.xml"
    r"|content\.xml|styles\.xml|meta\.xml|docProps/core\.xml)$"
)


def office_zip(data: bytes, limit: int) -> Iterator[tuple[str | None, str]]:
    """DOCX/XLSX/PPTX and ODT/ODS/ODP: the text parts of the zip, in their order."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = [i.filename for i in z.infolist() if _OOXML.match(i.filename)]
        for name in sorted(names, key=_natural):
            with z.open(name) as fh:
                text = _xml_text(fh, limit)
            if text:
                yield name, text


def _natural(name: str) -> list[object]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def pdf(data: bytes, limit: int) -> Iterator[tuple[str | None, str]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            reader.decrypt("")
        except Exception as exc:
            raise EncryptedError("the PDF is encrypted") from exc
    for i, page in enumerate(reader.pages, 1):
        text = page.extract_text() or ""
        if text.strip():
            yield f"page {i}", text


class EncryptedError(Exception):
    """The document is encrypted: its text cannot be read without a key."""


def rtf(data: bytes, limit: int) -> Iterator[tuple[str | None, str]]:
    from striprtf.striprtf import rtf_to_text

    yield None, str(rtf_to_text(decode_text(data), errors="ignore"))  # type: ignore[no-untyped-call]


def _message_text(msg: Message) -> str:
    out = [f"{h}: {msg[h]}" for h in ("From", "To", "Cc", "Subject", "Date") if msg[h]]
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        name = part.get_filename()
        if name:
            out.append(f"[attachment: {name}]")
        if ctype not in ("text/plain", "text/html"):
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        charset = part.get_content_charset() or ""
        try:
            text = payload.decode(charset or "utf-8", errors="replace")
        except LookupError:
            text = decode_text(payload)
        out.append(html_text(text) if ctype == "text/html" else text)
    return "\n".join(out)


def eml(data: bytes, limit: int) -> Iterator[tuple[str | None, str]]:
    yield None, _message_text(email.message_from_bytes(data, policy=email.policy.compat32))


_FROM_LINE = re.compile(rb"(?m)^From .*\r?\n")


def mbox(data: bytes, limit: int) -> Iterator[tuple[str | None, str]]:
    starts = [m.end() for m in _FROM_LINE.finditer(data)]
    ends = [m.start() for m in _FROM_LINE.finditer(data)][1:] + [len(data)]
    for i, (a, b) in enumerate(zip(starts, ends, strict=True), 1):
        yield f"message {i}", _message_text(email.message_from_bytes(data[a:b], policy=email.policy.compat32))


def msg(data: bytes, limit: int) -> Iterator[tuple[str | None, str]]:
    import extract_msg

    m: Any = extract_msg.openMsg(data)
    try:
        head = [f"{k}: {v}" for k, v in (("From", m.sender), ("To", m.to), ("Subject", m.subject)) if v]
        body = m.body or ""
        names = [f"[attachment: {a.longFilename or a.shortFilename}]" for a in m.attachments]
        yield None, "\n".join([*head, body, *names])
    finally:
        m.close()


def pst(data: bytes, limit: int) -> Iterator[tuple[str | None, str]]:
    import pypff

    f = pypff.file()
    f.open_file_object(io.BytesIO(data))
    try:
        n = 0
        stack = [(f.get_root_folder(), "")]
        while stack:
            folder, path = stack.pop()
            for i in range(folder.get_number_of_sub_messages()):
                m = folder.get_sub_message(i)
                n += 1
                body = m.get_plain_text_body() or b""
                head = [f"From: {m.get_sender_name() or ''}", f"Subject: {m.get_subject() or ''}"]
                yield f"{path}/message {n}", "\n".join([*head, body.decode("utf-8", errors="replace")])
            for i in range(folder.get_number_of_sub_folders()):
                sub = folder.get_sub_folder(i)
                stack.append((sub, f"{path}/{sub.get_name() or i}"))
    finally:
        f.close()


def sqlite_db(data: bytes, limit: int) -> Iterator[tuple[str | None, str]]:
    """Every table's text values, row by row, from a private temporary copy opened read-only."""
    fd, tmp = tempfile.mkstemp(prefix="triage-text-", suffix=".sqlite")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        conn = sqlite3.connect(f"file:{tmp}?mode=ro&immutable=1", uri=True)
        try:
            tables = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
            ]
            for table in tables:
                lines: list[str] = []
                size = 0
                quoted = '"' + table.replace('"', '""') + '"'
                for row in conn.execute(f"SELECT * FROM {quoted}"):  # noqa: S608 - a name from the file, quoted
                    line = " ".join(str(v) for v in row if isinstance(v, str | int | float))
                    lines.append(line)
                    size += len(line)
                    if size > limit:
                        break
                yield f"table {table}", "\n".join(lines)
        finally:
            conn.close()
    finally:
        os.unlink(tmp)


def choose(mime: str | None, extension: str, head: bytes) -> tuple[str, Extractor] | None:
    """The extractor for a file (its format's name too), from its type, extension and first bytes."""
    mime = mime or ""
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite", sqlite_db
    if head.startswith(b"%PDF") or mime == "application/pdf":
        return "pdf", pdf
    if head.startswith(b"!BDN"):
        return "pst", pst
    if head.startswith(b"\xd0\xcf\x11\xe0") and (extension == "msg" or "outlook" in mime):
        return "msg", msg
    if head.startswith(b"PK\x03\x04") and (
        extension in ("docx", "xlsx", "pptx", "docm", "xlsm", "pptm", "odt", "ods", "odp")
        or "officedocument" in mime
        or "opendocument" in mime
    ):
        return "office", office_zip
    if head.lstrip().startswith(b"{\\rtf") or mime in ("text/rtf", "application/rtf"):
        return "rtf", rtf
    if mime == "application/mbox" or extension == "mbox" or head.startswith(b"From "):
        return "mbox", mbox
    if mime == "message/rfc822" or extension == "eml":
        return "eml", eml
    if mime in ("text/html", "application/xhtml+xml") or extension in ("htm", "html", "xhtml"):
        return "html", html
    if mime.startswith("text/") or extension in ("txt", "csv", "log", "json", "xml", "md", "ini"):
        return "plain", plain
    return None
