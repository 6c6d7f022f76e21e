"""The fixture image builders make what they claim, as seen by The Sleuth Kit CLI.

Every check goes through the real tools (``fls``, ``icat``, ``mmls``,
``ewfverify``, ``ewfinfo``), never through the builders' own helpers, so a
builder bug cannot hide behind a matching bug in its self-check. A missing
tool skips the test.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import sqlite3
import struct
import subprocess
import sys
import tarfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fixtures as images
import pytest
from fixtures import SECTOR, BuiltImage, ToolMissing

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo.raw"


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def _need(*tools: str) -> None:
    for t in tools:
        if images._which(t) is None:
            pytest.skip(f"{t} not installed")


def _build(fn: Callable[..., BuiltImage], *args: Any, **kw: Any) -> BuiltImage:
    try:
        return fn(*args, **kw)
    except ToolMissing as exc:
        pytest.skip(str(exc))


def _tool(*cmd: str | Path) -> bytes:
    exe = images._which(str(cmd[0]))
    if exe is None:
        pytest.skip(f"{cmd[0]} not installed")
    proc = subprocess.run([exe, *map(str, cmd[1:])], capture_output=True, check=False)
    assert proc.returncode == 0, f"{cmd[0]} failed: {proc.stderr.decode(errors='replace')}"
    return proc.stdout


@dataclass(frozen=True)
class Entry:
    type: str
    deleted: bool
    addr: str
    path: str


_FLS = re.compile(r"^(\S+/\S+)\s+(\*\s+)?([\d-]+)(\(realloc\))?:\t(.*)$")


def fls(img: BuiltImage, offset: int) -> list[Entry]:
    out = _tool("fls", "-r", "-p", "-o", str(offset // SECTOR), *img.segments)
    entries = []
    for raw in out.split(b"\n"):
        m = _FLS.match(raw.decode("utf-8", "surrogateescape"))
        if m:
            entries.append(Entry(m[1], bool(m[2]), m[3], m[5]))
    return entries


def icat(img: BuiltImage, offset: int, addr: str) -> bytes:
    return _tool("icat", "-o", str(offset // SECTOR), *img.segments, addr)


def fls_path(path: str) -> str:
    """Our path as ``fls -p`` prints it: no leading '/', control characters as '^'."""
    return "".join("^" if ord(c) < 0x20 else c for c in path.lstrip("/"))


def _is_ours(e: Entry) -> bool:
    """Skip file-system metadata that fls lists next to the real files."""
    if e.path.endswith("(Volume Label Entry)") or e.type in ("v/v", "V/V"):
        return False
    return not any(part.startswith("$") for part in e.path.split("/"))


def check_volume(disk: BuiltImage, vol: BuiltImage) -> None:
    """fls/icat of the file system at vol.partitions[0] match everything vol claims."""
    offset = vol.partitions[0]
    entries = [e for e in fls(disk, offset) if _is_ours(e)]
    live = {e.path: e for e in entries if not e.deleted}
    dead = {e.path: e for e in entries if e.deleted}

    # Exactly the claimed regular files (and streams) are allocated ...
    regular = {p for p, e in live.items() if e.type.endswith("/r") and p not in ("lost+found",)}
    expected = {fls_path(p) for p in vol.files} | {fls_path(s) for s in vol.streams}
    assert regular == expected
    # ... with the claimed content.
    for path, data in vol.files.items():
        assert icat(disk, offset, live[fls_path(path)].addr) == data, path
    for stream in vol.streams:
        got = icat(disk, offset, live[fls_path(stream)].addr)
        assert got == vol.stream_content[stream], stream

    for d in vol.dirs:
        assert live[fls_path(d)].type == "d/d", d
    for link, target in vol.symlinks.items():
        e = live[fls_path(link)]
        assert e.type == "l/l"
        # (icat gives zeros for ext4 fast symlinks; istat shows the target)
        istat = _tool("istat", "-o", str(offset // SECTOR), *disk.segments, e.addr)
        assert f"symbolic link to: {target}\n".encode() in istat

    # Deleted files are listed with '*'; "recoverable" ones give their bytes back.
    assert set(vol.recoverable_deleted) <= set(vol.deleted)
    for path in vol.deleted:
        assert fls_path(path) not in live, f"{path} is still allocated"
        e = dead[fls_path(path)]
        got = icat(disk, offset, e.addr)
        if path in vol.recoverable_deleted:
            assert got == vol.deleted_content[path], path
        else:
            assert got == b"", path


def check_image(img: BuiltImage) -> None:
    if img.volumes:
        assert img.partitions == [v.partitions[0] for v in img.volumes]
        for vol in img.volumes:
            check_volume(img, vol)
    else:
        assert img.partitions == [0]
        check_volume(img, img)


def mmls(img: BuiltImage) -> list[tuple[int, int, str]]:
    """(start sector, length, description) of the allocated partitions."""
    rows = []
    for line in _tool("mmls", img.path).decode().splitlines():
        m = re.match(r"^\d+:\s+(\d+(?::\d+)?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(.*)$", line)
        if m:
            rows.append((int(m[2]), int(m[4]), m[5].strip()))
    return rows


# --------------------------------------------------------------------------
# file systems
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ext4(tmp_path_factory: pytest.TempPathFactory) -> BuiltImage:
    return _build(images.build_ext4, tmp_path_factory.mktemp("ext4"))


def test_ext4(ext4: BuiltImage) -> None:
    assert ext4.kind == "ext4" and ext4.segments == [ext4.path]
    assert ext4.deleted == ["/docs/deleted.txt", "/data/deleted-big.bin"]
    assert ext4.recoverable_deleted == ext4.deleted  # debugfs rm keeps the extents
    assert len(ext4.files["/data/big.bin"]) >= 300 * 1024
    assert "/docs/file with space.txt" in ext4.files
    assert any(ord(c) > 127 for p in ext4.files for c in p)
    assert ext4.symlinks == {"/link-to-readme": "docs/readme.txt"}
    assert ext4.size <= 8 * images.MiB
    check_image(ext4)


@pytest.mark.parametrize("bits", [12, 16, 32])
def test_fat(tmp_path: Path, bits: int) -> None:
    img = _build(images.build_fat, tmp_path, fat_bits=bits)
    assert img.kind == f"fat{bits}"
    assert img.deleted == ["/Documents/Deleted Long Name.txt"]
    assert img.recoverable_deleted == img.deleted
    assert "/Documents/Long File Name Report.txt" in img.files
    assert "/Documents/Sub Folder/nested.bin" in img.files
    fs_type = _tool("fsstat", img.path).decode() if images._which("fsstat") else f"FAT{bits}"
    assert f"FAT{bits}" in fs_type
    check_image(img)


def test_ntfs(tmp_path: Path) -> None:
    img = _build(images.build_ntfs, tmp_path)
    assert img.kind == "ntfs"
    if img.metadata.get("limited"):
        assert img.deleted == [] and all(p.count("/") == 1 for p in img.files)
    else:
        assert img.deleted == ["/Documents/deleted.txt", "/Documents/deleted-big.bin"]
        assert img.recoverable_deleted == img.deleted
        assert "/Documents/Sub Dir/nested.txt" in img.files
        assert img.streams == ["/Documents/report.txt:Zone.Identifier", "/readme.txt:hidden"]
    check_image(img)


# --------------------------------------------------------------------------
# volume systems
# --------------------------------------------------------------------------


def test_mbr(tmp_path: Path) -> None:
    img = _build(images.build_mbr, tmp_path)
    assert img.kind == "mbr"
    assert img.partitions == [1 * images.MiB, 4 * images.MiB]
    assert [v.kind for v in img.volumes] == ["fat16", "ext4"]
    parts = mmls(img)
    assert [(s, n) for s, n, _ in parts] == [(2048, 6144), (8192, 8192)]
    assert "FAT16 (0x06)" in parts[0][2] and "Linux (0x83)" in parts[1][2]
    # Only the partition images end up in the disk (intermediates are removed).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mbr.img"]
    assert "/FAT/Documents/Deleted Long Name.txt" in img.deleted
    check_image(img)


@pytest.mark.parametrize("tool", ["sgdisk", "sfdisk"])
def test_gpt(tmp_path: Path, tool: str) -> None:
    img = _build(images.build_gpt, tmp_path, tool=tool)
    assert img.kind == "gpt"
    assert img.partitions == [1 * images.MiB, 4 * images.MiB]
    parts = mmls(img)
    assert [(s, n, d) for s, n, d in parts] == [(2048, 6144, "FATDATA"), (8192, 8192, "LINUX")]
    check_image(img)


# --------------------------------------------------------------------------
# containers: split raw and E01
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("style", "suffixes"), [("numeric", ["001", "002"]), ("aa", ["aa", "ab"])])
def test_split(tmp_path: Path, ext4: BuiltImage, style: str, suffixes: list[str]) -> None:
    img = _build(images.build_split, tmp_path, ext4, style=style)
    assert img.kind == "split"
    assert [p.suffix[1:] for p in img.segments[:2]] == suffixes
    assert len(img.segments) == ext4.size // images.MiB
    assert all(p.stat().st_size == images.MiB for p in img.segments)
    joined = b"".join(p.read_bytes() for p in img.segments)
    assert joined == ext4.path.read_bytes()
    assert img.md5 == hashlib.md5(joined).hexdigest()
    check_image(img)  # fls/icat given all the segments


@pytest.mark.ewf
def test_e01(tmp_path: Path, ext4: BuiltImage) -> None:
    img = _build(images.build_e01, tmp_path, ext4)
    assert img.kind == "e01"
    assert [p.suffix for p in img.segments[:2]] == [".E01", ".E02"]
    assert img.md5 == hashlib.md5(ext4.path.read_bytes()).hexdigest()
    out = _tool("ewfverify", "-q", img.path).decode()
    assert "SUCCESS" in out and img.md5 in out
    info = _tool("ewfinfo", img.path).decode()
    assert "CASE-2023-0042" in info and "Fixture Examiner" in info and img.md5 in info
    check_image(img)


# --------------------------------------------------------------------------
# hostile names and a Windows-like volume
# --------------------------------------------------------------------------


@pytest.mark.parametrize("invalid_utf8", [False, True])
def test_hostile_names(tmp_path: Path, invalid_utf8: bool) -> None:
    img = _build(images.build_hostile_names, tmp_path, invalid_utf8=invalid_utf8)
    names = set(img.files)
    for n in [
        "..\\..\\evil.txt",
        "...",
        "CON",
        "aux.txt",
        "ctrl\x01char.txt",
        "tab\there.txt",
        "new\nline.txt",
        "sub/..\\..\\..\\escape.txt",
    ]:
        assert "/" + n in names
    assert "/" + unicodedata.normalize("NFC", "café.txt") in names
    assert "/" + unicodedata.normalize("NFD", "café.txt") in names
    assert any(len(os.fsencode(p[1:])) == 255 for p in names)
    assert len(set(img.files.values())) == len(img.files)  # distinct content
    if invalid_utf8:
        assert "/bad\udcff.txt" in names
    check_image(img)


def test_windows_layout(tmp_path: Path) -> None:
    img = _build(images.build_windows_layout, tmp_path)
    files = img.files
    for p in [
        "/Users/alice/NTUSER.DAT",
        "/Windows/System32/config/SOFTWARE",
        "/Windows/System32/winevt/Logs/Security.evtx",
        "/Users/alice/AppData/Local/Google/Chrome/User Data/Default/History",
    ]:
        assert p in files
    assert files["/Users/alice/NTUSER.DAT"][:4] == b"regf"
    assert files["/Windows/System32/winevt/Logs/Security.evtx"][:8] == b"ElfFile\x00"
    assert img.deleted == ["/Users/alice/Documents/secret_plan.txt"]
    if img.kind == "ntfs":
        assert img.streams == ["/Users/alice/Downloads/invoice.pdf:Zone.Identifier"]
    else:
        assert img.kind == "ext4" and img.metadata["fallback"]
    check_image(img)
    # The browser history really is a SQLite database, read back through icat.
    entry = next(e for e in fls(img, 0) if e.path.endswith("Default/History"))
    db = tmp_path / "History"
    db.write_bytes(icat(img, 0, entry.addr))
    con = sqlite3.connect(db)
    try:
        assert con.execute("select count(*) from urls").fetchone()[0] >= 3
    finally:
        con.close()


# --------------------------------------------------------------------------
# determinism, missing tools
# --------------------------------------------------------------------------


@pytest.mark.parametrize("builder", ["build_ext4", "build_fat", "build_mbr", "build_hostile_names"])
def test_deterministic(tmp_path: Path, builder: str) -> None:
    a = _build(getattr(images, builder), tmp_path / "a")
    b = _build(getattr(images, builder), tmp_path / "b")
    assert a.path.read_bytes() == b.path.read_bytes()


def test_tool_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr("triage.testing.images.base._SBIN_DIRS", ())
    with pytest.raises(ToolMissing) as exc:
        images.require_tools("mke2fs")
    assert exc.value.tool == "mke2fs"
    with pytest.raises(ToolMissing):
        images.build_ext4(tmp_path)
    with pytest.raises(ToolMissing):
        images.build_fat(tmp_path)


def test_run_reports_stderr(tmp_path: Path) -> None:
    _need("mke2fs")
    with pytest.raises(RuntimeError, match="mke2fs"):
        images._run(["mke2fs", "-q", "-F", str(tmp_path / "missing-dir" / "x.img"), "1k"])


# --------------------------------------------------------------------------
# sample content
# --------------------------------------------------------------------------


def test_sample_pdf_xref_is_exact() -> None:
    pdf = images.sample_pdf(["Hello (world)", "back\\slash"])
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    startxref = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    assert pdf[startxref:].startswith(b"xref")
    rows = pdf[startxref:].split(b"\n")[3:]
    for num, row in enumerate(rows[:6], 1):
        off = int(row.split()[0])
        assert pdf[off:].startswith(f"{num} 0 obj".encode())


def test_sample_archives_and_docx() -> None:
    with zipfile.ZipFile(io.BytesIO(images.sample_docx(["Hi"]))) as z:
        assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml"} <= set(z.namelist())
        assert b"Hi" in z.read("word/document.xml")
    with zipfile.ZipFile(io.BytesIO(images.sample_zip({"a.txt": b"A"}))) as z:
        assert z.read("a.txt") == b"A"
    with tarfile.open(fileobj=io.BytesIO(images.sample_targz({"d/b.txt": b"B"}))) as t:
        member = t.extractfile("d/b.txt")
        assert member is not None and member.read() == b"B"


def test_sample_images_decode() -> None:
    png = images.sample_png(16, 8, seed=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos = 8
    while pos < len(png):  # every chunk CRC is right
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, data = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        assert struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])[0] == zlib.crc32(kind + data)
        pos += 12 + length
    jpeg = images.sample_jpeg(64, 48, seed=3, exif={"make": "Canon", "gps": (51.5, -0.12)})
    assert jpeg[:3] == b"\xff\xd8\xff" and jpeg[-2:] == b"\xff\xd9" and b"Exif\x00\x00" in jpeg
    pil = pytest.importorskip("PIL.Image")
    for data, fmt in [(png, "PNG"), (jpeg, "JPEG")]:
        im = pil.open(io.BytesIO(data))
        im.load()
        assert im.format == fmt
    im = pil.open(io.BytesIO(jpeg))
    assert im.size == (64, 48)
    assert im.getexif()[0x010F] == "Canon"


def test_sample_windows_artifacts() -> None:
    hive = images.sample_registry_hive()
    assert hive[:4] == b"regf" and hive[4096:4100] == b"hbin" and len(hive) == 8192
    csum = 0
    for (dword,) in struct.iter_unpack("<I", hive[:508]):
        csum ^= dword
    assert struct.unpack("<I", hive[508:512])[0] == csum
    assert hive[4096 + 32 + 4 : 4096 + 32 + 6] == b"nk"
    evtx = images.sample_evtx()
    assert evtx[:8] == b"ElfFile\x00"
    assert struct.unpack("<I", evtx[124:128])[0] == zlib.crc32(evtx[:120])


# --------------------------------------------------------------------------
# the demo image
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> BuiltImage:
    return _build(images.build_demo, tmp_path_factory.mktemp("demo") / "demo.raw")


def test_demo_builds_deterministically(demo: BuiltImage, tmp_path: Path) -> None:
    again = _build(images.build_demo, tmp_path)
    assert again.path.read_bytes() == demo.path.read_bytes()
    assert demo.size == 8 * images.MiB
    assert [v.kind for v in demo.volumes] == ["fat16", "ext4"]
    check_image(demo)


def test_demo_content(demo: BuiltImage) -> None:
    files, dead = demo.files, demo.deleted_content
    assert any(images.NIGHTJAR in d for d in files.values())
    assert any(images.NIGHTJAR in d for d in dead.values())
    contacts = files["/home/alice/contacts.txt"]
    assert b"someone@gmail.com" in contacts and b"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2" in contacts
    assert files["/Pictures/holiday.jpg"][:4] == b"PK\x03\x04"  # the lying extension
    assert files["/Documents/Quarterly Report.pdf"][:5] == b"%PDF-"
    assert files["/DCIM/100CANON/IMG_0001.JPG"][:2] == b"\xff\xd8"
    assert files["/home/alice/Pictures/cat.png"][:4] == b"\x89PNG"
    assert files["/home/alice/Downloads/backup.tar.gz"][:2] == b"\x1f\x8b"
    assert [v.deleted for v in demo.volumes] == [
        ["/Documents/Deleted Meeting Minutes.txt", "/Documents/Old Draft Letter.txt"],
        ["/home/alice/Documents/resignation draft.txt", "/home/alice/Documents/plans.txt"],
    ]
    assert demo.recoverable_deleted == demo.deleted


def test_committed_demo_matches_builder(demo: BuiltImage) -> None:
    """examples/demo.raw holds what build_demo describes (checked with fls/icat)."""
    if not DEMO.is_file():
        pytest.skip("examples/demo.raw not generated")
    assert DEMO.stat().st_size <= 12 * images.MiB
    committed = BuiltImage(
        path=DEMO, segments=[DEMO], kind="mbr", partitions=demo.partitions, volumes=demo.volumes
    )
    for vol in demo.volumes:
        check_volume(committed, vol)


def test_make_demo_script(tmp_path: Path) -> None:
    _need("mke2fs", "debugfs", "mkfs.fat", "mcopy", "sfdisk")
    out = tmp_path / "d.raw"
    script = REPO / "examples" / "make_demo.py"
    proc = subprocess.run(
        [sys.executable, str(script), "--out", str(out)], capture_output=True, text=True, check=False
    )
    if proc.returncode == 2:
        pytest.skip(proc.stderr)
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size == 8 * images.MiB
    assert "sha256" in proc.stdout
