"""Build a bundle: select, re-read and re-hash from the evidence, describe, bag, sign, encrypt.

Everything under ``data/`` is a function of the case, the selection and the request only
(no "now"), so two exports of the same selection give byte-identical manifests and CASE
graph. The real export time and actor go into ``bag-info.txt``, ``export-log.jsonl``
(tag files), the signature and the case's audit log.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import platform
import shutil
import socket
import sys
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import triage
from triage.case.completeness import ledger, ledger_csv
from triage.case.integrity import damage_note, image_integrity
from triage.case.store import Case, utc_now
from triage.errors import EvidenceError, TriageError, UsageError
from triage.evidence.content import CHUNK, EvidenceCache, open_row
from triage.export import bag, casegraph, cover, custody, inventory, pades, signing, transport
from triage.export.cover import cover_languages
from triage.export.ids import uid
from triage.export.inventory import content_bytes
from triage.export.names import bundle_name
from triage.export.request import Request, load_request
from triage.export.selection import Selection, parse_selection, resolve
from triage.private import private_dir
from triage.progress import CancelToken, Progress, ProgressCallback
from triage.versions import sbom_sha256

log = logging.getLogger("triage.export")

UNHASHED = ("stop", "skip", "include")


class ExportCancelled(TriageError):
    """The export was cancelled; nothing was left at the target."""

    exit_code = 130


@dataclass
class ExportResult:
    """What an export produced. ``path`` is the bag folder, or the archive when encrypted."""

    path: Path
    bag: Path | None
    archive: Path | None
    archive_sha256: str | None
    files: int
    bytes: int
    left_out: int
    signatures: list[str]
    manifest_sha256: str
    verified: bool
    warnings: list[str] = field(default_factory=list)
    signer: dict[str, str] = field(default_factory=dict)


def export_bundle(
    case: Case,
    out: str | Path,
    selection: str | Sequence[str] | Sequence[int] | Selection = "all",
    request: Request | Mapping[str, Any] | str | Path | None = None,
    *,
    exclude: Iterable[str | tuple[str, str]] = (),
    metadata_only: bool = False,
    unhashed: str = "stop",
    signer: signing.Signer | None = None,
    signing_key: str | Path | None = None,
    signing_cert: str | Path | None = None,
    ssh_key: str | Path | None = None,
    key_password: str | None = None,
    recipients: Sequence[str] | None = None,
    passphrase: str | None = None,
    request_overrides: Mapping[str, Any] | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    registry: Any | None = None,
    languages: str | Sequence[str] | None = None,
) -> ExportResult:
    """Export a signed bundle of ``selection`` from ``case`` to ``out`` (the bag folder itself).

    With ``recipients`` (age/SSH public keys) or ``passphrase`` the result is one archive
    ``<out>.tar.age`` instead. Raises :class:`UsageError` (bad selection/request/key),
    :class:`EvidenceError` (a file cannot be read or its hash differs from the case) or
    :class:`ExportCancelled` (``cancel`` set: recorded as ``export.cancelled`` in the audit log); in every
    failure nothing is left at ``out``. ``progress`` gets one :class:`triage.progress.Progress` per file.
    """
    if unhashed not in UNHASHED:
        raise UsageError(f"unhashed must be one of {', '.join(UNHASHED)}")
    sel = parse_selection(selection, exclude)
    req = load_request(request, request_overrides)
    langs = cover_languages(req, languages)
    if signer is None:
        signer = signing.load_signer(
            Path(signing_key) if signing_key else None,
            Path(signing_cert) if signing_cert else None,
            Path(ssh_key) if ssh_key else None,
            key_password,
            principal=req.examiner.get("email") or req.examiner["name"].replace(" ", "_"),
        )
    target = Path(out).expanduser().absolute()
    encrypt = bool(recipients) or bool(passphrase)
    archive = None
    if encrypt:
        archive = target if target.name.endswith(".age") else target.with_name(target.name + transport.SUFFIX)
        target = archive.with_name(archive.name.removesuffix(".age").removesuffix(".tar"))
        if archive.exists():
            raise UsageError(f"{archive}: exists (refusing to overwrite)")
        if recipients:
            transport.parse_recipients(recipients)  # fail before the long part
    elif target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target}: exists and is not an empty folder (refusing to overwrite)")
    if not target.parent.is_dir():
        raise UsageError(f"{target.parent}: no such folder")

    rows, left = resolve(case, sel)
    unhashed_rows = [r for r in rows if not r.get("sha256")]
    if unhashed_rows and unhashed == "stop":
        names = ", ".join(f"{r['id']} {r['path']} ({r['status']})" for r in unhashed_rows[:5])
        raise UsageError(
            f"{len(unhashed_rows)} selected file(s) have no SHA-256 in the case (not scanned or their "
            f"content pass failed): {names}; scan them first, or choose to leave them out (unhashed: skip) "
            "or to include them hashed at export (unhashed: include)"
        )
    if unhashed == "skip":
        left += [
            {
                "row": r,
                "reason": f"no SHA-256 in the case (status {r['status']}"
                + (f": {r['error']}" if r.get("error") else "")
                + ")",
            }
            for r in unhashed_rows
        ]
        rows = [r for r in rows if r.get("sha256")]
    left.sort(key=lambda x: x["row"]["id"])
    if not rows:
        raise UsageError(
            f"the selection {sel.spec!r} matched no regular file to export"
            + (f" ({len(left)} left out)" if left else "")
        )

    tmp = target.with_name(f".{target.name}.partial-{uuid.uuid4().hex[:8]}")
    private_dir(tmp, parents=False)  # 0700 whatever the umask: unencrypted bundles are private too
    started = utc_now()
    try:
        stats = _build(
            case, tmp, sel, req, rows, left, metadata_only, signer, progress, cancel, registry, started, langs
        )
        if encrypt and archive is not None:
            tar_tmp = archive.with_name(f".{archive.name}.tar-partial-{uuid.uuid4().hex[:8]}")
            age_tmp = archive.with_name(f".{archive.name}.partial-{uuid.uuid4().hex[:8]}")
            try:
                transport.make_tar(tmp, tar_tmp, target.name)
                transport.encrypt(tar_tmp, age_tmp, recipients or (), passphrase)
                os.replace(age_tmp, archive)
            finally:
                tar_tmp.unlink(missing_ok=True)
                age_tmp.unlink(missing_ok=True)
            shutil.rmtree(tmp)
        else:
            if target.is_dir():
                target.rmdir()  # empty, checked above
            os.rename(tmp, target)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, ExportCancelled) and not getattr(case, "readonly", False):
            case.audit(
                "export.cancelled",
                {"request": req.reference, "selection": sel.to_dict(), "path": str(archive or target)},
            )
        raise
    digest = transport.sha256_file(archive) if archive else None
    result = ExportResult(
        path=archive or target,
        bag=None if archive else target,
        archive=archive,
        archive_sha256=digest,
        files=stats["files"],
        bytes=stats["bytes"],
        left_out=len(left),
        signatures=stats["signatures"],
        manifest_sha256=stats["manifest_sha256"],
        verified=stats["verified"],
        warnings=stats["warnings"] + cover.language_warnings(req, languages),
        signer=signer.describe() if signer else {},
    )
    details = {
        "request": req.reference,
        "selection": sel.to_dict(),
        "files": result.files,
        "bytes": result.bytes,
        "left_out": result.left_out,
        "metadata_only": metadata_only,
        "path": str(result.path),
        "manifest_sha256": result.manifest_sha256,
        "archive_sha256": digest,
        "signatures": result.signatures,
        "signer": result.signer.get("fingerprint"),
    }
    if getattr(case, "readonly", False):
        result.warnings.append("the case is open read-only: this export is not recorded in its audit log")
    else:
        case.audit("export.created", details)
    return result


def _image_key(ev: dict[str, Any]) -> str:
    return ev.get("sha256") or f"{Path(ev['path']).name}:{ev['size']}"


def _build(
    case: Case,
    root: Path,
    sel: Selection,
    req: Request,
    rows: list[dict[str, Any]],
    left: list[dict[str, Any]],
    metadata_only: bool,
    signer: signing.Signer | None,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
    registry: Any,
    started: str,
    langs: tuple[str, ...] = ("en",),
) -> dict[str, Any]:
    warnings: list[str] = []
    data = root / bag.PAYLOAD_DIR
    for sub in ("artifacts", "case", "inventory", "custody", "tool", "cover-sheet"):
        (data / sub).mkdir(parents=True, exist_ok=True)
    if metadata_only:
        (data / "artifacts").rmdir()

    evidence = {e["id"]: e for e in case.evidence()}
    used = sorted({r["evidence_id"] for r in rows})
    images = []
    for n, eid in enumerate(used, 1):
        ev = evidence[eid]
        images.append(
            {
                "id": eid,
                "key": _image_key(ev),
                "name": Path(ev["path"]).name,
                "size": ev["size"],
                "format": ev["format"],
                "path": ev["path"],
                "exhibit": req.exhibit_for(ev, n),
                **image_integrity(case, ev),
            }
        )
    by_eid = {img["id"]: img for img in images}
    tags: dict[int, list[str]] = {}
    for t in case.tags():
        tags.setdefault(int(t["file_id"]), []).append(t["tag"])
    findings: dict[int, set[str]] = {}
    for fnd in case.select_findings():
        if fnd.file_id is not None:
            findings.setdefault(fnd.file_id, set()).add(f"{fnd.plugin}:{fnd.name}")

    width = len(str(len(rows)))
    artifacts: list[dict[str, Any]] = []
    payload: dict[str, dict[str, str]] = {}
    cache = EvidenceCache()
    total_bytes = 0
    try:
        for i, row in enumerate(rows, 1):
            if cancel is not None and cancel.is_set():
                raise ExportCancelled("export cancelled; nothing was written at the target")
            img = by_eid[row["evidence_id"]]
            name = bundle_name(i, width, row["name"])
            rel = f"data/artifacts/{name}"
            key = (
                f"{img['key']}|{row['partition_offset']}|{row['inode']}|{row['attr_type']}|{row['attr_id']}|"
                f"{row['path']}|{row.get('sha256') or ''}"
                + (f"|{row['partition_layer']}" if row.get("partition_layer") else "")  # a vssN/apfsN volume
            )
            note = (
                ""
                if row.get("sha256")
                else f"no SHA-256 in the case (status {row['status']}); hashed at export"
            )
            if content_bytes(row) != int(row["size"]):
                note = (
                    f"content ends after {content_bytes(row)} of {row['size']} bytes (sparse or uninitialised "
                    "data; icat gives the same)" + (f"; {note}" if note else "")
                )
            if row.get("damage"):
                note = damage_note(row["damage"]) + (f"; {note}" if note else "")
            if metadata_only:
                hashes = {k: row.get(k) or "" for k in ("md5", "sha1", "sha256")}
                rel = ""
            else:
                hashes = _copy(cache, evidence[row["evidence_id"]], row, root / rel)
                payload[rel] = {"sha256": hashes["sha256"], "sha512": hashes["sha512"]}
                total_bytes += content_bytes(row)
            artifacts.append(
                {
                    "id": name.split("_", 1)[0],
                    "key": key,
                    "row": row,
                    "hashes": hashes,
                    "bundle_path": rel,
                    "exhibit": img["exhibit"],
                    "image_key": img["key"],
                    "image_name": img["name"],
                    "tags": sorted(tags.get(row["id"], [])),
                    "findings": sorted(findings.get(row["id"], set())),
                    "note": note,
                }
            )
            if progress is not None:
                progress(Progress("export", i, len(rows), "files", row["path"]))
    finally:
        cache.close()
    _link_members(artifacts)

    audit = case.audit_log()
    events = custody.case_events(audit)
    as_of = max((e["ts"] for e in events), default=started)
    custody_text, custody_head = custody.chain(events)
    (data / "custody" / "custody-log.jsonl").write_text(custody_text, encoding="utf-8", newline="\n")

    tool = _tool(case, sel, metadata_only)
    (data / "tool" / "tool.json").write_text(
        json.dumps(tool, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n"
    )
    bundle_key = uid(req.reference, metadata_only, *(a["key"] for a in artifacts))
    graph = casegraph.build_graph(
        bundle_key=bundle_key,
        request=req,
        tool=tool,
        images=images,
        artifacts=_json_safe(artifacts),
        scans=case.scans(),
        metadata_only=metadata_only,
        decryptions=casegraph.decryption_steps(audit, images),
    )
    (data / "case" / "bundle.jsonld").write_text(casegraph.dumps(graph), encoding="utf-8", newline="\n")
    (data / "inventory" / "artifacts.csv").write_text(
        inventory.artifacts_csv(artifacts), encoding="utf-8", newline=""
    )
    (data / "inventory" / "left-out.csv").write_text(
        inventory.left_out_csv(left), encoding="utf-8", newline=""
    )
    (data / "completeness.csv").write_text(ledger_csv(ledger(case, used)), encoding="utf-8", newline="")
    (data / "inventory" / "source.dfxml").write_text(
        inventory.dfxml(artifacts, images, tool), encoding="utf-8", newline="\n"
    )
    sheet = _cover(
        req, images, artifacts, left, tool, sel, metadata_only, as_of, len(events), custody_head, total_bytes
    )
    sheet.update(cover.sheet_details(artifacts, events, ledger(case, used), tool, langs))
    (data / "cover-sheet" / "cover-sheet.json").write_text(
        cover.cover_json(sheet), encoding="utf-8", newline="\n"
    )
    (data / "cover-sheet" / "cover-sheet.pdf").write_bytes(cover.cover_pdf(sheet, langs))
    (data / "cover-sheet" / "cover-sheet.html").write_text(
        cover.cover_html(sheet, langs), encoding="utf-8", newline="\n"
    )
    (data / "README.txt").write_text(cover.readme(sheet), encoding="utf-8", newline="\n")
    warnings += _contribute(case, data, [a["row"]["id"] for a in artifacts], registry)

    octets, count = bag.write_payload_manifests(root, payload)
    manifest_sha256 = bag.hash_file(root / "manifest-sha256.txt", ("sha256",))["sha256"]
    host = socket.gethostname()
    export_events = [
        {
            "ts": started,
            "actor": _actor(host),
            "action": "export.started",
            "details": {
                "request": req.reference,
                "selection": sel.to_dict(),
                "metadata_only": metadata_only,
                "host": host,
                "tool": f"triage {triage.__version__}",
            },
        },
        {
            "ts": utc_now(),
            "actor": _actor(host),
            "action": "export.packaged",
            "details": {
                "files": len(artifacts),
                "bytes": total_bytes,
                "left_out": len(left),
                "payload_files": count,
                "payload_octets": octets,
                "manifest_sha256": manifest_sha256,
                "signer": signer.describe().get("fingerprint") if signer else None,
            },
        },
    ]
    text, _head = custody.chain(export_events, prev=custody_head, start=len(events) + 1)
    (root / "export-log.jsonl").write_text(text, encoding="utf-8", newline="\n")
    bag.write_bag_info(
        root, _bag_info(req, images, sel, metadata_only, started, custody_head, signer), octets, count
    )
    bag.write_tagmanifests(root)
    signed: list[str] = []
    if signer is not None:
        sig_dir = root / bag.SIGNATURES_DIR
        sig_dir.mkdir()
        signed = signer.write(sig_dir, (root / signing.SIGNED_FILE).read_bytes())
        if isinstance(signer, signing.CmsSigner):
            pdf = cover.cover_pdf(sheet, langs, signer=signer.describe())
            (sig_dir / signing.PADES_FILE).write_bytes(pades.sign_pdf(pdf, signer))
            signed.append(signing.PADES_FILE)
    if not isinstance(signer, signing.CmsSigner):
        warnings.append(cover.NOT_PADES)
    from triage.export.verify import verify_bundle

    report = verify_bundle(root)
    if not report.ok:
        raise TriageError(
            "the bundle did not verify after writing (nothing was kept): " + "; ".join(report.failures)
        )
    return {
        "files": len(artifacts),
        "bytes": total_bytes,
        "signatures": signed,
        "manifest_sha256": manifest_sha256,
        "verified": report.ok,
        "warnings": warnings,
    }


def _link_members(artifacts: list[dict[str, Any]]) -> None:
    """Give each member artifact its container's artifact (``container``: its id, key, bundle path,
    kind) and each container taken in only for its members a note saying so."""
    by_case_id = {a["row"]["id"]: a for a in artifacts}
    for a in artifacts:
        row = a["row"]
        if row.get("origin") == "member":
            parent = by_case_id[int(row["container_id"])]
            a["container"] = {
                "id": parent["id"],
                "key": parent["key"],
                "bundle_path": parent["bundle_path"],
                "path": parent["row"]["path"],
                "kind": (parent["row"].get("attributes") or {}).get("container") or "",
            }
        if row.get("container_for"):
            ids = ", ".join(by_case_id[m]["id"] for m in row["container_for"] if m in by_case_id)
            what = (
                f"not selected itself: exported as the container of {ids} (directly or through a nested "
                "container), so that they can be extracted from it and checked"
            )
            a["note"] = (f"{a['note']}; " if a["note"] else "") + what  # after a DAMAGED note, which leads


def _copy(cache: EvidenceCache, evidence: dict[str, Any], row: dict[str, Any], dest: Path) -> dict[str, str]:
    """Re-read one file from the evidence into ``dest``, hashing on the way; stop on a mismatch."""
    hs = {a: hashlib.new(a) for a in ("md5", "sha1", "sha256", "sha512")}
    content = open_row(cache, evidence, row)
    n = 0
    with dest.open("xb") as f:
        for chunk in content.chunks(CHUNK):
            f.write(chunk)
            n += len(chunk)
            for h in hs.values():
                h.update(chunk)
    out = {a: h.hexdigest() for a, h in hs.items()}
    where = f"file {row['id']} {row['path']!r} (partition {row['partition']}, inode {row['inode']})"
    if n != content_bytes(row):
        raise EvidenceError(
            f"{where}: read {n} of {content_bytes(row)} bytes from the evidence; export stopped, "
            "no bundle written"
        )
    for alg in ("sha256", "sha1", "md5"):
        if row.get(alg) and row[alg].lower() != out[alg]:
            raise EvidenceError(
                f"{where}: {alg.upper()} read now from the evidence ({out[alg]}) differs from the "
                f"case ({row[alg]}); export stopped, no bundle written"
            )
    return out


def _actor(host: str) -> str:
    try:
        return f"{getpass.getuser()}@{host}"
    except (KeyError, OSError):
        return f"unknown@{host}"


def _json_safe(artifacts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for a in artifacts:
        row = {k: (inventory.text(v) if isinstance(v, str) else v) for k, v in a["row"].items()}
        out.append({**a, "row": row})
    return out


def _file_sha256(path: Path) -> str | None:
    try:
        return bag.hash_file(path, ("sha256",))["sha256"] if path.is_file() else None
    except OSError:
        return None


def _rule_sets(value: Any, found: dict[str, str]) -> None:
    """SHA-256 of every rule file or folder named in scan settings (YARA, interesting-file rules)."""
    if isinstance(value, dict):
        for v in value.values():
            _rule_sets(v, found)
    elif isinstance(value, list):
        for v in value:
            _rule_sets(v, found)
    elif isinstance(value, str) and value.lower().endswith((".yar", ".yara", ".toml", ".yml", ".yaml")):
        digest = _file_sha256(Path(value))
        if digest:
            found[value] = digest


def rule_set_digests(scans: list[dict[str, Any]]) -> dict[str, str]:
    """Rule file → SHA-256 for every rule file or folder named in these scans' settings."""
    rules: dict[str, str] = {}
    for s in scans:
        _rule_sets(s.get("settings"), rules)
    return rules


def _tool(case: Case, sel: Selection, metadata_only: bool) -> dict[str, Any]:
    scans = [
        {k: s.get(k) for k in ("id", "started", "finished", "status", "settings", "versions", "stats")}
        for s in case.scans()
    ]
    rules = rule_set_digests(scans)
    export = {
        "selection": sel.to_dict(),
        "metadata_only": metadata_only,
        "payload_manifests": list(bag.ALGORITHMS),
        "inventory_hashes": ["md5", "sha1", "sha256", "sha512"],
        "re_read_from_evidence": not metadata_only,
    }
    settings = {
        "scans": [{k: s[k] for k in ("settings", "versions")} for s in scans],
        "export": export,
        "rule_sets": rules,
    }
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()
    return {
        "name": "triage",
        "version": triage.__version__,
        "sbom_sha256": sbom_sha256(),  # the CycloneDX bill of materials shipped with it (None: a dev tree)
        "runtime": {"python": platform.python_version(), "implementation": sys.implementation.name},
        "scans": scans,
        "export": export,
        "rule_sets": rules,
        "settings_sha256": digest,
    }


def _cover(
    req: Request,
    images: list[dict[str, Any]],
    artifacts: list[dict[str, Any]],
    left: list[dict[str, Any]],
    tool: dict[str, Any],
    sel: Selection,
    metadata_only: bool,
    as_of: str,
    n_events: int,
    head: str,
    total: int,
) -> dict[str, Any]:
    return {
        "notice": "Transfer annex generated from the case. Every file is listed with its hashes in "
        "data/inventory/artifacts.csv; see README.txt for how to verify the bundle.",
        "request": req.request,
        "requesting_authority": req.requesting_authority,
        "requested_authority": req.requested_authority,
        "organisation": req.organisation,
        "examiner": req.examiner,
        "sent_by": cover.sent_by(
            {
                "organisation": req.organisation,
                "examiner": req.examiner,
                "requested_authority": req.requested_authority,
            }
        ),
        "exhibits": [
            {
                "number": img["exhibit"].number,
                "root": img["exhibit"].root or img["exhibit"].number,
                "description": img["exhibit"].description,
                "source_media": img["name"],
                "format": img["format"],
                "size": img["size"],
                "acquisition_hashes": img["acquisition_hashes"] or "none stored in the image",
                "evidence_hashes": img["evidence_hashes"]
                or "not computed (the scan did not finish hashing "
                "the evidence; finish it with scan --resume)",
                "verification": img["verification"],
                "damaged_media_ranges": img["damage"],
            }
            for img in images
        ],
        "summary": {
            "files": len(artifacts),
            "bytes": total,
            "left_out": len(left),
            "metadata_only": metadata_only,
            "damaged_files": [a["id"] for a in artifacts if a["row"].get("damage")],
            "selection": sel.spec,
            "exclusions": [f"{s} ({r})" for s, r in sel.exclude],
            "case_state_as_of": as_of,
            "escaped_names": _escaped_names(artifacts),
        },
        "tool": {
            "name": tool["name"],
            "version": tool["version"],
            "settings_sha256": tool["settings_sha256"],
        },
        "custody": {"events": n_events, "last_line_sha256": head, "times": "UTC"},
    }


def _escaped_names(artifacts: list[dict[str, Any]]) -> str:
    """The cover sheet's word on paths shown escaped (a name not valid UTF-8, or holding a backslash).

    A backslash in a recorded path always starts an escape (see :mod:`triage.evidence.names`)."""
    n = sum(1 for a in artifacts if "\\" in a["row"]["path"])
    if not n:
        return "none: every file name and path is shown exactly as its bytes (UTF-8)"
    return (
        f"{n} file path(s) shown with escapes: in a name that is not valid UTF-8 or holds a backslash, "
        "each byte that is not UTF-8 is shown as \\xHH and each backslash as \\\\; the exact bytes of "
        "each name are in artifacts.csv, column original_name_utf8_hex, and the reason in "
        "original_name_escaped"
    )


def _bag_info(
    req: Request,
    images: list[dict[str, Any]],
    sel: Selection,
    metadata_only: bool,
    started: str,
    head: str,
    signer: signing.Signer | None,
) -> list[tuple[str, str]]:
    # name and address of one and the same body: never one authority's name over another's address
    org = req.requested_authority if req.requested_authority.get("name") else req.organisation
    info = [
        ("Source-Organization", org.get("name", "")),
        ("Organization-Address", org.get("address", "")),
        ("Contact-Name", req.examiner["name"]),
        ("Contact-Email", req.examiner.get("email", "")),
        ("Contact-Phone", req.examiner.get("phone", "")),
        (
            "External-Description",
            f"Evidence transfer bundle for request {req.reference} to "
            f"{req.requesting_authority['name']}" + (" (metadata only)" if metadata_only else ""),
        ),
        ("Bagging-Date", started[:10]),
        ("External-Identifier", req.reference),
        (
            "Internal-Sender-Identifier",
            " ".join(
                filter(
                    None, [str(req.request.get("case_number", ""))] + [i["exhibit"].number for i in images]
                )
            ),
        ),
        ("Bag-Software-Agent", f"triage {triage.__version__}"),
        ("Bagging-Time", started),
        ("Legal-Basis", req.legal_basis),
        ("Selection", sel.spec),
        ("Custody-Log-Head", head),
    ]
    if signer is not None:
        info.append(("Signer-Fingerprint", signer.describe()["fingerprint"]))
        if isinstance(signer, signing.SshSigner):  # verify checks signatures/allowed_signers against it
            info.append(("Signer-Principal", signer.principal))
    return info


def _contribute(case: Case, data: Path, ids: list[int], registry: Any) -> list[str]:
    """Let plugins add files under ``data/`` (``triage_bundle_contribute``); failures become warnings."""
    try:
        if registry is None:
            from triage.scan.registry import Registry

            registry = Registry()
        results = registry.hook.triage_bundle_contribute(case=case, bundle_data=data, selection=ids)
    except Exception as exc:  # a plugin crash must not lose the export; it is reported
        log.exception("bundle plugin failed")
        return [f"a bundle plugin failed: {type(exc).__name__}: {exc}"]
    warnings = []
    for paths in results or []:
        for p in paths or []:
            if data.resolve() not in Path(p).resolve().parents:
                warnings.append(f"a bundle plugin returned a path outside data/: {p}")
    return warnings
