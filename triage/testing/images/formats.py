"""Sample file content (stdlib only, deterministic): PDF, ZIP, tar.gz, DOCX, PNG, JPEG, registry hive, EVTX, SQLite history."""

from __future__ import annotations

import gzip
import io
import random
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Mapping, Sequence

from triage.testing.images.base import FAKE_TIME

_ZIP_TIME = (2023, 11, 14, 22, 13, 20)


def _pdf_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def sample_pdf(lines: Sequence[str], *, title: str = "Fixture", author: str = "triage") -> bytes:
    """A small valid one-page PDF 1.4 showing ``lines`` in Helvetica."""
    text = ["BT", "/F1 12 Tf", "72 760 Td", "14 TL"]
    for ln in lines:
        text.append(f"({_pdf_escape(ln)}) '")
    text.append("ET")
    stream = ("\n".join(text) + "\n").encode("latin-1")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        (
            f"<< /Title ({_pdf_escape(title)}) /Author ({_pdf_escape(author)}) "
            f"/Producer (triage fixtures) /CreationDate (D:20231114221320Z) >>"
        ).encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Info {len(objs)} 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def _zip_bytes(members: Mapping[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = compression
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def sample_zip(members: Mapping[str, bytes], *, stored: bool = False) -> bytes:
    """A ZIP archive with fixed timestamps (deflated unless ``stored``)."""
    return _zip_bytes(members, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)


def sample_targz(members: Mapping[str, bytes]) -> bytes:
    """A gzip-compressed GNU tar archive with fixed times and owners."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for name, data in members.items():
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime, ti.mode = len(data), FAKE_TIME, 0o644
            ti.uid = ti.gid = 0
            ti.uname = ti.gname = "root"
            tf.addfile(ti, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", fileobj=out, mode="wb", mtime=FAKE_TIME, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sample_docx(paragraphs: Sequence[str], *, title: str = "Fixture", author: str = "triage") -> bytes:
    """A minimal but valid Word (OOXML) document."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{_xml_escape(p)}</w:t></w:r></w:p>' for p in paragraphs
    )
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    parts = {
        "[Content_Types].xml": head
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/'
        'vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>",
        "_rels/.rels": head
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        "</Relationships>",
        "word/document.xml": head + f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>',
        "docProps/core.xml": head
        + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_xml_escape(title)}</dc:title><dc:creator>{_xml_escape(author)}</dc:creator>"
        f"<cp:lastModifiedBy>{_xml_escape(author)}</cp:lastModifiedBy>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2023-11-14T22:13:20Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2023-11-14T22:13:20Z</dcterms:modified>'
        "</cp:coreProperties>",
    }
    return _zip_bytes({k: v.encode("utf-8") for k, v in parts.items()})


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def sample_png(width: int = 32, height: int = 24, *, seed: int = 0, text: str | None = None) -> bytes:
    """A valid 8-bit RGB PNG: a seeded colour gradient."""
    rng = random.Random(seed)
    r0, g0, b0 = rng.randrange(256), rng.randrange(256), rng.randrange(256)
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows += bytes(((r0 + 7 * x) % 256, (g0 + 5 * y) % 256, (b0 + 3 * (x + y)) % 256))
    out = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    if text:
        out += _png_chunk(b"tEXt", b"Comment\x00" + text.encode("latin-1"))
    return out + _png_chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + _png_chunk(b"IEND", b"")


# --- JPEG: baseline, 3 components, 8x8 blocks carrying only a DC term ------

_JPEG_DC_BITS = (0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)  # standard luminance DC


_JPEG_DC_VALS = tuple(range(12))


_JPEG_AC_BITS = (1,) + (0,) * 15  # a single code, "0" = EOB (0x00)


_JPEG_AC_VALS = (0,)


_JPEG_Q = 8  # every quantiser entry; a uniform 8x8 block of value v has DC 8*(v-128)


def _huffman_codes(bits: Sequence[int], vals: Sequence[int]) -> dict[int, tuple[int, int]]:
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[vals[k]] = (code, length)
            code, k = code + 1, k + 1
        code <<= 1
    return codes


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">HH", 0xFF00 | marker, len(payload) + 2) + payload


def _tiff_ifd(
    entries: list[tuple[int, int, bytes, int]], base: int, next_ifd: int = 0
) -> tuple[bytes, bytes]:
    """Big-endian IFD at offset ``base``: (ifd bytes, data area that follows it)."""
    entries = sorted(entries)
    ifd_len = 2 + 12 * len(entries) + 4
    data = bytearray()
    body = struct.pack(">H", len(entries))
    for tag, typ, value, count in entries:
        if len(value) <= 4:
            body += struct.pack(">HHI", tag, typ, count) + value.ljust(4, b"\x00")
        else:
            body += struct.pack(">HHII", tag, typ, count, base + ifd_len + len(data))
            data += value + (b"\x00" if len(value) % 2 else b"")
    return body + struct.pack(">I", next_ifd), bytes(data)


def _exif(make: str, model: str, when: str, gps: tuple[float, float] | None) -> bytes:
    def ascii_(s: str) -> tuple[bytes, int]:
        b = s.encode("ascii") + b"\x00"
        return b, len(b)

    def rationals(deg: float) -> bytes:
        d = int(abs(deg))
        m = int((abs(deg) - d) * 60)
        s = round(((abs(deg) - d) * 60 - m) * 60 * 100)
        return struct.pack(">IIIIII", d, 1, m, 1, s, 100)

    ifd0 = []
    for tag, s in ((0x010F, make), (0x0110, model), (0x0132, when)):
        v, n = ascii_(s)
        ifd0.append((tag, 2, v, n))
    exif_ifd = [(0x9003, 2, *ascii_(when))]
    if gps:
        ifd0.append((0x8825, 4, b"\x00\x00\x00\x00", 1))  # patched below
    ifd0.append((0x8769, 4, b"\x00\x00\x00\x00", 1))
    # Lay out: header(8) | IFD0+data | ExifIFD+data | GPS IFD+data
    ifd0_b, ifd0_d = _tiff_ifd(ifd0, 8)
    exif_off = 8 + len(ifd0_b) + len(ifd0_d)
    exif_b, exif_d = _tiff_ifd(exif_ifd, exif_off)
    gps_off = exif_off + len(exif_b) + len(exif_d)
    ifd0 = [
        (
            t,
            ty,
            struct.pack(">I", exif_off) if t == 0x8769 else struct.pack(">I", gps_off) if t == 0x8825 else v,
            n,
        )
        for t, ty, v, n in ifd0
    ]
    ifd0_b, ifd0_d = _tiff_ifd(ifd0, 8)
    tiff = b"MM\x00\x2a\x00\x00\x00\x08" + ifd0_b + ifd0_d + exif_b + exif_d
    if gps:
        lat, lon = gps
        gps_ifd = [
            (0x0000, 1, b"\x02\x02\x00\x00", 4),
            (0x0001, 2, b"N\x00" if lat >= 0 else b"S\x00", 2),
            (0x0002, 5, rationals(lat), 3),
            (0x0003, 2, b"E\x00" if lon >= 0 else b"W\x00", 2),
            (0x0004, 5, rationals(lon), 3),
        ]
        g_b, g_d = _tiff_ifd(gps_ifd, gps_off)
        tiff += g_b + g_d
    return b"Exif\x00\x00" + tiff


def sample_jpeg(
    width: int = 32,
    height: int = 24,
    *,
    seed: int = 0,
    exif: Mapping[str, object] | None = None,
) -> bytes:
    """A valid baseline JPEG (JFIF, YCbCr 4:4:4) built from flat 8x8 tiles.

    ``exif`` may hold ``make``, ``model``, ``datetime`` ("YYYY:MM:DD HH:MM:SS")
    and ``gps`` ((lat, lon) in degrees) to add an Exif APP1 segment.
    """
    if width % 8 or height % 8:
        raise ValueError("width and height must be multiples of 8")
    rng = random.Random(seed)
    bw, bh = width // 8, height // 8
    palette = [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(4)]
    dc_codes = _huffman_codes(_JPEG_DC_BITS, _JPEG_DC_VALS)
    ac_codes = _huffman_codes(_JPEG_AC_BITS, _JPEG_AC_VALS)
    acc, nbits = 0, 0
    out = bytearray()

    def put(code: int, length: int) -> None:
        nonlocal acc, nbits
        acc = (acc << length) | (code & ((1 << length) - 1))
        nbits += length
        while nbits >= 8:
            nbits -= 8
            byte = (acc >> nbits) & 0xFF
            out.append(byte)
            if byte == 0xFF:
                out.append(0)

    pred = [0, 0, 0]
    for by in range(bh):
        for bx in range(bw):
            r, g, b = palette[(bx // 2 + by // 2) % len(palette)]
            shade = (bx * 97 + by * 57) % 64 - 32
            r, g, b = (max(0, min(255, c + shade)) for c in (r, g, b))
            ycc = (
                0.299 * r + 0.587 * g + 0.114 * b,
                128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
                128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
            )
            for c, v in enumerate(ycc):
                q = max(-127, min(127, round(v - 128)))  # 8*(v-128) / Q(=8)
                diff, pred[c] = q - pred[c], q
                cat = abs(diff).bit_length()
                put(*dc_codes[cat])
                if cat:
                    put(diff if diff > 0 else diff - 1, cat)
                put(*ac_codes[0])  # EOB: all AC coefficients are zero
    if nbits:
        put((1 << (8 - nbits)) - 1, 8 - nbits)  # pad with 1 bits

    jpeg = bytearray(b"\xff\xd8")
    jpeg += _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00")
    if exif:
        jpeg += _segment(
            0xE1,
            _exif(
                str(exif.get("make", "triage")),
                str(exif.get("model", "fixture")),
                str(exif.get("datetime", "2023:11:14 22:13:20")),
                exif.get("gps"),  # type: ignore[arg-type]
            ),
        )
    jpeg += _segment(0xDB, b"\x00" + bytes([_JPEG_Q]) * 64)
    jpeg += _segment(
        0xC0, struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x11\x00\x02\x11\x00\x03\x11\x00"
    )
    jpeg += _segment(0xC4, b"\x00" + bytes(_JPEG_DC_BITS) + bytes(_JPEG_DC_VALS))
    jpeg += _segment(0xC4, b"\x10" + bytes(_JPEG_AC_BITS) + bytes(_JPEG_AC_VALS))
    jpeg += _segment(0xDA, b"\x03\x01\x00\x02\x00\x03\x00\x00\x3f\x00")
    jpeg += out + b"\xff\xd9"
    return bytes(jpeg)


def _filetime(unix: int) -> int:
    return (unix + 11_644_473_600) * 10_000_000


def sample_registry_hive(root_name: str = "ROOT", file_name: str = "fixture") -> bytes:
    """A tiny valid registry hive ("regf"): base block + one hbin, root key only."""
    ft = _filetime(FAKE_TIME)
    name = root_name.encode("ascii")
    nk = (
        b"nk"
        + struct.pack("<HQ", 0x2C, ft)  # KEY_HIVE_ENTRY|KEY_NO_DELETE|KEY_COMP_NAME
        + struct.pack("<IIII", 0, 0xFFFFFFFF, 0, 0)  # access bits, parent, subkeys, volatile
        + struct.pack("<II", 0xFFFFFFFF, 0xFFFFFFFF)  # subkey lists
        + struct.pack("<II", 0, 0xFFFFFFFF)  # values
        + struct.pack("<II", 0xFFFFFFFF, 0xFFFFFFFF)  # security, class name
        + struct.pack("<IIIII", 0, 0, 0, 0, 0)  # largest lengths, workvar
        + struct.pack("<HH", len(name), 0)
        + name
    )
    cell_len = -(-(4 + len(nk)) // 8) * 8
    cell = struct.pack("<i", -cell_len) + nk.ljust(cell_len - 4, b"\x00")
    hbin = b"hbin" + struct.pack("<IIQQI", 0, 4096, 0, ft, 0)  # 32-byte bin header
    free = 4096 - len(hbin) - len(cell)
    hbin += cell + struct.pack("<i", free) + b"\x00" * (free - 4)
    base = bytearray(4096)
    struct.pack_into("<4sIIQIIIIIII", base, 0, b"regf", 1, 1, ft, 1, 5, 0, 1, 0x20, 4096, 1)
    fname = file_name.encode("utf-16-le")[:64]
    base[0x30 : 0x30 + len(fname)] = fname
    csum = 0
    for (dword,) in struct.iter_unpack("<I", bytes(base[:0x1FC])):
        csum ^= dword
    struct.pack_into("<I", base, 0x1FC, csum)
    return bytes(base) + hbin


def sample_evtx() -> bytes:
    """An empty but well-formed EVTX file header ("ElfFile", no chunks)."""
    hdr = bytearray(4096)
    struct.pack_into("<8sQQQIHHHH", hdr, 0, b"ElfFile\x00", 0, 0, 1, 128, 1, 3, 4096, 0)
    struct.pack_into("<I", hdr, 120, 0)  # flags
    struct.pack_into("<I", hdr, 124, zlib.crc32(bytes(hdr[:120])))
    return bytes(hdr)
