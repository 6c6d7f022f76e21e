"""The one content reader (triage.evidence.content) against icat, on real built images."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest
from oracle import fls, icat_sha256

from triage.case.records import Location
from triage.errors import EvidenceError
from triage.evidence.content import ContentError, EvidenceCache, MappingResolver, open_content
from triage.evidence.image import resolve_source

pytestmark = pytest.mark.skipif(shutil.which("icat") is None, reason="sleuthkit tools missing")


def _resolver(image: Any) -> MappingResolver:
    return MappingResolver({1: resolve_source(image.path)}, {(1, 0): int(image.partitions[0])})


def test_every_file_and_stream_hashes_as_icat(ntfs_image: Any) -> None:
    resolver = _resolver(ntfs_image)
    sector = int(ntfs_image.partitions[0]) // 512
    cache = EvidenceCache()
    compared = streams = 0
    for entry in fls(ntfs_image.path, sector):
        if entry.name_type != "r" or entry.deleted:
            continue
        parts = [int(p) for p in entry.addr.split("-")]
        loc = Location(1, 0, parts[0], *(parts[1:3] if len(parts) == 3 else ()))
        with open_content(loc, resolver, cache) as content:
            h = hashlib.sha256()
            for chunk in content.chunks(4096):
                h.update(chunk)
            assert h.hexdigest() == icat_sha256(ntfs_image.path, sector, entry.addr), entry.path
        compared += 1
        streams += len(parts) == 3
    cache.close()
    assert compared >= 3 and streams >= 1  # the fixture has an alternate data stream


def test_random_access_equals_slices_of_the_whole(ext4_image: Any) -> None:
    resolver = _resolver(ext4_image)
    sector = int(ext4_image.partitions[0]) // 512
    entry = max(
        (e for e in fls(ext4_image.path, sector) if e.name_type == "r" and not e.deleted),
        key=lambda e: len(ext4_image.files.get("/" + e.path, b"")),
    )
    whole = ext4_image.files["/" + entry.path]
    content = open_content(Location(1, 0, entry.inode), resolver)
    assert content.size == len(whole) and content.read(0, content.size) == whole
    for off, n in ((0, 1), (len(whole) // 2, 7), (len(whole) - 1, 100), (len(whole), 5)):
        assert content.read_at(off, n) == whole[off : off + n]


def test_carved_runs_read_as_one_content(ext4_image: Any) -> None:
    """A carved location's runs read as the image's bytes at those partition offsets, joined."""
    resolver = _resolver(ext4_image)
    base = int(ext4_image.partitions[0])
    raw = Path(ext4_image.path).read_bytes()
    runs = ((1024, 700), (8192, 1500), (4096, 3))
    content = open_content(Location(1, 0, carved=runs), resolver)
    whole = b"".join(raw[base + o : base + o + n] for o, n in runs)
    assert content.size == len(whole) and content.read(0, content.size) == whole
    for off, n in ((0, 1), (699, 2), (650, 1000), (len(whole) - 1, 9), (len(whole), 4)):
        assert content.read(off, n) == whole[off : off + n]
    assert content.slack(512) == b""


def test_refuses_what_it_cannot_serve(ext4_image: Any) -> None:
    resolver = _resolver(ext4_image)
    with pytest.raises(ContentError, match="not a container"):  # inode 12 is a plain file
        open_content(Location(1, 0, 12, member=("a.zip", "b.txt")), resolver)
    with pytest.raises(EvidenceError, match="no partition 5"):
        open_content(Location(1, 5, 12), resolver)
    with pytest.raises(EvidenceError, match="evidence 9"):
        open_content(Location(9, 0, 12), resolver)
    with pytest.raises(ContentError) as info:
        open_content(Location(1, 0, 10**9), resolver)
    assert info.value.op == "open" and info.value.detail and info.value.exit_code == 3


def test_cache_is_bounded_and_closes_what_it_evicts(ext4_image: Any, fat_image: Any, tmp_path: Path) -> None:
    cache = EvidenceCache(max_images=1, max_filesystems=1)
    a = cache.filesystem(resolve_source(ext4_image.path), int(ext4_image.partitions[0]))
    assert cache.filesystem(resolve_source(ext4_image.path), int(ext4_image.partitions[0])) is a
    cache.filesystem(resolve_source(fat_image.path), int(fat_image.partitions[0]))
    assert len(cache._images) == 1 and len(cache._fs) == 1
    assert str(fat_image.path) in cache._images
    cache.close()
    assert not cache._images and not cache._fs
