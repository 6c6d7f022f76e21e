"""Which files hold a damaged media range: their data runs (libtsk) against the range.

For every regular file of a partition that overlaps a damaged range, the attribute the
inventory row names is opened and its runs (block address and length; sparse and filler
runs hold no media bytes) are placed in the media with the partition offset. Resident
NTFS data lives in the file's MFT record, whose place comes from ``$MFT``'s own runs.
Each hit gives the media range and the byte range of the file's content it spoils.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

import pytsk3

from triage.case.integrity import ContentFile, DamageInputs
from triage.evidence.image import EvidenceSource, ImageInfo, open_image
from triage.evidence.integrity import DamagedRange

_NO_MEDIA = int(pytsk3.TSK_FS_ATTR_RUN_FLAG_SPARSE) | int(pytsk3.TSK_FS_ATTR_RUN_FLAG_FILLER)


@dataclass(frozen=True)
class Extent:
    """``length`` bytes of a file's content at ``file_offset`` stored at media byte ``media``."""

    media: int
    file_offset: int
    length: int


def locate_damage(
    source: EvidenceSource, db_path: str, evidence_id: int, ranges: list[DamagedRange]
) -> list[tuple[int, list[dict[str, Any]]]]:
    """``[(file_id, [hit, ...])]`` for the files of ``evidence_id`` whose content lies in ``ranges``.

    A hit is ``{"start", "length"}`` (media bytes), ``{"file_offset", "file_length"}`` (content
    bytes) and the range's ``reason``. The case is read through its own read-only connection.
    """
    if not ranges:
        return []
    inputs = DamageInputs(db_path)
    image = open_image(source)
    out: list[tuple[int, list[dict[str, Any]]]] = []
    try:
        for part in inputs.fs_partitions(evidence_id):
            lo, hi = part.offset, part.offset + part.length
            inside = [r for r in ranges if r.start < hi and r.start + r.length > lo]
            if not inside:
                continue
            fs = pytsk3.FS_Info(image.img, offset=part.offset)
            mft = _MftMap(image, fs, part.offset) if part.fs_type.startswith("ntfs") else None
            for file in inputs.content_files(part.id):
                hits = _file_hits(fs, part.offset, mft, file, inside)
                if hits:
                    out.append((file.id, hits))
    finally:
        image.close()
        inputs.close()
    return out


def _file_hits(
    fs: Any, part_offset: int, mft: _MftMap | None, row: ContentFile, ranges: list[DamagedRange]
) -> list[dict[str, Any]]:
    try:
        extents = file_extents(fs, part_offset, row.inode, row.attr_type, row.attr_id, mft)
    except OSError:
        return []
    size = row.size
    hits: list[dict[str, Any]] = []
    for r in ranges:
        for e in extents:
            lo, hi = max(r.start, e.media), min(r.start + r.length, e.media + e.length)
            if lo >= hi:
                continue
            f_lo = e.file_offset + (lo - e.media)
            f_hi = min(size, e.file_offset + (hi - e.media))
            if f_lo >= f_hi:
                continue  # slack after the end of the content
            hits.append(
                {
                    "start": r.start,
                    "length": r.length,
                    "file_offset": f_lo,
                    "file_length": f_hi - f_lo,
                    "reason": r.reason,
                }
            )
    return _merge(hits)


def file_extents(
    fs: Any,
    part_offset: int,
    inode: int,
    attr_type: int | None,
    attr_id: int | None,
    mft: _MftMap | None = None,
) -> list[Extent]:
    """Where a file's content sits in the media (the default data attribute unless one is named)."""
    f = fs.open_meta(inode=inode)
    block = int(fs.info.block_size)
    attr = _pick_attribute(f, attr_type, attr_id)
    if attr is None:
        return []
    if int(attr.info.flags) & int(pytsk3.TSK_FS_ATTR_RES):
        if mft is None:
            return []
        place = mft.record(inode)
        return [Extent(place[0], 0, place[1])] if place else []
    out = []
    for run in attr:
        if int(run.flags) & _NO_MEDIA or run.len <= 0:
            continue
        out.append(Extent(part_offset + int(run.addr) * block, int(run.offset) * block, int(run.len) * block))
    return out


def _pick_attribute(f: Any, attr_type: int | None, attr_id: int | None) -> Any:
    default = None
    for a in f:
        t, i = int(a.info.type), int(a.info.id)
        if attr_type is not None and t == attr_type and (attr_id is None or i == attr_id):
            return a
        if default is None and t in (
            int(pytsk3.TSK_FS_ATTR_TYPE_DEFAULT),
            int(pytsk3.TSK_FS_ATTR_TYPE_NTFS_DATA),
        ):
            default = a
    return default if attr_type is None else None


class _MftMap:
    """Media place of NTFS MFT records: record size from the boot sector, places from ``$MFT``'s runs."""

    def __init__(self, image: ImageInfo, fs: Any, part_offset: int) -> None:
        boot = image.read(part_offset, 512)
        per_sector = struct.unpack_from("<H", boot, 11)[0]
        per_cluster = boot[13] * per_sector
        raw = struct.unpack_from("<b", boot, 64)[0]
        self.record_size = (1 << -raw) if raw < 0 else raw * per_cluster
        self.extents = file_extents(fs, part_offset, 0, int(pytsk3.TSK_FS_ATTR_TYPE_NTFS_DATA), None)

    def record(self, inode: int) -> tuple[int, int] | None:
        at = inode * self.record_size
        for e in self.extents:
            if e.file_offset <= at < e.file_offset + e.length:
                return e.media + (at - e.file_offset), self.record_size
        return None


def _merge(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    hits.sort(key=lambda h: (h["start"], h["file_offset"]))
    out: list[dict[str, Any]] = []
    for h in hits:
        if (
            out
            and out[-1]["start"] == h["start"]
            and out[-1]["file_offset"] + out[-1]["file_length"] == h["file_offset"]
        ):
            out[-1]["file_length"] += h["file_length"]
        else:
            out.append(dict(h))
    return out
