"""``triage profiles list|show``: what a triage profile selects, and why."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from triage import profiles
from triage.case.query import FileQuery
from triage.cli.common import open_case


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("profiles", help="triage profiles: high-value artifacts scanned first")
    psub = p.add_subparsers(dest="profiles_command", metavar="ACTION")
    lp = psub.add_parser("list", help="available profiles")
    lp.add_argument("--json", action="store_true")
    lp.set_defaults(func=list_profiles)
    sp = psub.add_parser("show", help="a profile's targets, in scan order, and why")
    sp.add_argument("name")
    sp.add_argument("--case", default=None, help="also list the files of this case the profile selects")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=show)
    p.set_defaults(func=list_profiles, json=False)


def list_profiles(args: argparse.Namespace) -> int:
    rows = []
    for name, path in profiles.available().items():
        prof = profiles.load_profile(path)
        rows.append(
            {
                "name": name,
                "title": prof.title,
                "os": prof.os,
                "targets": len(prof.targets),
                "description": prof.description,
                "source": str(path),
            }
        )
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        for r in rows:
            print(f"{r['name']:16} {r['os']:8} {r['targets']:3} targets  {r['description']}")
    return 0


def show(args: argparse.Namespace) -> int:
    prof = profiles.get(args.name)
    selected: list[dict[str, Any]] = []
    if args.case:
        case = open_case(args.case)
        for row in case.each_file(FileQuery(types=("r",))):
            target = prof.explain(row.path)
            if target is not None:
                selected.append(
                    {
                        "path": row.path,
                        "partition": row.location.partition,
                        "deleted": row.deleted,
                        "target": target.label,
                        "rank": prof.rank(row.path),
                        "why": target.why,
                    }
                )
        selected.sort(key=lambda s: (s["rank"], s["path"]))
    if args.json:
        print(
            json.dumps(
                {
                    "name": prof.name,
                    "title": prof.title,
                    "os": prof.os,
                    "targets": [
                        {"label": t.label, "why": t.why, "patterns": t.patterns} for t in prof.targets
                    ],
                    "selected": selected,
                },
                indent=2,
            )
        )
        return 0
    out = sys.stdout
    out.write(f"{prof.title} ({prof.name}, {prof.os}): {prof.description}\n")
    for i, t in enumerate(prof.targets, 1):
        out.write(f"{i:2}. {t.label} — {t.why}\n")
        for pat in t.patterns[:6]:
            out.write(f"      {pat}\n")
        if len(t.patterns) > 6:
            out.write(f"      … {len(t.patterns) - 6} more\n")
    if args.case:
        out.write(f"\nSelected in {args.case}: {len(selected)} files\n")
        for s in selected:
            flag = " (deleted)" if s["deleted"] else ""
            out.write(f"  [{s['rank'] + 1}] {s['path']}{flag}  ← {s['target']}\n")
    return 0
