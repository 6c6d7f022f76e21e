"""``triage plugins list``: what was discovered, from where, and whether it loaded."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from triage.cli.common import open_case
from triage.cli.scan import add_plugin_arguments, plugin_config
from triage.plugin import API_VERSION
from triage.scan.registry import PluginRecord, Registry


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("plugins", help="list plugins and their status")
    psub = p.add_subparsers(dest="plugins_command", metavar="ACTION")
    lp = psub.add_parser("list", help="name, version, origin and status of every plugin")
    lp.add_argument("--json", action="store_true", help="print JSON")
    lp.add_argument("--case", default=None, help="also count the errors and warnings each plugin left in this case")
    add_plugin_arguments(lp)
    lp.set_defaults(func=list_plugins)
    p.set_defaults(func=list_plugins, json=False, plugin_dir=[], disable_plugin=[], case=None)


def case_problems(case_path: str, records: list[PluginRecord]) -> dict[str, dict[str, int]]:
    """Per plugin: errors and warnings recorded in a case (per file, at load or at setup)."""
    case = open_case(case_path)
    counts: dict[str, dict[str, int]] = {}
    try:
        for row in case.errors():
            source = row["source"].removeprefix("plugin:")
            for r in records:
                if source == r.name or source in r.analyzers:
                    kind = "warnings" if row["message"].startswith("warning:") else "errors"
                    slot = counts.setdefault(r.name, {"errors": 0, "warnings": 0})
                    slot[kind] += 1
                    break
    finally:
        case.close()
    return counts


def list_plugins(args: argparse.Namespace) -> int:
    registry = Registry(plugin_config(args))
    records = sorted(registry.records, key=lambda r: r.name)
    problems = case_problems(args.case, records) if args.case else None
    if args.json:
        plugins = [asdict(r) | ({"case": problems.get(r.name, {"errors": 0, "warnings": 0})} if problems is not None
                                else {}) for r in records]
        print(json.dumps({"api_version": API_VERSION, "plugins": plugins}, indent=2))
        return 0
    out = sys.stdout
    out.write(f"plugin API {API_VERSION}\n")
    out.write(f"{'NAME':18} {'VERSION':10} {'STATUS':9} {'ANALYZERS':24} ORIGIN\n")
    for r in records:
        out.write(f"{r.name:18} {r.version:10} {r.status:9} {','.join(r.analyzers) or '-':24} {r.origin}\n")
        if r.error:
            out.write(f"{'':18} error: {r.error}\n")
        if problems and r.name in problems:
            c = problems[r.name]
            out.write(f"{'':18} in {args.case}: {c['errors']} errors, {c['warnings']} warnings "
                      f"(triage errors {args.case})\n")
    return 0
