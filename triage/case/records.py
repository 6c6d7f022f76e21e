"""Typed, frozen records that the case returns: the only shapes case data travels in.

Callers never see SQL rows. :class:`Location` is the one serialisable address of a piece of
content (like a dfvfs path spec): evidence, partition, metadata address and attribute today,
a container member's path inside its containers, or a carved file's byte runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How bad a recorded problem is. ``error``: a result is missing or wrong (a file could not be
    read, a plugin crashed); ``warning``: a result is complete but the examiner should know
    something (a time limit cut a rule short, a volume was skipped by choice)."""

    ERROR = "error"
    WARNING = "warning"


def check_severity(value: object) -> Severity:
    """``value`` as a :class:`Severity`; anything that is not one (a plain string included) is refused."""
    if not isinstance(value, Severity):
        allowed = ", ".join(f"Severity.{s.name}" for s in Severity)
        raise ValueError(f"problem severity must be one of {allowed}, not {value!r}")
    return value


@dataclass(frozen=True)
class FileProblem:
    """A problem a scan met on one file, as it travels from the worker to the case (by pickle or Dask).

    ``severity`` is checked on creation, so a wrong one fails where it is made, not when stored.
    """

    source: str
    message: str
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        check_severity(self.severity)

    def __iter__(self) -> Iterator[str]:
        """Unpacks as the ``(source, message)`` pair of plugin API 1.x tests (``for _, m in res.errors``)."""
        return iter((self.source, self.message))


class FindingSeverity(StrEnum):
    """How much a finding matters to the examiner (the plugin API's ``SEVERITIES``)."""

    INFO = "info"
    NOTABLE = "notable"
    ALERT = "alert"


@dataclass(frozen=True, order=True)
class Location:
    """Where content lives: one address that survives serialisation (JSON, a Dask task, a URI).

    ``partition`` is the partition's index in the evidence's volume system (``-1``: the whole
    evidence read as one file system). ``inode``/``attr_type``/``attr_id`` are libtsk's metadata
    address and attribute (NTFS streams). ``member`` is the path inside containers, outermost
    first; ``carved`` a carved file's ``(offset, length)`` byte runs in the partition (its
    ``extent``). Code that cannot serve them must refuse them, not ignore them.
    """

    evidence_id: int
    partition: int
    inode: int | None = None
    attr_type: int | None = None
    attr_id: int | None = None
    member: tuple[str, ...] = ()
    carved: tuple[tuple[int, int], ...] | None = None

    def to_json(self) -> str:
        """A compact, stable JSON text of this location (keys sorted, empty parts left out)."""
        data: dict[str, Any] = {"e": self.evidence_id, "p": self.partition}
        for key, value in (("i", self.inode), ("t", self.attr_type), ("a", self.attr_id)):
            if value is not None:
                data[key] = value
        if self.member:
            data["m"] = list(self.member)
        if self.carved is not None:
            data["c"] = [list(run) for run in self.carved]
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Location:
        data = json.loads(text)
        carved = data.get("c")
        return cls(
            evidence_id=int(data["e"]),
            partition=int(data["p"]),
            inode=data.get("i"),
            attr_type=data.get("t"),
            attr_id=data.get("a"),
            member=tuple(data.get("m", ())),
            carved=tuple((int(o), int(n)) for o, n in carved) if carved else None,
        )


@dataclass(frozen=True)
class FileRecord:
    """One inventory entry with the scan's results for it. Times are Unix seconds (UTC) or None."""

    id: int
    location: Location
    evidence_path: str
    partition_id: int
    partition_offset: int
    parent_path: str
    path: str
    name: str
    type: str  # fls's type letter: r regular, d directory, l link, V virtual ...
    size: int
    deleted: bool
    status: str  # pending | done | damaged | failed | skipped
    name_raw: bytes | None = None
    stream: str | None = None
    realloc: bool = False
    orphan: bool = False
    mtime: int | None = None
    atime: int | None = None
    ctime: int | None = None
    crtime: int | None = None
    crtime_ns: int | None = None
    fn_mtime: int | None = None
    fn_atime: int | None = None
    fn_ctime: int | None = None
    fn_crtime: int | None = None
    fn_crtime_ns: int | None = None
    fn_attr_id: int | None = None
    fn_size: int | None = None
    mode: int | None = None
    uid: int | None = None
    gid: int | None = None
    name_type: str | None = None
    link: str | None = None
    md5: str | None = None
    sha1: str | None = None
    sha256: str | None = None
    mime: str | None = None
    description: str | None = None
    ext_mismatch: bool | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)
    error: str | None = None
    damage: str | None = None
    origin: str = "fs"  # fs | member (inside a container) | carved (from unallocated space)
    container_id: int | None = None  # the files row a member was read from
    member_path: str | None = None  # the member's path inside its container
    # a carved file's (offset, length) runs in its partition
    extent: tuple[tuple[int, int], ...] | None = None

    @property
    def evidence_id(self) -> int:
        return self.location.evidence_id

    @property
    def inode(self) -> int | None:
        return self.location.inode

    @property
    def deletion_label(self) -> str:
        """``deleted-realloc``, ``deleted`` or ``""``, as fls labels entries."""
        if not self.deleted:
            return ""
        return "deleted-realloc" if self.realloc else "deleted"

    def as_row(self) -> dict[str, Any]:
        """The record in the files table's column shape (flags as 0/1, empty attributes as None)
        with ``partition``, ``partition_offset`` and ``evidence``: for writers whose output is
        keyed by column name (the export's inventory and CASE graph, ``triage files --json``)."""
        row: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "location"}
        for flag in ("deleted", "realloc", "orphan"):
            row[flag] = int(row[flag])
        if self.ext_mismatch is not None:
            row["ext_mismatch"] = int(self.ext_mismatch)
        row["attributes"] = dict(self.attributes) if self.attributes else None
        row.update(
            evidence_id=self.location.evidence_id,
            inode=self.location.inode,
            attr_type=self.location.attr_type,
            attr_id=self.location.attr_id,
            partition=self.location.partition,
            evidence=row.pop("evidence_path"),
        )
        return row


@dataclass(frozen=True)
class Finding:
    """Something a plugin found, on a file or on the evidence as a whole."""

    id: int
    plugin: str
    plugin_version: str
    kind: str
    name: str
    severity: FindingSeverity
    details: Mapping[str, Any]
    file_id: int | None
    evidence_id: int | None
    scan_id: int | None
    location: Location | None = None
    path: str | None = None
    sha256: str | None = None

    def as_row(self) -> dict[str, Any]:
        """The findings table's columns with the file's ``path``, ``inode``, ``attr_type``,
        ``attr_id``, ``sha256`` and ``partition`` (None when no file), for column-keyed writers."""
        where = self.location
        return {
            "id": self.id,
            "file_id": self.file_id,
            "evidence_id": self.evidence_id,
            "scan_id": self.scan_id,
            "plugin": self.plugin,
            "plugin_version": self.plugin_version,
            "kind": self.kind,
            "name": self.name,
            "severity": str(self.severity),
            "details": dict(self.details),
            "path": self.path,
            "inode": where.inode if where else None,
            "attr_type": where.attr_type if where else None,
            "attr_id": where.attr_id if where else None,
            "sha256": self.sha256,
            "partition": where.partition if where else None,
        }


@dataclass(frozen=True)
class Problem:
    """One recorded error or warning, and where it was met."""

    id: int
    severity: Severity
    source: str
    message: str
    created: str
    scan_id: int | None = None
    evidence_id: int | None = None
    partition_id: int | None = None
    file_id: int | None = None
    path: str | None = None


class GapKind(StrEnum):
    """Why something was not fully examined: one row of the completeness ledger."""

    FAILED = "failed"  # could not be read or parsed at all
    DAMAGED = "damaged"  # read, but some byte ranges are wrong or missing
    TIMED_OUT = "timed-out"  # an analyzer or a rule ran out of time
    SKIPPED_BY_LIMIT = "skipped-by-limit"  # a size, depth, ratio or count limit stopped it
    ENCRYPTED = "encrypted"  # encrypted and not unlocked (volume, archive member, document)
    NO_FILESYSTEM = "no-filesystem"  # a partition with no recognised file system
    PLUGIN_FAILURE = "plugin-failure"  # a plugin crashed or gave up on it
    NOT_SCANNED = "not-scanned"  # by choice or not yet: unallocated space, a skipped volume
    TRUNCATED = "truncated"  # only a part was examined (text extraction cut off, short volume)


def check_gap_kind(value: object) -> GapKind:
    """``value`` as a :class:`GapKind`; a plain string is refused."""
    if not isinstance(value, GapKind):
        raise ValueError(f"gap kind must be a GapKind, not {value!r}")
    return value


@dataclass(frozen=True)
class Gap:
    """One explicit completeness-ledger entry (:meth:`triage.case.store.Case.record_gap`)."""

    id: int
    kind: GapKind
    reason: str
    size: int | None
    source: str
    created: str
    scan_id: int | None = None
    evidence_id: int | None = None
    partition_id: int | None = None
    file_id: int | None = None
    path: str | None = None


@dataclass(frozen=True)
class RankedFile:
    """One file of :meth:`triage.case.store.Case.files_ranked_by`: its numeric result and all its results."""

    file_id: int
    path: str
    size: int
    value: float
    attributes: Mapping[str, Any]


@dataclass(frozen=True)
class RankedFiles:
    """Files ranked by one numeric result key, highest first; ``count`` and ``total`` are over every
    file that has the key, not only those listed."""

    key: str
    files: tuple[RankedFile, ...]
    count: int
    total: float


@dataclass(frozen=True)
class AuditEvent:
    """One entry of the case's append-only audit log: who did what, when (ISO 8601 UTC)."""

    id: int
    ts: str
    actor: str
    action: str
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProblemCount:
    """How many errors and warnings were recorded; ``str()`` gives "1 error, 2 warnings"."""

    errors: int = 0
    warnings: int = 0

    def __str__(self) -> str:
        return f"{plural(self.errors, 'error')}, {plural(self.warnings, 'warning')}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass(frozen=True)
class CaseInfo:
    """Who the case belongs to: asked for by New case, stored in the case's ``meta`` table,
    written to the audit log as the actor and prefilled in exports and requests.

    Every field is optional text; an empty string means "not given".
    """

    case_number: str = ""
    examiner: str = ""
    organisation: str = ""
    examiner_email: str = ""
    requesting_authority: str = ""
    requested_authority: str = ""

    FIELDS = (
        "case_number",
        "examiner",
        "organisation",
        "examiner_email",
        "requesting_authority",
        "requested_authority",
    )

    def actor(self, account: str) -> str:
        """The audit actor: the examiner's name with the login account, or the account alone."""
        return f"{self.examiner} ({account})" if self.examiner.strip() else account


@dataclass(frozen=True)
class Thumbnail:
    """A picture file's cached thumbnail (PNG bytes, ``width`` × ``height``), or ``error``: why
    none could be made (unreadable content, not decodable, too large, the decoder died)."""

    file_id: int
    width: int | None = None
    height: int | None = None
    png: bytes | None = None
    error: str | None = None
    created: str = ""

    @property
    def ok(self) -> bool:
        return self.png is not None and self.error is None
