"""Volume systems (none, MBR with extended partitions, GPT …) and file systems."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any

import pytsk3

from triage.errors import EvidenceError
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
    """Volume shadow copies found on this NTFS volume (:func:`shadow_copies`); each store that lists
    is a partition of its own (``layer`` ``vssN``) right after this one."""
    layer: str = ""
    """Empty for a volume read at ``offset`` of the image; ``vssN`` for store N of the shadow copies
    of the NTFS volume at ``offset`` (its bytes are libvshadow's view of that store)."""
    snapshot: dict[str, Any] | None = None
    """For a ``vssN`` layer: ``store``, ``creation_time`` (the store's, as libvshadow gives it) and
    ``identifier``."""
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


def open_filesystem(image: ImageInfo, offset: int, layer: str = "") -> pytsk3.FS_Info:
    """Open the file system at ``offset`` bytes; the type is detected, never trusted from the table.

    When an encrypted volume at ``offset`` was unlocked in this process (:mod:`triage.evidence.fve`),
    the file system is the one inside its decrypted stream. ``layer`` ``vssN``: the file system of
    shadow copy store N of the NTFS volume at ``offset`` (:func:`snapshot_image`)."""
    from triage.evidence import fve

    if layer.startswith("apfs"):
        from triage.evidence import apfs

        return apfs.volume(image, offset, layer)  # a pyfsapfs volume, not a libtsk FS_Info
    if layer:
        return pytsk3.FS_Info(snapshot_image(image, offset, layer), offset=0)
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
        volumes = _apfs_partitions(image, part, 0)
        if volumes is not None:
            return VolumeLayout("APFS", 4096, [], volumes)
        _probe(image, part)
        return VolumeLayout("none", 512, [], [part, *_snapshot_partitions(image, part, 1)])
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
        volumes = _apfs_partitions(image, part, len(parts))
        if volumes is not None:
            parts += volumes
            continue
        _probe(image, part)
        parts.append(part)
        parts += _snapshot_partitions(image, part, len(parts))
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


def _snapshot_partitions(image: ImageInfo, part: PartitionInfo, first_index: int) -> list[PartitionInfo]:
    """One partition per shadow copy store of the NTFS volume ``part`` (layer ``vssN``), probed
    through libvshadow; a store libtsk cannot open keeps an ``error`` (a gap in the ledger)."""
    out: list[PartitionInfo] = []
    for copy in part.shadow_copies or ():
        if "error" in copy:
            continue
        n = int(copy["index"])
        snap = PartitionInfo(
            first_index + len(out), part.offset, part.length,
            f"vss{n}: volume shadow copy {n} of the {part.fs_type} volume at byte {part.offset}, "
            f"created {copy['creation_time']}",
            part.slot, part.volume_system, layer=f"vss{n}",
            snapshot={"store": n, "creation_time": copy["creation_time"], "identifier": copy["identifier"]},
        )  # fmt: skip
        try:
            fs = open_filesystem(image, part.offset, snap.layer)
            snap.fs_type, snap.block_size = fs_type_name(fs), fs.info.block_size
        except (OSError, EvidenceError) as exc:
            reason = str(exc).rsplit("error:", 1)[-1].strip() or exc.__class__.__name__
            snap.error = f"volume shadow copy {n} cannot be read: {reason.splitlines()[-1][:200]}"
        out.append(snap)
    return out


@dataclass
class _Snapshot:
    img: Any  # fve.VolumeImage over the store
    reader: Any  # fve's libyal reader over the store
    volume: Any  # the pyvshadow volume
    raw: ImageInfo  # the image handle the store reads through (owned here)


_SNAPSHOTS: dict[tuple[str, int, str], _Snapshot] = {}
_SNAP_GUARD = threading.Lock()


def snapshot_image(image: ImageInfo, offset: int, layer: str) -> Any:
    """The ``Img_Info`` of shadow copy store ``vssN`` of the NTFS volume at ``offset``, opened once
    per process (through its own image handle, like an unlocked volume: :class:`fve.VolumeImage`
    over :class:`fve.LibyalVolume`, the same reader as a decrypted volume's).

    Raises:
        EvidenceError: not a ``vssN`` layer, libvshadow missing, or the store cannot be opened.
    """
    from triage.evidence import fve
    from triage.evidence.image import open_image

    if not layer.startswith("vss") or not layer[3:].isdigit():
        raise EvidenceError(f"unknown volume layer {layer!r}")
    key = (fve.evidence_key(image.source.path), offset, layer)
    with _SNAP_GUARD:
        entry = _SNAPSHOTS.get(key)
        if entry is not None:
            return entry.img
        try:
            import pyvshadow
        except ImportError:
            raise EvidenceError("volume shadow copies need libvshadow-python") from None
        raw = open_image(image.source)
        volume = pyvshadow.volume()
        try:
            volume.open_file_object(fve.ImageFile(raw.read, offset, raw.size - offset))
            store = volume.get_store(int(layer[3:]) - 1)
            reader = fve.LibyalVolume(store, int(store.get_size()))
        except (OSError, IndexError) as exc:
            raw.close()
            raise EvidenceError(f"libvshadow cannot open store {layer}: {fve.last_line(exc)}") from None
        entry = _SNAPSHOTS[key] = _Snapshot(fve.VolumeImage(reader), reader, volume, raw)
    return entry.img


def forget_snapshots() -> None:
    """Close every shadow copy store opened in this process (tests)."""
    with _SNAP_GUARD:
        for entry in _SNAPSHOTS.values():
            entry.volume.close()
            entry.raw.close()
        _SNAPSHOTS.clear()


def _apfs_partitions(image: ImageInfo, part: PartitionInfo, first_index: int) -> list[PartitionInfo] | None:
    """One partition per volume of the APFS container at ``part`` (layer ``apfsN``, read through
    libfsapfs: :mod:`triage.evidence.apfs`), or None: not APFS, or a container with a locked
    volume (reported by :func:`fve.detect` as an encrypted volume, not walked)."""
    from triage.evidence import fve

    try:
        if image.read(part.offset + 32, 4) != b"NXSB":
            return None
    except OSError:
        return None
    where = f"APFS container at byte {part.offset}"
    try:
        listed = fve.apfs_volumes(image.read, part.offset, part.length)
    except EvidenceError as exc:
        part.error = str(exc)
        part.description = f"{where} ({part.description})"
        return [part]
    if any(locked for _, locked in listed):
        return None
    out: list[PartitionInfo] = []
    for n, (name, _) in enumerate(listed, 1):
        vol = PartitionInfo(
            first_index + len(out), part.offset, part.length,
            f"apfs{n}: APFS volume {name} ({where})", part.slot, part.volume_system, layer=f"apfs{n}",
        )  # fmt: skip
        try:
            handle = open_filesystem(image, part.offset, vol.layer)
            vol.fs_type, vol.block_size = "apfs", None
            del handle
        except EvidenceError as exc:
            vol.error = str(exc)
        out.append(vol)
    if not out:
        part.error = f"{where}: no volumes"
        return [part]
    return out


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
