"""What goes into a bundle: a small selection grammar over the case's files.

A selection is one or more terms; a file is selected when any term matches (union)::

    all                       every regular file
    tagged                    files with any tag          tagged:TAG    files with that tag
    finding                   files with any finding      finding:NAME  a finding (rule) named NAME
    plugin:NAME               files with a finding from the plugin NAME
    ids:1,2,10-12             explicit case file ids
    query:COND;COND;...       every condition must hold (regular files only):
        path=GLOB             GLOB on the full path (case-sensitive; * ? [..])
        name=GLOB             GLOB on the file name
        mime=GLOB             e.g. mime=image/*
        deleted=yes|no
        after=DATE  before=DATE   ISO date or date-time (UTC); on the time in time=...
        time=mtime|atime|ctime|crtime   (default mtime)
        evidence=ID  partition=INDEX

Exclusions use the same grammar with a reason: ``SPEC::REASON`` (``ids:4::legally
privileged``). Every excluded file is listed in the redaction log with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from triage.case.query import FileQuery
from triage.errors import UsageError

if TYPE_CHECKING:
    from triage.case.store import Case

_TIME_COLUMNS = ("mtime", "atime", "ctime", "crtime")
DEFAULT_REASON = "excluded by the examiner"


@dataclass
class Selection:
    """Parsed selection terms and exclusions (``(spec, reason)``)."""

    terms: list[str]
    exclude: list[tuple[str, str]] = field(default_factory=list)

    @property
    def spec(self) -> str:
        return " + ".join(self.terms)

    def to_dict(self) -> dict[str, Any]:
        return {"select": self.terms, "exclude": [{"spec": s, "reason": r} for s, r in self.exclude]}


def parse_selection(
    select: str | Sequence[str] | Sequence[int] | Selection, exclude: Iterable[str | tuple[str, str]] = ()
) -> Selection:
    """A :class:`Selection` from terms (or a list of file ids) plus exclusions; checks the grammar."""
    if isinstance(select, Selection):
        sel = Selection(list(select.terms), list(select.exclude))
    elif isinstance(select, str):
        sel = Selection([t.strip() for t in select.split("+") if t.strip()])
    elif all(isinstance(s, int) for s in select):
        sel = Selection(["ids:" + ",".join(str(int(s)) for s in select)] if select else [])
    else:
        sel = Selection([str(s).strip() for s in select if str(s).strip()])
    if not sel.terms:
        raise UsageError("selection is empty (use --select all, tagged, finding:NAME, ids:1,2 ...)")
    for item in exclude:
        spec, reason = item if isinstance(item, tuple) else _split_reason(item)
        sel.exclude.append((spec.strip(), reason.strip() or DEFAULT_REASON))
    for term in [*sel.terms, *(s for s, _ in sel.exclude)]:
        term_query(term)  # raises on bad grammar
    return sel


def _split_reason(text: str) -> tuple[str, str]:
    spec, _, reason = text.partition("::")
    return spec, reason


def term_query(term: str) -> FileQuery:
    """One term as a :class:`~triage.case.query.FileQuery` (the case compiles it)."""
    kind, sep, arg = term.partition(":")
    kind = kind.strip().lower()
    if kind == "all" and not sep:
        return FileQuery(types=("r",))
    if kind == "tagged":
        return FileQuery(tag=arg) if arg else FileQuery(has_tag=True)
    if kind == "finding":
        return FileQuery(finding_name=arg) if arg else FileQuery(has_finding=True)
    if kind == "plugin" and arg:
        return FileQuery(finding_plugin=arg)
    if kind == "ids" and arg:
        return FileQuery(ids=tuple(_ids(arg, term)))
    if kind == "query" and arg:
        return _query(arg, term)
    raise UsageError(
        f"bad selection term {term!r} (all, tagged[:TAG], finding[:NAME], plugin:NAME, "
        "ids:1,2,5-9, query:COND;COND)"
    )


def _ids(text: str, term: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            raise UsageError(f"bad file id {part!r} in {term!r}")
        lo, hi = int(m[1]), int(m[2] or m[1])
        if hi < lo or hi - lo > 1_000_000:
            raise UsageError(f"bad id range {part!r} in {term!r}")
        out.extend(range(lo, hi + 1))
    return out


def _query(text: str, term: str) -> FileQuery:
    fields: dict[str, Any] = {"types": ("r",)}
    column = "mtime"
    pairs = []
    for cond in filter(None, (c.strip() for c in text.split(";"))):
        key, eq, value = cond.partition("=")
        if not eq:
            raise UsageError(f"bad query condition {cond!r} in {term!r} (expected KEY=VALUE)")
        pairs.append((key.strip().lower(), value.strip()))
    for key, value in pairs:
        if key == "time":
            if value not in _TIME_COLUMNS:
                raise UsageError(f"bad time={value!r} in {term!r} (one of {', '.join(_TIME_COLUMNS)})")
            column = value
    after: int | None = None
    before: int | None = None
    for key, value in pairs:
        if key in ("path", "name", "mime"):
            fields[f"{key}_glob"] = value
        elif key == "deleted":
            if value.lower() not in ("yes", "no", "true", "false", "1", "0"):
                raise UsageError(f"bad deleted={value!r} in {term!r} (yes or no)")
            fields["deleted"] = value.lower() in ("yes", "true", "1")
        elif key == "after":
            after = _epoch(value, term)
        elif key == "before":
            before = _epoch(value, term) - 1  # before is exclusive; times are whole seconds
        elif key in ("evidence", "partition"):
            if not value.isdigit():
                raise UsageError(f"bad {key}={value!r} in {term!r} (a number)")
            fields["evidence_id" if key == "evidence" else "partition_index"] = int(value)
        elif key != "time":
            raise UsageError(
                f"unknown query key {key!r} in {term!r} (path, name, mime, deleted, after, before, "
                "time, evidence, partition)"
            )
    if after is not None or before is not None:
        fields["time_range"] = (after, before)
        fields["time_columns"] = (column,)
    return FileQuery(**fields)


def _epoch(value: str, term: str) -> int:
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise UsageError(
            f"bad date {value!r} in {term!r} (ISO 8601, e.g. 2024-05-01 or 2024-05-01T10:00:00Z)"
        ) from exc
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return int(dt.timestamp())


CARVED_REASON = (
    "carved from unallocated space: no file-system entry vouches for its name or extent "
    "(carved files are not exported yet)"
)


def resolve(case: Case, selection: Selection) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(rows to export, rows left out with a reason)``, both ordered by file id; rows in the
    files table's column shape (:meth:`~triage.case.records.FileRecord.as_row`).

    Left out: matches of an exclusion (its reason), selected entries that are not regular files
    (directories, links, virtual entries) and carved files. A selected container member goes in
    with every container on its way to the file-system file (``row["container_for"]``: the ids of
    the selected members a container that was not itself selected is exported for), so the bundle
    carries the archive each member is verified against; a member whose container is excluded is
    left out with that reason.
    """
    records = case.select_files(FileQuery(any_of=tuple(term_query(t) for t in selection.terms)))
    excluded: dict[int, str] = {}
    for spec, reason in selection.exclude:
        for file_id in case.file_ids(term_query(spec)):
            excluded.setdefault(file_id, f"{reason} ({spec})")
    keep: dict[int, dict[str, Any]] = {}
    left: list[dict[str, Any]] = []
    for record in records:
        row = record.as_row()
        if record.id in excluded:
            left.append({"row": row, "reason": excluded[record.id]})
        elif record.type != "r":
            left.append({"row": row, "reason": f"not a regular file (type {record.type!r})"})
        elif record.origin == "carved":
            left.append({"row": row, "reason": CARVED_REASON})
        else:
            keep[record.id] = row
    for member in [r for r in keep.values() if r.get("origin") == "member"]:
        chain, reason = _containers(case, member, excluded)
        if reason:
            del keep[member["id"]]
            left.append({"row": member, "reason": reason})
            continue
        for row in chain:
            if row["id"] not in keep:
                keep[row["id"]] = {**row, "container_for": []}
            if "container_for" in keep[row["id"]]:
                keep[row["id"]]["container_for"].append(member["id"])
    left.sort(key=lambda x: x["row"]["id"])
    return [keep[i] for i in sorted(keep)], left


def _containers(
    case: Case, member: dict[str, Any], excluded: dict[int, str]
) -> tuple[list[dict[str, Any]], str]:
    """The containers of ``member``, innermost first, or the reason it cannot go in."""
    chain: list[dict[str, Any]] = []
    row = member
    while row.get("origin") == "member":
        parent = case.file_record(int(row["container_id"])) if row.get("container_id") else None
        if parent is None:
            return [], f"inside a container that is not in the case (container id {row.get('container_id')})"
        if parent.id in excluded:
            return [], f"inside {parent.path}, which is excluded: {excluded[parent.id]}"
        chain.append(parent.as_row())
        row = chain[-1]
    return chain, ""
