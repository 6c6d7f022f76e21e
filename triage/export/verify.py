"""Check a bundle the way a recipient would: bag completeness and hashes, signatures,
CASE graph and inventory against the manifests, and the custody hash chain."""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triage.export import bag, custody, signing


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
        lines = [f"{'OK  ' if c.ok else 'FAIL'} {c.name}: {c.message}" for c in self.checks]
        lines += [f"WARN {w}" for w in self.warnings]
        lines.append(f"{'VERIFIED' if self.ok else 'NOT VERIFIED'}: {self.path}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report


def verify_bundle(path: str | Path, *, ca: str | Path | None = None, allowed_signers: str | Path | None = None,
                  principal: str | None = None, identity: str | Path | None = None, passphrase: str | None = None,
                  require_signature: bool = False) -> VerifyReport:
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
            inner_report = verify_bundle(inner, ca=ca, allowed_signers=allowed_signers, principal=principal,
                                         require_signature=require_signature)
            inner_report.path = p
            return inner_report
    report = VerifyReport(p)
    if not p.is_dir():
        report.add("bundle", False, f"{p}: no such folder or archive")
        return report
    problems = bag.check_bag(p)
    if problems:
        for prob in problems:
            report.add("bag", False, prob)
    else:
        report.add("bag", True, "BagIt 1.0; every payload and tag file listed and matching SHA-256 and SHA-512")
    _signatures(report, p, ca, allowed_signers, principal, require_signature)
    _case_and_inventory(report, p)
    _custody(report, p)
    return report


def _signatures(report: VerifyReport, root: Path, ca: Any, allowed: Any, principal: str | None,
                require: bool) -> None:
    sig_dir = root / bag.SIGNATURES_DIR
    content = root / signing.SIGNED_FILE
    p7s, sig = sig_dir / signing.CMS_FILE, sig_dir / signing.SSH_FILE
    if p7s.is_file():
        report.signed.append("cms")
        ok, msg = signing.cms_verify(p7s, content, Path(ca) if ca else None)
        report.add(f"signature {bag.SIGNATURES_DIR}/{signing.CMS_FILE}", ok, msg if ok else
                   f"{msg} (over {signing.SIGNED_FILE})")
        if ok and not ca:
            report.warnings.append("CMS signer not checked against a trust anchor: give --ca, and compare the "
                                   "fingerprint with the one received separately")
    elif ca:
        report.add("signature", False, f"--ca given but the bundle has no {signing.CMS_FILE}")
    if sig.is_file():
        report.signed.append("ssh")
        name = f"signature {bag.SIGNATURES_DIR}/{signing.SSH_FILE}"
        try:
            pub = signing.sshsig_verify(sig.read_text(encoding="ascii"), content.read_bytes())
        except (ValueError, UnicodeDecodeError, OSError) as exc:
            report.add(name, False, f"{exc} (over {signing.SIGNED_FILE})")
        else:
            from cryptography.hazmat.primitives import serialization

            raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            fp = signing.ssh_fingerprint(pub)
            source = Path(allowed) if allowed else sig_dir / "allowed_signers"
            keys = signing.allowed_signer_keys(source) if source.is_file() else {}
            who = keys.get(raw)
            if who is None:
                report.add(name, False, f"signature valid but key {fp} is not in {source}")
            elif principal and principal not in who.split(","):
                report.add(name, False, f"key {fp} belongs to {who}, not {principal}")
            else:
                report.add(name, True, f"SSH signature valid, key {fp} ({who})")
                if not allowed:
                    report.warnings.append("SSH key checked only against the bundle's own allowed_signers: give "
                                           "--allowed-signers received separately")
    elif allowed:
        report.add("signature", False, f"--allowed-signers given but the bundle has no {signing.SSH_FILE}")
    if not report.signed:
        if require:
            report.add("signature", False, "the bundle is not signed")
        else:
            report.warnings.append("the bundle is not signed")


def _case_and_inventory(report: VerifyReport, root: Path) -> None:
    try:
        m256 = bag.read_manifest(root / "manifest-sha256.txt")
        m512 = bag.read_manifest(root / "manifest-sha512.txt")
        rows = list(csv.DictReader(io.StringIO((root / "data/inventory/artifacts.csv").read_text(encoding="utf-8"))))
        graph = json.loads((root / "data/case/bundle.jsonld").read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        report.add("inventory", False, f"cannot read manifests, inventory or CASE graph: {exc}")
        return
    case_hashes: set[tuple[str, str]] = set()
    for node in graph.get("@graph", []):
        for facet in node.get("uco-core:hasFacet", []) or []:
            for h in facet.get("uco-observable:hash", []) or []:
                case_hashes.add((h.get("uco-types:hashMethod"), h.get("uco-types:hashValue", {}).get("@value")))
    bad = []
    for r in rows:
        rel = r["bundle_path"]
        if rel:
            if m256.get(rel) != r["sha256"] or m512.get(rel) != r["sha512"]:
                bad.append(f"{rel}: inventory hash differs from the manifests")
        for alg, method in (("sha256", "SHA256"), ("md5", "MD5"), ("sha1", "SHA1"), ("sha512", "SHA512")):
            if r[alg] and (method, r[alg]) not in case_hashes:
                bad.append(f"{rel or r['original_path']}: {method} of the inventory missing from the CASE graph")
    listed = {r["bundle_path"] for r in rows if r["bundle_path"]}
    extra = sorted(p for p in m256 if p.startswith("data/artifacts/") and p not in listed)
    bad += [f"{p}: in the manifest but not in the inventory" for p in extra]
    if bad:
        for b in bad:
            report.add("inventory", False, b)
    else:
        report.add("inventory", True, f"{len(rows)} inventory rows agree with the manifests and the CASE graph")


def _custody(report: VerifyReport, root: Path) -> None:
    try:
        text = (root / "data/custody/custody-log.jsonl").read_text(encoding="utf-8")
        tail = (root / "export-log.jsonl").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.add("custody", False, f"cannot read the custody logs: {exc}")
        return
    err, head = custody.check_chain(text)
    if err:
        report.add("custody", False, f"data/custody/custody-log.jsonl {err}")
        return
    err, _ = custody.check_chain(tail, head)
    if err:
        report.add("custody", False, f"export-log.jsonl {err}")
        return
    report.add("custody", True, f"hash chain intact ({len(text.splitlines())} case events + "
                                f"{len(tail.splitlines())} export events)")


def case_validate_available() -> str | None:
    return shutil.which("case_validate")
