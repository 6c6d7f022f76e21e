"""The public JSON shape of a case's files and findings: what ``triage files --json`` and ``triage
findings --json`` print, and what the testing kit (:mod:`triage.testing`) returns, so the two never
differ (booleans, not 0/1; ISO 8601 UTC times, not epoch seconds; ``details`` nested as recorded)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from triage.case.store import deletion_label
from triage.evidence.names import name_escape_reason, row_name_bytes
from triage.format import iso
from triage.timestomp import timestomp_codes


def file_record(r: dict[str, Any]) -> dict[str, Any]:
    """The public JSON shape of one inventory row."""
    return {
        "id": r["id"],
        "evidence": r["evidence"],
        "partition": r["partition"],
        "partition_offset": r["partition_offset"],
        "path": r["path"],
        "name": r["name"],
        "type": r["type"],
        "inode": r["inode"],
        "attr_type": r["attr_type"],
        "attr_id": r["attr_id"],
        "size": r["size"],
        "deleted": bool(r["deleted"]),
        "orphan": bool(r["orphan"]),
        "mtime": iso(r["mtime"]),
        "atime": iso(r["atime"]),
        "ctime": iso(r["ctime"]),
        "crtime": iso(r["crtime"]),
        "md5": r["md5"],
        "sha1": r["sha1"],
        "sha256": r["sha256"],
        "mime": r["mime"],
        "description": r["description"],
        "ext_mismatch": None if r["ext_mismatch"] is None else bool(r["ext_mismatch"]),
        "status": r["status"],
        "error": r["error"],
        "attributes": r["attributes"] or {},
        **name_fields(r),
        **_timeline_fields(r),
        "damage": _damage(r.get("damage")),
        **derived_fields(r),
    }


def derived_fields(r: dict[str, Any]) -> dict[str, Any]:
    """Where a derived entry came from (schema 7, docs/containers.md): ``origin`` (``fs``,
    ``member``, ``carved``), the ``container`` row id and ``member_path`` of a container member,
    the ``extent`` runs of a carved file."""
    extent = r.get("extent")
    return {
        "origin": r.get("origin") or "fs",
        "container": r.get("container_id"),
        "member_path": r.get("member_path"),
        "extent": [list(run) for run in extent] if extent else None,
    }


def _damage(value: Any) -> list[dict[str, Any]] | None:
    """``files.damage``: the damaged media ranges in this file's content (None: none known)."""
    found: list[dict[str, Any]] | None = json.loads(value) if isinstance(value, str) else value
    return found


def _timeline_fields(r: dict[str, Any]) -> dict[str, Any]:
    """fls's deletion label, the NTFS $FILE_NAME times and the timestomping signs (triage/timestomp.py)."""
    return {
        "deletion": deletion_label(r),
        "fn_mtime": iso(r.get("fn_mtime")),
        "fn_atime": iso(r.get("fn_atime")),
        "fn_ctime": iso(r.get("fn_ctime")),
        "fn_crtime": iso(r.get("fn_crtime")),
        "timestomp": list(timestomp_codes(r)),
    }


def name_fields(r: dict[str, Any]) -> dict[str, Any]:
    """The name's exact bytes (hex) and why ``name``/``path`` show them escaped (None: verbatim)."""
    raw = row_name_bytes(r)
    return {"name_raw_hex": raw.hex(), "name_escaped": name_escape_reason(raw)}


def finding_records(case: Any, plugin: str | Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Findings in a stable order (by file, plugin, name), independent of scan scheduling; only those of
    the analyzer ``plugin`` (or of any analyzer in a sequence of names) when given."""
    names = [plugin] if isinstance(plugin, str) else list(plugin or [])
    rows = [r for r in case.findings() if not names or r["plugin"] in names]
    out = []
    for r in rows:
        rec = {
            "path": r["path"],
            "partition": r["partition"],
            "inode": r["inode"],
            "attr_id": r["attr_id"],
            "file_id": r["file_id"],
            "plugin": r["plugin"],
            "plugin_version": r["plugin_version"],
            "kind": r["kind"],
            "name": r["name"],
            "severity": r["severity"],
        }
        details = dict(r["details"])
        # Top-level copies of the detail keys (older readers use them); a finding without a file takes
        # its place from the details. ``details`` itself is always there, nested exactly as recorded.
        rec.update({k: v for k, v in details.items() if rec.get(k) is None})
        rec["details"] = details
        out.append(rec)
    out.sort(key=lambda d: (d["file_id"] or 0, d["plugin"], d["kind"], d["name"], repr(sorted(d.items()))))
    return out
