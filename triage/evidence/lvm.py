"""LVM2 physical volumes: the logical volumes they hold, as byte ranges of the image.

The LVM2 on-disk format is documented (``man lvm``, LVM2's ``format_text`` sources): a
``LABELONE`` label in one of the first four sectors, a physical-volume header naming the data area
(``pe_start``) and the metadata area, and the volume group's metadata as text in that area. A
logical volume made of linear segments that follow one another on this physical volume is one
contiguous byte range, so it becomes an ordinary partition at its real offset (libtsk, ``icat -o``
and the mount read it as they read any partition). Any other logical volume (striped, mirrored,
thin, spread over several physical volumes or out of order) is listed with the reason it is not
read. libvslvm (pyvslvm) cross-checks the names and sizes when it is installed.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from typing import Any

_MDA_MAGIC = b" LVM2 x[5A%r0N*>"


@dataclass(frozen=True)
class LogicalVolume:
    """One logical volume: ``offset``/``length`` in bytes from the physical volume's start, or
    ``problem`` (why it is not one contiguous range here)."""

    vg: str
    name: str
    length: int
    offset: int | None
    problem: str = ""


def is_physical_volume(head: bytes) -> bool:
    return any(
        head[s * 512 : s * 512 + 8] == b"LABELONE" and head[s * 512 + 24 : s * 512 + 32] == b"LVM2 001"
        for s in range(4)
        if len(head) >= s * 512 + 32
    )


def logical_volumes(read: Any, offset: int) -> list[LogicalVolume]:
    """The logical volumes of the LVM2 physical volume at ``offset`` (``read(offset, n)`` reads the image).

    Raises:
        ValueError: no LVM2 label, or its metadata cannot be read (the message says why).
    """
    head = read(offset, 2048)
    label = next((s * 512 for s in range(4) if head[s * 512 : s * 512 + 8] == b"LABELONE"), None)
    if label is None or head[label + 24 : label + 32] != b"LVM2 001":
        raise ValueError("no LVM2 label in the first four sectors")
    pvh = label + struct.unpack_from("<I", head, label + 20)[0]
    uuid = head[pvh : pvh + 32].decode("ascii", "replace")
    pos = pvh + 40
    areas: list[list[tuple[int, int]]] = [[], []]
    for kind in (0, 1):  # data areas, then metadata areas; each list ends with a zero entry
        while pos + 16 <= len(head):
            o, n = struct.unpack_from("<QQ", head, pos)
            pos += 16
            if o == 0:
                break
            areas[kind].append((o, n))
    if not areas[1]:
        raise ValueError("the physical volume has no metadata area")
    mda, mda_size = areas[1][0]
    mh = read(offset + mda, 512)
    if mh[4:20] != _MDA_MAGIC:
        raise ValueError(f"no metadata area header at byte {mda} of the physical volume")
    ro, rs = struct.unpack_from("<QQ", mh, 40)
    if rs == 0:
        raise ValueError("the metadata area holds no volume group metadata")
    if ro + rs <= mda_size:
        text = read(offset + mda + ro, rs)
    else:  # the metadata wraps round the circular buffer (it starts again after the 512-byte header)
        first = mda_size - ro
        text = read(offset + mda + ro, first) + read(offset + mda + 512, rs - first)
    return _volumes(parse_metadata(text.rstrip(b"\0").decode("utf-8", "replace")), uuid)


_TOKEN = re.compile(r'\s*(?:#[^\n]*|"((?:[^"\\]|\\.)*)"|([\w.+-]+)|(.))', re.S)


def parse_metadata(text: str) -> dict[str, Any]:
    """LVM2 text metadata as nested dicts (``name { key = value … }``; arrays as lists)."""
    tokens = [
        ("s", m[1]) if m[1] is not None else ("w", m[2]) if m[2] is not None else ("p", m[3])
        for m in _TOKEN.finditer(text)
        if m[1] is not None or m[2] is not None or m[3] is not None
    ]
    pos = 0

    def value() -> Any:
        nonlocal pos
        kind, tok = tokens[pos]
        pos += 1
        if kind == "p" and tok == "[":
            items = []
            while tokens[pos] != ("p", "]"):
                if tokens[pos] == ("p", ","):
                    pos += 1
                    continue
                items.append(value())
            pos += 1
            return items
        if kind == "w" and re.fullmatch(r"-?\d+", tok):
            return int(tok)
        return tok

    def section(end: str | None) -> dict[str, Any]:
        nonlocal pos
        out: dict[str, Any] = {}
        while pos < len(tokens) and tokens[pos] != ("p", end):
            name = tokens[pos][1]
            pos += 1
            if pos >= len(tokens):
                break
            if tokens[pos] == ("p", "{"):
                pos += 1
                out[name] = section("}")
                pos += 1
            elif tokens[pos] == ("p", "="):
                pos += 1
                out[name] = value()
        return out

    return section(None)


def _volumes(meta: dict[str, Any], uuid: str) -> list[LogicalVolume]:
    empty: dict[str, Any] = {}
    vg_name, vg = next(
        ((k, v) for k, v in meta.items() if isinstance(v, dict) and "extent_size" in v), ("", empty)
    )
    if not vg:
        raise ValueError("the metadata names no volume group")
    extent = int(vg["extent_size"]) * 512
    pv_name, pv = next(
        (
            (k, v)
            for k, v in vg.get("physical_volumes", {}).items()
            if str(v.get("id", "")).replace("-", "") == uuid
        ),
        ("", empty),
    )
    pe_start = int(pv.get("pe_start", 0)) * 512
    out = []
    for name, lv in vg.get("logical_volumes", {}).items():
        segs = sorted(
            (v for k, v in lv.items() if k.startswith("segment") and isinstance(v, dict)),
            key=lambda s: int(s.get("start_extent", 0)),
        )
        length = sum(int(s.get("extent_count", 0)) for s in segs) * extent
        problem, first, expect = "", None, None
        for s in segs:
            stripes = s.get("stripes", [])
            if s.get("type") != "striped" or int(s.get("stripe_count", 0)) != 1 or len(stripes) != 2:
                problem = (
                    f"segment of type {s.get('type')!r} with {s.get('stripe_count')} stripes: not read yet"
                )
                break
            if stripes[0] != pv_name:
                problem = f"extents on physical volume {stripes[0]!r}, not this one: not read yet"
                break
            if expect is not None and int(stripes[1]) != expect:
                problem = "its segments are not contiguous on the physical volume: not read yet"
                break
            first = int(stripes[1]) if first is None else first
            expect = int(stripes[1]) + int(s.get("extent_count", 0))
        if not segs:
            problem = "no segments"
        out.append(
            LogicalVolume(
                vg_name,
                name,
                length,
                None if problem or first is None else pe_start + first * extent,
                problem,
            )
        )
    return out


def check_with_libvslvm(read: Any, offset: int, length: int, volumes: list[LogicalVolume]) -> str:
    """Empty when libvslvm lists the same logical volumes (names and sizes); else why not."""
    try:
        import pyvslvm
    except ImportError:
        return ""
    from triage.evidence.fve import ImageFile

    handle = pyvslvm.handle()
    try:
        handle.open_file_object(ImageFile(read, offset, length))
        vg = handle.get_volume_group()
        theirs = sorted((lv.name, int(lv.size)) for lv in vg.logical_volumes)
        handle.close()
    except OSError as exc:
        return f"libvslvm cannot open it: {str(exc).splitlines()[-1]}"
    ours = sorted((v.name, v.length) for v in volumes)
    return "" if theirs == ours else f"libvslvm lists other logical volumes: {theirs}"
