"""``triage export``, ``triage verify``, ``triage keys new`` and ``triage unpack``."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from triage.cli.common import open_case, storage_errors
from triage.cli.unlock import add_unlock_argument, audit_unlocks, parse_specs, unlock_paths
from triage.errors import UsageError
from triage.progress import Progress

SELECT_HELP = (
    "what to export (repeatable, union): all | tagged[:TAG] | finding[:NAME] | plugin:NAME | "
    "ids:1,2,5-9 | query:path=GLOB;name=GLOB;mime=GLOB;deleted=yes|no;after=DATE;before=DATE;"
    "time=mtime|atime|ctime|crtime;evidence=ID;partition=N"
)
OVERRIDES = [
    ("reference", "request.reference"),
    ("legal_basis", "request.legal_basis"),
    ("case_number", "request.case_number"),
    ("requesting_authority", "requesting_authority.name"),
    ("requested_authority", "requested_authority.name"),
    ("examiner", "examiner.name"),
    ("examiner_email", "examiner.email"),
    ("organisation", "organisation.name"),
    ("exhibit", "exhibits.number"),
]


def register(sub: Any) -> None:
    p = sub.add_parser(
        "export",
        help="export selected files as a signed evidence bundle (BagIt + CASE)",
        description="Export a signed BagIt 1.0 bundle for a foreign authority. Each file is "
        "re-read from the evidence and re-hashed; a mismatch stops the export.",
    )
    p.add_argument("case", help="case folder")
    p.add_argument(
        "--out",
        required=True,
        help="the bag folder to create (must not exist or be empty); with "
        "encryption the archive is OUT.tar.age",
    )
    p.add_argument("--select", action="append", default=None, metavar="SPEC", help=SELECT_HELP)
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="SPEC[::REASON]",
        help="leave matching files out on purpose, with the reason for the redaction log "
        "(e.g. 'ids:4::legally privileged')",
    )
    p.add_argument("--metadata-only", action="store_true", help="inventory and hashes only, no file content")
    p.add_argument(
        "--unhashed",
        choices=("stop", "skip", "include"),
        default="stop",
        help="selected files without a SHA-256 in the case: stop (default), skip them (logged "
        "in left-out.csv) or include them hashed at export",
    )
    p.add_argument("--request", metavar="FILE.toml", help="request metadata (see examples/request.toml)")
    for flag, dotted in OVERRIDES:
        p.add_argument(
            "--" + flag.replace("_", "-"),
            dest=f"req_{flag}",
            metavar="TEXT",
            help=f"set {dotted} (overrides the request file)",
        )
    p.add_argument(
        "--sign-key",
        metavar="KEY",
        help="X.509 signing key (PEM or PKCS#12; ECDSA P-256 or RSA) or an Ed25519 key",
    )
    p.add_argument(
        "--sign-cert", metavar="CERT", help="the signing key's certificate (PEM/DER), chain allowed"
    )
    p.add_argument("--ssh-key", metavar="KEY", help="sign with an Ed25519 OpenSSH key (SSHSIG)")
    p.add_argument(
        "--encrypt-to",
        action="append",
        default=[],
        metavar="RECIPIENT",
        help="age recipient (age1...), SSH public key, or a file of them (repeatable)",
    )
    p.add_argument("--passphrase-file", metavar="FILE", help="encrypt with the passphrase in this file")
    p.add_argument("--passphrase", action="store_true", help="encrypt with a passphrase typed at the prompt")
    add_unlock_argument(p)
    p.add_argument(
        "--no-encrypt",
        action="store_true",
        help="write a plain bag folder although transport encryption is configured "
        "(TRIAGE_ENCRYPT_TO / TRIAGE_PASSPHRASE_FILE)",
    )
    p.add_argument(
        "--language",
        metavar="CODES",
        help="cover sheet language(s), comma separated: ar, zh, en, fr, ru, es; several give a "
        "bilingual sheet (default: the request's languages)",
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run_export)

    v = sub.add_parser("verify", help="verify an evidence bundle (bag, signatures, CASE, inventory, custody)")
    v.add_argument("bundle", help="bag folder, or an encrypted .tar.age with --identity/--passphrase-file")
    v.add_argument(
        "--ca", metavar="CERT", help="trust anchor for the CMS signature (CA or signer certificate)"
    )
    v.add_argument("--allowed-signers", metavar="FILE", help="OpenSSH allowed_signers for the SSH signature")
    v.add_argument("--principal", metavar="ID", help="the SSH signer identity expected in allowed_signers")
    v.add_argument("--allow-unsigned", action="store_true", help="do not fail when the bundle is unsigned")
    v.add_argument("--identity", metavar="FILE", help="age identity (or SSH private key) for an archive")
    v.add_argument("--passphrase-file", metavar="FILE", help="passphrase for an archive")
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=run_verify)

    k = sub.add_parser("keys", help="examiner signing keys")
    ksub = k.add_subparsers(dest="keys_command", metavar="COMMAND")
    n = ksub.add_parser("new", help="create an examiner key and a self-signed certificate (or an SSH key)")
    n.add_argument("--out", default=".", help="folder for the key files (default: here)")
    n.add_argument("--name", default="examiner", help="file name stem (default: examiner)")
    n.add_argument("--cn", required=True, metavar="NAME", help="the examiner's full name")
    n.add_argument("--email")
    n.add_argument("--org")
    n.add_argument("--country", metavar="CC")
    n.add_argument(
        "--type",
        choices=("ec", "rsa", "ed25519"),
        default="ec",
        help="ec (P-256, CMS), rsa (3072, CMS) or ed25519 (OpenSSH key, SSHSIG)",
    )
    n.add_argument("--days", type=int, default=730)
    n.add_argument(
        "--encrypt",
        action="store_true",
        help="protect the key with a passphrase (prompted, or TRIAGE_KEY_PASSWORD)",
    )
    n.set_defaults(func=run_keys_new)
    k.set_defaults(func=lambda args: (k.print_help(), 2)[1])

    u = sub.add_parser("unpack", help="decrypt and extract an encrypted bundle archive")
    u.add_argument("archive")
    u.add_argument("--out", required=True, help="folder to extract into")
    u.add_argument(
        "--identity", metavar="FILE", help="age identity file (AGE-SECRET-KEY-...) or SSH private key"
    )
    u.add_argument("--passphrase-file", metavar="FILE")
    u.add_argument("--passphrase", action="store_true", help="type the passphrase at the prompt")
    u.add_argument("--no-verify", action="store_true", help="do not verify the bag after extracting")
    u.set_defaults(func=run_unpack)


def _read_passphrase(file: str | None, prompt: bool, confirm: bool = False) -> str | None:
    if file:
        try:
            text = Path(file).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise UsageError(f"{file}: cannot read the passphrase: {exc.strerror or exc}") from exc
        if not text:
            raise UsageError(f"{file}: empty passphrase")
        return text
    if prompt:
        pw = getpass.getpass("Passphrase: ")
        if confirm and getpass.getpass("Again: ") != pw:
            raise UsageError("the passphrases differ")
        if not pw:
            raise UsageError("empty passphrase")
        return pw
    return None


class _Progress:
    """Plain progress lines on stderr, at most twice a second (and the last one)."""

    def __init__(self) -> None:
        self.last = 0.0

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        if p.done == p.total or now - self.last >= 0.5 or p.done == 1:
            self.last = now
            print(f"exporting {p.done}/{p.total} {p.unit}", file=sys.stderr, flush=True)


def run_export(args: argparse.Namespace) -> int:
    from triage.export import export_bundle
    from triage.i18n import parse_languages

    if not args.request and not args.req_reference:
        raise UsageError(
            "give the request metadata: --request FILE.toml (see examples/request.toml) or "
            "--reference/--legal-basis/--requesting-authority/--examiner"
        )
    if args.ssh_key and (args.sign_key or args.sign_cert):
        raise UsageError("use either --sign-key/--sign-cert (CMS) or --ssh-key (SSHSIG)")
    from triage.export import transport

    recipients = list(args.encrypt_to)
    passphrase_file = args.passphrase_file
    if not (recipients or passphrase_file or args.passphrase or args.no_encrypt):
        env_recipients, env_file = transport.configured()  # encrypted by default when configured
        recipients, passphrase_file = env_recipients, str(env_file) if env_file else None
    languages = parse_languages(args.language) if args.language else None
    passphrase = _read_passphrase(passphrase_file, args.passphrase, confirm=True)
    specs = parse_specs(args)
    overrides = {dotted: getattr(args, f"req_{flag}") for flag, dotted in OVERRIDES}
    with (
        storage_errors(case=args.case, dest=args.out, doing="write the bundle", target="destination"),
        open_case(args.case, readonly=False) as case,
    ):
        if specs:  # the content of unlocked volumes is read again through the decryption layer
            audit_unlocks(case, unlock_paths([e["path"] for e in case.evidence()], specs, skip_plain=True))
        result = export_bundle(
            case,
            args.out,
            args.select or ["all"],
            args.request,
            exclude=args.exclude,
            metadata_only=args.metadata_only,
            unhashed=args.unhashed,
            signing_key=args.sign_key,
            signing_cert=args.sign_cert,
            ssh_key=args.ssh_key,
            key_password=os.environ.get("TRIAGE_KEY_PASSWORD"),
            recipients=recipients,
            passphrase=passphrase,
            request_overrides=overrides,
            progress=None if args.json else _Progress(),
            languages=languages,
        )
    if args.json:
        out = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(result).items()}
        print(json.dumps(out, indent=2))
        return 0
    for w in result.warnings:
        print(f"triage (warning): {w}", file=sys.stderr)
    print(
        f"exported {result.files} files ({result.bytes} bytes), {result.left_out} left out (see "
        "data/inventory/left-out.csv)"
    )
    if result.bag:
        print(f"bundle: {result.bag}")
    print(f"manifest-sha256.txt SHA-256: {result.manifest_sha256}")
    if result.signer:
        print(f"signed ({result.signer['type']}), signer fingerprint: {result.signer['fingerprint']}")
    else:
        print("NOT SIGNED")
    if result.archive:
        print(f"archive: {result.archive}")
        print(f"archive SHA-256 (for the covering letter): {result.archive_sha256}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from triage.export import verify_bundle

    # the recipient's own trust files are input, not part of the bundle: a bad one is a usage error
    for flag, value in (
        ("--ca", args.ca),
        ("--allowed-signers", args.allowed_signers),
        ("--identity", args.identity),
    ):
        if value and not Path(value).is_file():
            raise UsageError(f"{value}: no such file ({flag})")
    report = verify_bundle(
        args.bundle,
        ca=args.ca,
        allowed_signers=args.allowed_signers,
        principal=args.principal,
        identity=args.identity,
        passphrase=_read_passphrase(args.passphrase_file, False),
        require_signature=not args.allow_unsigned,
    )
    if args.json:
        print(
            json.dumps(
                {
                    "ok": report.ok,
                    "path": str(report.path),
                    "signed": report.signed,
                    "checks": [vars(c) for c in report.checks],
                    "warnings": report.warnings,
                },
                indent=2,
            )
        )
    else:
        print(report.report)
        if report.ok and "cms" in report.signed and not args.ca:
            print("(to check the signer against the CA or signer certificate you trust: --ca CERT)")
    return 0 if report.ok else 1


def run_keys_new(args: argparse.Namespace) -> int:
    from triage.export.keys import new_examiner_key

    password = None
    if args.encrypt:
        password = os.environ.get("TRIAGE_KEY_PASSWORD") or _read_passphrase(None, True, confirm=True)
    files = new_examiner_key(
        Path(args.out),
        args.name,
        common_name=args.cn,
        email=args.email,
        org=args.org,
        country=args.country,
        kind=args.type,
        password=password,
        days=args.days,
    )
    print(f"key: {files.key}")
    if files.cert:
        print(f"certificate: {files.cert}")
    if files.extra:
        print(f"allowed_signers: {files.extra}")
    print(f"fingerprint: {files.fingerprint}")
    print("Send the fingerprint to the recipient by a separate channel (telephone, letter).")
    return 0


def run_unpack(args: argparse.Namespace) -> int:
    from triage.export import transport, verify_bundle

    passphrase = _read_passphrase(args.passphrase_file, args.passphrase)
    print(
        f"archive SHA-256: {transport.sha256_file(Path(args.archive))}"
        if Path(args.archive).is_file()
        else "",
        end="\n" if Path(args.archive).is_file() else "",
    )
    bag = transport.unpack(
        Path(args.archive), Path(args.out), Path(args.identity) if args.identity else None, passphrase
    )
    print(f"bundle: {bag}")
    if args.no_verify:
        return 0
    report = verify_bundle(bag)
    print(report.report)
    return 0 if report.ok else 1
