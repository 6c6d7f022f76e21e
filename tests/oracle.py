"""The Sleuth Kit as an oracle: parse ``fls -r -p`` and hash with ``icat``."""

from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from triage.evidence.names import display_bytes, os_name

_LINE = re.compile(
    r"^(?P<types>[-a-zA-Z]/[-a-zA-Z])\s+(?P<del>\*\s+)?(?P<addr>[\d-]+)(?:\(realloc\))?:\t(?P<path>.*)$"
)


@dataclass(frozen=True)
class FlsEntry:
    name_type: str
    meta_type: str
    deleted: bool
    addr: str
    path: str

    @property
    def inode(self) -> int:
        return int(self.addr.split("-")[0])


def fls(image: Path, sector_offset: int) -> list[FlsEntry]:
    out = subprocess.run(
        ["fls", "-r", "-p", "-o", str(sector_offset), str(image)], capture_output=True, check=True
    ).stdout.decode("utf-8", "surrogateescape")
    entries = []
    for line in out.splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        nt, mt = m.group("types").split("/")
        entries.append(FlsEntry(nt, mt, bool(m.group("del")), m.group("addr"), m.group("path")))
    return entries


def icat_sha256(image: Path, sector_offset: int, addr: str) -> str:
    data = subprocess.run(
        ["icat", "-o", str(sector_offset), str(image), addr], capture_output=True, check=True
    ).stdout
    return hashlib.sha256(data).hexdigest()


def fls_path(path: str) -> str:
    """Our path as fls -p prints it: its bytes (our path is their display form, see
    ``triage.evidence.names``), no leading slash, control characters as ``^``."""
    raw = os_name(display_bytes(path))
    return "".join("^" if ord(c) < 0x20 else c for c in raw.lstrip("/"))


def our_addr(rec: dict) -> str:
    if rec["attr_type"] is not None:
        return f"{rec['inode']}-{rec['attr_type']}-{rec['attr_id']}"
    return str(rec["inode"])


def check_against_tsk(image: Path, records: list[dict], sector_size: int = 512) -> dict[str, int]:
    """Every regular file/stream fls lists appears in ``records`` with icat's SHA-256.

    Returns counts of what was compared. Raises AssertionError listing every mismatch.
    """
    problems: list[str] = []
    counts = {"files": 0, "deleted": 0, "hashed": 0}
    by_partition: dict[int, list[dict]] = {}
    for r in records:
        by_partition.setdefault(r["partition_offset"], []).append(r)
    for offset, recs in by_partition.items():
        sector = offset // sector_size
        ours = {(our_addr(r), fls_path(r["path"])): r for r in recs}
        for e in fls(image, sector):
            if e.meta_type != "r" and not (e.meta_type == "-" and e.name_type == "r"):
                continue
            key = (e.addr, e.path)
            rec = ours.get(key)
            if rec is None:
                problems.append(f"offset {offset}: fls lists {e.addr} {e.path!r} but triage does not")
                continue
            counts["files"] += 1
            counts["deleted"] += int(e.deleted)
            if bool(rec["deleted"]) != e.deleted:
                problems.append(f"{e.path}: deleted={rec['deleted']} but fls says {e.deleted}")
            if e.meta_type != "r" or (e.inode == 0 and rec["attr_type"] is None):
                continue  # a name with no metadata: nothing to read (NTFS's $MFT at address 0 is read)
            try:
                expected = icat_sha256(image, sector, e.addr)
            except subprocess.CalledProcessError:  # icat cannot read it either: we must not claim a hash
                if rec["sha256"] is not None:
                    problems.append(f"{e.path} ({e.addr}): icat fails but triage reports {rec['sha256']}")
                continue
            counts["hashed"] += 1
            if rec["sha256"] != expected:
                problems.append(
                    f"{e.path} ({e.addr}): sha256 {rec['sha256']} != icat {expected} "
                    f"[status {rec['status']}, error {rec['error']}]"
                )
    if problems:
        raise AssertionError(
            f"{len(problems)} disagreement(s) with The Sleuth Kit:\n" + "\n".join(problems[:50])
        )
    return counts
