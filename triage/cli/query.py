"""``triage files``, ``triage findings`` and ``triage errors``: read a case."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import Any

from triage.case.records import Severity
from triage.case.store import deletion_label
from triage.cli.common import open_case, print_json_line
from triage.errors import UsageError
from triage.evidence.names import name_escape_reason, printable, row_name_bytes
from triage.format import iso
from triage.timestomp import timestomp_codes


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("files", help="list the inventory of a case")
    p.add_argument("case", help="case folder")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--regular", action="store_true", help="only regular files and data streams")
    p.add_argument("--deleted", action="store_true", help="only deleted entries")
    p.add_argument(
        "--hide-known",
        action="store_true",
        help="leave out files found in a 'known' hash set (see 'triage hashsets')",
    )
    p.set_defaults(func=files)
    p = sub.add_parser("findings", help="list the findings of a case")
    p.add_argument("case", help="case folder")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--plugin", default=None, help="only findings of this plugin")
    p.set_defaults(func=findings)
    p = sub.add_parser("errors", help="list every error recorded in a case")
    p.add_argument("case", help="case folder")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=errors)


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
    }


def _damage(value: Any) -> list[dict[str, Any]] | None:
    """``files.damage``: the damaged media ranges in this file's content (None: none known)."""
    import json

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


def files(args: argparse.Namespace) -> int:
    case = open_case(args.case)
    conds = []
    if args.regular:
        conds.append("f.type='r'")
    if args.deleted:
        conds.append("f.deleted=1")
    if getattr(args, "hide_known", False):
        conds.append("COALESCE(json_extract(f.attributes, '$.known'), 0) = 0")
    for r in case.iter_files(" AND ".join(conds)):
        rec = file_record(r)
        if args.json:
            print_json_line(rec)
        else:
            flag = "*" if rec["deleted"] else " "
            label = " (deleted-realloc)" if rec["deletion"] == "deleted-realloc" else ""
            sys.stdout.write(
                f"{flag} {rec['type']} {rec['partition']}:{rec['inode']} {rec['size']:>12} "
                f"{rec['sha256'] or '-':64} {printable(rec['path'])}{label}\n"
            )
    return 0


def finding_records(case: Any, plugin: str | None = None) -> list[dict[str, Any]]:
    """Findings in a stable order (by file, plugin, name), independent of scan scheduling."""
    rows = case.findings("fi.plugin=?", (plugin,)) if plugin else case.findings()
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


def check_plugin_name(name: str, in_case: list[str], option: str = "--plugin") -> None:
    """An unknown plugin or analyzer name is a usage error (exit 2) naming the valid ones."""
    from triage.scan.registry import Registry

    registry = Registry()
    valid = set(in_case) | {a for r in registry.records for a in r.analyzers}
    valid |= {r.name for r in registry.records if r.status == "loaded"}
    if name not in valid:
        raise UsageError(f"{option} {name}: no such plugin or analyzer (valid: {', '.join(sorted(valid))})")


def findings(args: argparse.Namespace) -> int:
    case = open_case(args.case)
    if args.plugin is not None:
        check_plugin_name(args.plugin, case.finding_plugins())
    for rec in finding_records(case, args.plugin):
        if args.json:
            print_json_line(rec)
        else:
            sys.stdout.write(
                f"{rec['severity']:8} {rec['plugin']:10} {rec['kind']:14} {rec['name']}  {rec['path']}\n"
            )
    return 0


def errors(args: argparse.Namespace) -> int:
    case = open_case(args.case)
    for problem in case.problems():
        if args.json:
            print_json_line(asdict(problem))
        else:
            kind = " (warning)" if problem.severity is Severity.WARNING else ""
            sys.stdout.write(f"{problem.source}: {problem.path or ''}: {problem.message}{kind}\n")
    from triage.case.query import FileQuery

    for r in case.each_file(FileQuery(status=("failed",))):
        if args.json:
            print_json_line({"source": "file", "path": r.path, "message": r.error})
        else:
            sys.stdout.write(f"failed file: {r.path}: {r.error}\n")
    for p in case.partitions():
        if p["error"]:
            msg = {"source": "partition", "partition": p["idx"], "offset": p["offset"], "message": p["error"]}
            if args.json:
                print_json_line(msg)
            else:
                sys.stdout.write(f"partition {p['idx']} at {p['offset']}: {p['error']}\n")
    return 0
