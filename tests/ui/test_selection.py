"""Exactly one current file: a click on a finding selects its file in the table, the detail and
the hex view, even when the table showed another file or a view that does not hold it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from casedb import one
from PySide6.QtCore import Qt
from triage_ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _click_finding(qtbot, win: MainWindow, index) -> int:
    view = win.findings
    view.expand(index.parent())
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    hit = win.findings_model.hit(index)
    assert hit is not None
    return hit[0]


def _finding_rows(win: MainWindow) -> list:
    """Indexes of the findings (children of the groups) that point at a file."""
    model = win.findings_model
    out = []
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        out += [
            model.index(r, 0, group)
            for r in range(model.rowCount(group))
            if model.hit(model.index(r, 0, group)) is not None
        ]
    return out


def test_a_finding_selects_its_file_everywhere(qtbot, settings, tmp_path: Path, scanned_demo: Path) -> None:
    shutil.copytree(scanned_demo, tmp_path / "case")
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    win.open_case(tmp_path / "case")
    win.findings_dock.show()
    qtbot.waitUntil(lambda: bool(_finding_rows(win)), timeout=10_000)
    rows = _finding_rows(win)
    target = win.findings_model.hit(rows[0])
    assert target is not None
    target_id = target[0]

    # another file is current in the table first
    other = next(r for r in range(win.file_model.rowCount()) if win.file_model.row_dict(r)["id"] != target_id)
    win.table.selectRow(other)
    assert win.detail.file_id != target_id

    assert _click_finding(qtbot, win, rows[0]) == target_id
    assert win.selected_file_ids() == [target_id]
    assert win.detail.file_id == target_id

    # a view that does not hold the file: the table follows to the file's folder
    win.filter_edit.setText("no-file-has-this-name")
    assert win.file_model.rowCount() == 0
    assert _click_finding(qtbot, win, rows[0]) == target_id
    assert win.selected_file_ids() == [target_id]
    assert win.detail.file_id == target_id
    assert win.filter_edit.text() == ""


def test_a_new_case_shows_nothing_of_the_previous_one(
    qtbot, settings, tmp_path: Path, scanned_demo: Path
) -> None:
    shutil.copytree(scanned_demo, tmp_path / "case")
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.open_case(tmp_path / "case")
    assert win.scan_label.text().startswith("last scan completed")
    win.scan_dock.found_label.setText("5 findings · 0 errors")  # as a finished scan leaves it
    win.new_case(tmp_path / "empty")
    assert win.scan_label.text() == ""
    assert win.scan_dock.found_label.text() == "" and win.scan_dock.phase_label.text() == "idle"
    assert win.scan_dock.last_status is None
    assert win.findings_model.rowCount() == 0 and win.file_model.rowCount() == 0


def test_reset_layout_brings_back_closed_docks(qtbot, settings) -> None:
    from PySide6.QtGui import QAction

    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    assert win.findings_dock.isVisible()
    win.findings_dock.close()
    win.timeline_dock.setFloating(True)
    assert not win.findings_dock.isVisible()
    action = next(a for a in win.findChildren(QAction) if a.text() == "Reset &layout")
    action.trigger()
    assert win.findings_dock.isVisible() and not win.timeline_dock.isFloating()


def test_problems_view_lists_errors_and_warnings_and_selects_the_file(
    qtbot, settings, tmp_path: Path, scanned_demo: Path
) -> None:
    from triage.case.store import Case

    shutil.copytree(scanned_demo, tmp_path / "case")
    row = one(
        tmp_path / "case",
        "SELECT id, path FROM files WHERE name='plans.txt' OR name LIKE 'notes%' ORDER BY id LIMIT 1",
    )
    with Case.open(tmp_path / "case") as case:
        file_id, path = int(row[0]), row[1]
        case.add_error("engine", "read failed at offset 4096: Input/output error", file_id=file_id)
        case.add_warning("entropy", "over its time budget (2.0 s > 1 s)", file_id=file_id)
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    win.open_case(tmp_path / "case")
    view = win.problems
    assert [(p.severity, p.path) for p in view.rows()] == [("error", path), ("warning", path)]
    assert view.count.text() == "1 error, 1 warning"
    view.filter.setCurrentIndex(2)  # warnings only
    assert [p.message for p in view.rows()] == ["over its time budget (2.0 s > 1 s)"]
    win.problems_dock.show()
    win.problems_dock.raise_()
    index = view.model.index(0, 2)
    qtbot.mouseClick(
        view.table.viewport(), Qt.MouseButton.LeftButton, pos=view.table.visualRect(index).center()
    )
    assert win.selected_file_ids() == [file_id] and win.detail.file_id == file_id
