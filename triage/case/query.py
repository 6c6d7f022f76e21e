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
    files with any finding, one of that severity, or from that plugin; ``has_tag``: any tag;
    ``time_range``: ``(start, end)`` Unix seconds, inclusive, on any of ``time_columns``;
    ``path_glob``/``name_glob``/``mime_glob``: SQLite GLOB patterns (case-sensitive; NULL as ``""``);
    ``partition_index``: the partition's index in its volume system. ``any_of``: the file also
    matches at least one of these queries (a union, e.g. the export's selection terms; ``()``
    selects nothing). ``mime_prefix``: regular files whose type starts with it
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
    """With or without ``finding_kind``: files with a finding of that name."""
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
    path_glob: str | None = None
    name_glob: str | None = None
    mime_glob: str | None = None
    partition_index: int | None = None
    any_of: tuple[FileQuery, ...] | None = None
    hide_known: bool = False
    """Leave out files a 'known' hash set matched."""
    damaged: bool | None = None
    """Files with (True) or without (False) recorded damage in the evidence under them."""
    origin: tuple[str, ...] | None = None
    """Entries of these origins: ``fs`` (listed by a file system), ``member`` (inside a container),
    ``carved`` (from unallocated space)."""
    has_members: bool = False
    """Containers: files with at least one member in the case."""

    @classmethod
    def scope(cls, scope: str, *params: Any) -> FileQuery:
        """The named GUI scopes (``all``, ``folder``, ``deleted``, ``type``, ``finding``, ``tag``,
        ``hashset``, ``known``, ``notable``, ``name``, ``ids``, ``carved``: a partition's carved
        files) as a query."""
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
        if scope == "carved":
            return cls(partition_id=int(params[0]), origin=("carved",))
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
class _Where:
    """The one builder the compile_* functions share: AND-ed conditions and their parameters."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self.conds: list[str] = []
        self.args: list[Any] = []

    def add(self, cond: str, *params: Any) -> None:
        self.conds.append(cond)
        self.args.extend(params)

    def eq(self, column: str, value: Any) -> None:
        """``alias.column = value`` when ``value`` is not None."""
        if value is not None:
            self.add(f"{self.alias}.{column}=?", value)

    def among(self, column: str, values: tuple[Any, ...] | None) -> None:
        """``alias.column IN values`` when ``values`` is not None (an empty tuple selects nothing)."""
        if values is not None:
            self.add(f"{self.alias}.{column} IN ({','.join('?' * len(values)) or 'NULL'})", *values)

    def sql(self) -> tuple[str, list[Any]]:
        return " AND ".join(f"({c})" for c in self.conds), self.args


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def compile_files(q: FileQuery) -> tuple[str, list[Any]]:
    """``q`` as a WHERE condition over ``files f`` (``""``: everything) and its parameters."""
    w = _Where("f")
    for column in ("evidence_id", "partition_id", "parent_path"):
        w.eq(column, getattr(q, column))
    w.eq("deleted", None if q.deleted is None else int(q.deleted))
    w.among("type", q.types)
    if q.mime is not None:
        w.add("COALESCE(f.mime, '')=? AND f.type='r'", q.mime)
    for column, pattern in (("path", q.path_glob), ("name", q.name_glob), ("mime", q.mime_glob)):
        if pattern is not None:
            w.add(f"COALESCE(f.{column}, '') GLOB ?", pattern)
    if q.partition_index is not None:
        w.add("f.partition_id IN (SELECT id FROM partitions WHERE idx=?)", q.partition_index)
    if q.finding_kind is not None or q.finding_name is not None:
        w.add(
            "f.id IN (SELECT file_id FROM findings WHERE (? IS NULL OR kind=?) AND (? IS NULL OR name=?))",
            q.finding_kind,
            q.finding_kind,
            q.finding_name,
            q.finding_name,
        )
    if q.has_finding:
        w.add("f.id IN (SELECT file_id FROM findings)")
    if q.finding_severity is not None:
        w.add("f.id IN (SELECT file_id FROM findings WHERE severity=?)", q.finding_severity)
    if q.finding_plugin is not None:
        w.add("f.id IN (SELECT file_id FROM findings WHERE plugin=?)", q.finding_plugin)
    if q.tag is not None:
        w.add("f.id IN (SELECT file_id FROM tags WHERE tag=?)", q.tag)
    if q.has_tag:
        w.add("f.id IN (SELECT file_id FROM tags)")
    if q.hashset:
        w.add("f.id IN (SELECT file_id FROM findings WHERE kind LIKE '%hash%')")
    if q.known:
        w.add("json_extract(f.attributes, '$.known') = 1")
    if q.notable:
        w.add(
            "(json_extract(f.attributes, '$.notable') = 1 OR f.id IN "
            "(SELECT file_id FROM findings WHERE kind='hashset' AND severity='alert'))"
        )
    if q.name_contains is not None:
        w.add("f.name LIKE ? ESCAPE '\\'", _like(q.name_contains))
    w.among("id", q.ids)
    if q.time_range is not None:
        start, end = q.time_range
        parts = []
        params: list[Any] = []
        for col in q.time_columns:
            if col not in TIME_COLUMNS:
                raise ValueError(f"not a time column: {col!r}")
            part = [f"f.{col} IS NOT NULL"]
            for op, bound in ((">=", start), ("<=", end)):
                if bound is not None:
                    part.append(f"f.{col} {op} ?")
                    params.append(bound)
            parts.append("(" + " AND ".join(part) + ")")
        w.add(" OR ".join(parts or ["0"]), *params)
    w.among("status", q.status)
    if q.has_sha256 is not None:
        w.add("f.sha256 IS NOT NULL" if q.has_sha256 else "f.sha256 IS NULL")
    if q.min_id is not None:
        w.add("f.id >= ?", q.min_id)
    if q.mime_prefix is not None:
        text = q.mime_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        w.add("f.type='r' AND f.mime LIKE ? ESCAPE '\\'", f"{text}%")
    if q.hide_known:
        w.add("COALESCE(json_extract(f.attributes, '$.known'), 0) = 0")
    if q.damaged is not None:
        w.add("f.damage IS NOT NULL" if q.damaged else "f.damage IS NULL")
    w.among("origin", q.origin)
    if q.has_members:
        w.add("EXISTS (SELECT 1 FROM files m WHERE m.container_id=f.id)")
    if q.any_of is not None:
        alternatives = [compile_files(sub) for sub in q.any_of]
        if all(cond for cond, _ in alternatives):  # an alternative without conditions selects every file
            w.add(
                " OR ".join(f"({c})" for c, _ in alternatives) or "0",
                *(a for _, p in alternatives for a in p),
            )
    return w.sql()


def compile_findings(q: FindingQuery) -> tuple[str, list[Any]]:
    """``q`` as a WHERE condition over ``findings fi``."""
    w = _Where("fi")
    for column in ("plugin", "kind", "name", "file_id", "evidence_id", "scan_id"):
        w.eq(column, getattr(q, column))
    w.eq("severity", None if q.severity is None else str(q.severity))
    w.among("file_id", q.file_ids)
    return w.sql()


def compile_problems(q: ProblemQuery) -> tuple[str, list[Any]]:
    """``q`` as a WHERE condition over ``errors er``."""
    w = _Where("er")
    for column in ("source", "evidence_id", "file_id", "scan_id"):
        w.eq(column, getattr(q, column))
    w.eq("severity", None if q.severity is None else str(q.severity))
    w.among("file_id", q.file_ids)
    return w.sql()


# -- rows to records ------------------------------------------------------------------------------
def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def member_chain(row: Mapping[str, Any]) -> tuple[str, ...]:
    """A container member's paths inside its containers, outermost first (``()``: not a member).
    Its ``path`` is ``FILE//member//member...``: member paths never hold ``//``
    (:func:`triage.containers.formats.clean`), file-system paths never do either."""
    if row.get("origin") != "member":
        return ()
    return tuple(str(row["path"]).split("//")[1:])


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
            member=member_chain(row),
            carved=_extent(row.get("extent")) if row.get("origin") == "carved" else None,
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
        origin=row.get("origin") or "fs",
        container_id=row.get("container_id"),
        member_path=row.get("member_path"),
        extent=_extent(row.get("extent")),
    )


def _extent(value: Any) -> tuple[tuple[int, int], ...] | None:
    if not value:
        return None
    return tuple((int(offset), int(length)) for offset, length in _json(value))


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
