"""``triage plugins list``: what was discovered, from where, and whether it loaded."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from triage.cli.scan import add_plugin_arguments, plugin_config
from triage.plugin import API_VERSION
from triage.scan.registry import Registry


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("plugins", help="list plugins and their status")
    psub = p.add_subparsers(dest="plugins_command", metavar="ACTION")
    lp = psub.add_parser("list", help="name, version, origin and status of every plugin")
    lp.add_argument("--json", action="store_true", help="print JSON")
    add_plugin_arguments(lp)
    lp.set_defaults(func=list_plugins)
    p.set_defaults(func=list_plugins, json=False, plugin_dir=[], disable_plugin=[])


def list_plugins(args: argparse.Namespace) -> int:
    registry = Registry(plugin_config(args))
    records = sorted(registry.records, key=lambda r: r.name)
    if args.json:
        print(json.dumps({"api_version": API_VERSION, "plugins": [asdict(r) for r in records]}, indent=2))
        return 0
    out = sys.stdout
    out.write(f"plugin API {API_VERSION}\n")
    out.write(f"{'NAME':18} {'VERSION':10} {'STATUS':9} {'ANALYZERS':24} ORIGIN\n")
    for r in records:
        out.write(f"{r.name:18} {r.version:10} {r.status:9} {','.join(r.analyzers) or '-':24} {r.origin}\n")
        if r.error:
            out.write(f"{'':18} error: {r.error}\n")
    return 0
