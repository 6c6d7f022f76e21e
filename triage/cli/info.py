"""``triage info``: the layout of an image, as mmls and fsstat show it, plus stored metadata."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from triage.cli.unlock import add_unlock_argument, parse_specs, unlock_image
from triage.evidence.fve import UnlockSpec, volume_sha256
from triage.evidence.image import open_image
from triage.evidence.integrity import verify_media
from triage.evidence.volumes import open_filesystem, read_layout
from triage.format import human_bytes


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "info",
        help="show an image's format, partitions, file systems and stored hashes, or a case's "
        "evidence, hashes, damage and scans",
    )
    p.add_argument(
        "evidence",
        help="image file (first segment for split and E01 sets), or a case folder to show "
        "its evidence, the evidence hashes and damage its scans recorded, and its scans",
    )
    p.add_argument(
        "--verify",
        action="store_true",
        help="hash the whole media (MD5, SHA-1, SHA-256), check E01 chunk checksums and compare with the "
        "stored hashes (a scan does this next to its file pass)",
    )
    p.add_argument(
        "--hash-volumes",
        action="store_true",
        help="print the SHA-256 of every decrypted volume stream (the bytes present), to check the "
        "decryption with another tool",
    )
    add_unlock_argument(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def describe(
    path: str, verify: bool = False, specs: list[UnlockSpec] | None = None, hash_volumes: bool = False
) -> dict[str, Any]:
    image = open_image(path)
    unlock_image(image, specs or [])
    layout = read_layout(image)
    info: dict[str, Any] = {
        "path": str(image.source.path),
        "format": image.source.format,
        "segments": [str(p) for p in image.source.segments],
        "media_size": image.size,
        "volume_system": layout.volume_system,
        "block_size": layout.block_size,
        "slots": layout.slots,
        "partitions": [],
        "metadata": {k: v for k, v in image.metadata.items() if k != "segments"},
    }
    for part in layout.partitions:
        entry = part.to_json()
        if part.fs_type and not part.layer.startswith("apfs"):
            fs = open_filesystem(image, part.offset, part.layer)
            entry.update(
                {
                    "block_count": fs.info.block_count,
                    "first_inode": fs.info.first_inum,
                    "last_inode": fs.info.last_inum,
                    "root_inode": fs.info.root_inum,
                }
            )
        if hash_volumes and part.encryption and part.encryption.get("unlocked"):
            entry["encryption"]["sha256"] = volume_sha256(image, part.offset)
        info["partitions"].append(entry)
    if verify:
        info["verification"] = verify_media(image)
    return info


def run(args: argparse.Namespace) -> int:
    from triage.cli.caseinfo import is_case, run_case

    if is_case(args.evidence):  # a case folder: its evidence, hashes, damage, scans and writer
        return run_case(args)
    info = describe(args.evidence, args.verify, parse_specs(args), args.hash_volumes)
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
                out.write(
                    f"{s['addr']:03d}:  {s['slot']:9} {s['start']:010d}   {s['end']:010d}   "
                    f"{s['length']:010d}   {s['description']}\n"
                )
        out.write("\n")
        for p in info["partitions"]:
            fs = p["fs_type"] or "-"
            out.write(f"Partition {p['index']} at byte {p['offset']} ({human_bytes(p['length'])}): {fs}")
            if p["volume_system"] == "LVM2" or p.get("layer"):
                out.write(f" ({p['description']})")
            if p.get("block_size"):
                out.write(
                    f", block size {p['block_size']}, blocks {p.get('block_count')}, "
                    f"inodes {p.get('first_inode')}-{p.get('last_inode')}"
                )
            if p["error"]:
                out.write(f"  [{p['error']}]")
            out.write("\n")
            if p.get("encryption"):
                _write_encryption(out, p["encryption"])
            if p.get("shadow_copies") is not None:
                copies = p["shadow_copies"]
                walked = (
                    "not walked: the stores cannot be listed"
                    if copies and "error" in copies[0]
                    else "each store a partition below"
                    if copies
                    else "no store to walk"
                )
                out.write(f"  Volume shadow copies: {len(copies)} ({walked})\n")
                for c in p["shadow_copies"]:
                    out.write(
                        f"    {c['error']}\n"
                        if "error" in c
                        else f"    vss{c['index']}: created {c['creation_time']}\n"
                    )
        if "verification" in info:
            v = info["verification"]
            out.write(
                f"\nComputed MD5: {v['computed']['md5']}\nComputed SHA-1: {v['computed']['sha1']}\n"
                f"Computed SHA-256: {v['computed']['sha256']}\n"
            )
            for d in v["damage"]:
                out.write(f"Damaged media bytes {d['start']}-{d['start'] + d['length'] - 1}: {d['reason']}\n")
            for note in v["notes"]:
                out.write(f"Note: {note}\n")
            if not v["stored"]:
                out.write("Verification: the image stores no hashes to compare with\n")
            else:
                out.write("Verification: " + ("PASSED" if v["verified"] else "FAILED") + "\n")
    if args.verify and (
        info["verification"]["damage"]
        or (info["verification"]["stored"] and not info["verification"]["verified"])
    ):
        return 1
    return 0


def _write_encryption(out: Any, enc: dict[str, Any]) -> None:
    state = f"unlocked with {enc['protector_used']}" if enc.get("unlocked") else "locked"
    out.write(
        f"  Encrypted volume: {enc['description']}"
        + (f", {enc['cipher']}" if enc["cipher"] else "")
        + f" ({state})\n"
    )
    for prot in enc["protectors"]:
        out.write(
            f"    protector: {prot['kind']}"
            + (f" {{{prot['identifier']}}}" if prot["identifier"] else "")
            + "\n"
        )
    if enc["note"]:
        out.write(f"    note: {enc['note']}\n")
    if enc.get("unlocked"):
        declared, present = enc["declared_size"], enc["available"]
        out.write(f"    decrypted volume: {declared} bytes declared, {present} present")
        if present < declared:
            out.write(f" (short volume: the image ends {declared - present} bytes early)")
        out.write("\n")
    if enc.get("sha256"):
        out.write(f"    SHA-256 of the {enc['available']} decrypted bytes present: {enc['sha256']}\n")
