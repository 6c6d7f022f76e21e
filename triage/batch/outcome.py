"""What happened to each image, read back from its case, and the batch summary (JSON + table)."""

from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from triage.case.query import FileQuery, FindingQuery
from triage.case.records import Severity
from triage.case.store import Case

# Image statuses: done (no problem), partial (scanned, but something could not be read:
# see ``problems``), failed (not scanned: see ``reason``), pending (not reached yet).
EXIT_OK, EXIT_PROBLEMS = 0, 1


@dataclass
class ImageOutcome:
    """One row of the batch summary."""

    name: str
    image: str
    case: str
    status: str = "pending"
    exhibit: str | None = None
    reason: str | None = None
    problems: list[str] = field(default_factory=list)
    entries: int = 0
    files: int = 0
    files_done: int = 0
    files_failed: int = 0
    files_pending: int = 0
    bytes: int = 0
    findings: int = 0
    errors: int = 0
    warnings: int = 0
    partitions: list[dict[str, Any]] = field(default_factory=list)
    scan_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0
    bundle: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def read_outcome(
    out: ImageOutcome, case: Case, evidence_id: int | None, failure: str | None = None
) -> ImageOutcome:
    """Fill ``out`` from the case; ``failure`` is why the image could not be scanned at all."""
    out.problems = []
    if evidence_id is None:
        out.status, out.reason = "failed", failure or "the image was not registered"
        return out
    image = FileQuery(evidence_id=evidence_id)
    out.entries = case.count(image)
    stats = case.file_stats(image)
    out.files, out.files_done, out.files_failed, out.files_pending, out.bytes = (
        stats.files,
        stats.done,
        stats.failed,
        stats.pending,
        stats.bytes,
    )
    out.findings = case.count_findings(FindingQuery(evidence_id=evidence_id))
    errs = case.problems(evidence_id=evidence_id, severity=Severity.ERROR)
    out.errors = len(errs)
    out.warnings = case.count_problems(evidence_id=evidence_id).warnings
    out.partitions = [
        {
            "index": p["idx"],
            "offset": p["offset"],
            "length": p["length"],
            "description": p["description"],
            "fs_type": p["fs_type"],
            "error": p["error"],
        }
        for p in case.partitions(evidence_id)
    ]
    out.scan_ids = [s["id"] for s in case.scans()]
    for p in out.partitions:
        if p["error"]:
            out.problems.append(
                f"partition {p['index']} at offset {p['offset']} ({p['description']}): {p['error']}"
            )
    if out.files_failed:
        first = case.select_files(FileQuery(evidence_id=evidence_id, status=("failed",)), limit=3)
        sample = "; ".join(f"{r.path}: {r.error}" for r in first)
        out.problems.append(f"{out.files_failed} file(s) could not be read (e.g. {sample})")
    inventory = [e for e in errs if e.source == "inventory"]
    for e in inventory[:3]:
        out.problems.append(f"inventory: {e.message}")
    other = out.errors - len(inventory) - out.files_failed
    if other > 0:
        out.problems.append(f"{other} analyzer/engine error(s) recorded")
    inventoried = case.evidence(evidence_id)[0]["inventory_done"]
    if failure:
        out.status, out.reason = "failed", failure
    elif not inventoried or out.files_pending:
        out.status = "interrupted"
        out.reason = f"{out.files_pending} file(s) not scanned yet; run again with --resume"
    else:
        out.status = "partial" if out.problems else "done"
        out.reason = out.problems[0] if out.problems else None
    return out


def exit_code(outcomes: list[ImageOutcome], damaged: list[dict[str, str]] | None = None) -> int:
    """0 when every image is done without problems and no input looked like a damaged image, else 1."""
    return EXIT_OK if all(o.status == "done" for o in outcomes) and not damaged else EXIT_PROBLEMS


def write_summary(
    out_dir: Path,
    meta: dict[str, Any],
    outcomes: list[ImageOutcome],
    ignored: list[dict[str, str]],
    damaged: list[dict[str, str]] | None = None,
) -> tuple[dict[str, Any], str]:
    """Write ``summary.json`` and ``summary.txt``; return both. ``damaged``: inputs that look like
    images but cannot be used (not scanned; they make the exit code 1)."""
    damaged = damaged or []
    totals = {
        "images": len(outcomes),
        **{
            s: sum(1 for o in outcomes if o.status == s) for s in ("done", "partial", "failed", "interrupted")
        },
        "files": sum(o.files for o in outcomes),
        "files_failed": sum(o.files_failed for o in outcomes),
        "bytes": sum(o.bytes for o in outcomes),
        "findings": sum(o.findings for o in outcomes),
        "damaged": len(damaged),
    }
    summary = {
        **meta,
        "exit_code": exit_code(outcomes, damaged),
        "totals": totals,
        "images": [o.to_json() for o in outcomes],
        "damaged": damaged,
        "ignored": ignored,
    }
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n", encoding="utf-8")
    text = render_table(outcomes, ignored, totals, damaged)
    (out_dir / "summary.txt").write_text(text, encoding="utf-8")
    return summary, text


def render_table(
    outcomes: list[ImageOutcome],
    ignored: list[dict[str, str]],
    totals: dict[str, Any],
    damaged: list[dict[str, str]] | None = None,
) -> str:
    """The summary as a plain-text table (rich, no colour), then one line per problem."""
    from rich.console import Console
    from rich.table import Table

    from triage.format import human_bytes

    table = Table(title="triage batch", show_lines=False)
    for col, just in (
        ("image", "left"),
        ("exhibit", "left"),
        ("status", "left"),
        ("files", "right"),
        ("failed", "right"),
        ("size", "right"),
        ("findings", "right"),
        ("bundle", "left"),
        ("reason", "left"),
    ):
        table.add_column(col, justify=just, overflow="fold")  # type: ignore[arg-type]
    for o in outcomes:
        bundle = (o.bundle or {}).get("status", "-")
        table.add_row(
            o.name,
            o.exhibit or "-",
            o.status.upper() if o.status != "done" else "done",
            f"{o.files_done}/{o.files}",
            str(o.files_failed),
            human_bytes(o.bytes),
            str(o.findings),
            bundle,
            o.reason or "",
        )
    buf = io.StringIO()
    console = Console(file=buf, width=160, color_system=None, force_terminal=False)
    console.print(table)
    lines = [
        buf.getvalue().rstrip("\n"),
        f"{totals['images']} images: {totals['done']} done, {totals['partial']} partial, "
        f"{totals['failed']} failed, {totals['interrupted']} interrupted; {totals['files']} files, "
        f"{totals['findings']} findings"
        + (f"; {len(damaged)} damaged input(s) not scanned" if damaged else ""),
    ]
    for o in outcomes:
        for p in ([o.reason] if o.status == "failed" and o.reason else []) + o.problems:
            lines.append(f"  {o.name}: {p}")
        if o.bundle and o.bundle.get("status") != "created" and o.bundle.get("reason"):
            lines.append(f"  {o.name}: bundle {o.bundle['status']}: {o.bundle['reason']}")
    for item in damaged or []:
        lines.append(f"  DAMAGED {item['path']}: {item['reason']}")
    for item in ignored:
        lines.append(f"  ignored {item['path']}: {item['reason']}")
    return "\n".join(lines) + "\n"
