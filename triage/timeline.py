"""MACB timeline from file-system times, with deleted files, as body file, CSV or Timesketch JSON lines.

The body file follows The Sleuth Kit's format (``MD5|name|inode|mode|UID|GID|size|atime|mtime|ctime|crtime``)
so that ``mactime -b`` reads it exactly as it reads ``fls -m`` output.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from triage.case.store import Case
from triage.evidence.names import percent_encoded, text_bytes

TIME_FIELDS = (("mtime", "m", "Modification Time"), ("atime", "a", "Access Time"),
               ("ctime", "c", "Metadata Change Time"), ("crtime", "b", "Creation Time"))
_PERMS = "rwxrwxrwx"


@dataclass(frozen=True)
class Event:
    """One time of one entry."""

    timestamp: int
    macb: str
    file: dict[str, Any]
    label: str


def mode_string(name_type: str | None, type_char: str, mode: int | None) -> str:
    """``r/rrw-r--r--`` as ``fls -m`` writes it (name type / metadata type, then permissions)."""
    n = name_type or "-"
    t = type_char if type_char in "rdlpcbshwvV-" else "-"
    if mode is None:
        return f"{n}/{'-' * 10}"
    bits = "".join(c if mode & (1 << (8 - i)) else "-" for i, c in enumerate(_PERMS))
    chars = list(bits)
    if mode & 0o4000:
        chars[2] = "s" if chars[2] == "x" else "S"
    if mode & 0o2000:
        chars[5] = "s" if chars[5] == "x" else "S"
    if mode & 0o1000:
        chars[8] = "t" if chars[8] == "x" else "T"
    return f"{n}/{t}{''.join(chars)}"


def _entries(case: Case, deleted_only: bool = False) -> Iterator[dict[str, Any]]:
    yield from case.iter_files("f.deleted=1" if deleted_only else "")


def _name(case_multi: bool, row: dict[str, Any]) -> str:
    prefix = f"/p{row['partition']}" if case_multi else ""
    link = f" -> {row['link']}" if row.get("link") else ""
    suffix = " (deleted)" if row["deleted"] else ""
    return f"{prefix}{row['path']}{link}{suffix}"


def _body_name(name: str, row: dict[str, Any]) -> str:
    """The name field as the bytes on disk, ``%HH``-escaped where ``mactime`` needs it (it decodes them)."""
    return percent_encoded(text_bytes(name, display=row.get("name_raw") is not None))


def _inode(row: dict[str, Any]) -> str:
    if row["attr_type"] is not None:
        return f"{row['inode']}-{row['attr_type']}-{row['attr_id']}"
    return str(row["inode"] if row["inode"] is not None else 0)


def bodyfile(case: Case, deleted_only: bool = False) -> Iterator[str]:
    """Body-file lines for every entry (MD5 ``0`` where not computed)."""
    multi = len(case.partitions()) > 1
    for r in _entries(case, deleted_only):
        times = [r[k] or 0 for k in ("atime", "mtime", "ctime", "crtime")]
        yield "|".join([
            r["md5"] or "0", _body_name(_name(multi, r), r), _inode(r), mode_string(r["name_type"], r["type"], r["mode"]),
            str(r["uid"] or 0), str(r["gid"] or 0), str(r["size"]), *map(str, times),
        ])


def events(case: Case, *, deleted_only: bool = False, start: int | None = None, end: int | None = None,
           with_findings: bool = False) -> list[Event]:
    """Every M, A, C and B time as its own event, oldest first."""
    findings: dict[int, list[str]] = {}
    if with_findings:
        for f in case.findings():
            if f["file_id"] is not None:
                findings.setdefault(f["file_id"], []).append(f"{f['plugin']}:{f['name']}")
    out = []
    for r in _entries(case, deleted_only):
        if with_findings:
            r = {**r, "findings": sorted(set(findings.get(r["id"], [])))}
        for key, flag, label in TIME_FIELDS:
            ts = r[key]
            if not ts or (start is not None and ts < start) or (end is not None and ts > end):
                continue
            out.append(Event(ts, flag, r, label))
    out.sort(key=lambda e: (e.timestamp, e.file["id"], "macb".index(e.macb)))
    return out


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_csv(evts: list[Event]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["datetime", "macb", "description", "evidence", "partition", "path", "inode", "size", "deleted",
                "sha256", "mime", "findings"])
    for e in evts:
        f = e.file
        w.writerow([_iso(e.timestamp), e.macb, e.label, f["evidence"], f["partition"], f["path"], _inode(f), f["size"],
                    int(bool(f["deleted"])), f["sha256"] or "", f["mime"] or "", ";".join(f.get("findings", []))])
    return buf.getvalue()


def to_jsonl(evts: list[Event]) -> Iterator[str]:
    """Timesketch JSON lines: ``message``, ``datetime``, ``timestamp_desc`` plus attributes."""
    for e in evts:
        f = e.file
        rec = {
            "message": f"{e.label}: {f['path']}{' (deleted)' if f['deleted'] else ''}",
            "datetime": _iso(e.timestamp), "timestamp": e.timestamp * 1_000_000, "timestamp_desc": e.label,
            "macb": e.macb, "path": f["path"], "inode": _inode(f), "size": f["size"], "deleted": bool(f["deleted"]),
            "partition": f["partition"], "evidence": f["evidence"], "sha256": f["sha256"], "mime": f["mime"],
            "data_type": "fs:stat", "tag": f.get("findings", []),
        }
        yield json.dumps(rec, ensure_ascii=False)


def histogram(evts: list[Event], buckets: int = 100) -> list[tuple[int, int, int]]:
    """``(bucket_start, bucket_end, count)`` over the events' time span (for the GUI view)."""
    if not evts:
        return []
    lo, hi = evts[0].timestamp, evts[-1].timestamp
    width = max(1, (hi - lo + buckets) // buckets)
    counts = [0] * buckets
    for e in evts:
        counts[min(buckets - 1, (e.timestamp - lo) // width)] += 1
    return [(lo + i * width, lo + (i + 1) * width - 1, c) for i, c in enumerate(counts)]
