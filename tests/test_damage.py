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

from tests.conftest import require_tools, run_triage
from triage.testing.images import (
    BuiltImage,
    build_e01,
    build_ext4,
    build_mbr,
    build_split,
    make_ext4,
    tsk_cat,
)

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


def _blocks(raw: Path, inode: int) -> list[int]:
    text = subprocess.run(["istat", str(raw), str(inode)], capture_output=True, text=True, check=True).stdout
    tail = text.split("Direct Blocks:", 1)[1] if "Direct Blocks:" in text else ""
    return [int(b) for b in re.findall(r"\d+", tail.split("Indirect Blocks", 1)[0])]


def _regular_files(raw: Path) -> dict[str, int]:
    """path -> inode of every regular file fls lists (allocated and deleted)."""
    text = subprocess.run(["fls", "-r", "-p", str(raw)], capture_output=True, text=True, check=True).stdout
    out = {}
    for line in text.splitlines():
        m = re.match(r"r/r (\* )?(\d+):\t(.*)$", line)
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


def _expected_damage(raw: BuiltImage, chunk: int) -> dict[str, tuple[int, int]]:
    """path -> (first, last) content byte lying in media chunk ``chunk`` (ext4 block size from fsstat)."""
    fsstat = subprocess.run(["fsstat", str(raw.path)], capture_output=True, text=True, check=True).stdout
    bs = int(re.search(r"Block Size: (\d+)", fsstat)[1])  # type: ignore[index]
    lo, hi = chunk * CHUNK, (chunk + 1) * CHUNK
    out = {}
    for path, inode in _regular_files(raw.path).items():
        size = len(tsk_cat(raw.path, str(inode)))
        spans = [
            (i * bs, min((i + 1) * bs, size))
            for i, b in enumerate(_blocks(raw.path, inode))
            if lo <= b * bs < hi and i * bs < size
        ]
        if spans:
            out[path] = (min(s for s, _ in spans), max(e for _, e in spans) - 1)
    return out


def _pick_chunk(raw: BuiltImage, chunks: list[tuple[Path, int, int, bool]], compressed: bool) -> int:
    """A chunk with the wanted storage that holds non-zero file data and no file system metadata:
    each of its blocks belongs to a regular file (istat) or is all zeros (free)."""
    data = raw.path.read_bytes()
    fsstat = subprocess.run(["fsstat", str(raw.path)], capture_output=True, text=True, check=True).stdout
    bs = int(re.search(r"Block Size: (\d+)", fsstat)[1])  # type: ignore[index]
    inodes = _regular_files(raw.path)
    owned = {b for inode in inodes.values() for b in _blocks(raw.path, inode)}
    per = CHUNK // bs
    for path in sorted(raw.files, key=lambda p: -len(raw.files[p])):
        for b in _blocks(raw.path, inodes[path]) if raw.files[path] else []:
            c = b * bs // CHUNK
            blocks = range(c * per, (c + 1) * per)
            if (
                chunks[c][3] == compressed
                and any(data[c * CHUNK : (c + 1) * CHUNK])
                and all(x in owned or not any(data[x * bs : (x + 1) * bs]) for x in blocks)
            ):
                return c
    pytest.skip(f"no {'compressed' if compressed else 'uncompressed'} chunk holds only file data")


@pytest.mark.parametrize("compression", ["none", "best"])
def test_flipped_byte_in_a_chunk_marks_the_file_damaged(
    source: BuiltImage, text_source: BuiltImage, tmp_path: Path, compression: str
) -> None:
    source = source if compression == "none" else text_source
    e01 = build_e01(tmp_path / "e01", source, compression=compression, name="img")
    chunks = _chunks(e01.segments)
    assert len(chunks) == source.path.stat().st_size // CHUNK
    chunk = _pick_chunk(source, chunks, compressed=compression == "best")
    seg, offset, stored, _ = chunks[chunk]
    data = bytearray(seg.read_bytes())
    data[offset + stored // 2] ^= 0xFF
    seg.write_bytes(bytes(data))
    verify = subprocess.run(["ewfverify", "-q", str(e01.path)], capture_output=True, text=True)
    assert verify.returncode != 0 and "validation error" in verify.stdout + verify.stderr  # ewfverify agrees
    expected = _expected_damage(source, chunk)
    assert expected

    before = _md5s(e01.segments)
    case = tmp_path / "case"
    proc = run_triage("scan", str(e01.path), "--case", str(case), "--workers", "1")
    assert _md5s(e01.segments) == before  # the image is not changed by the scan
    assert proc.returncode == 1, proc.stderr
    files = _files(case)
    inodes = _regular_files(source.path)
    for path, (first, last) in expected.items():
        assert f"damaged file: {path}" in proc.stderr
        rec = files[path]
        assert rec["status"] == "damaged", rec
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
        if rec["type"] != "r" or path in expected or rec["status"] == "skipped":
            continue
        assert rec["status"] == "done", rec
        assert rec["sha256"] == hashlib.sha256(tsk_cat(source.path, str(inodes[path]))).hexdigest(), path
    errors = run_triage("errors", str(case)).stdout
    assert f"damaged media bytes {chunk * CHUNK}-{(chunk + 1) * CHUNK - 1}" in errors
    for path in expected:
        assert re.search(rf"evidence: {re.escape(path)}: damaged: content bytes", errors)
    with_damage = sorted(p for p, r in files.items() if r["damage"])
    assert with_damage == sorted(expected)


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
