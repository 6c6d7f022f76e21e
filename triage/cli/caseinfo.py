"""``triage info CASE``: what a case folder holds (evidence, scans, writer) — read-only."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from triage.case import lock as writer_lock
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
            "writer": holder.to_json() if holder else None,
            "evidence": [
                {
                    "id": e["id"],
                    "path": e["path"],
                    "format": e["format"],
                    "size": e["size"],
                    "inventory_done": bool(e["inventory_done"]),
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
            "files": case.count_files(),
            "findings": case.count_findings(),
        }


def run_case(args: argparse.Namespace) -> int:
    info = describe_case(args.evidence)
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    out = sys.stdout
    out.write(f"Case: {info['case']}\n")
    w = info["writer"]
    out.write(
        f"Writer: pid {w['pid']} on {w['host']} since {w['since']} ({w['command']})\n"
        if w
        else "Writer: none\n"
    )
    out.write(f"Files: {info['files']}, findings: {info['findings']}\n")
    for e in info["evidence"]:
        state = "inventoried" if e["inventory_done"] else "not inventoried"
        out.write(f"Evidence {e['id']}: {e['path']} ({e['format']}, {human_bytes(e['size'])}, {state})\n")
    for s in info["scans"]:
        end = f" → {s['finished']}" if s["finished"] else ""
        extra = f", {s['files']} files" if s["files"] is not None else ""
        why = f" [{s['error']}]" if s["error"] else ""
        out.write(f"Scan {s['id']}: {s['status']} {s['started']}{end}{extra}{why}\n")
    return 0
