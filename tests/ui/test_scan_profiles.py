"""Triage profiles in the scan dock: the same priority/select as ``triage scan --profile --quick``."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from triage_ui.main_window import MainWindow

from triage import profiles
from triage.errors import UsageError

pytestmark = pytest.mark.gui


def test_profile_combo_lists_every_profile_with_its_description(qtbot) -> None:
    from triage_ui.views.scan_dock import ScanDock

    dock = ScanDock()
    qtbot.addWidget(dock)
    names = [n for n, _, _ in dock.profiles]
    assert names[0] == "" and sorted(names[1:]) == sorted(profiles.available())
    assert dock.profile_combo.count() == len(names)
    assert not dock.quick_check.isEnabled()  # no profile: nothing to be quick about
    dock.set_profile("windows-quick", quick=True)
    assert dock.profile_name() == "windows-quick" and dock.quick_check.isChecked()
    assert dock.profile_combo.toolTip().startswith(profiles.get("windows-quick").description)
    dock.set_profile(None)
    assert dock.profile_name() is None and not dock.quick_check.isChecked()
    with pytest.raises(UsageError, match="no profile named 'nope'"):
        dock.set_profile("nope")


def test_quick_profile_scan_leaves_other_files_pending(
    qtbot, settings: QSettings, tmp_path: Path, demo_image: Path
) -> None:
    prof = profiles.get("user-documents")
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.new_case(tmp_path / "case")
    win.add_evidence([demo_image])
    win.scan_dock.set_profile("user-documents", quick=True)
    with qtbot.waitSignal(win.scan_dock.scanFinished, timeout=120_000) as done:
        win.start_scan()
        assert not win.scan_dock.profile_combo.isEnabled()  # locked while scanning
    assert done.args[0].status == "completed"
    assert win.session is not None
    rows = [r for r in win.session.ro.iter_files("f.type='r'")]
    done_paths = {r["path"] for r in rows if r["status"] == "done"}
    pending = {r["path"] for r in rows if r["status"] == "pending"}
    assert done_paths and pending, (done_paths, pending)
    assert all(prof.rank(p) is not None for p in done_paths), done_paths
    assert all(prof.rank(p) is None for p in pending), pending
    assert "/home/alice/projects/nightjar/brief.txt" in done_paths
    assert "press Resume" in win.scan_dock.phase_label.text()
    left = win.session.ro.count_files("f.status='pending'")
    assert f"{left:,} files not scanned yet" in win.scan_dock.phase_label.text()
    # the per-analyzer table shows every analyzer that ran
    assert {"hashes", "filetype"} <= {r[0] for r in win.scan_dock.analyzer_rows()}
    # Resume with no profile finishes the rest
    win.scan_dock.set_profile(None)
    with qtbot.waitSignal(win.scan_dock.scanFinished, timeout=120_000) as rest:
        win.scan_dock.start(resume=True)
    assert rest.args[0].status == "completed"
    assert win.session.ro.count_files("f.status='pending'") == 0
    win.close()
