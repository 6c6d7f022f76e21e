"""``triage info``: the layout of an image, as mmls and fsstat show it, plus stored metadata."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from triage.cli.common import human_bytes
from triage.errors import EvidenceError
from triage.evidence.image import open_image
from triage.evidence.volumes import open_filesystem, read_layout


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("info", help="show an image's format, partitions, file systems and stored hashes")
    p.add_argument("evidence", help="image file (first segment for split and E01 sets), or a case folder to show "
                                    "the evidence hashes and damage its scans recorded")
    p.add_argument("--verify", action="store_true",
                   help="hash the whole media (MD5, SHA-1, SHA-256), check E01 chunk checksums and compare with the "
                        "stored hashes (a scan does this next to its file pass)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def describe(path: str, verify: bool = False) -> dict[str, Any]:
    image = open_image(path)
    layout = read_layout(image)
    info: dict[str, Any] = {
        "path": str(image.source.path), "format": image.source.format,
        "segments": [str(p) for p in image.source.segments], "media_size": image.size,
        "volume_system": layout.volume_system, "block_size": layout.block_size, "slots": layout.slots,
        "partitions": [], "metadata": {k: v for k, v in image.metadata.items() if k != "segments"},
    }
    for part in layout.partitions:
        entry = part.to_json()
        if part.fs_type:
            fs = open_filesystem(image, part.offset)
            entry.update({"block_count": fs.info.block_count, "first_inode": fs.info.first_inum,
                          "last_inode": fs.info.last_inum, "root_inode": fs.info.root_inum})
        info["partitions"].append(entry)
    if verify:
        info["verification"] = verify_media(image)
    return info


def verify_media(image: Any) -> dict[str, Any]:
    """Hash the whole media (MD5, SHA-1, SHA-256; E01 chunks checked) and compare with what the container
    stores. The same pass a scan runs next to its file pass (:func:`triage.evidence.integrity.hash_evidence`)."""
    from triage.evidence.integrity import compare_stored, hash_evidence

    outcome = hash_evidence(image.source)
    if outcome.hashes is None:
        raise EvidenceError(f"{image.source.path}: the media could not be hashed to its end")
    stored = image.metadata.get("stored_hashes", {}) or {}
    verdict, checks = compare_stored(stored, outcome.hashes)
    return {"computed": outcome.hashes, "stored": stored, "matches": checks,
            "verified": verdict == "passed" and not outcome.damage,
            "damage": [d.to_json() for d in outcome.damage], "notes": outcome.notes}


def describe_case(path: str) -> dict[str, Any]:
    """What a case recorded of each image: stored and computed hashes, verdict, damage."""
    from triage.case import integrity
    from triage.case.store import Case

    case = Case.open(path, readonly=True)
    try:
        out = []
        for ev in case.evidence():
            out.append({"path": ev["path"], "format": ev["format"], "media_size": ev["size"],
                        "stored_hashes": {a: ev[a] for a in ("md5", "sha1", "sha256") if ev.get(a)},
                        "evidence_hashes": integrity.evidence_hash(case, ev["id"]),
                        "damage": integrity.damage_ranges(case, ev["id"]),
                        "damaged_files": case.count_files("f.evidence_id=? AND f.damage IS NOT NULL", (ev["id"],))})
        return {"case": str(case.path), "evidence": out}
    finally:
        case.close()


def _print_case(info: dict[str, Any]) -> int:
    out = sys.stdout
    out.write(f"Case: {info['case']}\n")
    bad = False
    for ev in info["evidence"]:
        out.write(f"\nImage: {ev['path']}\nFormat: {ev['format']}\nMedia size: {ev['media_size']} bytes\n")
        for alg, value in ev["stored_hashes"].items():
            out.write(f"Stored {alg.upper()}: {value}\n")
        h = ev["evidence_hashes"]
        if not h or not h.get("finished"):
            done = h["bytes_hashed"] if h else 0
            out.write(f"Evidence hashes: not finished ({done} of {ev['media_size']} bytes; finish with scan --resume)\n")
        else:
            for alg in ("md5", "sha1", "sha256"):
                out.write(f"Computed {alg.upper()}: {h[alg]}\n")
            out.write(f"Verification: {_VERDICTS.get(h['verified'], h['verified'])}\n")
            bad = bad or h["verified"] == "failed"
        for d in ev["damage"]:
            out.write(f"Damaged media bytes {d['start']}-{d['start'] + d['length'] - 1}: {d['reason']}\n")
        if ev["damaged_files"]:
            out.write(f"Damaged files: {ev['damaged_files']} (see: triage errors {info['case']})\n")
        bad = bad or bool(ev["damage"])
    return 1 if bad else 0


_VERDICTS = {"passed": "PASSED (matches the hashes stored in the image)",
             "failed": "FAILED (differs from the hashes stored in the image)",
             "none": "the image stores no hashes to compare with"}


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    if (Path(args.evidence) / "case.sqlite").is_file():  # a case folder: what the scans recorded
        case_info = describe_case(args.evidence)
        if args.json:
            print(json.dumps(case_info, indent=2, default=str))
            return 0
        return _print_case(case_info)
    info = describe(args.evidence, args.verify)
    if args.json:
        print(json.dumps(info, indent=2, default=str))
    else:
        out = sys.stdout
        out.write(f"Image: {info['path']}\nFormat: {info['format']} ({len(info['segments'])} segment(s))\n")
        out.write(f"Media size: {info['media_size']} bytes ({human_bytes(info['media_size'])})\n")
        for key, value in (info["metadata"].get("headers") or {}).items():
            out.write(f"  {key}: {value}\n")
        for alg, value in (info["metadata"].get("stored_hashes") or {}).items():
            out.write(f"Stored {alg.upper()}: {value}\n")
        out.write(f"\nVolume system: {info['volume_system']}\n")
        if info["slots"]:
            out.write(f"Units are in {info['block_size']}-byte sectors\n\n")
            out.write("      Slot      Start        End          Length       Description\n")
            for s in info["slots"]:
                out.write(f"{s['addr']:03d}:  {s['slot']:9} {s['start']:010d}   {s['end']:010d}   "
                          f"{s['length']:010d}   {s['description']}\n")
        out.write("\n")
        for p in info["partitions"]:
            fs = p["fs_type"] or "-"
            out.write(f"Partition {p['index']} at byte {p['offset']} ({human_bytes(p['length'])}): {fs}")
            if p.get("block_size"):
                out.write(f", block size {p['block_size']}, blocks {p.get('block_count')}, "
                          f"inodes {p.get('first_inode')}-{p.get('last_inode')}")
            if p["error"]:
                out.write(f"  [{p['error']}]")
            out.write("\n")
        if "verification" in info:
            v = info["verification"]
            out.write(f"\nComputed MD5: {v['computed']['md5']}\nComputed SHA-1: {v['computed']['sha1']}\n"
                      f"Computed SHA-256: {v['computed']['sha256']}\n")
            for d in v["damage"]:
                out.write(f"Damaged media bytes {d['start']}-{d['start'] + d['length'] - 1}: {d['reason']}\n")
            for note in v["notes"]:
                out.write(f"Note: {note}\n")
            if not v["stored"]:
                out.write("Verification: the image stores no hashes to compare with\n")
            else:
                out.write("Verification: " + ("PASSED" if v["verified"] else "FAILED") + "\n")
    if args.verify and (info["verification"]["damage"] or
                        (info["verification"]["stored"] and not info["verification"]["verified"])):
        return 1
    return 0
