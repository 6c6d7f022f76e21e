"""Damage is located, not hidden: an E01 written with ewfacquire, one byte flipped inside a chunk
that holds a file's data. Oracles: the file's blocks from ``istat`` on the raw source, the chunk
table read here with ``struct``, ``ewfverify``, ``icat`` for every other file. Also short images.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest
from casedb import one
from fixtures import (
    BuiltImage,
    build_e01,
    build_ext4,
    build_mbr,
    build_ntfs,
    build_split,
    make_ext4,
    tsk_cat,
)

from tests.conftest import require_tools, run_triage

CHUNK = 64 * 512  # ewfacquire's default: 64 sectors per chunk


def _chunks(segments: list[Path]) -> list[tuple[Path, int, int, bool]]:
    """Every chunk of an EWF-E01 set: (segment, absolute offset, stored size, compressed), in media order."""
    out = []
    for seg in segments:
        data = seg.read_bytes()
        off, sectors_end = 13, 0
        while True:
            kind, nxt, size = struct.unpack_from("<16sQQ", data, off)
            kind = kind.rstrip(b"\0")
            if kind == b"sectors":
                sectors_end = off + size
            if kind == b"table":
                n, base = struct.unpack_from("<I4xQ", data, off + 76)
                entries = struct.unpack_from(f"<{n}I", data, off + 100)
                starts = [(e & 0x7FFFFFFF) + base for e in entries] + [sectors_end]
                out += [(seg, starts[i], starts[i + 1] - starts[i], bool(entries[i] >> 31)) for i in range(n)]
            if kind in (b"next", b"done"):
                break
            off = nxt
    return out


def _blocks(raw: Path, inode: int, offset: int = 0) -> list[int]:
    """The data units of a file's (unnamed) data, as istat lists them (ext: blocks, NTFS: clusters)."""
    text = subprocess.run(
        ["istat", "-o", str(offset // 512), str(raw), str(inode)], capture_output=True, text=True, check=True
    ).stdout
    if "Direct Blocks:" in text:
        tail = text.split("Direct Blocks:", 1)[1].split("Indirect Blocks", 1)[0]
    else:  # NTFS: the unnamed, non-resident $DATA attribute
        m = re.search(r"Type: \$DATA \(128-\d+\)\s+Name: N/A\s+Non-Resident[^\n]*\n((?:[\d ]+\n)+)", text)
        tail = m[1] if m else ""
    return [int(b) for b in re.findall(r"\d+", tail)]


def _unit(raw: Path, offset: int = 0) -> int:
    fsstat = subprocess.run(
        ["fsstat", "-o", str(offset // 512), str(raw)], capture_output=True, text=True, check=True
    ).stdout
    return int(re.search(r"(?:Block|Cluster) Size: (\d+)", fsstat)[1])  # type: ignore[index]


def _regular_files(raw: Path, offset: int = 0) -> dict[str, int]:
    """path -> inode of every regular file fls lists (allocated and deleted; no named streams)."""
    text = subprocess.run(
        ["fls", "-r", "-p", "-o", str(offset // 512), str(raw)], capture_output=True, text=True, check=True
    ).stdout
    out = {}
    for line in text.splitlines():
        m = re.match(r"r/r (\* )?(\d+)(?:-128-\d+)?:\t([^:]*)$", line)
        if m:
            out["/" + m[3]] = int(m[2])
    return out


def _md5s(paths: list[Path]) -> str:
    return subprocess.run(["md5sum", *map(str, paths)], capture_output=True, text=True, check=True).stdout


def _files(case: Path) -> dict[str, dict[str, Any]]:
    proc = run_triage("files", str(case), "--json")
    return {r["path"]: r for r in map(json.loads, proc.stdout.splitlines())}


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> BuiltImage:
    require_tools("ewfacquire", "ewfverify", "istat", "fls", "icat")
    return build_ext4(tmp_path_factory.mktemp("src"), name="src.img")


@pytest.fixture(scope="module")
def text_source(tmp_path_factory: pytest.TempPathFactory) -> BuiltImage:
    """Compressible file data, so that ``ewfacquire -c best`` stores its chunks compressed."""
    require_tools("ewfacquire", "ewfverify", "istat", "fls", "icat")
    lines = b"".join(b"line %06d of the compressible report\n" % i for i in range(6000))
    tree = {"/docs/report.txt": lines, "/docs/readme.txt": b"small\n", "/notes.txt": lines[:5000]}
    return make_ext4(tmp_path_factory.mktemp("text") / "text.img", tree)


def _expected_damage(raw: BuiltImage, chunk: int, offset: int = 0) -> dict[str, tuple[int, int]]:
    """path -> (first, last) content byte lying in media chunk ``chunk`` (file system at byte ``offset``)."""
    bs = _unit(raw.path, offset)
    lo, hi = chunk * CHUNK, (chunk + 1) * CHUNK
    out = {}
    for path, inode in _regular_files(raw.path, offset).items():
        size = len(tsk_cat(raw.path, str(inode), offset))
        spans = [
            (i * bs, min((i + 1) * bs, size))
            for i, b in enumerate(_blocks(raw.path, inode, offset))
            if lo <= offset + b * bs < hi and i * bs < size
        ]
        if spans:
            out[path] = (min(s for s, _ in spans), max(e for _, e in spans) - 1)
    return out


def _pick_chunk(
    raw: BuiltImage, chunks: list[tuple[Path, int, int, bool]], compressed: bool, offset: int = 0
) -> int:
    """A chunk with the wanted storage that holds non-zero file data and no file system metadata:
    each of its data units belongs to a regular file (istat) or is all zeros (free)."""
    data = raw.path.read_bytes()
    bs = _unit(raw.path, offset)
    inodes = _regular_files(raw.path, offset)
    owned = {b for inode in inodes.values() for b in _blocks(raw.path, inode, offset)}
    for path in sorted(raw.files, key=lambda p: -len(raw.files[p])):
        if path not in inodes or not raw.files[path]:
            continue
        for b in _blocks(raw.path, inodes[path], offset):
            c = (offset + b * bs) // CHUNK
            units = range((c * CHUNK - offset) // bs, ((c + 1) * CHUNK - offset) // bs)
            if (
                chunks[c][3] == compressed
                and any(data[c * CHUNK : (c + 1) * CHUNK])
                and all(x in owned or not any(data[offset + x * bs : offset + (x + 1) * bs]) for x in units)
            ):
                return c
    pytest.skip(f"no {'compressed' if compressed else 'uncompressed'} chunk holds only file data")


def _flip_and_scan(
    raw: BuiltImage, tmp_path: Path, compression: str, offset: int = 0, fs_path_prefix: str = ""
) -> None:
    """Acquire ``raw``, flip one byte in a chunk of file data, scan, and check every outcome."""
    e01 = build_e01(tmp_path / "e01", raw, compression=compression, name="img")
    chunks = _chunks(e01.segments)
    assert len(chunks) == raw.path.stat().st_size // CHUNK
    chunk = _pick_chunk(raw, chunks, compressed=compression == "best", offset=offset)
    seg, at, stored, _ = chunks[chunk]
    data = bytearray(seg.read_bytes())
    data[at + stored // 2] ^= 0xFF
    seg.write_bytes(bytes(data))
    verify = subprocess.run(["ewfverify", "-q", str(e01.path)], capture_output=True, text=True)
    assert verify.returncode != 0 and "validation error" in verify.stdout + verify.stderr  # ewfverify agrees
    expected = {fs_path_prefix + p: v for p, v in _expected_damage(raw, chunk, offset).items()}
    assert expected

    before = _md5s(e01.segments)
    case = tmp_path / "case"
    proc = run_triage("scan", str(e01.path), "--case", str(case), "--workers", "1")
    assert _md5s(e01.segments) == before  # the image is not changed by the scan
    assert proc.returncode == 1, proc.stderr
    files = _files(case)
    inodes = {fs_path_prefix + p: i for p, i in _regular_files(raw.path, offset).items()}
    for path, (first, last) in expected.items():
        assert f"damaged file: {path}" in proc.stderr
        rec = files[path]
        assert rec["status"] == "damaged", rec
        assert rec["partition_offset"] == offset
        assert rec["damage"] == [
            {
                "start": chunk * CHUNK,
                "length": CHUNK,
                "file_offset": first,
                "file_length": last - first + 1,
                "reason": rec["damage"][0]["reason"],
            }
        ]
        assert f"EWF chunk {chunk} in {seg.name}" in rec["damage"][0]["reason"]
    for path, rec in files.items():
        if (
            rec["type"] != "r"
            or path in expected
            or rec["status"] == "skipped"
            or rec["partition_offset"] != offset
            or path not in inodes
        ):
            continue
        assert rec["status"] == "done", rec
        assert rec["sha256"] == hashlib.sha256(tsk_cat(raw.path, str(inodes[path]), offset)).hexdigest(), path
    errors = run_triage("errors", str(case)).stdout
    assert f"damaged media bytes {chunk * CHUNK}-{(chunk + 1) * CHUNK - 1}" in errors
    for path in expected:
        assert re.search(rf"evidence: {re.escape(path)}: damaged: content bytes", errors)
    with_damage = sorted(p for p, r in files.items() if r["damage"])
    assert with_damage == sorted(expected)


@pytest.mark.parametrize("compression", ["none", "best"])
def test_flipped_byte_in_a_chunk_marks_the_file_damaged(
    source: BuiltImage, text_source: BuiltImage, tmp_path: Path, compression: str
) -> None:
    _flip_and_scan(source if compression == "none" else text_source, tmp_path, compression)


def test_damage_in_a_partition_of_a_disk(tmp_path: Path) -> None:
    """MBR disk: the damaged range is placed through the partition offset (ext4 at 4 MiB)."""
    require_tools("ewfacquire", "ewfverify", "istat", "fls", "icat")
    disk = build_mbr(tmp_path / "disk")
    _flip_and_scan(disk, tmp_path, "none", offset=disk.partitions[1])


def test_damage_in_ntfs_file_data(tmp_path: Path) -> None:
    require_tools("ewfacquire", "ewfverify", "istat", "fls", "icat", "mkntfs")
    _flip_and_scan(build_ntfs(tmp_path / "ntfs"), tmp_path, "none")


@pytest.fixture
def damaged_case(source: BuiltImage, tmp_path: Path) -> tuple[Path, Path, str]:
    e01 = build_e01(tmp_path / "e01", source, compression="none", name="img")
    chunks = _chunks(e01.segments)
    chunk = _pick_chunk(source, chunks, compressed=False)
    seg, offset, stored, _ = chunks[chunk]
    data = bytearray(seg.read_bytes())
    data[offset + 100] ^= 0xFF
    seg.write_bytes(bytes(data))
    case = tmp_path / "case"
    assert run_triage("scan", str(e01.path), "--case", str(case), "--workers", "1").returncode == 1
    path = next(iter(_expected_damage(source, chunk)))
    return e01.path, case, path


def test_resume_leaves_damaged_files_alone_and_still_exits_1(damaged_case: tuple[Path, Path, str]) -> None:
    image, case, path = damaged_case
    before = _files(case)
    proc = run_triage("scan", str(image), "--case", str(case), "--workers", "1", "--resume")
    assert proc.returncode == 1
    assert f"damaged file: {path}" in proc.stderr
    after = _files(case)
    assert {p: r["status"] for p, r in after.items()} == {p: r["status"] for p, r in before.items()}
    assert not any(r["status"] == "pending" for r in after.values())
    assert after[path]["status"] == "damaged"


def test_export_of_a_damaged_file_says_so(damaged_case: tuple[Path, Path, str], tmp_path: Path) -> None:
    image, case, path = damaged_case
    request = Path(__file__).resolve().parents[1] / "examples" / "request.toml"
    out = tmp_path / "bundle"
    proc = run_triage("export", str(case), "--out", str(out), "--select", "all", "--request", str(request))
    assert proc.returncode == 0, proc.stderr
    data = out / "data"
    rows = (data / "inventory" / "artifacts.csv").read_text(encoding="utf-8").splitlines()
    row = next(r for r in rows if f",{path}," in r)
    assert "DAMAGED: content bytes" in row
    cover = json.loads((data / "cover-sheet" / "cover-sheet.json").read_text(encoding="utf-8"))
    exhibit = cover["exhibits"][0]
    assert exhibit["damaged_media_ranges"] and "DIFFER" in exhibit["verification"]
    assert exhibit["evidence_hashes"]["sha256"] and exhibit["acquisition_hashes"]["md5"]
    assert cover["summary"]["damaged_files"]
    assert "WARNING" in (data / "README.txt").read_text(encoding="utf-8")
    assert "DAMAGED" in (data / "inventory" / "source.dfxml").read_text(encoding="utf-8")
    graph = next((data / "case").glob("*.jsonld")).read_text(encoding="utf-8")
    assert "DAMAGED: content bytes" in graph and "damaged media" in graph


def test_split_set_missing_its_last_segment_is_an_error(tmp_path: Path) -> None:
    disk = build_mbr(tmp_path / "mbr")
    split = build_split(tmp_path / "split", disk, segment_size=1 << 20)
    split.segments[-1].unlink()
    case = tmp_path / "case"
    proc = run_triage("scan", str(split.path), "--case", str(case), "--workers", "1")
    assert proc.returncode == 1
    missing = (1 << 20) - 0  # one segment of 1 MiB
    assert (
        f"runs past the end of the image ({disk.size - missing} bytes): its last {missing} bytes are missing"
        in proc.stderr
    )
    assert "missing last segment" in run_triage("errors", str(case)).stdout
    again = run_triage("scan", str(split.path), "--case", str(case), "--workers", "1", "--resume")
    assert again.returncode == 1  # still short: never a silent 0


def test_bare_file_system_cut_short_is_an_error(source: BuiltImage, tmp_path: Path) -> None:
    split = build_split(tmp_path / "split", source, segment_size=1 << 20)
    split.segments[-1].unlink()
    proc = run_triage("scan", str(split.path), "--case", str(tmp_path / "case"), "--workers", "1")
    assert proc.returncode == 1
    assert "ext4 file system at byte 0 needs" in proc.stderr and "bytes are missing" in proc.stderr


def test_partition_starting_past_the_end_is_an_error(tmp_path: Path) -> None:
    disk = build_mbr(tmp_path / "mbr")
    second = disk.partitions[1]
    short = tmp_path / "short.img"
    short.write_bytes(disk.path.read_bytes()[:second])
    proc = run_triage("scan", str(short), "--case", str(tmp_path / "case"), "--workers", "1")
    assert proc.returncode == 1
    assert f"bytes {second}-" in proc.stderr and "starts past the end of the image" in proc.stderr


def test_rescan_locates_the_damage_again_without_duplicates(damaged_case: tuple[Path, Path, str]) -> None:
    image, case, path = damaged_case

    def counts() -> tuple[int, int, int]:
        return (
            one(case, "SELECT COUNT(*) FROM damage")[0],
            one(case, "SELECT COUNT(*) FROM files WHERE status='damaged'")[0],
            one(case, "SELECT COUNT(*) FROM evidence_hashes WHERE finished IS NOT NULL")[0],
        )

    before = counts()
    assert before[0] == 1 and before[1] >= 1 and before[2] == 1
    proc = run_triage("scan", str(image), "--case", str(case), "--workers", "1", "--rescan")
    assert proc.returncode == 1 and f"damaged file: {path}" in proc.stderr
    assert counts() == before
