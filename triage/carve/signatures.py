"""Structure-aware carvers: a header at a block start, then the format's own structure says where
the file ends (never a fixed maximum size).

Each carver gets ``read(offset, n)`` relative to the candidate's first byte (shorter or empty past
the end of the unallocated stream) and ``limit``, the bytes left in the stream; it returns the
file's length, or None when the structure does not hold together (then nothing is carved there).

=======  ==================  ==========================================================
Type     Header              End
=======  ==================  ==========================================================
jpg      ``FF D8 FF``        segments by their lengths to SOS, entropy-coded data to EOI
png      PNG signature       chunks by their lengths to the ``IEND`` chunk and its CRC
gif      ``GIF87a/GIF89a``   colour tables, extensions and image data sub-blocks to ``;``
pdf      ``%PDF-``           ``%%EOF`` (+ end of line), following incremental updates; the
                             search gives up at the next block starting with ``%PDF-``
zip      ``PK\\3\\4``        local headers by their sizes, then the end of central directory
                             whose central directory ends right before it (ZIP64 too), plus
                             its comment; Office/ODF named
                             ``docx``/``xlsx``/``pptx``/``odt``/``ods``/``odp``
sqlite   ``SQLite format 3`` header's page size × page count (when the count is valid)
mp4      box ``ftyp``        top-level boxes by their sizes, ``moov`` and media data seen
=======  ==================  ==========================================================
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from dataclasses import dataclass

Read = Callable[[int, int], bytes]

WINDOW = 1 << 20
"""Bytes read at a time when a carver searches forward (a footer, a marker)."""


@dataclass(frozen=True)
class Carved:
    length: int
    ext: str


Stop = Callable[[int, int], int]
"""``stop(start, end)``: the first offset in ``(start, end]`` where a block begins with another
file's header (-1: none); a footer search gives up there (the file did not end before it)."""


def _find(read: Read, needle: bytes, start: int, limit: int, stop: Stop | None = None) -> int:
    """The offset of ``needle`` at or after ``start`` and ending before ``limit``; -1 if none
    (or if ``stop`` finds a new file's header first)."""
    pos = start
    overlap = len(needle) - 1
    while pos < limit:
        data = read(pos, min(WINDOW, limit - pos))
        if not data:
            return -1
        hit = data.find(needle)
        new = stop(pos, pos + (hit if hit >= 0 else len(data))) if stop is not None else -1
        if new >= 0:
            return -1
        if hit >= 0 and pos + hit + len(needle) <= limit:
            return pos + hit
        if len(data) <= overlap:
            return -1
        pos += len(data) - overlap
    return -1


# -- JPEG -----------------------------------------------------------------------------------------
def jpeg(read: Read, limit: int) -> Carved | None:
    pos = 2
    while pos < limit:
        hdr = read(pos, 4)
        if len(hdr) < 2 or hdr[0] != 0xFF:
            return None
        marker = hdr[1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:
            return Carved(pos + 2, "jpg")
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            pos += 2
            continue
        if len(hdr) < 4:
            return None
        seglen = struct.unpack(">H", hdr[2:4])[0]
        if seglen < 2:
            return None
        pos += 2 + seglen
        if marker == 0xDA:  # entropy-coded data up to the next marker (FF not followed by 00 or RSTn)
            pos = _entropy_end(read, pos, limit)
            if pos < 0:
                return None
    return None


def _entropy_end(read: Read, pos: int, limit: int) -> int:
    while pos < limit:
        data = read(pos, min(WINDOW, limit - pos))
        if len(data) < 2:
            return -1
        i = data.find(b"\xff")
        while 0 <= i < len(data) - 1:
            nxt = data[i + 1]
            if nxt != 0x00 and not 0xD0 <= nxt <= 0xD7 and nxt != 0xFF:
                return pos + i
            i = data.find(b"\xff", i + 1)
        pos += len(data) - 1  # the last byte may be an FF whose marker is in the next window
    return -1


# -- PNG ------------------------------------------------------------------------------------------
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png(read: Read, limit: int) -> Carved | None:
    pos = 8
    while pos + 12 <= limit:
        hdr = read(pos, 8)
        if len(hdr) < 8:
            return None
        length, kind = struct.unpack(">I4s", hdr)
        if length > 0x7FFFFFFF or not kind.isalpha():
            return None
        pos += 12 + length
        if kind == b"IEND":
            return Carved(pos, "png") if pos <= limit else None
    return None


# -- GIF ------------------------------------------------------------------------------------------
def gif(read: Read, limit: int) -> Carved | None:
    lsd = read(6, 7)
    if len(lsd) < 7:
        return None
    pos = 13 + (3 << ((lsd[4] & 7) + 1) if lsd[4] & 0x80 else 0)
    while pos < limit:
        kind = read(pos, 1)
        if not kind:
            return None
        if kind == b";":
            return Carved(pos + 1, "gif")
        if kind == b"!":  # extension: label, then sub-blocks
            pos = _sub_blocks(read, pos + 2, limit)
        elif kind == b",":  # image: descriptor, local colour table, LZW code size, sub-blocks
            desc = read(pos, 10)
            if len(desc) < 10:
                return None
            pos += 10 + (3 << ((desc[9] & 7) + 1) if desc[9] & 0x80 else 0)
            pos = _sub_blocks(read, pos + 1, limit)
        else:
            return None
        if pos < 0:
            return None
    return None


def _sub_blocks(read: Read, pos: int, limit: int) -> int:
    while pos < limit:
        n = read(pos, 1)
        if not n:
            return -1
        pos += 1 + n[0]
        if n[0] == 0:
            return pos
    return -1


# -- PDF ------------------------------------------------------------------------------------------
_INCREMENTAL = re.compile(rb"\s*(\d+\s+\d+\s+obj\b|xref\b)")
PDF_MAX = 1 << 28
"""How far a PDF's ``%%EOF`` is searched for at most (PDFs have no length field); the search also
stops at the next block that starts with ``%PDF-`` (:data:`Signature.stops_at_next`)."""


def pdf(read: Read, limit: int, stop: Stop | None = None) -> Carved | None:
    limit = min(limit, PDF_MAX)
    pos, end = 5, -1
    while True:
        hit = _find(read, b"%%EOF", pos, limit, stop)
        if hit < 0:
            break
        end = hit + 5
        tail = read(end, 2)
        end += 2 if tail == b"\r\n" else 1 if tail[:1] in (b"\r", b"\n") else 0
        if not _INCREMENTAL.match(read(end, 64)):
            return Carved(end, "pdf")
        pos = end  # an incremental update follows: its own %%EOF ends the file
    return None


# -- ZIP and Office/ODF ---------------------------------------------------------------------------
ZIP_MAX = 1 << 32


def zip_(read: Read, limit: int) -> Carved | None:
    limit = min(limit, ZIP_MAX + (1 << 16))
    pos = _local_headers_end(read, limit)  # where the central directory should start
    while True:
        hit = _find(read, b"PK\x05\x06", pos, limit)
        if hit < 0:
            return None
        eocd = read(hit, 22)
        if len(eocd) == 22:
            cd_size, cd_offset, comment = struct.unpack("<IIH", eocd[12:22])
            end = hit + 22 + comment
            if cd_offset == 0xFFFFFFFF or cd_size == 0xFFFFFFFF:  # ZIP64: the locator precedes it
                cd_offset, cd_size, record = _zip64(read, hit)
                ok = record >= 0 and cd_offset + cd_size == record
            else:
                ok = cd_offset + cd_size == hit
            if ok and end <= limit:
                return Carved(end, _zip_kind(read, cd_offset, cd_size))
        pos = hit + 4


def _local_headers_end(read: Read, limit: int) -> int:
    """Walk the local file headers by their sizes: the offset after the last member's data (the
    central directory follows), so the end record is searched for from there, not from the
    start. A member with a data descriptor (sizes unknown up front) stops the walk there."""
    pos = 0
    while pos + 30 <= limit:
        hdr = read(pos, 30)
        if len(hdr) < 30 or hdr[:4] != b"PK\x03\x04":
            return pos
        flags = struct.unpack("<H", hdr[6:8])[0]
        size, name_len, extra_len = struct.unpack("<I", hdr[18:22])[0], *struct.unpack("<HH", hdr[26:30])
        if flags & 0x08 or size == 0xFFFFFFFF:  # data descriptor, or ZIP64 sizes in the extra field
            return pos + 4
        pos += 30 + name_len + extra_len + size
    return min(pos, limit)


def _zip64(read: Read, eocd: int) -> tuple[int, int, int]:
    loc = read(eocd - 20, 20) if eocd >= 20 else b""
    if len(loc) < 20 or loc[:4] != b"PK\x06\x07":
        return 0, 0, -1
    record = struct.unpack("<Q", loc[8:16])[0]
    rec = read(record, 56)
    if len(rec) < 56 or rec[:4] != b"PK\x06\x06":
        return 0, 0, -1
    cd_size, cd_offset = struct.unpack("<QQ", rec[40:56])
    return cd_offset, cd_size, record


_ODF = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}


def _zip_kind(read: Read, cd_offset: int, cd_size: int) -> str:
    """``docx``/``xlsx``/``pptx`` from the central directory's part names, ODF from its
    ``mimetype`` member (stored first), else ``zip``."""
    first = read(0, 30 + 8 + 80)
    if first[26:28] == b"\x08\x00" and first[30:38] == b"mimetype":
        extra = struct.unpack("<H", first[28:30])[0]
        mime = read(38 + extra, 60)
        for prefix, ext in _ODF.items():
            if mime.startswith(prefix) and not mime[len(prefix) : len(prefix) + 1].isalpha():
                return ext
    names = read(cd_offset, min(cd_size, 1 << 24))
    if b"[Content_Types].xml" in names:
        for part, ext in ((b"word/", "docx"), (b"xl/", "xlsx"), (b"ppt/", "pptx")):
            if part in names:
                return ext
    return "zip"


# -- SQLite ---------------------------------------------------------------------------------------
SQLITE_HEADER = b"SQLite format 3\x00"


def sqlite(read: Read, limit: int) -> Carved | None:
    hdr = read(0, 100)
    if len(hdr) < 100:
        return None
    page_size = struct.unpack(">H", hdr[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return None
    change, pages = struct.unpack(">II", hdr[24:32])
    valid_for = struct.unpack(">I", hdr[92:96])[0]
    if pages == 0 or change != valid_for:  # the page count is only valid then (SQLite 3.7.0+)
        return None
    length = page_size * pages
    return Carved(length, "sqlite") if length <= limit else None


# -- MP4 / QuickTime ------------------------------------------------------------------------------
_TOP_BOXES = {
    b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"uuid", b"meta", b"moof", b"mfra",
    b"pdin", b"styp", b"sidx", b"udta", b"pnot", b"prfl", b"junk",
}  # fmt: skip
_BRANDS = {b"qt  ": "mov", b"M4A ": "m4a", b"M4V ": "m4v", b"3gp4": "3gp", b"3gp5": "3gp", b"3gp6": "3gp"}


def mp4(read: Read, limit: int) -> Carved | None:
    pos, seen = 0, set()
    while pos + 8 <= limit:
        hdr = read(pos, 16)
        if len(hdr) < 8:
            break
        size, kind = struct.unpack(">I4s", hdr[:8])
        if kind not in _TOP_BOXES:
            break
        if size == 1:
            if len(hdr) < 16:
                return None
            size = struct.unpack(">Q", hdr[8:16])[0]
        if size < 8 or size == 0:  # size 0 ("to the end of the file"): the end is unknown
            return None
        if pos + size > limit:
            return None
        seen.add(kind)
        pos += size
    if b"moov" not in seen or not seen & {b"mdat", b"moof"}:
        return None
    brand = read(8, 4)
    return Carved(pos, _BRANDS.get(brand, "mp4"))


@dataclass(frozen=True)
class Signature:
    name: str
    matches: Callable[[bytes], bool]
    carve: Callable[..., Carved | None]
    stops_at_next: bool = False
    """The end is found by searching forward (no length field): the search gives up at the next
    block that starts with a header of the same type, as PhotoRec ends a file at the next header."""


SIGNATURES: tuple[Signature, ...] = (
    Signature("jpg", lambda h: h[:3] == b"\xff\xd8\xff" and 0xC0 <= h[3] <= 0xFE, jpeg),
    Signature("png", lambda h: h[:8] == PNG_SIGNATURE, png),
    Signature("gif", lambda h: h[:6] in (b"GIF87a", b"GIF89a"), gif),
    Signature("pdf", lambda h: h[:5] == b"%PDF-", pdf, stops_at_next=True),
    Signature("zip", lambda h: h[:4] == b"PK\x03\x04", zip_),
    Signature("sqlite", lambda h: h[:16] == SQLITE_HEADER, sqlite),
    Signature("mp4", lambda h: h[4:8] == b"ftyp" and h[8:12].isascii(), mp4),
)
HEADER = 16
"""Bytes of a block start the signatures look at."""
