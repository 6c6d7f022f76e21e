"""MACB timeline from file-system times, with deleted files, as body file, CSV or Timesketch JSON lines.

The body file follows The Sleuth Kit's format (``MD5|name|inode|mode|UID|GID|size|atime|mtime|ctime|crtime``)
so that ``mactime -b`` reads it exactly as it reads ``fls -m`` output, line for line: NTFS entries get
a second line with their $FILE_NAME times (``name ($FILE_NAME)``, inode ``ADDR-48-ID``, the attribute's
size) just before their first data-stream line, and deleted names whose metadata is allocated again
are labelled ``(deleted-realloc)``, as ``fls`` does. Events carry their source (``$SI`` or ``$FN`` on
NTFS) and the entry's timestomping signs (:mod:`triage.timestomp`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from triage.case.query import ALL_FILES, FileQuery
from triage.case.store import Case, deletion_label
from triage.evidence.names import percent_encoded, text_bytes
from triage.timestomp import timestomp_codes

TIME_FIELDS = (
    ("mtime", "m", "Modification Time"),
    ("atime", "a", "Access Time"),
    ("ctime", "c", "Metadata Change Time"),
    ("crtime", "b", "Creation Time"),
)
FN_FIELDS = tuple((f"fn_{key}", flag, f"{label} ($FILE_NAME)") for key, flag, label in TIME_FIELDS)
_PERMS = "rwxrwxrwx"
_FNAME_TYPE = 48


@dataclass(frozen=True)
class Event:
    """One time of one entry."""

    timestamp: int
    macb: str
    file: dict[str, Any]
    label: str
    source: str = ""
    """``$SI`` or ``$FN`` for NTFS entries ($STANDARD_INFORMATION or $FILE_NAME), empty elsewhere."""
    timestomp: tuple[str, ...] = ()
    """The entry's timestomping sign codes (:func:`triage.timestomp.timestomp_codes`)."""


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


def _entries(case: Case, deleted_only: bool = False) -> Iterator[tuple[dict[str, Any], bool]]:
    """Rows in inventory order, each with whether it is the first row of its entry: that one carries
    the entry's $FILE_NAME line (fls prints the $FILE_NAME attribute before the $DATA ones)."""
    last: tuple[Any, ...] | None = None
    for record in case.each_file(FileQuery(deleted=True) if deleted_only else ALL_FILES):
        r = record.as_row()
        key = (r["partition_id"], r["inode"], _entry_path(r))
        yield r, key != last
        last = key


def _entry_path(row: dict[str, Any]) -> str:
    """The entry's path without its data-stream suffix."""
    path, stream = str(row["path"]), row.get("stream")
    return path[: -len(stream) - 1] if stream and path.endswith(f":{stream}") else path


def _name(case_multi: bool, row: dict[str, Any], *, fname: bool = False) -> str:
    prefix = f"/p{row['partition']}" if case_multi else ""
    path = f"{_entry_path(row)} ($FILE_NAME)" if fname else row["path"]
    link = f" -> {row['link']}" if row.get("link") else ""
    label = deletion_label(row)
    suffix = f" ({label})" if label else ""
    return f"{prefix}{path}{link}{suffix}"


def has_fn(row: dict[str, Any]) -> bool:
    """True for NTFS entries whose $FILE_NAME times were recorded."""
    return row.get("fn_attr_id") is not None


def _source(row: dict[str, Any]) -> str:
    return "$SI" if has_fn(row) or row.get("attr_type") is not None else ""


def _body_name(name: str, row: dict[str, Any]) -> str:
    """The name field as the bytes on disk, ``%HH``-escaped where ``mactime`` needs it (it decodes them)."""
    return percent_encoded(text_bytes(name, display=row.get("name_raw") is not None))


def _inode(row: dict[str, Any]) -> str:
    if row["attr_type"] is not None:
        return f"{row['inode']}-{row['attr_type']}-{row['attr_id']}"
    return str(row["inode"] if row["inode"] is not None else 0)


def bodyfile(case: Case, deleted_only: bool = False) -> Iterator[str]:
    """Body-file lines for every entry (MD5 ``0`` where not computed), $FILE_NAME lines included."""
    multi = len(case.partitions()) > 1
    for r, first in _entries(case, deleted_only):
        mode = mode_string(r["name_type"], r["type"], r["mode"])
        owner = [str(r["uid"] or 0), str(r["gid"] or 0)]
        if first and has_fn(r):
            times = [r[k] or 0 for k in ("fn_atime", "fn_mtime", "fn_ctime", "fn_crtime")]
            yield "|".join(
                [
                    "0",
                    _body_name(_name(multi, r, fname=True), r),
                    f"{r['inode']}-{_FNAME_TYPE}-{r['fn_attr_id']}",
                    mode,
                    *owner,
                    str(r["fn_size"] or 0),
                    *map(str, times),
                ]
            )
        times = [r[k] or 0 for k in ("atime", "mtime", "ctime", "crtime")]
        yield "|".join(
            [
                r["md5"] or "0",
                _body_name(_name(multi, r), r),
                _inode(r),
                mode,
                *owner,
                str(r["size"]),
                *map(str, times),
            ]
        )


def events(
    case: Case,
    *,
    deleted_only: bool = False,
    start: int | None = None,
    end: int | None = None,
    with_findings: bool = False,
) -> list[Event]:
    """Every M, A, C and B time as its own event, oldest first."""
    findings: dict[int, list[str]] = {}
    if with_findings:
        for f in case.select_findings():
            if f.file_id is not None:
                findings.setdefault(f.file_id, []).append(f"{f.plugin}:{f.name}")
    out = []
    for r, first in _entries(case, deleted_only):
        if with_findings:
            r = {**r, "findings": sorted(set(findings.get(r["id"], [])))}
        signs = timestomp_codes(r)
        fields = [(TIME_FIELDS, _source(r))] + ([(FN_FIELDS, "$FN")] if first and has_fn(r) else [])
        for spec, source in fields:
            for key, flag, label in spec:
                ts = r[key]
                if not ts or (start is not None and ts < start) or (end is not None and ts > end):
                    continue
                out.append(Event(ts, flag, r, label, source, signs))
    out.sort(key=lambda e: (e.timestamp, e.file["id"], e.source == "$FN", "macb".index(e.macb)))
    return out


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_csv(evts: list[Event]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "datetime",
            "macb",
            "description",
            "evidence",
            "partition",
            "path",
            "inode",
            "size",
            "deleted",
            "sha256",
            "mime",
            "findings",
            "source",
            "deletion",
            "timestomp",
        ]
    )
    for e in evts:
        f = e.file
        w.writerow(
            [
                _iso(e.timestamp),
                e.macb,
                e.label,
                f["evidence"],
                f["partition"],
                _event_path(e),
                _event_inode(e),
                _event_size(e),
                int(bool(f["deleted"])),
                f["sha256"] or "",
                f["mime"] or "",
                ";".join(f.get("findings", [])),
                e.source,
                deletion_label(f),
                ";".join(e.timestomp),
            ]
        )
    return buf.getvalue()


def to_jsonl(evts: list[Event]) -> Iterator[str]:
    """Timesketch JSON lines: ``message``, ``datetime``, ``timestamp_desc`` plus attributes."""
    for e in evts:
        f = e.file
        label = deletion_label(f)
        rec = {
            "message": f"{e.label}: {_event_path(e)}{f' ({label})' if label else ''}",
            "datetime": _iso(e.timestamp),
            "timestamp": e.timestamp * 1_000_000,
            "timestamp_desc": e.label,
            "macb": e.macb,
            "path": _event_path(e),
            "inode": _event_inode(e),
            "size": _event_size(e),
            "deleted": bool(f["deleted"]),
            "deletion": label,
            "source": e.source,
            "timestomp": list(e.timestomp),
            "partition": f["partition"],
            "evidence": f["evidence"],
            "sha256": f["sha256"],
            "mime": f["mime"],
            "data_type": "fs:stat:ntfs:filename" if e.source == "$FN" else "fs:stat",
            "tag": f.get("findings", []),
        }
        yield json.dumps(rec, ensure_ascii=False)


def _event_inode(e: Event) -> str:
    """The address fls prints for the event's line: ``ADDR-48-ID`` for $FILE_NAME times."""
    if e.source == "$FN":
        return f"{e.file['inode']}-{_FNAME_TYPE}-{e.file['fn_attr_id']}"
    return _inode(e.file)


def _event_path(e: Event) -> str:
    """$FILE_NAME times belong to the entry, not to one of its data streams."""
    return _entry_path(e.file) if e.source == "$FN" else str(e.file["path"])


def _event_size(e: Event) -> Any:
    return e.file["fn_size"] if e.source == "$FN" else e.file["size"]


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
