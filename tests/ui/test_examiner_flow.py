"""One examiner's day in the workstation, driven as a user drives it: key presses, shortcuts and
the menu bar opened with Alt and a mnemonic (QTest on the real widgets, never a direct slot call).

New case → refuse a text file as evidence → add the demo image → F5 scans it → a click on a
finding selects its file everywhere (table, tree, detail, hex) → tag it → add a damaged copy of
the image and scan it → the Problems view lists its errors → export the tagged file and see the
verification pass. The values are checked against independent oracles (``icat``, the bagit
library, the CLI's own message) and the evidence is hashed before and after.

Each step is one small function taking the :class:`Day`; a new feature adds its step to
``STEPS``. The same day runs a second time on a real X server (Xvfb, ``QT_QPA_PLATFORM=xcb``) in
a child process, and both runs fail on any Qt warning about shortcuts, plugins or bindings.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMenu, QMessageBox, QWidget
from triage_ui.main_window import MainWindow
from triage_ui.qtmessages import bad_messages

from tests.ui.xdisplay import pytest_on_xvfb

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]
REGULAR_FILES = 22  # the demo image's regular files, as `triage scan` counts them


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Day:
    qtbot: Any
    win: MainWindow
    tmp: Path
    demo: Path
    facts: dict[str, Any] = field(default_factory=dict)


# -- driving helpers: what a user's hands do -------------------------------------------------
def press(
    widget: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """A key press in ``widget``'s window, which first gets the focus back (as a window manager
    gives it back when a dialog closes; neither offscreen nor a bare Xvfb does)."""
    window = widget.window()
    if QApplication.activePopupWidget() is None and not window.isActiveWindow():
        window.activateWindow()
        assert QTest.qWaitForWindowActive(window), f"{window.windowTitle()} never became active"
    QTest.keyClick(widget, key, modifiers)


def menu(day: Day, title_key: Qt.Key, item_key: Qt.Key) -> None:
    """Alt+<menu mnemonic>, then the item's mnemonic in the open menu."""
    press(day.win, title_key, Qt.KeyboardModifier.AltModifier)
    day.qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=5000)
    popup = QApplication.activePopupWidget()
    assert popup is not None
    press(popup, item_key)


class Answered(list[Any]):
    """The dialogs :func:`when_modal` answered; ``stop()`` ends its waiting."""

    stopped = False

    def stop(self) -> None:
        self.stopped = True


def when_modal(kind: type, answer: Callable[[Any], None], timeout_ms: int = 10_000) -> Answered:
    """Answer the next modal dialog of ``kind`` (opened by a blocking call) from the event loop;
    the returned list holds it once it was answered."""
    seen = Answered()
    waited = [0]

    def poll() -> None:
        if seen.stopped:
            return
        w = QApplication.activeModalWidget()
        if isinstance(w, kind) and w.isVisible():
            seen.append(w)
            QTest.qWait(300)  # as a user would: the dialog has finished loading its folder
            answer(w)
        elif waited[0] < timeout_ms:
            waited[0] += 50
            QTimer.singleShot(50, poll)

    QTimer.singleShot(0, poll)
    return seen


def type_into_file_dialog(path: Path) -> Callable[[QFileDialog], None]:
    """Type a full path into a file dialog's name field and press Enter."""

    def answer(dialog: QFileDialog) -> None:
        edit = dialog.findChild(QWidget, "fileNameEdit")
        assert edit is not None, "not Qt's own file dialog"
        edit.setFocus()
        QTest.keyClicks(edit, str(path))
        press(edit, Qt.Key.Key_Return)

    return answer


def click(qtbot: Any, view: Any, index: QModelIndex) -> None:
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


# -- the day's steps -------------------------------------------------------------------------
def new_case(day: Day) -> None:
    """Case → New case: a folder dialog, or the New case dialog that also asks for the case
    number, examiner and organisation (typed into it, then stored in the case)."""
    folder = day.tmp / "case"

    def make_and_choose(dialog: QFileDialog) -> None:
        folder.mkdir()
        type_into_file_dialog(folder)(dialog)

    answered = when_modal(QFileDialog, make_and_choose)
    menu(day, Qt.Key.Key_C, Qt.Key.Key_N)  # Case → New case…
    answered.stop()
    typed = {} if answered else _fill_the_new_case_dialog(day, folder)
    assert day.win.session is not None and day.win.session.path == folder.resolve()
    assert day.win.session.ro.audit_log()[0].action == "case.created"
    info = day.win.session.ro.case_info()
    assert {name: getattr(info, name) for name in typed} == typed


def _fill_the_new_case_dialog(day: Day, folder: Path) -> dict[str, str]:
    dialog = day.win.dialogs.get("new_case")
    assert dialog is not None, "Case → New case opened neither a folder dialog nor the New case dialog"
    day.qtbot.waitUntil(dialog.isVisible)
    typed = {"case_number": "2024-017", "examiner": "J. Doe", "organisation": "Example Police"}
    edits = [(dialog.fields.edits[name], text) for name, text in typed.items()]
    for edit, text in [*edits, (dialog.folder, str(folder))]:  # the folder last: it follows the number
        edit.setFocus()
        press(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(edit, text)
    press(dialog.folder, Qt.Key.Key_Return)  # Create case
    day.qtbot.waitUntil(lambda: not dialog.isVisible())
    return typed


def refuse_a_text_file(day: Day) -> None:
    text = day.tmp / "notes.txt"
    text.write_text("this is not a disk image\n" * 200)
    when_modal(QFileDialog, type_into_file_dialog(text))
    press(day.win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # Add evidence…
    day.qtbot.waitUntil(
        lambda: isinstance(day.win.errors.box, QMessageBox) and day.win.errors.box.isVisible()
    )
    box = day.win.errors.box
    assert box is not None
    assert box.text() == f"{text}: not a disk image: no partition table or file system recognised"
    press(box, Qt.Key.Key_Return)
    day.qtbot.waitUntil(lambda: not box.isVisible())
    assert day.win.session is not None and day.win.session.ro.evidence() == []


def add_the_demo_image(day: Day) -> None:
    when_modal(QFileDialog, type_into_file_dialog(day.demo))
    menu(day, Qt.Key.Key_C, Qt.Key.Key_E)  # Case → Add evidence…
    assert day.win.session is not None
    assert [Path(e["path"]).name for e in day.win.session.ro.evidence()] == [day.demo.name]
    assert day.win.tree_model.rowCount() == 1


def f5_scans(day: Day, files: int | None = REGULAR_FILES) -> Any:
    with day.qtbot.waitSignal(day.win.scan_dock.scanFinished, timeout=120_000) as finished:
        press(day.win, Qt.Key.Key_F5)
    summary = finished.args[0]
    assert summary.status == "completed", summary
    assert files is None or summary.files == files, summary
    return summary


def a_finding_selects_its_file_everywhere(day: Day) -> None:
    win = day.win
    fm = win.findings_model
    group = fm.find_group("Type mismatch")
    assert group.isValid(), fm.groups()
    win.findings.expand(group)
    finding = fm.index(0, 0, group)
    hit = fm.hit(finding)
    assert hit is not None and finding.data() == "/Pictures/holiday.jpg"
    file_id = hit[0]
    # another file is current first: the first row of the table, chosen with the keyboard
    win.table.setFocus()
    press(win.table, Qt.Key.Key_Home)
    assert win.detail.file_id is not None and win.detail.file_id != file_id
    click(day.qtbot, win.findings, finding)
    assert win.selected_file_ids() == [file_id]
    assert int(win.file_model.row_dict(win.table.currentIndex().row())["id"]) == file_id
    assert win.detail.file_id == file_id
    row = win.session.ro.file(file_id) if win.session else None
    assert row is not None
    tree = win.tree_model.node(win.tree.currentIndex())
    assert (
        (tree.partition_id, tree.folder_path)
        == (row["partition_id"], row["parent_path"])
        == (
            row["partition_id"],
            "/Pictures",
        )
    )
    # the hex view shows this file's bytes, as icat reads them from the image
    part = next(p for p in win.session.ro.partitions() if p["id"] == row["partition_id"])
    icat = subprocess.run(
        ["icat", "-o", str(part["offset"] // 512), str(day.demo), str(row["inode"])],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    assert len(icat) == row["size"] and win.detail.hex.read(0, len(icat)) == icat
    day.facts["file_id"], day.facts["content"] = file_id, icat


def tag_it(day: Day) -> None:
    answered = when_modal(QInputDialog, _type_tag("export"))
    press(day.win, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # Edit → Tag selected files…
    assert answered
    assert day.win.session is not None
    assert [(t["file_id"], t["tag"]) for t in day.win.session.ro.tags()] == [(day.facts["file_id"], "export")]
    assert [a.action for a in day.win.session.ro.audit_log()].count("tag.added") == 1


def _type_tag(tag: str) -> Callable[[QInputDialog], None]:
    def answer(dialog: QInputDialog) -> None:
        edit = QApplication.focusWidget()
        assert edit is not None
        press(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(edit, tag)
        press(edit, Qt.Key.Key_Return)

    return answer


def problems_view_lists_a_damaged_copy(day: Day) -> None:
    cut = day.tmp / "demo-cut.raw"  # cut inside the second (ext4) partition
    cut.write_bytes(day.demo.read_bytes()[: 6 * 1024 * 1024])
    when_modal(QFileDialog, type_into_file_dialog(cut))
    press(day.win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    summary = f5_scans(day, files=None)
    menu(day, Qt.Key.Key_V, Qt.Key.Key_P)  # View → Show problems
    view = day.win.problems
    assert day.win.problems_dock.isVisible() and view.isVisible()
    assert day.win.session is not None
    problems = day.win.session.ro.problems()
    assert summary.errors >= 1 and len(problems) == summary.errors + summary.warnings
    assert view.model.rowCount() == len(problems)
    assert view.count.text() == f"{summary.errors} error{'s' if summary.errors != 1 else ''}, 0 warnings"
    assert all(str(cut) in p.message for p in problems), [p.message for p in problems]


def export_and_verify(day: Day) -> None:
    win = day.win
    press(win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    wiz = win.dialogs["export"]
    day.qtbot.waitUntil(wiz.isVisible)
    assert wiz.selection.file_ids() == [day.facts["file_id"]]  # the tagged file
    press(wiz, Qt.Key.Key_Return)  # Next is the wizard's default button
    assert wiz.currentPage() is wiz.request
    for key, text in (  # the request and the authority that sent it (the case number is prefilled)
        ("reference", "MLA-2024-0042"),
        ("requesting_authority", "Public Prosecutor, Example"),
        ("legal_basis", "Treaty on mutual legal assistance, art. 1"),
    ):
        edit = wiz.request.edits[key]
        edit.setFocus()
        edit.selectAll()
        QTest.keyClicks(edit, text)
    press(edit, Qt.Key.Key_Return)
    assert wiz.currentPage() is wiz.sender_page
    for key, text in (("requested_authority", "Example Provider Ltd"), ("examiner", "J. Doe")):
        edit = wiz.sender_page.edits[key]
        edit.setFocus()
        edit.selectAll()
        QTest.keyClicks(edit, text)
    press(edit, Qt.Key.Key_Return)
    assert wiz.currentPage() is wiz.signing
    wiz.signing.none.setFocus()
    press(wiz.signing.none, Qt.Key.Key_Space)  # "Do not sign", chosen from the keyboard
    assert wiz.signing.none.isChecked()
    press(wiz, Qt.Key.Key_Return)
    assert wiz.currentPage() is wiz.encryption
    out = day.tmp / "bundle"
    wiz.encryption.out.setFocus()
    QTest.keyClicks(wiz.encryption.out, str(out))
    with day.qtbot.waitSignal(wiz.exportFinished, timeout=120_000) as exported:
        press(wiz.encryption.out, Qt.Key.Key_Return)
    result = exported.args[0]
    assert result["verified"] is True and wiz.result_page.verdict.text() == "PASSED", result["report"]
    import bagit

    bagit.Bag(str(out)).validate()  # an independent check of the bag
    readme = (out / "data" / "README.txt").read_text(encoding="utf-8")
    assert "Requesting authority: Public Prosecutor, Example" in readme
    assert "Requested authority: Example Provider Ltd" in readme
    assert "Sent by: J. Doe" in readme  # typed on the Sender page
    payload = [p for p in (out / "data" / "artifacts").rglob("*") if p.is_file()]
    assert len(payload) == 1 and payload[0].name.endswith("holiday.jpg")
    assert payload[0].read_bytes() == day.facts["content"]  # the bytes icat read from the image
    press(wiz, Qt.Key.Key_Return)  # Finish
    day.qtbot.waitUntil(lambda: not wiz.isVisible())


def the_gallery_shows_the_demo_pictures(day: Day) -> None:
    from tests.ui.test_gallery import _oracle

    oracle = _oracle(day.demo)  # fls/icat/file over the image: every picture, by path
    win = day.win
    win.table.setFocus()
    press(win.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)  # View → Show gallery
    assert win.file_tabs.currentWidget() is win.gallery
    model = win.gallery.model
    day.qtbot.waitUntil(lambda: model.rowCount() == len(oracle), timeout=30_000)
    assert {model.record(r).path for r in range(model.rowCount())} == set(oracle)
    win.file_tabs.setCurrentIndex(0)  # back to the file table


def remove_the_damaged_copy(day: Day) -> None:
    win = day.win
    assert win.session is not None
    cut = next(e for e in win.session.ro.evidence() if str(e["path"]).endswith("demo-cut.raw"))
    model = win.tree_model
    row = next(r for r in range(model.rowCount()) if model.node(model.index(r, 0)).data["id"] == cut["id"])
    click(day.qtbot, win.tree, model.index(row, 0))
    menu(day, Qt.Key.Key_C, Qt.Key.Key_M)  # Case → Remove evidence…
    box = win.dialogs["remove_evidence"]
    day.qtbot.waitUntil(box.isVisible)
    assert "demo-cut.raw" in box.text()
    remove = next(b for b in box.buttons() if b.text().startswith("Remove "))
    remove.setFocus()
    press(remove, Qt.Key.Key_Space)
    day.qtbot.waitUntil(lambda: not win.removing() and model.rowCount() == 1, timeout=30_000)
    assert not box.isVisible()
    # offscreen Qt keeps the hidden question as the active window; a window manager would not
    win.activateWindow()
    QApplication.setActiveWindow(win)
    day.qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    audit = [a for a in win.session.ro.audit_log() if a.action == "evidence.removed"]
    assert len(audit) == 1 and str(audit[0].details["path"]).endswith("demo-cut.raw")
    assert win.session.ro.problems() == []  # its read errors went with it
    assert [int(e["id"]) for e in win.session.ro.evidence()] == [model.node(model.index(0, 0)).data["id"]]


STEPS: list[Callable[[Day], Any]] = [
    new_case,
    refuse_a_text_file,
    add_the_demo_image,
    f5_scans,
    the_gallery_shows_the_demo_pictures,
    a_finding_selects_its_file_everywhere,
    tag_it,
    problems_view_lists_a_damaged_copy,
    export_and_verify,
    remove_the_damaged_copy,
]


def test_an_examiners_day(qtbot, qtlog, settings, tmp_path: Path, demo_image: Path) -> None:
    if shutil.which("icat") is None:
        pytest.skip("icat (sleuthkit) is the oracle for the hex view")
    if os.environ.get("QT_QPA_PLATFORM") == "xcb":
        assert QApplication.platformName() == "xcb"
    before = sha256(demo_image)
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    day = Day(qtbot, win, tmp_path, demo_image)
    for step in STEPS:
        step(day)
    press(win, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)  # Case → Quit
    qtbot.waitUntil(lambda: not win.isVisible())
    assert sha256(demo_image) == before  # the evidence was never written
    bad = bad_messages([r.message for r in qtlog.records])
    assert not bad, "Qt warned:\n" + "\n".join(bad)


def test_an_examiners_day_on_a_real_display(tmp_path: Path, demo_image: Path) -> None:
    """The same day on Xvfb with the xcb platform plugin, in a child process."""
    if os.environ.get("QT_QPA_PLATFORM") == "xcb":
        pytest.skip("already on the real display (this is the child run)")
    out = pytest_on_xvfb(
        f"{Path(__file__)}::test_an_examiners_day",
        "1366x768",
        {
            "HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "TRIAGE_LOG_DIR": str(tmp_path / "logs"),
        },
        cwd=REPO,
    )
    bad = bad_messages(out)
    assert not bad, "Qt warned on the real display:\n" + "\n".join(bad)
