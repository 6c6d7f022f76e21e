"""Fuzzing: seeded mutations of the fixture images (random bytes overwritten in the ext4
superblock, group descriptors and inode table, the FAT boot sector and tables, the NTFS boot
sector and MFT, and truncation). Every scan is bounded in time (``--file-timeout`` and a
subprocess timeout), never prints a traceback, exits 0, 1 or 3, leaves the image unchanged,
and records every problem in the case. 48 mutations (16 per file system) in ``make test``; ``make fuzz``
runs 672 more (seeds 48-719).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import struct
import subprocess
import sys
from pathlib import Path

import pytest

FAST = 48
SLOW = int(os.environ.get("TRIAGE_FUZZ_EXTRA", "0"))
"""Extra mutations for a fuzz campaign (`make fuzz` runs 672 more); 0 in `make test`, which must
stay under 15 minutes on 2 cores. The 48 above always run (the number is a budget, not a finding:
every kind of mutation above is drawn in them; the campaign is where more seeds belong)."""
SCAN_TIMEOUT = 90  # seconds; a scan that needs longer is a hang
KINDS = ("ext4", "fat", "ntfs")


def ext4_regions(data: bytes) -> dict[str, tuple[int, int]]:
    """Superblock, group descriptors and the first group's inode table, from the superblock."""
    sb = 1024
    block = 1024 << struct.unpack_from("<I", data, sb + 24)[0]
    first_data = struct.unpack_from("<I", data, sb + 20)[0]
    inodes_per_group = struct.unpack_from("<I", data, sb + 40)[0]
    inode_size = struct.unpack_from("<H", data, sb + 88)[0]
    gdt = (first_data + 1) * block
    itable = struct.unpack_from("<I", data, gdt + 8)[0] * block
    return {
        "superblock": (sb, sb + 1024),
        "group descriptors": (gdt, gdt + 64),
        "inodes": (itable, itable + min(inodes_per_group * inode_size, 64 * inode_size)),
    }


def fat_regions(data: bytes) -> dict[str, tuple[int, int]]:
    """Boot sector, the first FAT and the root folder."""
    sector = struct.unpack_from("<H", data, 11)[0]
    reserved = struct.unpack_from("<H", data, 14)[0]
    fats = data[16]
    root_entries = struct.unpack_from("<H", data, 17)[0]
    per_fat = struct.unpack_from("<H", data, 22)[0] or struct.unpack_from("<I", data, 36)[0]
    fat = reserved * sector
    root = fat + fats * per_fat * sector
    return {
        "boot sector": (0, 512),
        "FAT": (fat, fat + min(per_fat * sector, 8192)),
        "root folder": (root, root + max(root_entries * 32, 2048)),
    }


def ntfs_regions(data: bytes) -> dict[str, tuple[int, int]]:
    """Boot sector and the first 32 MFT records."""
    sector = struct.unpack_from("<H", data, 0x0B)[0]
    cluster = sector * data[0x0D]
    mft = struct.unpack_from("<Q", data, 0x30)[0] * cluster
    return {"boot sector": (0, 512), "MFT": (mft, mft + 32 * 1024)}


REGIONS = {"ext4": ext4_regions, "fat": fat_regions, "ntfs": ntfs_regions}


def mutate(base: bytes, kind: str, seed: int) -> tuple[bytes, str]:
    """One reproducible mutation of ``base``; returns the bytes and what was done."""
    rng = random.Random(f"{kind}:{seed}")
    data = bytearray(base)
    if rng.random() < 0.12:
        cut = rng.randrange(512, len(data))
        return bytes(data[:cut]), f"truncated to {cut} bytes"
    regions = REGIONS[kind](base)
    name = rng.choice(sorted(regions))
    start, end = regions[name]
    end = min(end, len(data))
    if rng.random() < 0.5:
        count = rng.randint(1, 48)
        for _ in range(count):
            data[rng.randrange(start, end)] = rng.randrange(256)
        what = f"{count} random bytes in the {name}"
    else:
        length = rng.randint(4, 256)
        at = rng.randrange(start, max(start + 1, end - length))
        data[at : at + length] = rng.choice([bytes(length), b"\xff" * length, rng.randbytes(length)])
        what = f"{length} bytes at {at} in the {name}"
    if rng.random() < 0.1:
        cut = rng.randrange(len(data) // 2, len(data))
        data = data[:cut]
        what += f", truncated to {cut}"
    return bytes(data), what


@pytest.fixture(scope="session")
def bases(ext4_image: object, fat_image: object, ntfs_image: object) -> dict[str, bytes]:
    return {
        k: Path(img.path).read_bytes()
        for k, img in zip(KINDS, (ext4_image, fat_image, ntfs_image), strict=True)
    }


def check_one(kind: str, seed: int, base: bytes, tmp_path: Path) -> None:
    data, what = mutate(base, kind, seed)
    image = tmp_path / f"{kind}-{seed}.img"
    image.write_bytes(data)
    os.chmod(image, 0o444)
    before = hashlib.sha256(data).hexdigest()
    case = tmp_path / f"case-{kind}-{seed}"
    label = f"{kind} seed {seed}: {what}"
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "triage",
                "scan",
                str(image),
                "--case",
                str(case),
                "--workers",
                "1",
                "--file-timeout",
                "5",
                "--analyzers",
                "hashes,filetype",
                "--json",
            ],
            capture_output=True,
            text=True,
            timeout=SCAN_TIMEOUT,
            env={**os.environ, "TZ": "UTC"},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{label}: scan still running after {SCAN_TIMEOUT} s")
    assert "Traceback" not in proc.stderr, f"{label}\n{proc.stderr}"
    assert proc.returncode in (0, 1, 3), f"{label}: exit {proc.returncode}\n{proc.stderr}"
    assert hashlib.sha256(image.read_bytes()).hexdigest() == before, f"{label}: the image changed"
    if proc.returncode == 0:
        summary = json.loads(proc.stdout)
        assert summary["status"] == "completed" and not summary["failed_files"], label
        return
    if not (case / "case.sqlite").exists():  # refused before a case existed: the message says why
        assert proc.returncode == 3 and proc.stderr.strip().count("\n") == 0 and proc.stderr.strip(), label
        return
    from triage.case.store import Case

    with Case.open(case, readonly=True) as c:
        recorded = c.problems()
        broken = [p for p in c.partitions() if p["error"]]
        failed = list(c.iter_files("f.status='failed'"))
    assert recorded or broken or failed, f"{label}: exit {proc.returncode} but nothing recorded in the case"
    for f in failed:
        assert f["error"], f"{label}: {f['path']} failed without a reason"
    for e in recorded:
        assert e.message and e.source, e


@pytest.mark.parametrize("seed", range(FAST // 4))
def test_mutated_images(seed: int, bases: dict[str, bytes], tmp_path: Path) -> None:
    """Four mutations per test item (pytest-xdist spreads the items over the cores)."""
    for i in range(4):
        n = seed * 4 + i
        kind = KINDS[n % len(KINDS)]
        check_one(kind, n, bases[kind], tmp_path)


if SLOW:

    @pytest.mark.slow
    @pytest.mark.parametrize("seed", range(FAST, FAST + SLOW, 10))
    def test_mutated_images_slow(seed: int, bases: dict[str, bytes], tmp_path: Path) -> None:
        for n in range(seed, seed + 10):
            kind = KINDS[n % len(KINDS)]
            check_one(kind, n, bases[kind], tmp_path)


def test_mutations_are_reproducible_and_hit_their_regions(bases: dict[str, bytes]) -> None:
    for kind in KINDS:
        a, what = mutate(bases[kind], kind, 3)
        assert (a, what) == mutate(bases[kind], kind, 3)
        assert a != bases[kind]
    regions = ext4_regions(bases["ext4"])
    assert bases["ext4"][1024 + 56 : 1024 + 58] == b"\x53\xef"  # the superblock magic is where we think
    assert regions["inodes"][0] > regions["group descriptors"][0]
    assert (
        bases["ntfs"][3:7] == b"NTFS"
        and bases["ntfs"][ntfs_regions(bases["ntfs"])["MFT"][0] :][:4] == b"FILE"
    )
    assert fat_regions(bases["fat"])["FAT"][0] >= 512
