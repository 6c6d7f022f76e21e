"""``triage files``, ``triage findings`` and ``triage errors``: read a case."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import asdict

from triage.case.public import file_record, finding_records
from triage.case.query import FileQuery
from triage.case.records import Severity
from triage.cli.common import open_case, print_json_line
from triage.errors import UsageError
from triage.evidence.names import printable


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


def files(args: argparse.Namespace) -> int:
    case = open_case(args.case)
    query = FileQuery(
        types=("r",) if args.regular else None,
        deleted=True if args.deleted else None,
        hide_known=bool(getattr(args, "hide_known", False)),
    )
    for f in case.each_file(query):
        rec = file_record(f.as_row())
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


def check_plugin_name(
    name: str, in_case: list[str], option: str = "--plugin", plugin_dirs: Sequence[str] = ()
) -> list[str]:
    """The analyzer names ``name`` stands for: itself, or every analyzer of the plugin so named (one
    name per plugin everywhere; ``plugin_dirs``: the ``--plugin-dir`` folders the case's scans used).
    An unknown name is a usage error (exit 2) naming the valid ones."""
    import os

    from triage.scan.registry import PluginConfig, Registry

    registry = Registry(PluginConfig(plugin_dirs=[d for d in plugin_dirs if os.path.isdir(d)]))
    valid = set(in_case) | set(registry.names())
    if name not in valid:
        raise UsageError(f"{option} {name}: no such plugin or analyzer (valid: {', '.join(sorted(valid))})")
    return sorted(set(registry.analyzers_of(name)) | ({name} if name in in_case else set())) or [name]


def findings(args: argparse.Namespace) -> int:
    case = open_case(args.case)
    names = None
    if args.plugin is not None:
        dirs = sorted({d for s in case.scans() for d in (s["settings"] or {}).get("plugin_dirs") or []})
        names = check_plugin_name(args.plugin, case.finding_plugins(), plugin_dirs=dirs)
    for rec in finding_records(case, names):
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
