"""The completeness ledger and the examination report on the scanned, tagged demo case.

Checked with tools that are not ours: blkls -A (unallocated bytes), sha256sum-equivalent hashlib over
icat's output (tagged files), pdftotext -raw (the PDF's text in drawing order, so that a
wrapped table cell stays in one piece)."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from triage.case.completeness import ledger
from triage.case.records import GapKind
from triage.case.store import Case
from triage.cli import main

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo.raw"
TAGGED = ("brief.txt", "contacts.txt", "cat.png", "Deleted Meeting Minutes.txt")
NOTE = "Alice's brief — «NIGHTJAR» 夜鹰 مذكرة"  # user content: never translated


def triage(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "triage", *args], capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def demo_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo image scanned, four files tagged (one a picture, one deleted), a note, and one
    planted entry of each kind the demo itself cannot produce: a YARA timeout and a crashed plugin
    (recorded problems, as the scan records them) and an encrypted volume (an explicit gap)."""
    if not DEMO.is_file():
        pytest.skip("examples/demo.raw is missing")
    case_dir = tmp_path_factory.mktemp("report") / "demo"
    proc = triage("scan", str(DEMO), "--case", str(case_dir), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    with Case.open(case_dir) as case:
        ids = {r["name"]: int(r["id"]) for r in case.iter_files("f.type='r'") if r["name"] in TAGGED}
        assert sorted(ids) == sorted(TAGGED)
        for fid in ids.values():
            case.add_tag(fid, "relevant")
        case.add_note(ids["brief.txt"], NOTE)
        (scan,) = [int(s["id"]) for s in case.scans()]
        (ev,) = [int(e["id"]) for e in case.evidence()]
        for rule in ("m_slow", "m_slower"):  # two slow rules on one file: one timed-out entry
            case.add_error(
                "yara",
                f"YARA rule {rule} timed out after 60 s; scanned 0 of the file's bytes",
                scan_id=scan,
                evidence_id=ev,
                file_id=ids["contacts.txt"],
            )
        case.add_error("plugin:yara", "post-scan work stopped: the child died of signal 9", scan_id=scan)
        case.record_gap(
            GapKind.ENCRYPTED,
            "BitLocker volume, no recovery key",
            source="examiner",
            size=1 << 20,
            evidence_id=ev,
        )
    return case_dir


def test_ledger_kinds_and_unallocated_bytes(demo_case: Path) -> None:
    if shutil.which("blkls") is None:
        pytest.skip("blkls not installed")
    with Case.open(demo_case, readonly=True) as case:
        book = ledger(case)
        parts = {int(p["idx"]): int(p["offset"]) for p in case.partitions() if p["fs_type"]}
    kinds = [e.kind for e in book.entries]
    unalloc = {e.partition: e.size for e in book.entries if e.kind is GapKind.NOT_SCANNED}
    for idx, offset in parts.items():  # blkls writes the unallocated blocks' bytes
        out = subprocess.run(
            ["blkls", "-A", "-o", str(offset // 512), str(DEMO)], capture_output=True, check=True
        )
        assert unalloc[idx] == len(out.stdout) > 0
    assert kinds.count(GapKind.TIMED_OUT) == 1  # two problems on one file: one entry, its size once
    (slow,) = [e for e in book.entries if e.kind is GapKind.TIMED_OUT]
    assert slow.path == "/home/alice/contacts.txt" and "m_slow" in slow.reason and "m_slower" in slow.reason
    (crash,) = [e for e in book.entries if e.kind is GapKind.PLUGIN_FAILURE]
    assert crash.evidence_id is None and crash.source == "plugin:yara"  # the whole scan
    assert GapKind.ENCRYPTED in kinds
    totals = {t.kind: t for t in book.totals()}
    assert totals[GapKind.NOT_SCANNED].size == sum(v or 0 for v in unalloc.values())
    assert totals[GapKind.TIMED_OUT].size == slow.size


def test_completeness_cli(demo_case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Case.open(demo_case, readonly=True) as case:
        book = ledger(case)
    assert main(["completeness", str(demo_case), "--json"]) == 0
    js = json.loads(capsys.readouterr().out)
    assert js["complete"] is False and len(js["entries"]) == len(book.entries)
    assert {t["kind"]: t["size"] for t in js["totals"]} == {t.kind.value: t.size for t in book.totals()}
    assert main(["completeness", str(demo_case), "--evidence", "99"]) == 2
    assert "--evidence 99: no such evidence item" in capsys.readouterr().err


def test_rescan_replaces_the_gaps_of_a_scan(demo_case: Path, tmp_path: Path) -> None:
    case_dir = tmp_path / "c"
    shutil.copytree(demo_case, case_dir, ignore=shutil.ignore_patterns("case.lock"))
    with Case.open(case_dir) as case:
        (ev,) = [int(e["id"]) for e in case.evidence()]
        case.record_gap(
            GapKind.TRUNCATED, "text cut at 1 MiB", source="text", size=5, scan_id=1, evidence_id=ev
        )
        before = [g.kind for g in case.gaps(evidence_id=ev)]
        case.reset_results(ev)  # what a rescan does first
        after = [g.kind for g in case.gaps(evidence_id=ev)]
    assert before == [GapKind.ENCRYPTED, GapKind.TRUNCATED] and after == [GapKind.ENCRYPTED]


@pytest.mark.parametrize(
    "args, message",
    [
        (("--format", "docx"), "--format: unknown format 'docx'"),
        (("--language", "en,xx"), "--language: unknown language 'xx'"),
    ],
)
def test_bad_options_exit_2_before_any_work(
    demo_case: Path, tmp_path: Path, args: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["report", str(demo_case), "--out", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def _icat_sha256(case: Case, name: str) -> str:
    (row,) = [r for r in case.iter_files("f.type='r'") if r["name"] == name]
    data = subprocess.run(
        ["icat", "-o", str(row["partition_offset"] // 512), str(DEMO), str(row["inode"])],
        capture_output=True,
        check=True,
    ).stdout
    return hashlib.sha256(data).hexdigest()


def _squash(text: str) -> str:
    """Without white space (table cells wrap) and bidi controls (pdftotext marks RTL runs)."""
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]+", "", text)


def test_report_covers_the_demo_case_completely(demo_case: Path, tmp_path: Path) -> None:
    """Acceptance: HTML and PDF; every tagged file's SHA-256 (icat's) and every ledger entry
    (reason and size) in both; labels in French; the note as written."""
    if shutil.which("pdftotext") is None or shutil.which("icat") is None:
        pytest.skip("pdftotext (poppler-utils) or icat (sleuthkit) not installed")
    out = tmp_path / "report"
    assert main(["report", str(demo_case), "--out", str(out), "--language", "en,fr"]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["report-en.html", "report-en.pdf", "report-fr.html", "report-fr.pdf"]
    with Case.open(demo_case, readonly=True) as case:
        hashes = [_icat_sha256(case, n) for n in TAGGED]
        book = ledger(case)
    assert len(book.entries) >= 5
    for lang, title in (("en", "Completeness ledger"), ("fr", "Registre d’exhaustivité")):
        page = html.unescape((out / f"report-{lang}.html").read_text(encoding="utf-8"))
        assert 'src="http' not in page and 'href="http' not in page  # self-contained
        text = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", str(out / f"report-{lang}.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for doc in (page, text):
            flat = _squash(doc)
            assert title in doc
            assert _squash(NOTE) in flat
            for digest in hashes:
                assert digest in flat, (lang, digest)
            for e in book.entries:
                assert _squash(e.reason) in flat, (lang, e.reason)
                assert e.size is None or str(e.size) in flat
