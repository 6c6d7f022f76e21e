"""Check a bundle the way a recipient would: bag completeness and hashes, signatures,
CASE graph and inventory against the manifests, and the custody hash chain.

Every damage becomes a FAIL line naming the file (and the line where there is one), never an
exception: a damaged file is read as bytes with a size limit, decoded strictly and parsed
defensively, and only regular files found inside the bag are ever opened. Each byte of a
signed bundle is covered by some check: payload by the manifests, tag files by the tag
manifests, ``tagmanifest-sha512.txt`` by the signature, and the files in ``signatures/`` by
their own canonical form (see docs/bundle.md, "What verify covers").
"""

from __future__ import annotations

import csv
import io
import json
import logging
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triage.export import bag, custody, inventory, signing

log = logging.getLogger("triage.export.verify")

MAX_PARSE = 1 << 30  # the largest inventory, CASE graph or custody log parsed in memory
MAX_SIGNATURE_FILE = 1 << 16  # signatures, certificates and keys are a few KiB
SIGNATURE_FILES = (
    signing.CMS_FILE,
    "signer-cert.pem",
    signing.SSH_FILE,
    "allowed_signers",
    "signer.pub",
    signing.PADES_FILE,
)
ARTIFACTS_CSV = "data/inventory/artifacts.csv"
CASE_GRAPH = "data/case/bundle.jsonld"
CUSTODY_LOG = "data/custody/custody-log.jsonl"
EXPORT_LOG = "export-log.jsonl"


@dataclass
class Check:
    name: str
    ok: bool
    message: str


@dataclass
class VerifyReport:
    """``ok`` is True only when every check passed. ``failures`` name the files concerned."""

    path: Path
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    signed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def failures(self) -> list[str]:
        return [f"{c.name}: {c.message}" for c in self.checks if not c.ok]

    def add(self, name: str, ok: bool, message: str) -> None:
        self.checks.append(Check(name, ok, message))

    @property
    def report(self) -> str:
        lines = [f"{'OK  ' if c.ok else 'FAIL'} {c.name}: {_one_line(c.message)}" for c in self.checks]
        lines += [f"WARN {_one_line(w)}" for w in self.warnings]
        lines.append(f"{'VERIFIED' if self.ok else 'NOT VERIFIED'}: {self.path}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report


def _one_line(text: str) -> str:
    """Damaged names may hold control characters: never let one split or rewrite a report line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


@dataclass
class _Bundle:
    """The bag on disk as the first stage found it; later stages open only ``files``."""

    root: Path
    bag: bag.BagCheck
    info: dict[str, str]

    def has(self, rel: str) -> bool:
        return rel in self.bag.tree.files

    def manifest(self, name: str) -> dict[str, str] | None:
        return self.bag.manifests.get(name)


def verify_bundle(
    path: str | Path,
    *,
    ca: str | Path | None = None,
    allowed_signers: str | Path | None = None,
    principal: str | None = None,
    identity: str | Path | None = None,
    passphrase: str | None = None,
    require_signature: bool = False,
) -> VerifyReport:
    """Verify a bag folder (or an encrypted archive, given ``identity`` or ``passphrase``)."""
    p = Path(path)
    if p.is_file():
        report = VerifyReport(p)
        if not (identity or passphrase):
            report.add("archive", False, "encrypted archive: give the age identity or passphrase to check it")
            return report
        from triage.export import transport

        with tempfile.TemporaryDirectory() as tmp:
            inner = transport.unpack(p, Path(tmp), Path(identity) if identity else None, passphrase)
            inner_report = verify_bundle(
                inner,
                ca=ca,
                allowed_signers=allowed_signers,
                principal=principal,
                require_signature=require_signature,
            )
            inner_report.path = p
            return inner_report
    report = VerifyReport(p)
    if not p.is_dir():
        report.add("bundle", False, f"{p}: no such folder or archive")
        return report
    checked = bag.inspect_bag(p)
    if checked.problems:
        for prob in checked.problems:
            report.add("bag", False, prob)
    else:
        report.add(
            "bag", True, "BagIt 1.0; every payload and tag file listed and matching SHA-256 and SHA-512"
        )
    info: dict[str, str] = {}
    if "bag-info.txt" in checked.tree.files:
        try:
            info = bag.read_bag_info(p / "bag-info.txt")
        except (OSError, ValueError):
            pass  # named by the bag check
    bundle = _Bundle(p, checked, info)
    _stage(
        report,
        "signature",
        lambda: _signatures(report, bundle, ca, allowed_signers, principal, require_signature),
    )
    _stage(report, "inventory", lambda: _case_and_inventory(report, bundle))
    _stage(report, "custody", lambda: _custody(report, bundle))
    return report


def _stage(report: VerifyReport, name: str, check: Callable[[], None]) -> None:
    """Run one group of checks; an unforeseen error is a FAIL line too, never a crash of verify."""
    try:
        check()
    except Exception as exc:
        log.exception("verify: %s check raised", name)
        report.add(name, False, f"could not be checked ({type(exc).__name__}: {exc}); not verified")


def _read_bytes(bundle: _Bundle, rel: str, limit: int) -> bytes:
    """A regular file of the bag, at most ``limit`` bytes; ValueError naming it otherwise."""
    if not bundle.has(rel):
        raise ValueError(f"{rel}: missing")
    with (bundle.root / rel).open("rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{rel}: larger than {limit} bytes, not parsed")
    return data


def _read_text(bundle: _Bundle, rel: str, limit: int = MAX_PARSE) -> str:
    data = _read_bytes(bundle, rel, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValueError(f"{rel} line {line}: not valid UTF-8 (byte offset {exc.start})") from exc


# -- signatures -------------------------------------------------------------------------------------------
def _signatures(
    report: VerifyReport, bundle: _Bundle, ca: Any, allowed: Any, principal: str | None, require: bool
) -> None:
    sig_prefix = bag.SIGNATURES_DIR + "/"
    present = {rel[len(sig_prefix) :] for rel in bundle.bag.tree.files if rel.startswith(sig_prefix)}
    for name in sorted(present - set(SIGNATURE_FILES)):
        report.add("signature", False, f"{sig_prefix}{name}: not a file triage writes (no check covers it)")
    if signing.CMS_FILE in present:
        report.signed.append("cms")
        _cms(report, bundle, Path(ca) if ca else None)
    if signing.PADES_FILE in present:
        _pades(report, bundle, signing.CMS_FILE in present)
    elif ca:
        report.add("signature", False, f"--ca given but the bundle has no {signing.CMS_FILE}")
    elif "signer-cert.pem" in present:
        report.add(
            "signature", False, f"{sig_prefix}signer-cert.pem: present but there is no {signing.CMS_FILE}"
        )
    if signing.SSH_FILE in present:
        report.signed.append("ssh")
        _ssh(report, bundle, Path(allowed) if allowed else None, principal)
    elif allowed:
        report.add("signature", False, f"--allowed-signers given but the bundle has no {signing.SSH_FILE}")
    else:
        for name in sorted({"allowed_signers", "signer.pub"} & present):
            report.add("signature", False, f"{sig_prefix}{name}: present but there is no {signing.SSH_FILE}")
    if not report.signed:
        if require:
            report.add("signature", False, "the bundle is not signed")
        else:
            report.warnings.append("the bundle is not signed")


def _fingerprint_problem(bundle: _Bundle, fingerprints: set[str]) -> str | None:
    recorded = bundle.info.get("Signer-Fingerprint")
    if recorded is not None and recorded not in fingerprints:
        return f"bag-info.txt names signer {recorded}, but the signature was made by {', '.join(sorted(fingerprints))}"
    return None


def _cms(report: VerifyReport, bundle: _Bundle, ca: Path | None) -> None:
    rel = f"{bag.SIGNATURES_DIR}/{signing.CMS_FILE}"
    name = f"signature {rel}"
    root = bundle.root
    try:
        der = _read_bytes(bundle, rel, MAX_SIGNATURE_FILE)
    except (OSError, ValueError) as exc:
        report.add(name, False, f"cannot be read: {exc}")
        return
    problems = [f"{rel}: {p}" for p in signing.cms_structure_problems(der)]
    if not bundle.has(signing.SIGNED_FILE):
        report.add(name, False, f"{signing.SIGNED_FILE} is missing: nothing to check the signature over")
        return
    result = signing.cms_check(root / rel, root / signing.SIGNED_FILE, ca)
    if not result.ok:
        report.add(name, False, f"{result.message} (over {signing.SIGNED_FILE})")
    if ca is None and result.ok:
        report.warnings.append(
            "CMS signer not checked against a trust anchor: check it against the CA or signer "
            "certificate received separately, and compare the fingerprint with the one received "
            "separately"
        )
    # signer-cert.pem must be exactly the certificates the signature carries, signer first
    try:
        carried = signing.cms_certificates(der)
    except ValueError as exc:
        carried = []
        problems.append(f"{rel}: its certificates cannot be read ({exc})")
    cert_rel = f"{bag.SIGNATURES_DIR}/signer-cert.pem"
    if not bundle.has(cert_rel):
        problems.append(f"{cert_rel}: missing")
    elif carried:
        problems += _cert_file_problems(bundle, cert_rel, carried, result.signer)
    if result.signer is not None:
        fp = _fingerprint_problem(bundle, {signing.cert_fingerprint(result.signer)})
        if fp:
            problems.append(fp)
    for prob in problems:
        report.add(name, False, prob)
    if result.ok and not problems:
        report.add(name, True, result.message)


MAX_SIGNED_PDF = 1 << 24  # the signed cover sheet: a few hundred KiB


def _pades(report: VerifyReport, bundle: _Bundle, with_cms: bool) -> None:
    """The PAdES-signed cover sheet: one intact signature over the whole file, by the CMS signer."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    from triage.export import pades

    rel = f"{bag.SIGNATURES_DIR}/{signing.PADES_FILE}"
    name = f"signature {rel}"
    if not with_cms:
        report.add(name, False, f"present but there is no {signing.CMS_FILE} (no signer to check it against)")
        return
    try:
        data = _read_bytes(bundle, rel, MAX_SIGNED_PDF)
        certs = x509.load_pem_x509_certificates(
            _read_bytes(bundle, f"{bag.SIGNATURES_DIR}/signer-cert.pem", MAX_SIGNATURE_FILE)
        )
        signer = certs[0].public_bytes(serialization.Encoding.DER) if certs else None
    except (OSError, ValueError) as exc:
        report.add(name, False, f"cannot be read: {exc}")
        return
    problems = pades.check_pdf(data, signer)
    for prob in problems:
        report.add(name, False, prob)
    if not problems:
        report.add(name, True, "PAdES signature intact over the whole file, by the CMS signer")


def _cert_file_problems(bundle: _Bundle, rel: str, carried: list[bytes], signer: Any) -> list[str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    data = _read_bytes(bundle, rel, MAX_SIGNATURE_FILE)
    try:
        certs = x509.load_pem_x509_certificates(data)
    except (ValueError, x509.InvalidVersion) as exc:
        return [f"{rel}: not PEM certificates ({exc})"]
    der = [c.public_bytes(serialization.Encoding.DER) for c in certs]
    if sorted(der) != sorted(carried):
        return [f"{rel}: not the certificates carried in the signature"]
    if signer is not None and der[0] != signer.public_bytes(serialization.Encoding.DER):
        return [f"{rel}: the first certificate is not the signer's"]
    if data != b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs):
        return [
            f"{rel}: not in the canonical PEM form triage writes (bytes changed outside the certificates)"
        ]
    return []


def _ssh(report: VerifyReport, bundle: _Bundle, allowed: Path | None, principal: str | None) -> None:
    from cryptography.hazmat.primitives import serialization

    rel = f"{bag.SIGNATURES_DIR}/{signing.SSH_FILE}"
    name = f"signature {rel}"
    try:
        armored = _read_bytes(bundle, rel, MAX_SIGNATURE_FILE).decode("ascii")
        if not bundle.has(signing.SIGNED_FILE):
            raise ValueError(f"{signing.SIGNED_FILE} is missing: nothing to check the signature over")
        pub = signing.sshsig_verify(armored, (bundle.root / signing.SIGNED_FILE).read_bytes())
    except (ValueError, OSError) as exc:  # UnicodeDecodeError is a ValueError
        report.add(name, False, f"{exc} (over {signing.SIGNED_FILE})")
        return
    problems = []
    if armored != signing.sshsig_armor(signing.sshsig_blob(armored)):
        problems.append(
            f"{rel}: not in the canonical armor triage writes (bytes changed outside the signed blob)"
        )
    raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    line = pub.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    fp = signing.ssh_fingerprint(pub)
    own = f"{bag.SIGNATURES_DIR}/allowed_signers"
    own_keys: dict[bytes, str] = {}
    if not bundle.has(own):
        problems.append(f"{own}: missing")
    else:
        try:
            text = _read_bytes(bundle, own, MAX_SIGNATURE_FILE).decode("utf-8")
            own_keys = signing.allowed_signer_keys_text(text)
        except ValueError as exc:
            problems.append(f"{own}: cannot be read ({exc})")
        else:
            who = bundle.info.get("Signer-Principal") or own_keys.get(raw, "").split(",")[0] or "?"
            if text != f'{who} namespaces="{signing.NAMESPACE}" {line}\n':
                problems.append(f"{own}: does not list exactly the signing key {fp} for {who}")
    pub_rel = f"{bag.SIGNATURES_DIR}/signer.pub"
    if not bundle.has(pub_rel):
        problems.append(f"{pub_rel}: missing")
    elif _read_bytes(bundle, pub_rel, MAX_SIGNATURE_FILE) != (line + "\n").encode():
        problems.append(f"{pub_rel}: is not the signing key {fp}")
    mismatch = _fingerprint_problem(bundle, {fp})
    if mismatch:
        problems.append(mismatch)
    if allowed is not None:
        try:
            keys = signing.allowed_signer_keys(allowed)
        except (OSError, ValueError) as exc:
            problems.append(f"{allowed}: cannot be read as allowed_signers ({exc})")
            keys = {}
        source = str(allowed)
    else:
        keys, source = own_keys, own
    holder = keys.get(raw)
    ok = False
    if holder is None:
        problems.append(f"signature valid but key {fp} is not in {source}")
    elif principal and principal not in holder.split(","):
        problems.append(f"key {fp} belongs to {holder}, not {principal}")
    else:
        ok = True
        if allowed is None:
            report.warnings.append(
                "SSH key checked only against the bundle's own allowed_signers: give "
                "--allowed-signers received separately"
            )
    for prob in problems:
        report.add(name, False, prob)
    if ok and not problems:
        report.add(name, True, f"SSH signature valid, key {fp} ({holder})")


# -- inventory and CASE graph -----------------------------------------------------------------------------
def _case_and_inventory(report: VerifyReport, bundle: _Bundle) -> None:
    bad: list[str] = []
    rows = _inventory_rows(bundle, bad)
    case_hashes = _case_hashes(bundle, bad)
    m256 = bundle.manifest("manifest-sha256.txt")
    m512 = bundle.manifest("manifest-sha512.txt")
    if rows is not None:
        for n, r in rows:
            rel = r["bundle_path"]
            where = f"{ARTIFACTS_CSV} line {n}"
            if rel:
                problem = bag.bag_path_problem(rel)
                if problem or not rel.startswith("data/artifacts/"):
                    bad.append(
                        f"{where}: bundle_path {rel[:200]!r}: {problem or 'not under data/artifacts/'}"
                    )
                    continue
                if not rel.removeprefix("data/artifacts/").startswith(f"{r['artifact_id']}_"):
                    bad.append(f"{where}: bundle_path {rel} does not carry artifact id {r['artifact_id']!r}")
                if (
                    m256 is not None
                    and m512 is not None
                    and (m256.get(rel) != r["sha256"] or m512.get(rel) != r["sha512"])
                ):
                    bad.append(f"{rel}: inventory hash ({where}) differs from the manifests")
            if case_hashes is not None:
                for alg, method in (
                    ("sha256", "SHA256"),
                    ("md5", "MD5"),
                    ("sha1", "SHA1"),
                    ("sha512", "SHA512"),
                ):
                    if r[alg] and (method, r[alg]) not in case_hashes:
                        bad.append(
                            f"{rel or r['original_path']}: {method} of the inventory ({where}) missing "
                            f"from the CASE graph"
                        )
        if m256 is not None:
            listed = {r["bundle_path"] for _, r in rows if r["bundle_path"]}
            extra = sorted(p for p in m256 if p.startswith("data/artifacts/") and p not in listed)
            bad += [f"{p}: in the manifest but not in the inventory" for p in extra]
    if bad:
        for b in bad:
            report.add("inventory", False, b)
    elif rows is not None:
        report.add(
            "inventory", True, f"{len(rows)} inventory rows agree with the manifests and the CASE graph"
        )


def _inventory_rows(bundle: _Bundle, bad: list[str]) -> list[tuple[int, dict[str, str]]] | None:
    """``[(line number, row)]`` of artifacts.csv, or None (with the reason in ``bad``)."""
    try:
        text = _read_text(bundle, ARTIFACTS_CSV)
    except (OSError, ValueError) as exc:
        bad.append(f"cannot read the inventory: {exc}")
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, dict[str, str]]] = []
    seen: dict[tuple[str, str], int] = {}
    try:
        header = next(reader, None)
        if header != inventory.COLUMNS and header != inventory.LEGACY_COLUMNS:
            got = header or []
            missing = [c for c in inventory.COLUMNS if c not in got]
            extra = [c for c in got if c not in inventory.COLUMNS]
            detail = "; ".join(
                filter(
                    None,
                    [
                        f"missing {', '.join(missing)}" if missing else "",
                        f"unexpected {', '.join(repr(c[:40]) for c in extra)}" if extra else "",
                    ],
                )
            )
            bad.append(
                f"{ARTIFACTS_CSV} line 1: the header is not triage's inventory header ("
                f"{detail or 'columns repeated or out of order'})"
            )
            return None
        for record in reader:
            n = reader.line_num
            if len(record) != len(header):
                bad.append(f"{ARTIFACTS_CSV} line {n}: {len(record)} fields, the header has {len(header)}")
                continue
            row = dict(zip(header, record, strict=True))
            dup = False
            for key in ("artifact_id", "bundle_path"):
                if row[key] and (key, row[key]) in seen:
                    bad.append(
                        f"{ARTIFACTS_CSV} line {n}: {key} {row[key]!r} repeats line {seen[key, row[key]]}"
                    )
                    dup = True
                seen.setdefault((key, row[key]), n)
            if not dup:
                rows.append((n, row))
    except csv.Error as exc:
        bad.append(f"{ARTIFACTS_CSV} line {reader.line_num}: not CSV ({exc})")
        return None
    return rows


def _case_hashes(bundle: _Bundle, bad: list[str]) -> set[tuple[str, str]] | None:
    """Every ``(method, value)`` hash in the CASE graph, or None (with the reason in ``bad``)."""
    try:
        graph = json.loads(_read_text(bundle, CASE_GRAPH))
    except json.JSONDecodeError as exc:
        bad.append(f"{CASE_GRAPH} line {exc.lineno} column {exc.colno}: not JSON ({exc.msg})")
        return None
    except (OSError, ValueError, RecursionError) as exc:
        bad.append(f"cannot read the CASE graph: {exc}")
        return None
    nodes = graph.get("@graph") if isinstance(graph, dict) else None
    if not isinstance(nodes, list):
        bad.append(f"{CASE_GRAPH}: no @graph list (not a CASE bundle)")
        return None
    out: set[tuple[str, str]] = set()
    for node in nodes:
        facets = node.get("uco-core:hasFacet") if isinstance(node, dict) else None
        for facet in facets if isinstance(facets, list) else []:
            hashes = facet.get("uco-observable:hash") if isinstance(facet, dict) else None
            for h in hashes if isinstance(hashes, list) else []:
                if not isinstance(h, dict):
                    continue
                value = h.get("uco-types:hashValue")
                value = value.get("@value") if isinstance(value, dict) else None
                method = h.get("uco-types:hashMethod")
                if isinstance(method, str) and isinstance(value, str):
                    out.add((method, value))
    return out


# -- custody ---------------------------------------------------------------------------------------------
def _custody(report: VerifyReport, bundle: _Bundle) -> None:
    try:
        text = _read_text(bundle, CUSTODY_LOG)
        tail = _read_text(bundle, EXPORT_LOG)
    except (OSError, ValueError) as exc:
        report.add("custody", False, f"cannot read the custody logs: {exc}")
        return
    err, head, seq = custody.check_chain_seq(text)
    if err:
        report.add("custody", False, f"{CUSTODY_LOG} {err}")
        return
    recorded = bundle.info.get("Custody-Log-Head")
    if recorded is not None and recorded != head:
        report.add(
            "custody",
            False,
            f"bag-info.txt Custody-Log-Head {recorded[:64]!r} is not the last line "
            f"hash of {CUSTODY_LOG} ({head})",
        )
        return
    err, _, _ = custody.check_chain_seq(tail, head, seq + 1)
    if err:
        report.add("custody", False, f"{EXPORT_LOG} {err}")
        return
    report.add(
        "custody",
        True,
        f"hash chain intact ({len(custody.lines(text))} case events + "
        f"{len(custody.lines(tail))} export events)",
    )


def case_validate_available() -> str | None:
    return shutil.which("case_validate")
