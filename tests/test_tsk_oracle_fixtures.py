"""TSK oracle over generated fixtures, and proof that scanning never writes to evidence."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import fixtures as images
import pytest
from conftest import run_triage
from fixtures import BuiltImage, ToolMissing
from oracle import check_against_tsk

from triage.evidence.names import display_bytes, os_name


def _sha256_segments(img: BuiltImage) -> list[str]:
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in img.segments]


BUILDERS: dict[str, Callable[[Path], BuiltImage]] = {
    "ext4": images.build_ext4,
    "fat12": lambda d: images.build_fat(d, 12),
    "fat16": lambda d: images.build_fat(d, 16),
    "fat32": lambda d: images.build_fat(d, 32),
    "ntfs": images.build_ntfs,
    "mbr": images.build_mbr,
    "gpt": images.build_gpt,
    "split": lambda d: images.build_split(d, images.build_ext4(d / "base")),
    "split-aa": lambda d: images.build_split(d, images.build_fat(d / "base", 16), style="aa"),
    "e01": lambda d: images.build_e01(d, images.build_ntfs(d / "base")),
    "hostile": images.build_hostile_names,
    "hostile-utf8": lambda d: images.build_hostile_names(d, invalid_utf8=True),
    "lossless": images.build_lossless_names,
}


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_fixture_inventory_matches_tsk(kind: str, tmp_path: Path) -> None:
    try:
        img = BUILDERS[kind](tmp_path / "img")
    except ToolMissing as exc:
        pytest.skip(str(exc))
    before = _sha256_segments(img)
    case = tmp_path / "case"
    proc = run_triage("scan", str(img.path), "--case", str(case), "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(x) for x in run_triage("files", str(case), "--json").stdout.splitlines()]
    counts = check_against_tsk(img.path, records)
    assert counts["hashed"] >= len(img.files) // 2

    by_path: dict[str, list[dict]] = {}  # by the path's bytes (os.fsdecode form, as the fixture's keys)
    for r in records:
        by_path.setdefault(os_name(display_bytes(r["path"])), []).append(r)
    expected_offsets = sorted(set(img.partitions))
    assert sorted({r["partition_offset"] for r in records}) == expected_offsets
    for path, content in img.files.items():
        hits = [r for r in by_path.get(path, []) if not r["deleted"]]
        assert hits, f"{path} missing from the inventory"
        assert hits[0]["sha256"] == hashlib.sha256(content).hexdigest(), path
    for path in img.deleted:
        assert any(r["deleted"] for r in by_path.get(path, [])), f"deleted {path} not reported as deleted"
    for path, content in img.deleted_content.items():
        hit = next(r for r in by_path[path] if r["deleted"])
        assert hit["sha256"] == hashlib.sha256(content).hexdigest(), path
    for stream in img.streams:
        assert stream in by_path, f"data stream {stream} missing"
        if stream in img.stream_content:
            assert by_path[stream][0]["sha256"] == hashlib.sha256(img.stream_content[stream]).hexdigest()
    assert _sha256_segments(img) == before, "the evidence changed during the scan"


def test_ewf_metadata_is_recorded(tmp_path: Path) -> None:
    try:
        img = images.build_e01(tmp_path / "img")
    except ToolMissing as exc:
        pytest.skip(str(exc))
    assert len(img.segments) >= 2
    info = json.loads(run_triage("info", str(img.path), "--json", "--verify").stdout)
    assert info["metadata"]["stored_hashes"]["md5"] == img.md5
    assert info["metadata"]["headers"]["case_number"] == "CASE-2023-0042"
    assert info["verification"]["verified"] is True
    case = tmp_path / "case"
    assert run_triage("scan", str(img.path), "--case", str(case)).returncode == 0
    from triage.case import Case

    with Case.open(case, readonly=True) as c:
        ev = c.evidence()[0]
        assert ev["format"] == "ewf"
        assert ev["md5"] == img.md5
        assert len(ev["segments"]) == len(img.segments)
        actions = [a.action for a in c.audit_log()]
        assert actions[:2] == ["case.created", "evidence.added"]
        assert "scan.finished" in actions


def test_scan_verify_records_result_and_detects_tampering(tmp_path: Path) -> None:
    try:
        img = images.build_e01(tmp_path / "img")
    except ToolMissing as exc:
        pytest.skip(str(exc))
    ok = run_triage("scan", str(img.path), "--case", str(tmp_path / "ok"), "--verify")
    assert ok.returncode == 0, ok.stderr
    assert "stored hashes verified" in ok.stderr
    from triage.case import Case

    with Case.open(tmp_path / "ok", readonly=True) as c:  # --verify is what every scan does now
        event = next(a for a in c.audit_log() if a.action == "evidence.hashed")
        assert event.details["md5"] == img.md5 and event.details["verified"] == "passed"
    # Flip one byte of stored file content (uncompressed E01) in a copy: verification must fail.
    # (libewf zeroes a chunk whose checksum fails, so the flip must land in non-zero data to change the hash.)
    copy_dir = tmp_path / "tampered"
    copy_dir.mkdir()
    copies = []
    for seg in img.segments:
        dst = copy_dir / seg.name
        dst.write_bytes(seg.read_bytes())
        copies.append(dst)
    needle = next(c for c in img.files.values() if len(c) > 64 and len(set(c)) > 8)[:32]
    target = next(p for p in copies if needle in p.read_bytes())
    data = bytearray(target.read_bytes())
    data[data.index(needle) + 5] ^= 0xFF
    target.write_bytes(bytes(data))
    bad = run_triage("scan", str(copies[0]), "--case", str(tmp_path / "bad"), "--verify")
    assert bad.returncode in (1, 3), bad.stderr
    assert "Traceback" not in bad.stderr
    assert "VERIFICATION FAILED" in bad.stderr and "damaged media bytes" in bad.stderr
