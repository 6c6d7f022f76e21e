"""Batch finds images by content, whatever their names: renamed raw images (ext4, FAT, MBR), a
renamed E01 set (grouped by its segment headers), a renamed split set, text files (ignored with
the probe's reason) and a truncated E01 (damaged: reported, exit 1). Real images (mke2fs -d,
mkfs.fat, sfdisk, ewfacquire, split)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from fixtures import build_e01, build_ext4, build_fat, build_mbr, build_split

from triage.batch import discover
from triage.errors import EvidenceError, UsageError
from triage.evidence.image import open_image, resolve_source
from triage.evidence.signatures import probe

E01_NAMES = ("exhibit-7.bin", "exhibit-7.part2", "zz3", "seg-four.dat", "last.img")
SPLIT_NAMES = ("stick.bin.001", "stick.bin.002", "stick.bin.003", "stick.bin.004")
TEXTS = {
    "notes.txt": b"chain of custody: seized 2026-11-30\n",
    "hashes": b"d41d8cd98f00b204e9800998ecf8427e  x\n",
}


def _sha256(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """One folder of renamed images, a renamed E01 set and split set, texts and a truncated E01."""
    build = tmp_path_factory.mktemp("build")
    ev = tmp_path_factory.mktemp("evidence")
    ext4 = build_ext4(build)
    fat = build_fat(build, 16)
    mbr = build_mbr(build)
    shutil.copyfile(ext4.path, ev / "seized.ext4")
    shutil.copyfile(ext4.path, ev / "sda")  # no extension
    shutil.copyfile(fat.path, ev / "card.bin")
    shutil.copyfile(mbr.path, ev / "disk.dat")
    e01 = build_e01(build / "e01", ext4, name="acq")  # 4 MiB, no compression: five 1 MiB segments
    assert len(e01.segments) == len(E01_NAMES)
    for seg, name in zip(e01.segments, E01_NAMES, strict=True):
        shutil.copyfile(seg, ev / name)
    split = build_split(build / "split", ext4, segment_size=1 << 20)
    assert len(split.segments) == len(SPLIT_NAMES)
    for seg, name in zip(split.segments, SPLIT_NAMES, strict=True):
        shutil.copyfile(seg, ev / name)
    whole = build_e01(build / "whole", fat, name="fat", segment_size=64 << 20)  # one segment
    data = whole.segments[0].read_bytes()
    (ev / "broken.E01").write_bytes(data[: len(data) // 2])  # truncated mid-way
    for name, text in TEXTS.items():
        (ev / name).write_bytes(text)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in ev.iterdir()}
    return ev, {"e01_md5": e01.md5, "split_sha256": _sha256(split.segments), "before": before}


def test_probe_names_what_it_sees(folder: tuple[Path, dict[str, object]]) -> None:
    ev, _ = folder
    seen = {
        n: probe(ev / n) for n in ("seized.ext4", "card.bin", "disk.dat", "zz3", "notes.txt", "broken.E01")
    }
    assert seen["seized.ext4"].what == "ext2/3/4 file system"
    assert seen["card.bin"].what == "FAT16 file system"
    assert seen["disk.dat"].what.startswith("MBR partition table (")
    assert seen["zz3"].ewf is not None and seen["zz3"].ewf.number == 3 and seen["zz3"].ewf.last is False
    assert seen["notes.txt"].what == "ASCII text, no image signature" and not seen["notes.txt"].is_image
    assert seen["broken.E01"].kind == "ewf" and "truncated" in str(seen["broken.E01"].damage)


def test_every_image_found_whatever_its_name(folder: tuple[Path, dict[str, object]]) -> None:
    ev, facts = folder
    found = discover([str(ev)])
    jobs = {j.path.name: j for j in found.jobs}
    assert sorted(jobs) == sorted(
        ["seized.ext4", "sda", "card.bin", "disk.dat", E01_NAMES[0], SPLIT_NAMES[0]]
    )
    e01 = jobs[E01_NAMES[0]].source
    assert (e01.format, [p.name for p in e01.segments]) == ("ewf", list(E01_NAMES))
    split = jobs[SPLIT_NAMES[0]].source
    assert (split.format, [p.name for p in split.segments]) == ("split", list(SPLIT_NAMES))
    assert {jobs[n].source.format for n in ("seized.ext4", "sda", "card.bin", "disk.dat")} == {"raw"}
    # the renamed E01 set opens through libewf under its new names: the MD5 ewfacquire stored
    image = open_image(e01)
    try:
        assert image.metadata["stored_hashes"]["md5"] == facts["e01_md5"]
        assert hashlib.md5(image.read(0, image.size)).hexdigest() == facts["e01_md5"]
    finally:
        image.close()
    ignored = {Path(i["path"]).name: i["reason"] for i in found.ignored}
    assert ignored == {
        "notes.txt": "ASCII text, no image signature",
        "hashes": "ASCII text, no image signature",
    }
    damaged = {Path(i["path"]).name: i["reason"] for i in found.damaged}
    assert list(damaged) == ["broken.E01"] and "truncated" in damaged["broken.E01"]
    # evidence is read-only
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in ev.iterdir()} == facts["before"]


def test_scan_a_renamed_segment_set_by_its_first_segment(folder: tuple[Path, dict[str, object]]) -> None:
    ev, _ = folder
    src = resolve_source(ev / E01_NAMES[0])
    assert [p.name for p in src.segments] == list(E01_NAMES)
    with pytest.raises(UsageError, match="give the first segment of the set"):
        resolve_source(ev / "zz3")
    with pytest.raises(EvidenceError, match="truncated"):
        resolve_source(ev / "broken.E01")


def test_gaps_are_damage(folder: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    ev, _ = folder
    for name in (*E01_NAMES[:2], *E01_NAMES[3:]):  # E01 segment 3 missing
        shutil.copyfile(ev / name, tmp_path / name)
    for name in (SPLIT_NAMES[0], SPLIT_NAMES[2]):  # split .002 missing
        shutil.copyfile(ev / name, tmp_path / name)
    (tmp_path / "stick2.001").write_bytes(b"\0" * 1000)  # a short middle segment
    (tmp_path / "stick2.002").write_bytes(b"\0" * 10)
    (tmp_path / "stick2.003").write_bytes(b"\0" * 1000)
    found = discover([str(tmp_path)])
    assert found.jobs == []
    damaged = {Path(i["path"]).name: i["reason"] for i in found.damaged}
    assert damaged == {
        E01_NAMES[0]: "EWF segment 3 of the set is missing (found segment 4 after it)",
        SPLIT_NAMES[0]: "split segment .002 is missing (found .003 after it)",
        "stick2.001": "split segment stick2.002 is 10 bytes, the first is 1000: a segment is truncated",
    }


def test_batch_reports_damage_and_exits_1(
    folder: tuple[Path, dict[str, object]], tmp_path: Path, triage_cli
) -> None:  # type: ignore[no-untyped-def]
    ev, facts = folder
    small = tmp_path / "ev"
    small.mkdir()
    for name in ("sda", "broken.E01", "notes.txt", *E01_NAMES):
        shutil.copyfile(ev / name, small / name)
    out = tmp_path / "out"
    proc = triage_cli(
        "batch", str(small), "--out", str(out), "--cluster", "local:1", "--progress", "none",
        "--analyzers", "hashes",
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert {i["name"]: i["status"] for i in summary["images"]} == {"sda": "done", "exhibit-7": "done"}
    assert [Path(d["path"]).name for d in summary["damaged"]] == ["broken.E01"]
    assert summary["totals"]["damaged"] == 1 and summary["exit_code"] == 1
    text = (out / "summary.txt").read_text()
    assert f"DAMAGED {small / 'broken.E01'}: EWF segment 1: truncated" in text
    assert f"ignored {small / 'notes.txt'}: ASCII text, no image signature" in text
    events = [json.loads(x) for x in (out / "events.jsonl").read_text().splitlines()]
    assert [e["path"] for e in events if e["event"] == "file_damaged"] == [str(small / "broken.E01")]
