"""Volume systems (none, MBR with extended partitions, GPT …) and file systems."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pytsk3

from triage.evidence.image import EvidenceSource, ImageInfo

_VS_NAMES = {
    int(pytsk3.TSK_VS_TYPE_DOS): "MBR",
    int(pytsk3.TSK_VS_TYPE_GPT): "GPT",
    int(pytsk3.TSK_VS_TYPE_BSD): "BSD",
    int(pytsk3.TSK_VS_TYPE_SUN): "Sun",
    int(pytsk3.TSK_VS_TYPE_MAC): "Mac",
}


@dataclass
class PartitionInfo:
    """One file system location; ``index`` counts the partitions that hold data, from 0."""

    index: int
    offset: int
    length: int
    description: str
    slot: str = ""
    volume_system: str = "none"
    fs_type: str | None = None
    block_size: int | None = None
    error: str | None = None
    encryption: dict[str, Any] | None = None
    """An encrypted volume here (:mod:`triage.evidence.fve`): scheme, protectors, ``unlocked``,
    ``declared_size``/``available`` of the decrypted stream once unlocked."""
    shadow_copies: list[dict[str, Any]] | None = None
    """Volume shadow copies found on this NTFS volume (:func:`shadow_copies`): not walked yet."""
    unallocated: int | None = None  # bytes in unallocated blocks (blkls -A), for the ledger
    unallocated_error: str | None = None  # why ``unallocated`` is unknown

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class VolumeLayout:
    """The volume system and every slot in it, as ``mmls`` shows it."""

    volume_system: str
    block_size: int
    slots: list[dict[str, Any]]
    partitions: list[PartitionInfo]


_FS_NAMES = {
    int(getattr(pytsk3, n)): n.removeprefix("TSK_FS_TYPE_").lower()
    for n in dir(pytsk3)
    if n.startswith("TSK_FS_TYPE_") and not n.endswith(("_DETECT", "_MASK", "_UNSUPP", "_ENUM"))
}


def fs_type_name(fs: pytsk3.FS_Info) -> str:
    """Short name of a file system type: ``ntfs``, ``fat16``, ``ext4`` …"""
    return _FS_NAMES.get(int(fs.info.ftype), f"type-{int(fs.info.ftype)}")


def open_filesystem(image: ImageInfo, offset: int) -> pytsk3.FS_Info:
    """Open the file system at ``offset`` bytes; the type is detected, never trusted from the table.

    When an encrypted volume at ``offset`` was unlocked in this process (:mod:`triage.evidence.fve`),
    the file system is the one inside its decrypted stream."""
    from triage.evidence import fve

    volume = fve.unlocked(image.source.path, offset)
    if volume is not None:
        return pytsk3.FS_Info(volume.img, offset=0)
    return pytsk3.FS_Info(image.img, offset=offset)


def read_layout(image: ImageInfo) -> VolumeLayout:
    """Find the volume system and probe each data partition for a file system."""
    try:
        vs = pytsk3.Volume_Info(image.img)
    except OSError:
        part = PartitionInfo(
            index=0, offset=0, length=image.size, description="whole image (no partition table)"
        )
        lvs = _lvm_partitions(image, part, 0)
        if lvs is not None:
            return VolumeLayout("LVM2", 512, [], lvs)
        _probe(image, part)
        return VolumeLayout("none", 512, [], [part])
    block = vs.info.block_size
    vs_name = _VS_NAMES.get(int(vs.info.vstype), str(vs.info.vstype))
    slots: list[dict[str, Any]] = []
    parts: list[PartitionInfo] = []
    for p in vs:
        desc = p.desc.decode("utf-8", "replace") if isinstance(p.desc, bytes) else str(p.desc)
        flags = int(p.flags)
        slot = f"{p.table_num:03d}:{p.slot_num:03d}" if p.slot_num >= 0 else "-------"
        slots.append(
            {
                "addr": p.addr,
                "slot": "Meta" if flags & int(pytsk3.TSK_VS_PART_FLAG_META) else slot,
                "start": p.start,
                "end": p.start + p.len - 1,
                "length": p.len,
                "description": desc,
                "allocated": bool(flags & int(pytsk3.TSK_VS_PART_FLAG_ALLOC)),
            }
        )
        if not flags & int(pytsk3.TSK_VS_PART_FLAG_ALLOC):
            continue
        part = PartitionInfo(
            index=len(parts),
            offset=p.start * block,
            length=p.len * block,
            description=desc,
            slot=slot,
            volume_system=vs_name,
        )
        lvs = _lvm_partitions(image, part, len(parts))
        if lvs is not None:
            parts += lvs
            continue
        _probe(image, part)
        parts.append(part)
    return VolumeLayout(vs_name, block, slots, parts)


def _lvm_partitions(image: ImageInfo, pv: PartitionInfo, first_index: int) -> list[PartitionInfo] | None:
    """The logical volumes of an LVM2 physical volume at ``pv`` as partitions, or None (not LVM2).

    A logical volume that is one contiguous range is probed like any partition at its real offset;
    any other keeps an ``error`` (recorded as a gap by the scan), as does unreadable metadata."""
    from triage.evidence import lvm

    try:
        head = image.read(pv.offset, 2048)
    except OSError:
        return None
    if not lvm.is_physical_volume(head):
        return None
    where = f"{pv.description} at byte {pv.offset}"
    try:
        volumes = lvm.logical_volumes(image.read, pv.offset)
    except (ValueError, OSError, IndexError) as exc:
        return [
            PartitionInfo(
                first_index, pv.offset, pv.length, f"LVM2 physical volume ({where})", pv.slot, "LVM2",
                error=f"LVM2 metadata unreadable: {exc}",
            )
        ]  # fmt: skip
    check = lvm.check_with_libvslvm(image.read, pv.offset, pv.length, volumes)
    out: list[PartitionInfo] = []
    for lv in volumes:
        offset = pv.offset + (lv.offset or 0)
        part = PartitionInfo(
            first_index + len(out), offset, lv.length, f"LVM2 logical volume {lv.vg}/{lv.name} ({where})",
            pv.slot, "LVM2",
        )  # fmt: skip
        if lv.offset is None:
            part.error = f"LVM2 logical volume {lv.vg}/{lv.name}: {lv.problem}"
        elif lv.offset + lv.length > pv.length:
            part.error = f"LVM2 logical volume {lv.vg}/{lv.name} ends past its physical volume"
        elif check:
            part.error = f"LVM2 logical volume {lv.vg}/{lv.name}: {check}"
        else:
            _probe(image, part)
        out.append(part)
    return out


def list_partitions(image: ImageInfo) -> list[PartitionInfo]:
    """Every data partition (or the whole image when there is no partition table)."""
    return read_layout(image).partitions


def _probe(image: ImageInfo, part: PartitionInfo) -> None:
    from triage.evidence import fve

    found = fve.detect(image.read, part.offset, part.length)
    if found is None and _apfs_not_walked(image, part):
        return
    opened = fve.unlocked(image.source.path, part.offset) if found is not None else None
    if found is not None and opened is None and _readable(image, part):
        return  # libtsk reads it as it is (an APFS container without encryption): not a locked volume
    if found is not None:
        part.encryption = found.to_json()
        part.encryption["unlocked"] = opened is not None
        if opened is None:
            protectors = ", ".join(p.kind for p in found.protectors) or "protectors unknown"
            part.error = f"encrypted volume ({found.description}; {protectors}): locked, no key given" + (
                f"; {found.note}" if found.note else ""
            )
            return
        part.encryption.update(
            protector_used=opened.kind, declared_size=opened.reader.size, available=opened.reader.available
        )
    try:
        fs = open_filesystem(image, part.offset)
    except OSError as exc:
        reason = str(exc).rsplit("error:", 1)[-1].strip() or exc.__class__.__name__
        part.error = f"no file system recognised ({reason})"
        return
    part.fs_type = fs_type_name(fs)
    part.block_size = fs.info.block_size
    if part.fs_type.startswith("ntfs") and opened is None:
        part.shadow_copies = shadow_copies(image, part.offset, part.length)


VSS_IDENTIFIER = bytes.fromhex("6b87083876c1484eb7ae04046e6cc752")
"""The volume shadow copy header's identifier at byte 0x1e00 of an NTFS volume (libvshadow's docs)."""


def shadow_copies(image: ImageInfo, offset: int, length: int) -> list[dict[str, Any]] | None:
    """The volume shadow copies of the NTFS volume at ``offset`` (libvshadow), or None when it has
    no VSS header. Each is ``{"index", "creation_time", "identifier"}``, or one ``{"error"}``."""
    try:
        if image.read(offset + 0x1E00, 16) != VSS_IDENTIFIER:
            return None
    except OSError:
        return None
    try:
        import pyvshadow
    except ImportError:
        return [{"error": "volume shadow copy header found; needs libvshadow-python"}]
    from triage.evidence.fve import ImageFile

    volume = pyvshadow.volume()
    try:
        volume.open_file_object(ImageFile(image.read, offset, length))
        out: list[dict[str, Any]] = [
            {"index": i + 1, "creation_time": str(s.creation_time), "identifier": str(s.identifier)}
            for i, s in enumerate(volume.stores)
        ]
        volume.close()
    except OSError as exc:
        return [{"error": f"libvshadow cannot open it: {str(exc).strip().splitlines()[-1][:200]}"}]
    return out


def _apfs_not_walked(image: ImageInfo, part: PartitionInfo) -> bool:
    """An APFS container without a locked volume: listed (libfsapfs) and recorded as not walked."""
    from triage.errors import EvidenceError
    from triage.evidence import fve

    try:
        if image.read(part.offset + 32, 4) != b"NXSB":
            return False
    except OSError:
        return False
    try:
        names = ", ".join(name for name, _ in fve.apfs_volumes(image.read, part.offset, part.length))
    except EvidenceError as exc:
        part.error = str(exc)
        return True
    part.fs_type = None
    part.error = f"APFS container (volumes: {names or 'none'}): APFS volumes are not walked yet"
    return True


def _readable(image: ImageInfo, part: PartitionInfo) -> bool:
    """libtsk opens a file system at the partition as it is (sets its type and block size)."""
    try:
        fs = pytsk3.FS_Info(image.img, offset=part.offset)
    except OSError:
        return False
    part.fs_type = fs_type_name(fs)
    part.block_size = fs.info.block_size
    return True


def unallocated_bytes(source: EvidenceSource, offset: int, block_size: int) -> int:
    """Bytes in the unallocated blocks of the file system at ``offset`` (see
    :func:`triage.evidence.unallocated.unallocated_bytes`, the one owner of unallocated ranges)."""
    from triage.evidence.unallocated import unallocated_bytes as count

    return count(source, offset, block_size)
