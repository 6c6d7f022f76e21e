"""``triage info CASE``: what a case folder holds (evidence with its stored and computed hashes and
damage, scans, writer) — read-only. Exit 1 when an image failed verification or holds damage."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from triage.case import integrity
from triage.case import lock as writer_lock
from triage.case.query import FileQuery
from triage.case.store import DB_NAME
from triage.cli.common import open_case
from triage.format import human_bytes


def is_case(path: str) -> bool:
    return Path(path).is_dir() and (Path(path) / DB_NAME).is_file()


def describe_case(path: str) -> dict[str, Any]:
    """The case's evidence, scans (a ``running`` scan whose writer is gone reads ``interrupted``) and writer."""
    with open_case(path) as case:
        holder = writer_lock.live_writer(case.path)
        return {
            "case": str(case.path.resolve()),
            "info": asdict(case.case_info()),
            "writer": holder.to_json() if holder else None,
            "evidence": [
                {
                    "id": e["id"],
                    "path": e["path"],
                    "format": e["format"],
                    "size": e["size"],
                    "inventory_done": bool(e["inventory_done"]),
                    "stored_hashes": {a: e[a] for a in ("md5", "sha1", "sha256") if e.get(a)},
                    "evidence_hashes": integrity.evidence_hash(case, e["id"]),
                    "damage": integrity.damage_ranges(case, e["id"]),
                    "damaged_files": case.count(FileQuery(evidence_id=e["id"], damaged=True)),
                }
                for e in case.evidence()
            ],
            "scans": [
                {
                    "id": s["id"],
                    "status": s["status"],
                    "started": s["started"],
                    "finished": s["finished"],
                    "files": (s["stats"] or {}).get("files"),
                    "error": (s["stats"] or {}).get("error"),
                }
                for s in case.scans()
            ],
            "files": case.count(),
            "findings": case.count_findings(),
        }


def run_case(args: argparse.Namespace) -> int:
    info = describe_case(args.evidence)
    if args.json:
        print(json.dumps(info, indent=2, default=str))
        return 0
    out = sys.stdout
    out.write(f"Case: {info['case']}\n")
    given = {k: v for k, v in info["info"].items() if v}
    for key, value in given.items():
        out.write(f"{key.replace('_', ' ').capitalize()}: {value}\n")
    w = info["writer"]
    out.write(
        f"Writer: pid {w['pid']} on {w['host']} since {w['since']} ({w['command']})\n"
        if w
        else "Writer: none\n"
    )
    out.write(f"Files: {info['files']}, findings: {info['findings']}\n")
    bad = False
    for e in info["evidence"]:
        state = "inventoried" if e["inventory_done"] else "not inventoried"
        out.write(f"Evidence {e['id']}: {e['path']} ({e['format']}, {human_bytes(e['size'])}, {state})\n")
        bad = _print_integrity(e, info["case"]) or bad
    for s in info["scans"]:
        end = f" → {s['finished']}" if s["finished"] else ""
        extra = f", {s['files']} files" if s["files"] is not None else ""
        why = f" [{s['error']}]" if s["error"] else ""
        out.write(f"Scan {s['id']}: {s['status']} {s['started']}{end}{extra}{why}\n")
    return 1 if bad else 0


_VERDICTS = {
    "passed": "PASSED (matches the hashes stored in the image)",
    "failed": "FAILED (differs from the hashes stored in the image)",
    "none": "the image stores no hashes to compare with",
}


def _print_integrity(ev: dict[str, Any], case: str) -> bool:
    """The image's stored and computed hashes, verdict and damage; True when something is wrong."""
    out = sys.stdout
    for alg, value in ev["stored_hashes"].items():
        out.write(f"  Stored {alg.upper()}: {value}\n")
    h = ev["evidence_hashes"]
    bad = False
    if not h or not h.get("finished"):
        done = h["bytes_hashed"] if h else 0
        out.write(
            f"  Evidence hashes: not finished ({done} of {ev['size']} bytes; finish with scan --resume)\n"
        )
    else:
        for alg in ("md5", "sha1", "sha256"):
            out.write(f"  Computed {alg.upper()}: {h[alg]}\n")
        out.write(f"  Verification: {_VERDICTS.get(h['verified'], h['verified'])}\n")
        bad = h["verified"] == "failed"
    for d in ev["damage"]:
        out.write(f"  Damaged media bytes {d['start']}-{d['start'] + d['length'] - 1}: {d['reason']}\n")
    if ev["damaged_files"]:
        out.write(f"  Damaged files: {ev['damaged_files']} (see: triage errors {case})\n")
    return bad or bool(ev["damage"])
