"""``triage demo``: scan the bundled demo image and print what an examiner would look at first."""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path

from triage.case.store import Case
from triage.evidence.demo import demo_image
from triage.format import human_bytes
from triage.scan.engine import ScanEngine, ScanOptions


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("demo", help="scan the bundled demo image and print a summary")
    p.add_argument("--case", default=None, help="case folder (default: a new temporary folder)")
    p.add_argument("--workers", type=int, default=2)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    image = demo_image()
    case_dir = Path(args.case) if args.case else Path(tempfile.mkdtemp(prefix="triage-demo-"))
    case = Case.open_or_create(case_dir)
    options = ScanOptions(workers=args.workers, rescan=any(case.evidence()))
    summary = ScanEngine(case, [image], options).run()
    rows = [r.as_row() for r in case.each_file()]
    regular = [r for r in rows if r["type"] == "r"]
    print(f"Demo image: {image} ({human_bytes(image.stat().st_size)})")
    print(f"Case: {case_dir}")
    for p in case.partitions():
        n = sum(1 for r in rows if r["partition_id"] == p["id"])
        print(f"  partition {p['idx']} at byte {p['offset']}: {p['fs_type'] or '-'} ({n} entries)")
    print(
        f"Files: {len(regular)} regular files and streams, {sum(r['deleted'] for r in regular)} deleted, "
        f"{human_bytes(sum(r['size'] for r in regular))}; scanned in {summary.seconds:.1f} s"
    )
    types = Counter((r["mime"] or "?") for r in regular)
    print("Types: " + ", ".join(f"{m} ×{n}" for m, n in types.most_common(8)))
    for r in regular:
        if r["deleted"]:
            print(f"  deleted: {r['path']} ({r['size']} bytes, sha256 {str(r['sha256'])[:16]}…)")
    for f in case.select_findings():
        detail = json.dumps(f.details, sort_keys=True)[:80]
        print(f"  finding [{f.plugin}] {f.kind}: {f.name} in {f.path} {detail}")
    print(f"Next: triage files {case_dir} --json | head   ·   triage gui {case_dir}")
    return summary.exit_code
