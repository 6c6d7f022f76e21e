"""Removing one evidence item: every row derived from it goes (checked table by table with
sqlite3 itself), the other item stays as it was, the audit log keeps the act, the image is untouched."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import casedb
import pytest
from conftest import run_triage

from triage.case.store import Case
from triage.errors import CaseError, UsageError
from triage.scan.engine import ScanEngine, ScanOptions

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo.raw"
REFS = ("evidence_id", "partition_id", "file_id")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ids(db: Path, evidence_id: int) -> dict[str, set[int]]:
    with sqlite3.connect(db) as conn:
        return {
            "evidence_id": {evidence_id},
            "partition_id": {
                r[0] for r in conn.execute("SELECT id FROM partitions WHERE evidence_id=?", (evidence_id,))
            },
            "file_id": {
                r[0] for r in conn.execute("SELECT id FROM files WHERE evidence_id=?", (evidence_id,))
            },
        }


def _referencing(db: Path, ids: dict[str, set[int]]) -> dict[str, int]:
    """Rows per table (audit excepted) whose evidence_id, partition_id or file_id column (or, for
    the evidence, partitions and files tables themselves, id) names one of ``ids``."""
    own = {"evidence": "evidence_id", "partitions": "partition_id", "files": "file_id"}
    out: dict[str, int] = {}
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for t in tables:
            if t == "audit":
                continue
            cols = {r[1] for r in conn.execute(f"PRAGMA table_info({t})")}
            n = 0
            checks = [(c, ids[c]) for c in REFS if c in cols]
            if t in own:
                checks.append(("id", ids[own[t]]))
            for col, wanted in checks:
                if wanted:
                    marks = ",".join("?" * len(wanted))
                    n += conn.execute(
                        f"SELECT COUNT(*) FROM {t} WHERE {col} IN ({marks})", tuple(wanted)
                    ).fetchone()[0]
            out[t] = n
    return out


@pytest.fixture
def two_items(tmp_path: Path, fat_image: Any) -> tuple[Path, int, int]:
    if not DEMO.is_file():
        pytest.skip(f"{DEMO} not generated")
    case_dir = tmp_path / "case"
    with Case.create(case_dir) as case:
        summary = ScanEngine(case, [DEMO, Path(fat_image.path)], ScanOptions(workers=1)).run()
        assert summary.status == "completed"
        demo_id, fat_id = (int(e["id"]) for e in case.evidence())
        # examiner work and derived rows on both items
        for eid in (demo_id, fat_id):
            fid = casedb.one(case_dir, "SELECT MIN(id) FROM files WHERE evidence_id=? AND type='r'", (eid,))[
                0
            ]
            case.add_tag(fid, "relevant")
            case.add_note(fid, "seen")
            case.add_warning("test", "a warning", evidence_id=eid, file_id=fid)
            casedb.sql(
                case_dir,
                "INSERT INTO thumbnails(file_id, width, height, data, created) VALUES (?, 1, 1, x'89', 'now')",
                (fid,),
            )
            casedb.sql(
                case_dir,
                "INSERT INTO damage(evidence_id, start, length, reason) VALUES (?, 0, 512, 'test')",
                (eid,),
            )
            (case.extra_dir / "test").mkdir(exist_ok=True)
            (case.extra_dir / "test" / f"{fid}-abc-x.bin").write_bytes(b"x")
    return case_dir, demo_id, fat_id


def test_remove_leaves_no_row_referencing_the_item(two_items: tuple[Path, int, int]) -> None:
    case_dir, demo_id, fat_id = two_items
    db = case_dir / "case.sqlite"
    image_before = _sha256(DEMO)
    gone, kept = _ids(db, demo_id), _ids(db, fat_id)
    before_gone, before_kept = _referencing(db, gone), _referencing(db, kept)
    # the fixture really put rows in every table that can reference an item
    for t in (
        "evidence",
        "partitions",
        "files",
        "findings",
        "errors",
        "tags",
        "notes",
        "thumbnails",
        "damage",
    ):
        assert before_gone[t] > 0 and before_kept[t] > 0, t
    assert before_gone["evidence_hashes"] == 1
    with Case.open(case_dir) as case:
        removed = case.remove_evidence(demo_id)
    assert removed.path == str(DEMO.resolve()) and removed.extra_files == 1
    after = _referencing(db, gone)
    assert after == {t: 0 for t in after}, after
    assert _referencing(db, kept) == before_kept  # the other item: untouched, row for row
    assert _sha256(DEMO) == image_before  # evidence is read-only
    left = [int(p.name.split("-")[0]) for p in (case_dir / "extra" / "test").iterdir()]
    assert len(left) == 1 and left[0] in kept["file_id"]  # the other item's extra file stays
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT actor, action, details FROM audit ORDER BY id").fetchall()
    actions = [r[1] for r in rows]
    assert "evidence.added" in actions  # earlier events about the item stay
    actor, action, details = rows[-1]
    assert action == "evidence.removed"
    d = json.loads(details)
    assert d["evidence_id"] == demo_id and d["path"] == str(DEMO.resolve())
    assert d["computed_sha256"] == image_before  # the act names the image by its hash
    assert d["removed"]["files"] == len(gone["file_id"])
    assert actor


def test_refused_while_a_scan_runs_or_mounted(tmp_path: Path) -> None:
    if not DEMO.is_file():
        pytest.skip(f"{DEMO} not generated")
    from triage.evidence.register import register_evidence

    with Case.create(tmp_path / "c") as case:
        eid = register_evidence(case, DEMO)
        with pytest.raises(UsageError, match="no evidence with id 99"):
            case.remove_evidence(99)
        scan = case.start_scan({}, {})
        with pytest.raises(CaseError, match=f"scan {scan} is running"):
            case.remove_evidence(eid)
        case.finish_scan(scan, "completed", {})
        # a live mount recorded by the mount process: this process, at a mounted folder
        case.audit(
            "evidence.mounted", {"evidence": str(DEMO.resolve()), "mountpoint": "/", "pid": os.getpid()}
        )
        with pytest.raises(CaseError, match="unmount it before removing"):
            case.remove_evidence(eid)
        case.audit("evidence.unmounted", {"evidence": str(DEMO.resolve()), "mountpoint": "/"})
        case.remove_evidence(eid)
        assert case.evidence() == []


def test_cli_remove(tmp_path: Path) -> None:
    if not DEMO.is_file():
        pytest.skip(f"{DEMO} not generated")
    case = tmp_path / "c"
    made = run_triage("case", "create", str(case), "--case-number", "X-1", "--examiner", "Jo")
    assert made.returncode == 0, made.stderr
    assert run_triage("evidence", "add", str(case), str(DEMO)).returncode == 0
    for args, needle in (
        (("1",), "add --yes"),
        (("one", "--yes"), "not a number"),
        (("5", "--yes"), "no evidence with id 5"),
    ):
        proc = run_triage("evidence", "remove", str(case), *args)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2 and len(lines) == 1 and needle in lines[0], proc.stderr
    proc = run_triage("evidence", "remove", str(case), "1", "--yes")
    assert proc.returncode == 0 and "Removed evidence 1" in proc.stdout, proc.stderr
    with sqlite3.connect(case / "case.sqlite") as conn:
        assert conn.execute("SELECT COUNT(*) FROM evidence").fetchone()[0] == 0
        actor = conn.execute("SELECT actor FROM audit WHERE action='evidence.removed'").fetchone()[0]
    assert actor.startswith("Jo (")
