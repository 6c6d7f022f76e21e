"""``triage batch --cluster local:N``: the local process pool per image, a TOML manifest with
a notable hash set and an export policy, and ``--resume`` after the batch process is killed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import write_pace_plugin
from test_batch_support import build_evidence, case_view, sha256_files

from triage.batch.state import read_events
from triage.case.store import Case
from triage.errors import CaseError
from triage.scan.engine import ScanEngine, ScanOptions
from triage.scan.registry import PluginConfig


@pytest.fixture(scope="module")
def evidence(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    for tool in ("ewfacquire", "mkfs.fat", "mke2fs", "sfdisk", "mcopy"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not installed")
    ev = build_evidence(tmp_path_factory.mktemp("batch-local"))
    ev["segments"] = sorted(p for p in ev["dir"].iterdir() if p.is_file())
    ev["hashes"] = sha256_files(ev["segments"])
    ev["pace"] = tmp_path_factory.mktemp("pace")
    write_pace_plugin(ev["pace"], 0.1)
    return ev


@pytest.fixture(scope="module")
def reference(evidence: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("reference")
    views = {}
    for name, img in (("exhibit1", "e01"), ("exhibit2", "split"), ("exhibit3", "mbr")):
        with Case.create(root / name) as case:
            opts = ScanOptions(workers=2, plugins=PluginConfig(plugin_dirs=[str(evidence["pace"])]))
            ScanEngine(case, [evidence[img].path], opts).run()
        views[name] = case_view(root / name)
    return views


def _batch(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "triage", "batch", *args, "--progress", "plain"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TZ": "UTC"},
        start_new_session=True,
    )


def test_manifest_hashset_and_export_policy(evidence: dict[str, Any], tmp_path: Path, triage_cli) -> None:  # type: ignore[no-untyped-def]
    readme = evidence["e01"].files["/docs/readme.txt"]
    (tmp_path / "bad.sha256").write_text(f"{hashlib.sha256(readme).hexdigest()}  readme.txt\n")
    db = tmp_path / "hashsets.sqlite"
    proc = triage_cli(
        "hashsets",
        "import",
        str(tmp_path / "bad.sha256"),
        "--category",
        "notable",
        "--name",
        "lab-notable",
        "--db",
        str(db),
    )
    assert proc.returncode == 0, proc.stderr
    (tmp_path / "request.toml").write_text(
        '[request]\nreference = "MLA-2024-17"\nlegal_basis = "Art. 18 Budapest Convention"\n'
        '[requesting_authority]\nname = "Prosecutor General"\n[examiner]\nname = "A. Examiner"\n'
    )
    (tmp_path / "fixture.yar").write_text(
        'rule ext4_fixture_text { strings: $a = "the ext4 fixture" condition: $a }\n'
    )
    ev = evidence["dir"]
    (tmp_path / "batch.toml").write_text(
        f'[defaults]\nhashsets = ["{db}"]\n\n'
        f'[[image]]\nimage = "{ev / "exhibit1.E01"}"\nexhibit = "EX-001"\nrules = ["fixture.yar"]\n'
        f'export = {{ selection = "alerts", request = "request.toml" }}\n\n'
        f'[[image]]\nimage = "{ev / "exhibit2.001"}"\nexhibit = "EX-002"\ncase = "usb stick"\n'
    )
    out = tmp_path / "out"
    proc = _batch(str(tmp_path / "batch.toml"), "--out", str(out), "--cluster", "local:2")
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    summary = json.loads((out / "summary.json").read_text())
    assert [(i["name"], i["exhibit"], i["status"]) for i in summary["images"]] == [
        ("EX-001", "EX-001", "done"),
        ("usb_stick", "EX-002", "done"),
    ]
    found = case_view(out / "cases" / "EX-001")["findings"]
    hits = [(f["path"], f["name"], f["severity"]) for f in found if f["plugin"] in ("knownfiles", "yara")]
    assert sorted(hits) == [
        ("/docs/readme.txt", "ext4_fixture_text", "alert"),
        ("/docs/readme.txt", "lab-notable", "alert"),
    ]
    assert not [f for f in case_view(out / "cases" / "usb_stick")["findings"] if f["plugin"] == "yara"]
    bundle = summary["images"][0]["bundle"]
    from triage.batch.export import exporter

    if exporter()[0] is None:  # the exporter is not installed: skipped, with the reason, visibly
        assert bundle["status"] == "skipped" and "not available" in bundle["reason"]
        assert f"EX-001: bundle skipped: {bundle['reason']}" in stdout
        assert any(e["event"] == "bundle_skipped" for e in read_events(out / "events.jsonl"))
    else:  # the bundle holds the alert file, re-read from the evidence; bagit validates it
        import bagit

        assert bundle["status"] == "created", bundle
        assert bundle["files"] == 1 and bundle["path"] == str(out / "bundles" / "EX-001")
        bagit.Bag(bundle["path"]).validate()
        payload = [
            p
            for p in (out / "bundles" / "EX-001" / "data").rglob("*")
            if p.is_file() and p.read_bytes() == readme
        ]
        assert payload, "the selected file is not in the bundle"
        assert any(e["event"] == "bundle_created" for e in read_events(out / "events.jsonl"))
    assert summary["images"][1]["bundle"] is None
    assert "EX-001" in (out / "summary.txt").read_text()


def test_local_resume_after_batch_killed(
    evidence: dict[str, Any], reference: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = [
        str(evidence["dir"]),
        "--out",
        str(out),
        "--cluster",
        "local:1",
        "--plugin-dir",
        str(evidence["pace"]),
    ]
    proc = _batch(*args)
    deadline = time.monotonic() + 60
    last = out / "cases" / "exhibit3" / "case.sqlite"
    while True:  # kill once the last image has stored some, not all, of its files
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        try:
            with Case.open(last.parent, readonly=True) as case:
                if case.count_files("f.status='done'"):
                    break
        except (CaseError, sqlite3.Error):  # not created yet, or its schema is being written
            pass
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    done_before = {}
    for name in ("exhibit1", "exhibit2", "exhibit3"):
        if (out / "cases" / name / "case.sqlite").exists():
            with Case.open(out / "cases" / name, readonly=True) as case:
                done_before[name] = case.count_files("f.status='done'")
    first = len(read_events(out / "events.jsonl"))
    proc = _batch(*args, "--resume")
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1, stderr  # exhibit3 is partial (damaged partition)
    second = read_events(out / "events.jsonl")[first:]
    assert [e["image"] for e in second if e["event"] == "image_skipped"] == ["exhibit1", "exhibit2"]
    for name, expected in reference.items():
        assert case_view(out / "cases" / name) == expected, name
    # the resumed image was not scanned again from the start
    resumed = "exhibit3"
    with Case.open(out / "cases" / resumed, readonly=True) as case:
        scans = case.scans()
        total = case.count_files("f.status='done'")
    assert len(scans) == 2 and scans[-1]["stats"]["files"] == total - done_before[resumed] > 0
    assert sha256_files(evidence["segments"]) == evidence["hashes"]
