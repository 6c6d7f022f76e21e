"""Case → Examination report…: options checked before any work, the report written off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox
from triage_ui.views.report_dialog import ReportDialog


def test_report_dialog_checks_then_writes(qtbot, settings, scanned_demo: Path, tmp_path: Path) -> None:
    dlg = ReportDialog(scanned_demo, settings=settings)
    qtbot.addWidget(dlg)
    out = tmp_path / "report"
    dlg.folder.setText(str(out))
    for box in dlg.languages.values():
        box.setChecked(False)
    dlg.start()
    assert dlg.job is None and "language" in dlg.status.text() and not out.exists()
    dlg.languages["fr"].setChecked(True)
    dlg.formats["pdf"].setChecked(False)
    dlg.start()
    assert dlg.job is not None and not dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    qtbot.waitUntil(lambda: dlg.job is None, timeout=120_000)
    assert [p.name for p in dlg.written] == ["report-fr.html"], dlg.status.text()
    assert "Registre d’exhaustivité" in (out / "report-fr.html").read_text(encoding="utf-8")
    assert dlg.open_btn.isEnabled()
