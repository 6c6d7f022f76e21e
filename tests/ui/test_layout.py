"""The layout on the screens examiners have (1366x768 laptops, 1920x1080 monitors), measured on a
real X server (Xvfb, xcb): the file table and the detail pane get most of the window, the docks
start at sensible sizes, the file table's columns fit their usual content, an elided cell shows
its whole text in a tooltip, and View → Reset layout (typed: Alt+V, L) brings it all back.

Each size runs in a child process on its own Xvfb; the offscreen platform has one 800x600 screen.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QStyleOptionViewItem
from triage_ui.main_window import MainWindow
from triage_ui.models.files import COLUMNS
from triage_ui.qtmessages import bad_messages

from tests.ui.xdisplay import pytest_on_xvfb

pytestmark = pytest.mark.gui

SIZES = ["1366x768", "1920x1080"]
ON_SCREEN = "TRIAGE_LAYOUT_SCREEN"  # set in the child: the size of its Xvfb screen


def _share(win: MainWindow) -> float:
    centre = win.centralWidget()
    return centre.width() * centre.height() / (win.width() * win.height())


def _check_layout(win: MainWindow, screen: tuple[int, int]) -> None:
    w, h = win.width(), win.height()
    assert w >= 0.85 * screen[0] and h >= 0.85 * screen[1] - 60, (w, h, screen)
    assert _share(win) >= 0.5, f"table and detail get {_share(win):.0%} of the window"
    rows = win.table.viewport().height() // win.table.verticalHeader().defaultSectionSize()
    assert rows >= 10, f"the file table shows {rows} rows"
    assert win.detail.height() >= 200
    right = win.findings_dock.width() / w
    left = win.left_dock.width() / w
    assert 0.2 <= right <= 0.34 and 0.12 <= left <= 0.22, (right, left)
    header = win.table.horizontalHeader()
    fm = win.table.fontMetrics()
    for i, (key, title, _) in enumerate(COLUMNS):
        if key in ("name", "size", "type", "mime", "deleted", "mtime", "crtime", "status"):
            assert header.sectionSize(i) >= fm.horizontalAdvance(title), title
    widest_time = max(
        fm.horizontalAdvance(str(win.file_model.data(win.file_model.index(r, 5)) or ""))
        for r in range(win.file_model.rowCount())
    )
    assert header.sectionSize(5) > widest_time  # Modified (UTC) is never cut


def _elided_cell_tooltip(win: MainWindow) -> None:
    """The SHA-256 column is narrower than a digest: its cells say the whole digest on hover."""
    model = win.file_model
    col = next(i for i, c in enumerate(COLUMNS) if c[0] == "sha256")
    row = next(r for r in range(model.rowCount()) if model.row_dict(r)["name"] == "contacts.txt")
    index = model.index(row, col)
    delegate = win.table.itemDelegate()
    option = QStyleOptionViewItem()
    option.initFrom(win.table.viewport())
    option.rect = win.table.visualRect(index)
    option.font = win.table.font()
    digest = model.row_dict(row)["sha256"]
    assert delegate.is_elided(option, index)
    assert delegate.tooltip(option, index) == f"{digest}\n{model.data(index, Qt.ItemDataRole.ToolTipRole)}"
    name = model.index(row, 0)
    option.rect = win.table.visualRect(name)
    assert not delegate.is_elided(option, name)
    assert delegate.tooltip(option, name) == model.data(
        name, Qt.ItemDataRole.ToolTipRole
    )  # the path, as before


def _reset_layout_from_the_menu(qtbot, win: MainWindow, screen: tuple[int, int]) -> None:
    win.findings_dock.close()
    win.resizeDocks([win.left_dock], [int(win.width() * 0.45)], Qt.Orientation.Horizontal)
    qtbot.wait(100)
    assert _share(win) < 0.5 and not win.findings_dock.isVisible()
    QTest.keyClick(win, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    QTest.keyClick(QApplication.activePopupWidget(), Qt.Key.Key_L)  # Reset &layout
    qtbot.wait(300)
    assert win.findings_dock.isVisible() and not win.timeline_dock.isVisible()
    _check_layout(win, screen)


@pytest.mark.parametrize("size", SIZES)
def test_layout_on_a_real_screen(
    qtbot, qtlog, settings, tmp_path: Path, scanned_demo: Path, size: str
) -> None:
    if os.environ.get(ON_SCREEN) != size:
        _run_on_xvfb(size, tmp_path)
        return
    assert QApplication.platformName() == "xcb"
    screen = tuple(int(v) for v in size.split("x"))
    shutil.copytree(scanned_demo, tmp_path / "case")
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    assert QTest.qWaitForWindowActive(win)
    win.open_case(tmp_path / "case")
    qtbot.wait(600)  # the default sizes are applied after the case's first layout
    _check_layout(win, screen)  # type: ignore[arg-type]
    _elided_cell_tooltip(win)
    _reset_layout_from_the_menu(qtbot, win, screen)  # type: ignore[arg-type]
    bad = bad_messages([r.message for r in qtlog.records])
    assert not bad, bad


def _run_on_xvfb(size: str, tmp_path: Path) -> None:
    pytest_on_xvfb(
        f"{Path(__file__)}::test_layout_on_a_real_screen[{size}]",
        size,
        {ON_SCREEN: size, "HOME": str(tmp_path)},
    )
