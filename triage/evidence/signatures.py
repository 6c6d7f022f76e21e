"""What a file is, by its content: the one place that knows image signatures.

:func:`probe` reads at most the first 64 KiB and the last 512 bytes of a file (read-only) and
recognises containers (EWF/SMART, VMDK, VHD/VHDX, QCOW), partition tables (GPT, MBR with sane
entries) and file systems or encrypted volumes at offset 0 (ext2/3/4, NTFS, FAT, exFAT, HFS+,
ISO 9660, APFS, LUKS, BitLocker). :func:`container_format` is what
:func:`triage.evidence.image.resolve_source` opens a file as. EWF segments carry their number
and their set's identity in their headers; :func:`ewf_sets` groups segments by those, never by
file name, so a renamed E01 set is still one image.
"""

from __future__ import annotations

import os
import stat
import struct
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

EWF1_SIGNATURES = (b"EVF\x09\x0d\x0a\xff\x00", b"LVF\x09\x0d\x0a\xff\x00")
EWF2_SIGNATURE = b"EVF2\r\n\x81\x00"
EWF_SIGNATURES = (*EWF1_SIGNATURES, EWF2_SIGNATURE)
HEAD = 65536
_SECTION = 76  # an EWF1 section descriptor: type[16], next u64, size u64, padding[40], checksum u32
_MAX_SECTIONS = 1 << 20


@dataclass(frozen=True)
class EwfSegment:
    """What an EWF segment's own headers say about it."""

    number: int
    set_key: bytes
    """The set's identity: its GUID and media geometry (EWF1: volume/data section; Ex01: file header)."""
    last: bool | None
    """True: the segment ends with a ``done`` section; False: with ``next`` (more follow); None: unknown."""


@dataclass(frozen=True)
class Probe:
    """One file, recognised (``kind``) or not (``kind == ""``), with a short description."""

    path: Path
    kind: str
    what: str
    damage: str | None = None
    """Why a file that looks like an image cannot be used as one (truncated, bad header …)."""
    ewf: EwfSegment | None = None

    @property
    def is_image(self) -> bool:
        return bool(self.kind)


@dataclass(frozen=True)
class EwfSet:
    """EWF segments that belong together, in segment order; ``damage`` says why the set is unusable."""

    segments: tuple[Path, ...]
    damage: str | None = None


def container_format(head: bytes, tail: bytes) -> str | None:
    """The reader an image needs: ``ewf``, ``vmdk``, ``vhd`` (VHD and VHDX) or ``qcow``; None: raw."""
    if head.startswith(EWF_SIGNATURES):
        return "ewf"
    if head.startswith((b"KDMV", b"# Disk DescriptorFile")):
        return "vmdk"
    if head.startswith((b"vhdxfile", b"conectix")) or tail.startswith(b"conectix"):
        return "vhd"
    if head.startswith(b"QFI\xfb"):
        return "qcow"
    return None


def probe(path: str | os.PathLike[str]) -> Probe:
    """Recognise ``path`` by its content (a regular file or a block device; nothing is written)."""
    p = Path(path)
    try:
        st = p.stat()
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISBLK(st.st_mode)):
            return Probe(p, "", "not a regular file")
        with open(p, "rb") as fh:
            head = fh.read(HEAD)
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - 512))
            tail = fh.read(512)
    except OSError as exc:
        return Probe(p, "", f"cannot read: {exc.strerror or exc}")
    if not head:
        return Probe(p, "", "empty file")
    fmt = container_format(head, tail)
    if fmt == "ewf":
        return _probe_ewf(p, head, size)
    if fmt is not None:
        names = {"vmdk": "VMDK", "qcow": "QCOW", "vhd": "VHDX" if head.startswith(b"vhdxfile") else "VHD"}
        return Probe(p, fmt, f"{names[fmt]} image")
    found = _volume(head, size)
    if found:
        kind, what, damage = found
        return Probe(p, kind, what, damage)
    return Probe(p, "", _describe(head))


# -- partition tables and file systems at offset 0 ------------------------------------------
def _u16(b: bytes, o: int) -> int:
    return int(struct.unpack_from("<H", b, o)[0]) if len(b) >= o + 2 else 0


def _u32(b: bytes, o: int) -> int:
    return int(struct.unpack_from("<I", b, o)[0]) if len(b) >= o + 4 else 0


def _u64(b: bytes, o: int) -> int:
    return int(struct.unpack_from("<Q", b, o)[0]) if len(b) >= o + 8 else 0


def _volume(head: bytes, size: int) -> tuple[str, str, str | None] | None:
    """(kind, description, damage) of what starts at offset 0, or None."""
    for sector in (512, 4096):
        if head[sector : sector + 8] == b"EFI PART":
            return "gpt", f"GPT partition table ({sector}-byte sectors)", None
    if head[3:11] == b"NTFS    ":
        return "ntfs", "NTFS file system", None
    if head[3:11] == b"EXFAT   ":
        return "exfat", "exFAT file system", None
    if head[3:11] == b"-FVE-FS-":
        return "bitlocker", "BitLocker encrypted volume", None
    if head.startswith(b"LUKS\xba\xbe"):
        return "luks", "LUKS encrypted volume", None
    if head[32:36] == b"NXSB":
        return "apfs", "APFS container", None
    if _u16(head, 1080) == 0xEF53:
        return "ext", "ext2/3/4 file system", None
    if head[1024:1026] in (b"H+", b"HX"):
        return "hfs+", "HFS+ file system", None
    if head[32769:32774] == b"CD001":
        return "iso9660", "ISO 9660 file system", None
    if head[510:512] == b"\x55\xaa":
        fat = _fat(head)
        if fat:
            return "fat", fat, None
        parts = _mbr_entries(head)
        if parts:
            return "mbr", f"MBR partition table ({parts} partition{'s' if parts > 1 else ''})", None
    return None


def _fat(head: bytes) -> str | None:
    """A FAT boot sector: a jump, a power-of-two sector size, sane cluster and FAT counts."""
    if head[0] not in (0xEB, 0xE9):
        return None
    bps, spc, fats = _u16(head, 11), head[13], head[16]
    if bps not in (512, 1024, 2048, 4096) or spc == 0 or spc & (spc - 1) or fats not in (1, 2):
        return None
    if head[82:87] == b"FAT32":
        return "FAT32 file system"
    label = head[54:59]
    return f"{label.decode()} file system" if label in (b"FAT12", b"FAT16") else "FAT file system"


def _mbr_entries(head: bytes) -> int:
    """How many MBR entries are in use, when all four are sane (else 0)."""
    used = 0
    for i in range(4):
        e = head[446 + 16 * i : 462 + 16 * i]
        status, ptype, start, count = e[0], e[4], _u32(e, 8), _u32(e, 12)
        if status not in (0x00, 0x80):
            return 0
        if ptype == 0:
            continue
        if start == 0 or count == 0:
            return 0
        used += 1
    return used


def _describe(head: bytes) -> str:
    """What libmagic calls a file that holds no image signature."""
    try:
        import magic

        desc = str(magic.from_buffer(head)).split(",")[0].strip()
    except Exception:  # libmagic missing or confused: say only what we know
        desc = ""
    return f"{desc or 'data'}, no image signature"


# -- EWF ------------------------------------------------------------------------------------
def _probe_ewf(p: Path, head: bytes, size: int) -> Probe:
    if head.startswith(EWF2_SIGNATURE):
        number = _u32(head, 12)
        key = head[16:32]
        seg = EwfSegment(number, b"ewf2:" + key, None)
        damage = None if number else "EWF2 segment header holds no segment number"
        return Probe(p, "ewf", f"EWF2 segment {number}", damage, seg)
    if head[8] != 1 or head[11:13] != b"\0\0" or _u16(head, 9) == 0:
        return Probe(p, "ewf", "EWF segment", "damaged EWF segment header (no segment number)")
    number = _u16(head, 9)
    try:
        last, key, damage = _walk_sections(p, size)
    except OSError as exc:
        last, key, damage = None, b"", f"cannot read its sections: {exc.strerror or exc}"
    return Probe(p, "ewf", f"EWF segment {number}", damage, EwfSegment(number, key, last))


def _walk_sections(p: Path, size: int) -> tuple[bool | None, bytes, str | None]:
    """Follow an EWF1 segment's section chain: (ends with done?, set key, damage)."""
    key = b""
    with open(p, "rb") as fh:
        off = 13
        for _ in range(_MAX_SECTIONS):
            fh.seek(off)
            desc = fh.read(_SECTION)
            if len(desc) < _SECTION:
                return None, key, f"truncated: the section at offset {off} lies past the end ({size} bytes)"
            kind = desc[:16].rstrip(b"\0").decode("ascii", "replace")
            nxt, length = _u64(desc, 16), _u64(desc, 24)
            if kind in ("volume", "disk", "data") and not key:
                body = fh.read(min(max(0, length - _SECTION), 1052))
                guid = body[64:80] if len(body) >= 80 else b""
                key = b"ewf1:" + (guid if guid.strip(b"\0") else b"") + b":" + body[4:24]
            if kind in ("done", "next"):
                return kind == "done", key, None
            if nxt <= off or nxt + _SECTION > size:
                return (
                    None,
                    key,
                    f"truncated: section '{kind}' at offset {off} points to offset {nxt}, "
                    f"past the end of the file ({size} bytes)",
                )
            off = nxt
    return None, key, "damaged: more EWF sections than any segment holds"


def ewf_sets(probes: Iterable[Probe]) -> list[EwfSet]:
    """Group EWF segment probes into sets by their headers (folder, set identity), in number order.

    Segments without a readable identity are grouped by name stem. A set is damaged when a
    segment is, when numbers have a gap, when the first is missing, when the last one found ends
    with ``next`` (later segments missing), or when two files claim the same number.
    """
    groups: dict[tuple[Path, bytes], list[Probe]] = defaultdict(list)
    for pr in probes:
        if pr.ewf is None:
            continue
        key = pr.ewf.set_key or b"name:" + _stem(pr.path).encode("utf-8", "surrogateescape")
        groups[(pr.path.parent, key)].append(pr)
    sets: list[EwfSet] = []
    for members in groups.values():
        for group in _split_duplicates(members):
            sets.append(_check_set(sorted(group, key=lambda q: (q.ewf.number if q.ewf else 0, str(q.path)))))
    sets.sort(key=lambda s: str(s.segments[0]))
    return sets


def _stem(path: Path) -> str:
    return path.name.rsplit(".", 1)[0].lower() if "." in path.name else path.name.lower()


def _split_duplicates(members: list[Probe]) -> list[list[Probe]]:
    """Sets of the same geometry without a GUID (ewfacquire writes none) in one folder: tell them
    apart by name stem, else by taking out segments that are a set on their own (a complete or a
    damaged segment 1); what stays ambiguous is one group, reported as such."""
    numbers = [m.ewf.number for m in members if m.ewf]
    if len(numbers) == len(set(numbers)):
        return [members]
    by_stem: dict[str, list[Probe]] = defaultdict(list)
    for m in members:
        by_stem[_stem(m.path)].append(m)
    if all(_numbered_from_one(g) for g in by_stem.values()):
        return list(by_stem.values())
    alone = [m for m in members if m.ewf and m.ewf.number == 1 and (m.ewf.last or m.damage)]
    rest = [m for m in members if m not in alone]
    if alone and (not rest or _numbered_from_one(rest)):
        return [[m] for m in alone] + ([rest] if rest else [])
    return [members]


def _numbered_from_one(group: list[Probe]) -> bool:
    nums = [m.ewf.number for m in group if m.ewf]
    return len(nums) == len(set(nums)) and 1 in nums


def _check_set(group: list[Probe]) -> EwfSet:
    paths = tuple(m.path for m in group)
    first = paths[0]
    for m in group:
        if m.damage:
            where = m.what if m.path == first else f"{m.path.name} ({m.what})"
            return EwfSet(paths, f"{first}: {where}: {m.damage}")
    numbers = [m.ewf.number for m in group if m.ewf]
    if len(numbers) != len(set(numbers)):
        dup = next(n for n in numbers if numbers.count(n) > 1)
        claim = ", ".join(str(m.path.name) for m in group if m.ewf and m.ewf.number == dup)
        return EwfSet(
            paths,
            f"{first}: cannot tell EWF sets apart: {claim} all claim segment {dup} of sets with the same "
            "geometry and no set identifier (keep each set in its own folder or under its own name)",
        )
    if numbers[0] != 1:
        return EwfSet(paths, f"{first}: EWF segment {numbers[0]} without segment 1 of its set")
    for expected, got in enumerate(numbers, 1):
        if got != expected:
            return EwfSet(
                paths, f"{first}: EWF segment {expected} of the set is missing (found segment {got} after it)"
            )
    last = group[-1].ewf
    if last is not None and last.last is False:
        return EwfSet(
            paths,
            f"{first}: EWF segment {len(numbers) + 1} of the set is missing "
            f"(segment {len(numbers)}, {group[-1].path.name}, says more follow)",
        )
    return EwfSet(paths)
