"""New case (with its information), Case properties, Add evidence refusing a text file, and
Remove evidence, driven through the workstation with key presses and clicks."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QMessageBox
from triage_ui.main_window import MainWindow
from triage_ui.views.new_case import FOLDER_KEY, NewCaseDialog

pytestmark = pytest.mark.gui


def _window(qtbot: Any, settings: QSettings) -> MainWindow:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)  # shortcuts need it
    return win


def _open_new_case(qtbot: Any, win: MainWindow) -> NewCaseDialog:
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    win.dialogs.pop("new_case", None)
    qtbot.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Case → New case (Ctrl+N)
    qtbot.waitUntil(lambda: isinstance(win.dialogs.get("new_case"), NewCaseDialog), timeout=5000)
    dlg = win.dialogs["new_case"]
    qtbot.waitUntil(dlg.isVisible, timeout=5000)
    return dlg


def _type(qtbot: Any, edit: QLineEdit, text: str) -> None:
    """Replace the text with real key presses (QTest types ASCII only)."""
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)


def test_new_case_dialog_creates_the_folder_and_stores_the_information(
    qtbot: Any, settings: QSettings, tmp_path: Path
) -> None:
    settings.setValue(FOLDER_KEY, str(tmp_path / "cases"))  # does not exist yet: created with the case
    win = _window(qtbot, settings)
    dlg = _open_new_case(qtbot, win)
    edits = dlg.fields.edits
    assert dlg.folder.text().startswith(str(tmp_path / "cases"))
    qtbot.keyClicks(edits["case_number"], "2026/117")  # the case number field has the focus
    assert dlg.folder.text() == str(tmp_path / "cases" / "2026-117")  # the proposal follows the number
    _type(qtbot, edits["examiner"], "Ana Ruiz")
    _type(qtbot, edits["organisation"], "Policia Nacional")
    _type(qtbot, edits["examiner_email"], "ana.ruiz@example.org")
    qtbot.keyClick(edits["examiner_email"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.session is not None, timeout=5000)
    assert not dlg.isVisible()
    folder = tmp_path / "cases" / "2026-117"
    assert win.session is not None and win.session.path == folder.resolve()
    with sqlite3.connect(folder / "case.sqlite") as conn:  # read back with sqlite3, not our API
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key LIKE 'info.%'"))
        first_actor, first_action = conn.execute(
            "SELECT actor, action FROM audit ORDER BY id LIMIT 1"
        ).fetchone()
    assert meta["info.case_number"] == "2026/117" and meta["info.examiner"] == "Ana Ruiz"
    assert meta["info.organisation"] == "Policia Nacional"
    assert meta["info.examiner_email"] == "ana.ruiz@example.org"
    assert first_action == "case.created" and first_actor.startswith("Ana Ruiz (")

    # the next New case remembers the examiner and the organisation, not the case number
    dlg2 = _open_new_case(qtbot, win)
    assert dlg2.fields.edits["examiner"].text() == "Ana Ruiz"
    assert dlg2.fields.edits["organisation"].text() == "Policia Nacional"
    assert dlg2.fields.edits["case_number"].text() == ""
    dlg2.reject()


def test_new_case_dialog_refuses_bad_input_and_keeps_it(
    qtbot: Any, settings: QSettings, tmp_path: Path
) -> None:
    settings.setValue(FOLDER_KEY, str(tmp_path / "cases"))
    settings.setValue("case/examiner", "")
    win = _window(qtbot, settings)
    dlg = _open_new_case(qtbot, win)
    edits = dlg.fields.edits
    qtbot.keyClicks(edits["case_number"], "X-1")
    qtbot.keyClick(edits["case_number"], Qt.Key.Key_Return)  # no examiner
    assert dlg.isVisible() and dlg.error.isVisible()
    assert dlg.error.text() == "the examiner cannot be empty"
    assert edits["case_number"].text() == "X-1" and win.session is None

    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "report.docx").write_bytes(b"x")
    _type(qtbot, edits["examiner"], "Jo")
    _type(qtbot, dlg.folder, str(busy))
    qtbot.keyClick(dlg.folder, Qt.Key.Key_Return)
    assert dlg.isVisible() and "folder is not empty and is not a case" in dlg.error.text()
    assert dlg.folder.text() == str(busy) and edits["examiner"].text() == "Jo"

    _type(qtbot, dlg.folder, "/proc/triage-case")
    qtbot.keyClick(dlg.folder, Qt.Key.Key_Return)
    assert dlg.isVisible() and "cannot create the case here: /proc is not writable" in dlg.error.text()

    _type(qtbot, dlg.folder, str(tmp_path / "new" / "deeper"))  # a new folder name just works
    qtbot.keyClick(dlg.folder, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.session is not None, timeout=5000)
    assert (tmp_path / "new" / "deeper" / "case.sqlite").is_file() and not dlg.isVisible()
    assert [p.name for p in busy.iterdir()] == ["report.docx"]


def test_case_properties_shows_and_changes_the_information(
    qtbot: Any, settings: QSettings, tmp_path: Path
) -> None:
    from triage.case.records import CaseInfo

    win = _window(qtbot, settings)
    win.new_case(tmp_path / "c", CaseInfo(case_number="A-7", examiner="Jo"))
    from PySide6.QtGui import QAction

    action = next(a for a in win.findChildren(QAction) if a.text() == "Case propert&ies…")
    action.trigger()
    dlg = win.dialogs["case_properties"]
    assert dlg.fields.edits["case_number"].text() == "A-7"
    _type(qtbot, dlg.fields.edits["requesting_authority"], "Juzgado de Instruccion 3")
    _type(qtbot, dlg.fields.edits["examiner"], "")
    qtbot.keyClick(dlg.fields.edits["examiner"], Qt.Key.Key_Return)
    assert dlg.isVisible() and "cannot be empty" in dlg.error.text()
    _type(qtbot, dlg.fields.edits["examiner"], "Jo Bloggs")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    with sqlite3.connect(tmp_path / "c" / "case.sqlite") as conn:
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key LIKE 'info.%'"))
        actor, details = conn.execute("SELECT actor, details FROM audit WHERE action='case.info'").fetchone()
    assert meta["info.requesting_authority"] == "Juzgado de Instruccion 3"
    assert actor.startswith("Jo Bloggs (")
    assert json.loads(details) == {
        "examiner": "Jo Bloggs",
        "requesting_authority": "Juzgado de Instruccion 3",
    }


def test_add_evidence_action_shows_the_clis_message_for_a_text_file(
    qtbot: Any, settings: QSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import subprocess
    import sys

    from PySide6.QtWidgets import QFileDialog

    text = tmp_path / "notes.txt"
    text.write_text("this is not a disk image\n" * 200)
    win = _window(qtbot, settings)
    win.new_case(tmp_path / "case")
    cli = subprocess.run(
        [sys.executable, "-m", "triage", "scan", str(text), "--case", str(tmp_path / "cli-case")],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TZ": "UTC"},
    )
    assert cli.returncode == 3 and len(cli.stderr.strip().splitlines()) == 1, cli.stderr
    line = cli.stderr.strip().removeprefix("triage: error: ")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(text)], ""))
    qtbot.keyClick(win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # Case → Add evidence (Ctrl+E)
    qtbot.waitUntil(lambda: win.errors.box is not None and win.errors.box.isVisible(), timeout=5000)
    assert (
        win.errors.box.text()
        == line
        == f"{text}: not a disk image: no partition table or file system recognised"
    )
    assert win.session is not None and win.session.ro.evidence() == []


def test_remove_evidence_from_the_tree(
    qtbot: Any, settings: QSettings, tmp_path: Path, scanned_demo: Path, demo_image: Path, fat_image: Any
) -> None:
    shutil.copytree(scanned_demo, tmp_path / "case")
    image_hash = hashlib.sha256(demo_image.read_bytes()).hexdigest()
    win = _window(qtbot, settings)
    win.open_case(tmp_path / "case")
    (fat_id,) = win.add_evidence([Path(fat_image.path)])
    demo_id = next(int(e["id"]) for e in win.session.ro.evidence() if e["id"] != fat_id)  # type: ignore[union-attr]
    win.table.selectRow(0)
    assert win.detail.file_id is not None
    # select the demo image in the evidence tree, then Case → Remove evidence…
    model = win.tree_model
    row = next(r for r in range(model.rowCount()) if model.node(model.index(r, 0)).data["id"] == demo_id)
    win.tree.setCurrentIndex(model.index(row, 0))
    win.act_remove_evidence.trigger()
    box = win.dialogs["remove_evidence"]
    assert isinstance(box, QMessageBox) and demo_image.name in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Cancel (the default): nothing happens
    assert len(win.session.ro.evidence()) == 2  # type: ignore[union-attr]
    win.act_remove_evidence.trigger()
    box = win.dialogs["remove_evidence"]
    remove = next(b for b in box.buttons() if b.text().startswith("Remove "))
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert win.removing()  # in the background
    qtbot.waitUntil(lambda: not win.removing() and model.rowCount() == 1, timeout=30_000)
    assert model.rowCount() == 1 and model.node(model.index(0, 0)).data["id"] == fat_id
    assert win.detail.file_id is None and win.file_model.rowCount() == 0  # the fat image is not scanned yet
    assert win.findings_model.rowCount() == 0 and win.problems.rows() == []
    assert "findings" not in win.scan_label.text() and win.scan_dock.found_label.text() == ""
    db = tmp_path / "case" / "case.sqlite"
    with sqlite3.connect(db) as conn:
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
            cols = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
            if "evidence_id" in cols and table != "audit":
                n = conn.execute(f"SELECT COUNT(*) FROM {table} WHERE evidence_id=?", (demo_id,)).fetchone()[
                    0
                ]
                assert n == 0, table
        assert conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM findings").fetchone()[0] == 0
        act = json.loads(
            conn.execute("SELECT details FROM audit WHERE action='evidence.removed'").fetchone()[0]
        )
    assert act["path"] == str(demo_image.resolve()) and act["computed_sha256"] == image_hash
    assert hashlib.sha256(demo_image.read_bytes()).hexdigest() == image_hash


def test_another_case_starts_clean(
    qtbot: Any, settings: QSettings, tmp_path: Path, scanned_demo: Path
) -> None:
    shutil.copytree(scanned_demo, tmp_path / "case")
    win = _window(qtbot, settings)
    win.open_case(tmp_path / "case")
    model = win.tree_model
    win.tree.expandAll()
    part = model.index(0, 0, model.index(0, 0))
    qtbot.mouseClick(win.tree.viewport(), Qt.MouseButton.LeftButton, pos=win.tree.visualRect(part).center())
    assert win.file_model.scope_label.startswith("Folder")
    qtbot.keyClicks(win.filter_edit, "plans")
    qtbot.keyClicks(win.detail.note_edit, "half a note")
    win.case_properties()
    win.evidence_properties()
    win.new_case(tmp_path / "other")
    assert win.filter_edit.text() == "" and win.file_model.scope_label == "All files"
    assert win.detail.note_edit.toPlainText() == ""
    assert "case_properties" not in win.dialogs and "evidence" not in win.dialogs
    qtbot.keyClicks(win.filter_edit, "x")  # a new filter applies to the new case's files only
    assert win.file_model.scope_label == "All files" and win.file_model.rowCount() == 0
