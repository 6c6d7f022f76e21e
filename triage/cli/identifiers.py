"""``triage identifiers CASE``: identifiers found in a case, grouped by provider and jurisdiction."""

from __future__ import annotations

import argparse
import sys

from triage.cli.common import open_case, print_json_line
from triage.identifiers import KINDS, grouped, occurrences
from triage.requests.providers import ProviderMap


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "identifiers",
        help="identifiers (e-mail, URL, IP, phone, IBAN, crypto) by provider",
        description="Identifiers the 'identifiers' analyzer found, grouped by the provider or "
        "jurisdiction that holds data about them.",
    )
    p.add_argument("case", help="case folder")
    p.add_argument(
        "--json", action="store_true", help="one JSON object per line (one per group; with --hits, per hit)"
    )
    p.add_argument("--kind", choices=KINDS, help="only this kind of identifier")
    p.add_argument(
        "--provider",
        help="only this provider (id or name), group (currency:Bitcoin, phone:GB, "
        "domain:example.org) or country:CC",
    )
    p.add_argument(
        "--hits",
        action="store_true",
        help="list every identifier and file (offset, context) instead of groups",
    )
    p.add_argument(
        "--providers-file",
        action="append",
        default=[],
        metavar="TOML",
        help="extra provider data merged over the built-in and user files",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    case = open_case(args.case)
    pm = ProviderMap.load(args.providers_file)
    if args.hits:
        for o in occurrences(case, args.kind, args.provider, pm):
            if args.json:
                print_json_line(o.to_dict())
            else:
                sys.stdout.write(
                    f"{o.kind:6} {o.normalised}\t{o.attribution.label}\t{o.path} @ {o.offset} "
                    f"({o.encoding}, x{o.count})\n"
                )
        return 0
    groups = grouped(case, args.kind, args.provider, pm)
    for g in groups:
        if args.json:
            print_json_line(g.to_dict())
            continue
        d = g.to_dict()
        juris = f" [{g.jurisdiction}]" if g.jurisdiction else ""
        sys.stdout.write(
            f"{g.label}{juris}: {g.count} identifier(s), {g.occurrences} occurrence(s) in "
            f"{len(g.file_ids)} file(s), seen {d['first_seen'] or '?'} .. {d['last_seen'] or '?'}\n"
        )
        for i in g.identifiers:
            sys.stdout.write(
                f"    {i.kind:6} {i.normalised}  (x{i.count}, files {','.join(map(str, i.file_ids))})\n"
            )
    if not groups and not args.json:
        sys.stdout.write("no identifiers (was the case scanned with the 'identifiers' analyzer?)\n")
    return 0
