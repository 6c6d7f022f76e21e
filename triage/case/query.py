"""Query objects for the case: the only way callers select files, findings and problems.

A :class:`FileQuery` says *what* to select (scope, deletion, type, finding, tag, verdicts, name
text, ids, time range, status, evidence); a :class:`PageKey` says where a sorted page starts
(keyset paging: the last row's sort value and id, never an OFFSET). The store compiles both to
SQL here, inside triage/case/, so callers never write SQL and a second store backend (PostgreSQL
for shared lab cases) only has to compile the same objects to its own dialect.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from triage.case.records import FileRecord, Finding, FindingSeverity, Location, Problem, Severity

#: Columns files may be sorted by, with the sentinel NULL sorts as.
SORT_COLUMNS: dict[str, Any] = {
    "id": -1,
    "name": "",
    "path": "",
    "size": -1,
    "type": "",
    "deleted": -1,
    "mtime": -1,
    "atime": -1,
    "ctime": -1,
    "crtime": -1,
    "status": "",
    "mime": "",
    "sha256": "",
    "md5": "",
}

#: Time columns a :attr:`FileQuery.time_range` may test.
TIME_COLUMNS = ("mtime", "atime", "ctime", "crtime", "fn_mtime", "fn_atime", "fn_ctime", "fn_crtime")


@dataclass(frozen=True)
class FileQuery:
    """Which files to select; every field set narrows the selection (AND). All None: every file.

    ``partition_id`` + ``parent_path``: one folder; ``mime`` selects regular files by type (``""``:
    no type); ``finding_kind`` (+ ``finding_name``): files with such a finding; ``hashset``: files
    with any hash-set finding; ``known``/``notable``: hash-set verdicts; ``name_contains``: a
    case-insensitive substring of the name; ``has_finding``/``finding_severity``/``finding_plugin``:
    files with any finding, one of that severity, or from that plugin; ``has_tag``: any tag; ``time_range``: ``(start, end)`` Unix seconds,
    inclusive, on any of ``time_columns``. ``mime_prefix``: regular files whose type starts with it
    (``"image/"``: the gallery's pictures).
    """

    evidence_id: int | None = None
    partition_id: int | None = None
    parent_path: str | None = None
    deleted: bool | None = None
    types: tuple[str, ...] | None = None
    mime: str | None = None
    finding_kind: str | None = None
    finding_name: str | None = None
    has_finding: bool = False
    finding_severity: str | None = None
    finding_plugin: str | None = None
    tag: str | None = None
    has_tag: bool = False
    hashset: bool = False
    known: bool = False
    notable: bool = False
    name_contains: str | None = None
    ids: tuple[int, ...] | None = None
    time_range: tuple[int | None, int | None] | None = None
    time_columns: tuple[str, ...] = ("mtime", "atime", "ctime", "crtime")
    status: tuple[str, ...] | None = None
    has_sha256: bool | None = None
    min_id: int | None = None
    mime_prefix: str | None = None

    @classmethod
    def scope(cls, scope: str, *params: Any) -> FileQuery:
        """The named GUI scopes (``all``, ``folder``, ``deleted``, ``type``, ``finding``, ``tag``,
        ``hashset``, ``known``, ``notable``, ``name``, ``ids``) as a query."""
        if scope == "all":
            return cls()
        if scope == "folder":
            return cls(partition_id=int(params[0]), parent_path=str(params[1]))
        if scope == "deleted":
            return cls(deleted=True)
        if scope == "type":
            return cls(mime=str(params[0]))
        if scope == "finding":
            return cls(finding_kind=str(params[0]), finding_name=params[1] if len(params) > 1 else None)
        if scope == "tag":
            return cls(tag=str(params[0]))
        if scope == "hashset":
            return cls(hashset=True)
        if scope == "known":
            return cls(known=True)
        if scope == "notable":
            return cls(notable=True)
        if scope == "name":
            return cls(name_contains=str(params[0]))
        if scope == "ids":
            return cls(ids=tuple(int(i) for i in params[0]))
        raise ValueError(f"unknown file scope {scope!r}")


@dataclass(frozen=True)
class PageKey:
    """Where the next page of a sorted selection starts: the last row's sort value and id."""

    value: Any
    id: int

    @classmethod
    def of(cls, record: FileRecord, order: str) -> PageKey:
        return cls(sort_value(record, order), record.id)


@dataclass(frozen=True)
class FindingQuery:
    """Which findings to select (AND of the fields set)."""

    plugin: str | None = None
    kind: str | None = None
    name: str | None = None
    severity: FindingSeverity | str | None = None
    file_id: int | None = None
    evidence_id: int | None = None
    scan_id: int | None = None
    file_ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class ProblemQuery:
    """Which recorded errors/warnings to select (AND of the fields set)."""

    severity: Severity | str | None = None
    source: str | None = None
    evidence_id: int | None = None
    file_id: int | None = None
    scan_id: int | None = None
    file_ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class FileStats:
    """Counts over the regular files (not skipped) a query selects."""

    files: int
    done: int
    failed: int
    pending: int
    bytes: int


ALL_FILES = FileQuery()
ALL_FINDINGS = FindingQuery()
ALL_PROBLEMS = ProblemQuery()


def sort_value(record: FileRecord, order: str) -> Any:
    """The value a sorted page compares for ``record`` (NULL replaced by the column's sentinel)."""
    if order not in SORT_COLUMNS:
        raise ValueError(f"cannot sort files by {order!r}")
    value = record.id if order == "id" else getattr(record, order)
    if isinstance(value, bool):
        value = int(value)
    return SORT_COLUMNS[order] if value is None else value


# -- compilation to SQLite (private to triage.case) ---------------------------------------------
def _in(column: str, values: tuple[Any, ...]) -> tuple[str, list[Any]]:
    return f"{column} IN ({','.join('?' * len(values)) or 'NULL'})", list(values)


def compile_files(q: FileQuery) -> tuple[str, list[Any]]:
    """``q`` as a WHERE condition over ``files f`` (``""``: everything) and its parameters."""
    conds: list[str] = []
    args: list[Any] = []

    def add(cond: str, *params: Any) -> None:
        conds.append(cond)
        args.extend(params)

    if q.evidence_id is not None:
        add("f.evidence_id=?", q.evidence_id)
    if q.partition_id is not None:
        add("f.partition_id=?", q.partition_id)
    if q.parent_path is not None:
        add("f.parent_path=?", q.parent_path)
    if q.deleted is not None:
        add("f.deleted=?", int(q.deleted))
    if q.types is not None:
        cond, params = _in("f.type", q.types)
        add(cond, *params)
    if q.mime is not None:
        add("COALESCE(f.mime, '')=? AND f.type='r'", q.mime)
    if q.finding_kind is not None:
        add(
            "f.id IN (SELECT file_id FROM findings WHERE kind=? AND (? IS NULL OR name=?))",
            q.finding_kind,
            q.finding_name,
            q.finding_name,
        )
    if q.has_finding:
        add("f.id IN (SELECT file_id FROM findings)")
    if q.finding_severity is not None:
        add("f.id IN (SELECT file_id FROM findings WHERE severity=?)", q.finding_severity)
    if q.finding_plugin is not None:
        add("f.id IN (SELECT file_id FROM findings WHERE plugin=?)", q.finding_plugin)
    if q.tag is not None:
        add("f.id IN (SELECT file_id FROM tags WHERE tag=?)", q.tag)
    if q.has_tag:
        add("f.id IN (SELECT file_id FROM tags)")
    if q.hashset:
        add("f.id IN (SELECT file_id FROM findings WHERE kind LIKE '%hash%')")
    if q.known:
        add("json_extract(f.attributes, '$.known') = 1")
    if q.notable:
        add(
            "(json_extract(f.attributes, '$.notable') = 1 OR f.id IN "
            "(SELECT file_id FROM findings WHERE kind='hashset' AND severity='alert'))"
        )
    if q.name_contains is not None:
        text = q.name_contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        add("f.name LIKE ? ESCAPE '\\'", f"%{text}%")
    if q.ids is not None:
        cond, params = _in("f.id", q.ids)
        add(cond, *params)
    if q.time_range is not None:
        start, end = q.time_range
        parts = []
        for col in q.time_columns:
            if col not in TIME_COLUMNS:
                raise ValueError(f"not a time column: {col!r}")
            part = [f"f.{col} IS NOT NULL"]
            if start is not None:
                part.append(f"f.{col} >= ?")
                args.append(start)
            if end is not None:
                part.append(f"f.{col} <= ?")
                args.append(end)
            parts.append("(" + " AND ".join(part) + ")")
        conds.append("(" + " OR ".join(parts or ["0"]) + ")")
    if q.status is not None:
        cond, params = _in("f.status", q.status)
        add(cond, *params)
    if q.has_sha256 is not None:
        add("f.sha256 IS NOT NULL" if q.has_sha256 else "f.sha256 IS NULL")
    if q.min_id is not None:
        add("f.id >= ?", q.min_id)
    if q.mime_prefix is not None:
        text = q.mime_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        add("f.type='r' AND f.mime LIKE ? ESCAPE '\\'", f"{text}%")
    return " AND ".join(f"({c})" for c in conds), args


def compile_findings(q: FindingQuery) -> tuple[str, list[Any]]:
    conds: list[str] = []
    args: list[Any] = []
    for col, value in (
        ("plugin", q.plugin),
        ("kind", q.kind),
        ("name", q.name),
        ("severity", None if q.severity is None else str(q.severity)),
        ("file_id", q.file_id),
        ("evidence_id", q.evidence_id),
        ("scan_id", q.scan_id),
    ):
        if value is not None:
            conds.append(f"fi.{col}=?")
            args.append(value)
    if q.file_ids is not None:
        cond, params = _in("fi.file_id", q.file_ids)
        conds.append(cond)
        args.extend(params)
    return " AND ".join(conds), args


def compile_problems(q: ProblemQuery) -> tuple[str, list[Any]]:
    conds: list[str] = []
    args: list[Any] = []
    for col, value in (
        ("severity", None if q.severity is None else str(q.severity)),
        ("source", q.source),
        ("evidence_id", q.evidence_id),
        ("file_id", q.file_id),
        ("scan_id", q.scan_id),
    ):
        if value is not None:
            conds.append(f"er.{col}=?")
            args.append(value)
    if q.file_ids is not None:
        cond, params = _in("er.file_id", q.file_ids)
        conds.append(cond)
        args.extend(params)
    return " AND ".join(conds), args


# -- rows to records ------------------------------------------------------------------------------
def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def file_record(row: Mapping[str, Any]) -> FileRecord:
    """A joined files row (``f.*``, ``partition``, ``partition_offset``, ``evidence``) as a record."""
    attrs = _json(row.get("attributes")) or {}
    mismatch = row.get("ext_mismatch")
    raw = row.get("name_raw")
    return FileRecord(
        id=int(row["id"]),
        location=Location(
            evidence_id=int(row["evidence_id"]),
            partition=int(row["partition"]),
            inode=row.get("inode"),
            attr_type=row.get("attr_type"),
            attr_id=row.get("attr_id"),
        ),
        evidence_path=str(row["evidence"]),
        partition_id=int(row["partition_id"]),
        partition_offset=int(row["partition_offset"] or 0),
        parent_path=row["parent_path"],
        path=row["path"],
        name=row["name"],
        type=row["type"],
        size=int(row["size"]),
        deleted=bool(row["deleted"]),
        status=row["status"],
        name_raw=bytes(raw) if raw is not None else None,
        stream=row.get("stream"),
        realloc=bool(row.get("realloc")),
        orphan=bool(row.get("orphan")),
        **{k: row.get(k) for k in _PLAIN},
        ext_mismatch=None if mismatch is None else bool(mismatch),
        attributes=attrs,
    )


_PLAIN = (
    "mtime atime ctime crtime crtime_ns fn_mtime fn_atime fn_ctime fn_crtime fn_crtime_ns fn_attr_id "
    "fn_size mode uid gid name_type link md5 sha1 sha256 mime description error damage"
).split()


def finding_record(row: Mapping[str, Any]) -> Finding:
    """A findings row joined with its file (path, inode, attribute, sha256, partition index)."""
    location = None
    if row.get("file_id") is not None and row.get("partition") is not None:
        location = Location(
            evidence_id=int(row["evidence_id"]),
            partition=int(row["partition"]),
            inode=row.get("inode"),
            attr_type=row.get("attr_type"),
            attr_id=row.get("attr_id"),
        )
    return Finding(
        id=int(row["id"]),
        plugin=row["plugin"],
        plugin_version=row["plugin_version"],
        kind=row["kind"],
        name=row["name"],
        severity=FindingSeverity(row["severity"]),
        details=_json(row.get("details")) or {},
        file_id=row.get("file_id"),
        evidence_id=row.get("evidence_id"),
        scan_id=row.get("scan_id"),
        location=location,
        path=row.get("path"),
        sha256=row.get("sha256"),
    )


def problem_record(row: Mapping[str, Any]) -> Problem:
    return Problem(
        id=int(row["id"]),
        severity=Severity(row.get("severity") or "error"),
        source=row["source"],
        message=row["message"],
        created=row["created"],
        scan_id=row.get("scan_id"),
        evidence_id=row.get("evidence_id"),
        partition_id=row.get("partition_id"),
        file_id=row.get("file_id"),
        path=row.get("path"),
    )
