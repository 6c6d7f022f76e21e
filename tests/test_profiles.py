"""Triage profiles select the right artifacts, are scanned first, and --quick scans only them."""

from __future__ import annotations

import json
from pathlib import Path

import fixtures as images
import pytest
from conftest import run_triage
from fixtures import ToolMissing

from triage import profiles

WINDOWS_TARGETS = {
    "/Users/alice/NTUSER.DAT": "WindowsUserRegistryFiles",
    "/Windows/System32/config/SOFTWARE": "WindowsSystemRegistryFiles",
    "/Windows/System32/winevt/Logs/Security.evtx": "WindowsEventLogs",
    "/Users/alice/AppData/Local/Google/Chrome/User Data/Default/History": "Chromium-based browser history",
}


@pytest.fixture(scope="module")
def windows_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("win")
    try:
        img = images.build_windows_layout(d)
    except ToolMissing as exc:
        pytest.skip(str(exc))
    if img.kind != "ntfs":
        pytest.skip("libntfs-3g could not create folders; the Windows layout needs NTFS")
    case = d / "case"
    proc = run_triage("scan", str(img.path), "--case", str(case), "--profile", "windows-quick", "--quick")
    assert proc.returncode == 0, proc.stderr
    return img.path, case


def test_windows_profile_selects_the_windows_artifacts(windows_case: tuple[Path, Path]) -> None:
    _, case = windows_case
    shown = json.loads(run_triage("profiles", "show", "windows-quick", "--case", str(case), "--json").stdout)
    selected = {s["path"]: s["target"] for s in shown["selected"]}
    for path, target in WINDOWS_TARGETS.items():
        assert selected.get(path) == target, (path, selected.get(path))
    assert "/Users/alice/Documents/report.docx" not in selected
    assert all(not p.startswith("/$") for p in selected)


def test_quick_scan_scans_only_the_profile(windows_case: tuple[Path, Path]) -> None:
    image, case = windows_case
    recs = {
        r["path"]: r for r in map(json.loads, run_triage("files", str(case), "--json").stdout.splitlines())
    }
    for path in WINDOWS_TARGETS:
        assert recs[path]["status"] == "done" and recs[path]["sha256"], path
    pending = [p for p, r in recs.items() if r["status"] == "pending"]
    assert pending, "a quick scan leaves the rest pending"
    assert all(profiles.get("windows-quick").rank(p) is None for p in pending)
    done = run_triage("scan", str(image), "--case", str(case), "--resume")
    assert done.returncode == 0, done.stderr
    recs = {
        r["path"]: r for r in map(json.loads, run_triage("files", str(case), "--json").stdout.splitlines())
    }
    assert not [p for p, r in recs.items() if r["status"] == "pending"]


def test_profile_files_are_scanned_first(tmp_path: Path) -> None:
    """With a profile, the engine hands the profile's files out before any other."""
    try:
        img = images.build_windows_layout(tmp_path / "img")
    except ToolMissing as exc:
        pytest.skip(str(exc))
    order_log = tmp_path / "order.log"
    plugin_dir = tmp_path / "plugins"
    plugin_dir.mkdir()
    (plugin_dir / "order_recorder.py").write_text(
        "import os\nfrom triage.plugin import Analyzer, hookimpl\n"
        "class OrderRecorder(Analyzer):\n"
        "    name = 'order_recorder'\n    version = '1.0.0'\n    needs_content = False\n"
        "    def start(self, ctx):\n"
        f"        with open({str(order_log)!r}, 'a') as fh:\n"
        "            fh.write(ctx.file.path + '\\n')\n"
        "@hookimpl\ndef triage_analyzers():\n    return [OrderRecorder]\n"
    )
    proc = run_triage(
        "scan",
        str(img.path),
        "--case",
        str(tmp_path / "case"),
        "--workers",
        "1",
        "--plugin-dir",
        str(plugin_dir),
        "--profile",
        "windows-quick",
        "--no-sandbox",  # the recorder writes its log outside the case, which a confined worker may not
    )
    assert proc.returncode == 0, proc.stderr
    order = order_log.read_text().splitlines()
    prof = profiles.get("windows-quick")
    ranks = [prof.rank(p) for p in order]
    first_unmatched = next(i for i, r in enumerate(ranks) if r is None)
    assert all(r is not None for r in ranks[:first_unmatched])
    assert all(r is None for r in ranks[first_unmatched:])
    assert ranks[:first_unmatched] == sorted(ranks[:first_unmatched])
    assert first_unmatched >= len(WINDOWS_TARGETS)


def test_profiles_list_and_errors() -> None:
    listing = json.loads(run_triage("profiles", "list", "--json").stdout)
    names = {p["name"] for p in listing}
    assert {"windows-quick", "user-documents", "browsers", "crypto-wallets", "linux-server"} <= names
    bad = run_triage("profiles", "show", "nope")
    assert bad.returncode == 2 and "no profile named 'nope'" in bad.stderr


def test_glob_semantics() -> None:
    t = profiles.Target("x", "", ["/Users/*/AppData/**/History"], True)
    assert t.regex.fullmatch("/users/bob/appdata/local/google/history")
    assert not t.regex.fullmatch("/Users/bob/Documents/History.txt")
