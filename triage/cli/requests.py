"""``triage requests draft CASE --provider X --out DIR``: draft preservation requests."""

from __future__ import annotations

import argparse
import hashlib
import sys

from triage.cli.common import open_case
from triage.identifiers import KINDS
from triage.requests.draft import load_request, write_drafts
from triage.requests.providers import ProviderMap


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("requests", help="draft preservation requests (Budapest art. 29) from identifiers")
    rsub = p.add_subparsers(dest="requests_command", metavar="SUBCOMMAND")
    d = rsub.add_parser(
        "draft",
        help="write a draft per provider or jurisdiction (DOCX and JSON)",
        description="Pre-filled Budapest Convention art. 29(2) / T-CY preservation requests: "
        "identifiers, time ranges, data categories, evidence (paths and SHA-256).",
    )
    d.add_argument("case", help="case folder")
    d.add_argument(
        "--provider",
        required=True,
        help="provider id or name (google), group (currency:Bitcoin, phone:GB, domain:example.org), "
        "country:CC for a jurisdiction, or 'all' for one draft per group",
    )
    d.add_argument("--out", required=True, help="folder for the drafts")
    d.add_argument(
        "--request", metavar="TOML", help="request metadata (same file as 'triage export --request')"
    )
    d.add_argument("--kind", choices=KINDS, help="only identifiers of this kind")
    d.add_argument("--format", choices=("both", "docx", "json"), default="both")
    d.add_argument(
        "--with-crypto",
        action="store_true",
        help="add every virtual-currency address of the case to each provider's draft (exchanges)",
    )
    d.add_argument(
        "--attach",
        action="store_true",
        help="also put these drafts into every sharing bundle exported from this case (data/preservation/)",
    )
    d.add_argument(
        "--providers-file",
        action="append",
        default=[],
        metavar="TOML",
        help="extra provider data merged over the built-in and user files",
    )
    d.set_defaults(func=draft)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def draft(args: argparse.Namespace) -> int:
    request = load_request(args.request)
    pm = ProviderMap.load(args.providers_file)
    formats = ("json", "docx") if args.format == "both" else (args.format,)
    case = open_case(args.case, readonly=False)
    paths = write_drafts(
        case,
        args.out,
        provider=args.provider,
        kind=args.kind,
        request=request,
        with_crypto=args.with_crypto,
        formats=formats,
        pm=pm,
    )
    case.audit(
        "requests.draft",
        {
            "provider": args.provider,
            "kind": args.kind,
            "provider_data": pm.version,
            "files": {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths},
        },
    )
    for path in paths:
        sys.stdout.write(f"{path}\n")
    if args.attach:
        from triage.requests.attach import mark

        marked = mark(case, [args.provider], request, with_crypto=args.with_crypto, kind=args.kind)
        case.audit("requests.attach", {"provider": args.provider, "file": str(marked)})
        sys.stdout.write(f"attached to future bundles: {marked}\n")
    return 0
