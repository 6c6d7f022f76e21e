"""``triage requests draft CASE --provider X --out DIR``: draft requests (Budapest art. 29,
EPOC-PR / EPOC, Second Additional Protocol arts. 6 and 7, UN Convention preservation)."""

from __future__ import annotations

import argparse
import hashlib
import sys

from triage.cli.common import open_case
from triage.identifiers import KINDS
from triage.requests.draft import draft_requests, load_request
from triage.requests.instruments import INSTRUMENTS, Parties, parse_state
from triage.requests.providers import ProviderMap


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "requests", help="draft preservation and production requests (art. 29, EPOC-PR, EPOC, CETS 224)"
    )
    rsub = p.add_subparsers(dest="requests_command", metavar="SUBCOMMAND")
    d = rsub.add_parser(
        "draft",
        help="write a draft per provider or jurisdiction (DOCX and JSON)",
        description="Pre-filled requests in the instrument the requesting and requested States and the "
        "provider call for (see docs/identifiers.md, 'Request instruments'): identifiers, time ranges, "
        "data categories, evidence (paths and SHA-256). Addresses that are not publicly routable never "
        "become a request.",
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
    d.add_argument(
        "--from",
        dest="from_state",
        metavar="CC",
        help="requesting State, ISO 3166 alpha-2 (default: the request's requesting_authority.country)",
    )
    d.add_argument(
        "--to",
        dest="to_state",
        metavar="CC",
        help="requested State, ISO 3166 alpha-2 (default: each group's jurisdiction, e.g. the provider's seat)",
    )
    d.add_argument(
        "--instrument", choices=tuple(INSTRUMENTS), help="override the instrument the rules choose"
    )
    d.add_argument(
        "--purpose",
        choices=("preservation", "production"),
        default="preservation",
        help="EU Member States: EPOC-PR (preservation, default) or EPOC (production)",
    )
    d.add_argument("--language", default="en", help="language of the labels: ar, zh, en, fr, ru or es")
    d.add_argument(
        "--include-context",
        action="store_true",
        help="quote the text around each identifier (other identifiers in it are redacted); "
        "default: the identifier alone",
    )
    d.add_argument(
        "--parties-file",
        action="append",
        default=[],
        metavar="TOML",
        help="party lists (eu, protocol2, uncc, budapest) replacing the built-in ones they name",
    )
    d.set_defaults(func=draft)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def draft(args: argparse.Namespace) -> int:
    from triage.errors import UsageError
    from triage.i18n import parse_languages

    langs = parse_languages(args.language)
    if len(langs) != 1:
        raise UsageError(f"--language: one language per draft, not {', '.join(langs)}")
    requesting = parse_state(args.from_state, "--from")
    requested = parse_state(args.to_state, "--to")
    request = load_request(args.request)
    pm = ProviderMap.load(args.providers_file)
    parties = Parties.load(args.parties_file)
    formats = ("json", "docx") if args.format == "both" else (args.format,)
    case = open_case(args.case, readonly=False)
    result = draft_requests(
        case,
        args.out,
        provider=args.provider,
        kind=args.kind,
        request=request,
        with_crypto=args.with_crypto,
        formats=formats,
        pm=pm,
        requesting_state=requesting,
        requested_state=requested,
        instrument=args.instrument,
        purpose=args.purpose,
        language=langs[0],
        include_context=args.include_context,
        parties=parties,
    )
    paths = result.paths
    case.audit(
        "requests.draft",
        {
            "provider": args.provider,
            "kind": args.kind,
            "provider_data": pm.version,
            "parties": parties.sources,
            "language": langs[0],
            "include_context": args.include_context,
            **result.summary(),
            "files": {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths},
        },
    )
    for path in paths:
        sys.stdout.write(f"{path}\n")
    for d in result.drafts:
        sys.stdout.write(f"draft: {d['group']}: {d['id']} ({d['rule']})\n")
    for s in result.skipped:
        sys.stdout.write(f"{s.reason}: {s.identifier} ({s.kind})\n")
    if args.attach:
        from triage.requests.attach import mark

        options = {
            "requesting_state": requesting,
            "requested_state": requested,
            "instrument": args.instrument,
            "purpose": args.purpose,
            "language": langs[0],
            "include_context": args.include_context,
        }
        marked = mark(
            case, [args.provider], request, with_crypto=args.with_crypto, kind=args.kind, options=options
        )
        case.audit("requests.attach", {"provider": args.provider, "file": str(marked)})
        sys.stdout.write(f"attached to future bundles: {marked}\n")
    return 0
