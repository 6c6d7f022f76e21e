"""``triage rules``: check a YARA rule library, list it, and show what rules cost in a scan.

The library code lives in the built-in YARA plugin (``triage_plugins.yara_rules``), reached through
the core's rule service (:mod:`triage.rules`), which the GUI uses too.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from triage.cli.common import open_case, print_json_line
from triage.errors import UsageError
from triage.rules import rule_library


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("rules", help="check and list YARA rule libraries; rule cost of a scan")
    rsub = p.add_subparsers(dest="rules_command", metavar="SUBCOMMAND")
    c = rsub.add_parser(
        "check",
        help="compile every rule file and report each error and warning as file:line",
        description="Compile each rule file on its own (a broken file does not stop the others). "
        "Exit 0 when every file compiles, 1 when some failed, 2 when a path is missing "
        "or holds no rule files.",
    )
    c.add_argument(
        "paths", nargs="+", metavar="PATH", help="rule files or folders (.yar .yara .rule .rules .yarc)"
    )
    c.add_argument("--engine", default="yara", choices=("yara", "yara-x"), help="compiler to check with")
    c.add_argument("--no-warnings", action="store_true", help="print errors only")
    c.add_argument("--no-cache", action="store_true", help="compile even when the cache has these sources")
    c.add_argument("--json", action="store_true", help="print the report as JSON")
    c.set_defaults(func=check)
    ls = rsub.add_parser("list", help="rule files of a library with their namespace, rule count and SHA-256")
    ls.add_argument("paths", nargs="+", metavar="PATH")
    ls.add_argument("--engine", default="yara", choices=("yara", "yara-x"))
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=list_files)
    st = rsub.add_parser("stats", help="time per rule file and slowest files of the last YARA scan of a case")
    st.add_argument("case", help="case folder")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=stats)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _rules_module() -> Any:
    return rule_library()


def _compile(args: argparse.Namespace) -> Any:
    mod = _rules_module()
    try:
        return mod.load_library(args.paths, args.engine, use_cache=not getattr(args, "no_cache", False))
    except ImportError as exc:
        raise UsageError(
            f"engine {args.engine} is not installed ({exc}); try: pip install 'triage-workstation[yarax]'"
        ) from exc


def check(args: argparse.Namespace) -> int:
    lib = _compile(args)
    rep = lib.report
    missing = [
        d
        for d in rep.diagnostics
        if d.line is None
        and not any(f.path == d.file for f in rep.files)
        and (d.message.startswith("no such file") or d.message.startswith("no rule files"))
    ]
    code = 2 if missing else (1 if rep.failed else 0)
    if args.json:
        print(
            json.dumps(
                {**rep.to_json(), "rules": rep.rules, "files_failed": len(rep.failed), "exit_code": code},
                indent=2,
            )
        )
        return code
    for d in rep.diagnostics:
        if d.level == "warning" and args.no_warnings:
            continue
        sys.stdout.write(f"{d}\n")
    ok = [f for f in rep.files if f.status == "ok"]
    warn = sum(1 for d in rep.diagnostics if d.level == "warning")
    print(
        f"{rep.rules} rules compiled from {len(ok)} of {len(rep.files)} files; {len(rep.failed)} files failed; "
        f"{warn} warnings ({rep.engine}{', cached' if rep.cached else ''})"
    )
    reasons: dict[str, int] = {}
    for d in rep.errors:
        reasons[_reason(d.message)] = reasons.get(_reason(d.message), 0) + 1
    for why, n in sorted(reasons.items(), key=lambda kv: -kv[1]):
        print(f"  {n:5d}  {why}")
    return code


def _reason(message: str) -> str:
    """A failure reason without its specifics, for the summary ("undefined identifier")."""
    import re

    text = re.sub(r'"[^"]*"|`[^`]*`', "…", message)
    return re.sub(r"^E\d+: ", "", text).strip()


def list_files(args: argparse.Namespace) -> int:
    rep = _compile(args).report
    for f in rep.files:
        rec = {
            "path": f.path,
            "namespace": f.namespace,
            "status": f.status,
            "rules": f.rules,
            "sha256": f.sha256,
            "precompiled": f.precompiled,
        }
        if args.json:
            print_json_line(rec)
        else:
            print(f"{f.status:6} {f.rules:5d}  {f.namespace}  {f.sha256[:16]}  {f.path}")
    return 1 if rep.failed else 0


def stats(args: argparse.Namespace) -> int:
    case = open_case(args.case)
    costs = [a for a in case.audit_log() if a.action == "yara.cost"]
    if not costs:
        raise UsageError(f"{args.case}: no YARA scan with rules recorded in this case")
    cost: Any = dict(costs[-1].details)
    if isinstance(cost, str):
        cost = json.loads(cost)
    if args.json:
        print(json.dumps(cost, indent=2))
        return 0
    print(
        f"scan {cost['scan_id']} ({cost['engine']}): {cost['files_scanned']} files, "
        f"{cost['yara_seconds']:.2f} s in YARA"
    )
    print("slowest files:")
    for f in cost["slowest_files"][:10]:
        print(f"  {f['seconds']:9.3f} s  {f['size']:>12}  {f['path']}")
    if cost["rule_files"]:
        files = ", ".join(p["path"] for p in cost["profiled_files"])
        done = (
            ""
            if cost["profile_complete"]
            else f" (time budget ran out after {cost['rule_files_timed']} rule files)"
        )
        print(f"time per rule file on the {len(cost['profiled_files'])} slowest files ({files}){done}:")
        for r in cost["rule_files"][:20]:
            print(f"  {r['seconds']:9.4f} s  {r['rule_file']}")
    return 0
