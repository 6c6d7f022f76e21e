"""Real sample files of every carved type, built in the test (Pillow, zipfile, sqlite3, struct)."""

from __future__ import annotations

import io
import random
import sqlite3
import struct
import tempfile
import zipfile
from pathlib import Path


def _noise(rng: random.Random, w: int, h: int) -> object:
    from PIL import Image

    return Image.frombytes("RGB", (w, h), bytes(rng.getrandbits(8) for _ in range(w * h * 3)))


def jpeg(rng: random.Random) -> bytes:
    buf = io.BytesIO()
    _noise(rng, 96, 80).save(buf, "JPEG", quality=90)  # type: ignore[attr-defined]
    return buf.getvalue()


def png(rng: random.Random) -> bytes:
    buf = io.BytesIO()
    _noise(rng, 70, 50).save(buf, "PNG")  # type: ignore[attr-defined]
    return buf.getvalue()


def gif(rng: random.Random) -> bytes:
    buf = io.BytesIO()
    _noise(rng, 90, 70).convert("P").save(buf, "GIF")  # type: ignore[attr-defined]
    return buf.getvalue()


def pdf(rng: random.Random) -> bytes:
    """A small PDF with a correct xref table (written by hand: offsets are exact)."""
    text = " ".join(f"word{rng.randrange(10**6)}" for _ in range(400))
    text += " mail analyst@carve-test.de"  # an identifier the identifiers analyzer must find
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def docx(rng: random.Random) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        words = " ".join(f"carve{rng.randrange(10**6)}" for _ in range(300))
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{words}</w:t></w:r></w:p></w:body>'
            "</w:document>",
        )
        z.writestr("word/media/noise.bin", bytes(rng.getrandbits(8) for _ in range(3000)), zipfile.ZIP_STORED)
    return buf.getvalue()


def zip_(rng: random.Random) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("notes.txt", " ".join(f"n{rng.randrange(10**6)}" for _ in range(500)))
        z.writestr("blob.bin", bytes(rng.getrandbits(8) for _ in range(5000)))
    return buf.getvalue()


def sqlite(rng: random.Random) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.db"
        con = sqlite3.connect(path)
        con.execute("PRAGMA page_size=1024")  # no all-zero 1 KiB block: mke2fs -d would store it as a hole
        con.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
        con.executemany(
            "INSERT INTO t(v) VALUES (?)", [(f"row{rng.randrange(10**9)}" * 5,) for _ in range(300)]
        )
        con.commit()
        con.close()
        return path.read_bytes()


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def mp4(rng: random.Random) -> bytes:
    """ftyp, mdat, moov(mvhd, trak(tkhd)): the top-level box structure a real MP4 has."""
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41")
    mdat = _box(b"mdat", bytes(rng.getrandbits(8) for _ in range(9000)))
    mvhd = _box(
        b"mvhd",
        struct.pack(">I", 0)
        + struct.pack(">IIII", 0, 0, 1000, 5000)
        + struct.pack(">IH", 0x00010000, 0x0100)
        + b"\0" * 10
        + struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
        + b"\0" * 24
        + struct.pack(">I", 2),
    )
    tkhd = _box(
        b"tkhd",
        struct.pack(">I", 7)
        + struct.pack(">IIIII", 0, 0, 1, 0, 5000)
        + b"\0" * 8
        + struct.pack(">hhhH", 0, 0, 0, 0)
        + struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
        + struct.pack(">II", 0, 0),
    )
    moov = _box(b"moov", mvhd + _box(b"trak", tkhd))
    return ftyp + mdat + moov


SAMPLES = {
    "jpg": jpeg,
    "png": png,
    "gif": gif,
    "pdf": pdf,
    "docx": docx,
    "zip": zip_,
    "sqlite": sqlite,
    "mp4": mp4,
}


def samples(seed: int = 20) -> dict[str, bytes]:
    rng = random.Random(seed)
    return {ext: make(rng) for ext, make in SAMPLES.items()}
