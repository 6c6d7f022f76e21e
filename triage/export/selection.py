"""What goes into a bundle: a small selection grammar over the case's files.

A selection is one or more terms; a file is selected when any term matches (union)::

    all                       every regular file
    tagged                    files with any tag          tagged:TAG    files with that tag
    finding                   files with any finding      finding:NAME  a finding (rule) named NAME
    plugin:NAME               files with a finding from the plugin NAME
    ids:1,2,10-12             explicit case file ids
    query:COND;COND;...       every condition must hold (regular files only):
        path=GLOB             SQLite GLOB on the full path (case-sensitive; * ? [..])
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
from typing import Any

from triage.errors import UsageError

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
        term_sql(term)  # raises on bad grammar
    return sel


def _split_reason(text: str) -> tuple[str, str]:
    spec, _, reason = text.partition("::")
    return spec, reason


def term_sql(term: str) -> tuple[str, tuple[Any, ...]]:
    """One term as a ``(where, args)`` pair over ``files f``."""
    kind, sep, arg = term.partition(":")
    kind = kind.strip().lower()
    if kind == "all" and not sep:
        return "f.type='r'", ()
    if kind == "tagged":
        return (
            ("f.id IN (SELECT file_id FROM tags WHERE tag=?)", (arg,))
            if arg
            else ("f.id IN (SELECT file_id FROM tags)", ())
        )
    if kind == "finding":
        return (
            ("f.id IN (SELECT file_id FROM findings WHERE name=?)", (arg,))
            if arg
            else ("f.id IN (SELECT file_id FROM findings)", ())
        )
    if kind == "plugin" and arg:
        return "f.id IN (SELECT file_id FROM findings WHERE plugin=?)", (arg,)
    if kind == "ids" and arg:
        ids = _ids(arg, term)
        return f"f.id IN ({','.join('?' * len(ids))})", tuple(ids)
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


def _query(text: str, term: str) -> tuple[str, tuple[Any, ...]]:
    conds: list[str] = ["f.type='r'"]
    args: list[Any] = []
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
    for key, value in pairs:
        if key in ("path", "name", "mime"):
            conds.append(f"COALESCE(f.{key}, '') GLOB ?")
            args.append(value)
        elif key == "deleted":
            if value.lower() not in ("yes", "no", "true", "false", "1", "0"):
                raise UsageError(f"bad deleted={value!r} in {term!r} (yes or no)")
            conds.append("f.deleted=?")
            args.append(1 if value.lower() in ("yes", "true", "1") else 0)
        elif key in ("after", "before"):
            conds.append(f"f.{column} {'>=' if key == 'after' else '<'} ?")
            args.append(_epoch(value, term))
        elif key in ("evidence", "partition"):
            if not value.isdigit():
                raise UsageError(f"bad {key}={value!r} in {term!r} (a number)")
            conds.append(
                "f.evidence_id=?"
                if key == "evidence"
                else "f.partition_id IN (SELECT id FROM partitions WHERE idx=?)"
            )
            args.append(int(value))
        elif key != "time":
            raise UsageError(
                f"unknown query key {key!r} in {term!r} (path, name, mime, deleted, after, before, "
                "time, evidence, partition)"
            )
    return " AND ".join(conds), tuple(args)


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


def resolve(case: Any, selection: Selection) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(rows to export, rows left out with a reason)``, both ordered by file id.

    Left out: matches of an exclusion (its reason) and selected entries that are not
    regular files (directories, links, virtual entries).
    """
    wheres: list[str] = []
    args: list[Any] = []
    for term in selection.terms:
        w, a = term_sql(term)
        wheres.append(f"({w})")
        args.extend(a)
    rows = list(case.iter_files(" OR ".join(wheres), tuple(args)))
    excluded: dict[int, str] = {}
    for spec, reason in selection.exclude:
        w, a = term_sql(spec)
        for r in case.conn.execute(f"SELECT f.id FROM files f WHERE {w}", a):
            excluded.setdefault(int(r[0]), f"{reason} ({spec})")
    keep, left = [], []
    for row in rows:
        if row["id"] in excluded:
            left.append({"row": row, "reason": excluded[row["id"]]})
        elif row["type"] != "r":
            left.append({"row": row, "reason": f"not a regular file (type {row['type']!r})"})
        else:
            keep.append(row)
    return keep, left
