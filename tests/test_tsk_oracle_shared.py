"""TSK oracle over the public reference images in ../shared/testdata (skipped when absent)."""

from __future__ import annotations

import gzip
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from conftest import SHARED, require_tools, run_triage
from oracle import check_against_tsk

IMAGES = [
    "image.dd",
    "image.E01",
    "image.raw",
    "ext2.E01",
    "dfvfs-image.E01",
    "image-split.E01",
    "tsk_volume_system.raw",
    "imageformat_mmls_1.E01",
    "test.ntfs.dd.E01",
    "hfsplus.raw",
    "iso9660.raw",
    "exfat.bin",
    "ext4.bin",
    "gpt-512-3p.raw",
    "fat12.raw.gz",
    "fat32_full_test.tgz",
    "fat_deleted_dir_2.raw.gz",
    "ntfs-lastaccess.raw.gz",
]


def _materialise(name: str, tmp: Path) -> Path:
    src = SHARED / "images" / name
    if not src.exists():
        pytest.skip(f"{src} not present")
    if name.endswith(".gz") and not name.endswith(".tgz"):
        out = tmp / name[:-3]
        with gzip.open(src) as fin, open(out, "wb") as fout:
            shutil.copyfileobj(fin, fout)
        return out
    if name.endswith(".tgz"):
        with tarfile.open(src) as tar:
            tar.extractall(tmp, filter="data")
        raws = sorted(tmp.rglob("*.raw")) or sorted(p for p in tmp.rglob("*") if p.is_file())
        return raws[0]
    return src


@pytest.mark.shared
@pytest.mark.parametrize("name", IMAGES)
def test_inventory_matches_fls_and_icat(name: str, tmp_path: Path) -> None:
    require_tools("fls", "icat")
    image = _materialise(name, tmp_path)
    case = tmp_path / "case"
    proc = run_triage("scan", str(image), "--case", str(case), "--workers", "1", "--json")
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    files = run_triage("files", str(case), "--json")
    assert files.returncode == 0, files.stderr
    records = [json.loads(line) for line in files.stdout.splitlines()]
    counts = check_against_tsk(image, records)
    has_fs = any(r["type"] == "r" for r in records)
    if has_fs:
        assert counts["files"] > 0
        assert counts["hashed"] > 0


@pytest.mark.shared
def test_deleted_and_orphan_entries_of_image_raw() -> None:
    """image.raw: orphan inode 13, passwords.txt~ and .another_file.swp are deleted entries."""
    require_tools("fls")
    src = SHARED / "images" / "image.raw"
    if not src.exists():
        pytest.skip("reference image absent")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        case = Path(tmp) / "case"
        assert run_triage("scan", str(src), "--case", str(case), "--workers", "1").returncode == 0
        recs = {
            r["path"]: r
            for r in map(json.loads, run_triage("files", str(case), "--json").stdout.splitlines())
        }
    assert recs["/$OrphanFiles/OrphanFile-13"]["deleted"] is True
    assert recs["/$OrphanFiles/OrphanFile-13"]["orphan"] is True
    assert recs["/passwords.txt~"]["deleted"] is True
    assert recs["/a_directory/.another_file.swp"]["deleted"] is True
    assert recs["/passwords.txt"]["deleted"] is False
    assert recs["/passwords.txt"]["sha256"] is not None


@pytest.mark.shared
def test_ewf_stored_hash_and_verify() -> None:
    src = SHARED / "images" / "image.E01"
    if not src.exists():
        pytest.skip("reference image absent")
    proc = run_triage("info", str(src), "--verify", "--json")
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert info["format"] == "ewf"
    assert info["metadata"]["stored_hashes"]["md5"] == "3ebb0b7dcd6b5fcd59a0020625d70994"
    assert info["verification"]["computed"]["md5"] == "3ebb0b7dcd6b5fcd59a0020625d70994"
    assert info["verification"]["verified"] is True


@pytest.mark.shared
def test_two_segment_ewf_layout() -> None:
    src = SHARED / "images" / "image-split.E01"
    if not src.exists():
        pytest.skip("reference image absent")
    info = json.loads(run_triage("info", str(src), "--json").stdout)
    assert len(info["segments"]) == 2
    assert info["volume_system"] == "MBR"
    offsets = {p["offset"]: p["fs_type"] for p in info["partitions"]}
    assert offsets[352 * 512] == "ext2"
