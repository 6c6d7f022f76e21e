"""``triage plugins list``: what was discovered, from where, and whether it loaded."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import asdict
from pathlib import Path

from triage.case.records import ProblemCount, Severity
from triage.cli.common import open_case
from triage.cli.scan import add_plugin_arguments, plugin_config
from triage.errors import UsageError
from triage.plugin import API_VERSION
from triage.scan.registry import PluginConfig, PluginRecord, Registry


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("plugins", help="list plugins and their status")
    psub = p.add_subparsers(dest="plugins_command", metavar="ACTION")
    lp = psub.add_parser("list", help="name, version, origin and status of every plugin")
    lp.add_argument("--json", action="store_true", help="print JSON")
    lp.add_argument(
        "--case", default=None, help="also count the errors and warnings each plugin left in this case"
    )
    add_plugin_arguments(lp)
    lp.set_defaults(func=list_plugins)
    ck = psub.add_parser(
        "check",
        help="load one plugin and validate every declaration (for plugin authors)",
        description="Load a plugin (a .py file, a package folder, or the name of an installed "
        "plugin) with the built-ins, and check every analyzer declaration and its "
        "default options. One line per problem. Exit 0 when clean, 1 when the plugin "
        "has problems, 2 when PATH|NAME is not a plugin.",
    )
    ck.add_argument(
        "target", metavar="PATH|NAME", help="plugin file or folder, or an installed plugin's name"
    )
    ck.add_argument("--json", action="store_true", help="print JSON")
    ck.set_defaults(func=check_plugin)
    p.set_defaults(func=list_plugins, json=False, plugin_dir=[], disable_plugin=[], case=None)


def check_plugin(args: argparse.Namespace) -> int:
    """``triage plugins check PATH|NAME``: every problem a scan would meet with this plugin, before it does."""
    target = Path(args.target)
    if target.suffix == ".py" or target.is_dir() or os.sep in args.target:
        if not (target.is_file() and target.suffix == ".py") and not (target / "__init__.py").is_file():
            raise UsageError(f"{args.target}: not a plugin (a .py file or a folder with __init__.py)")
        registry = Registry(PluginConfig(include_user_dir=False, entry_points=False))
        record = registry.load_path(target)
    else:
        registry = Registry()
        found = [r for r in registry.records if r.name == args.target]
        if not found:
            names = ", ".join(sorted(r.name for r in registry.records))
            raise UsageError(f"{args.target}: no installed plugin of this name (installed: {names})")
        record = found[-1]
    problems = list(record.problems) or ([record.error] if record.error else [])
    if record.status == "loaded":
        problems += _default_option_problems(registry, record)
    if args.json:
        print(json.dumps({**asdict(record), "problems": problems, "ok": not problems}, indent=2))
        return 1 if problems else 0
    for line in problems:  # file:line: when the source is known, else the plugin's origin
        print(line if re.match(r"^\S+:\d+: ", line) else f"{record.origin}: {line}")
    for warning in record.warnings:
        print(f"{record.origin}: warning: {warning}")
    status = "ok" if not problems else f"{len(problems)} problem(s)"
    print(
        f"plugin {record.name} {record.version} ({record.status}): {status}; analyzers: "
        f"{', '.join(record.analyzers) or '-'}"
    )
    return 1 if problems else 0


def _default_option_problems(registry: Registry, record: PluginRecord) -> list[str]:
    """What each analyzer's ``check_options`` says about its default options."""
    from triage.scan.validate import check_options

    out: list[str] = []
    for name in record.analyzers:
        _, found = check_options(registry, [name], {})
        out += [f"analyzer {name!r}: with its default options: {p}" for p in found]
    return out


def case_problems(case_path: str, records: list[PluginRecord]) -> dict[str, dict[str, int]]:
    """Per plugin: errors and warnings recorded in a case (per file, at load or at setup)."""
    case = open_case(case_path)
    counts: dict[str, dict[str, int]] = {}
    try:
        for problem in case.problems():
            source = problem.source.removeprefix("plugin:")
            for r in records:
                if source == r.name or source in r.analyzers:
                    kind = "warnings" if problem.severity is Severity.WARNING else "errors"
                    slot = counts.setdefault(r.name, {"errors": 0, "warnings": 0})
                    slot[kind] += 1
                    break
    finally:
        case.close()
    return counts


def list_plugins(args: argparse.Namespace) -> int:
    registry = Registry(plugin_config(args))
    unknown = registry.unknown_disabled()
    if unknown:
        raise UsageError(unknown[0])
    records = sorted(registry.records, key=lambda r: r.name)
    problems = case_problems(args.case, records) if args.case else None
    if args.json:
        plugins = [
            asdict(r)
            | ({"case": problems.get(r.name, {"errors": 0, "warnings": 0})} if problems is not None else {})
            for r in records
        ]
        print(json.dumps({"api_version": API_VERSION, "plugins": plugins}, indent=2))
        return 0
    out = sys.stdout
    out.write(f"plugin API {API_VERSION}\n")
    out.write(f"{'NAME':18} {'VERSION':10} {'STATUS':9} {'ANALYZERS':24} ORIGIN\n")
    for r in records:
        out.write(f"{r.name:18} {r.version:10} {r.status:9} {','.join(r.analyzers) or '-':24} {r.origin}\n")
        for problem in r.problems or ([r.error] if r.error else []):
            out.write(f"{'':18} error: {problem}\n")
        for warning in r.warnings:
            out.write(f"{'':18} warning: {warning}\n")
        if problems and r.name in problems:
            c = problems[r.name]
            out.write(
                f"{'':18} in {args.case}: {ProblemCount(c['errors'], c['warnings'])} "
                f"(triage errors {args.case})\n"
            )
    return 0
