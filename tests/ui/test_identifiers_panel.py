"""The identifiers panel on a real scan (ext4 image with planted identifiers, the identifiers
analyzer): groups by provider and jurisdiction, click-through to the source file, drafts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from triage_ui.main_window import MainWindow
from triage_ui.models.identifiers import IdentifiersModel

from triage.case.store import Case

pytestmark = pytest.mark.gui

TEXT = b"contact someone@gmail.com or x@outlook.com; pay 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa now\n"
LOOKALIKE = b"not a wallet: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb\n"  # last character changed: bad checksum


@pytest.fixture(scope="module")
def ident_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from triage.scan.engine import ScanEngine, ScanOptions
    from triage.scan.registry import Registry
    from triage.testing import images
    from triage.testing.images import ToolMissing

    if not any(c.name == "identifiers" for c in Registry().analyzer_classes()):
        pytest.skip("the identifiers analyzer is not installed")
    d = tmp_path_factory.mktemp("ident")
    try:
        img = images.make_ext4(d / "i.img", {"/docs/contacts.txt": TEXT, "/docs/other.txt": LOOKALIKE})
    except ToolMissing as exc:
        pytest.skip(str(exc))
    with Case.create(d / "case") as case:
        summary = ScanEngine(
            case, [img.path], ScanOptions(workers=1, analyzers=["hashes", "identifiers"])
        ).run()
    assert summary.status == "completed"
    return d / "case"


def test_groups_click_through_and_draft(
    qtbot, qtmodeltester, settings: QSettings, ident_case: Path, tmp_path: Path
) -> None:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.open_case(ident_case)
    with qtbot.waitSignal(win.identifiers.loaded, timeout=60_000):
        win.show()
        win.identifiers_dock.raise_()
    model = win.identifiers.model
    rows = {
        model.groups[r].key: [model.index(r, c).data() for c in range(7)] for r in range(model.rowCount())
    }
    assert set(rows) == {"google", "microsoft", "currency:Bitcoin"}  # the lookalike is not reported
    assert rows["google"][:5] == ["Google (Google LLC, US)", "US", "1", "1", "1"]
    assert rows["microsoft"][1] == "US" and rows["currency:Bitcoin"][1] == ""
    assert rows["google"][5] == "2023-11-14T22:13:20Z"  # the source file's times (FAKE_TIME)
    qtmodeltester.check(model)
    with Case.open(ident_case, readonly=True) as case:
        src = next(case.iter_files("f.path=?", ("/docs/contacts.txt",)))

    # click the Google group: the table shows the source file, the detail pane shows it
    g = model.find("google")
    win.identifiers.tree.setCurrentIndex(g)
    rect = win.identifiers.tree.visualRect(g)
    from PySide6.QtCore import Qt

    qtbot.mouseClick(win.identifiers.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.file_model.scope_label == "Identifiers: Google (Google LLC, US)"
    assert [win.file_model.row_dict(r)["path"] for r in range(win.file_model.rowCount())] == [
        "/docs/contacts.txt"
    ]
    assert win.detail.file_id == src["id"]
    child = model.index(0, 0, g)
    assert child.data() == "email: someone@gmail.com" and model.file_ids(child) == [src["id"]]

    # a draft for the selected provider: every identifier of it and the source file's SHA-256
    assert win.identifiers.draft_btn.isEnabled()
    with qtbot.waitSignal(win.identifiers.draftsWritten, timeout=60_000) as written:
        win.identifiers.draft(out=tmp_path / "drafts")
    paths = sorted(Path(p).name for p in written.args[0])
    assert paths == ["preservation-google.docx", "preservation-google.json"]
    draft = json.loads((tmp_path / "drafts" / "preservation-google.json").read_text())
    assert draft["addressee"]["legal_name"] == "Google LLC"
    idents = draft["data_to_preserve"]["identifiers"]
    assert [i["identifier"] for i in idents] == [
        "someone@gmail.com"
    ]  # Microsoft's address is not in Google's draft
    assert [(f["path"], f["sha256"]) for f in idents[0]["found_in"]] == [
        ("/docs/contacts.txt", src["sha256"])
    ]
    docx = pytest.importorskip("docx")
    body = "\n".join(
        p.text for p in docx.Document(str(tmp_path / "drafts" / "preservation-google.docx")).paragraphs
    )
    tables = " ".join(
        c.text
        for t in docx.Document(str(tmp_path / "drafts" / "preservation-google.docx")).tables
        for row in t.rows
        for c in row.cells
    )
    assert "someone@gmail.com" in body + tables
    win.close()


def test_kind_filter_and_empty_model(qtbot, qtmodeltester, ident_case: Path) -> None:
    from triage_ui.views.identifiers import IdentifiersPanel

    panel = IdentifiersPanel()
    qtbot.addWidget(panel)
    panel.set_case(ident_case)
    with qtbot.waitSignal(panel.loaded, timeout=60_000):
        panel.show()
    with qtbot.waitSignal(panel.loaded, timeout=60_000):
        panel.kind_combo.setCurrentIndex(panel.kinds.index("crypto"))
    assert [g.key for g in panel.model.groups] == ["currency:Bitcoin"]
    assert panel.summary.text() == "1 identifiers in 1 groups"
    qtmodeltester.check(IdentifiersModel())


def test_draft_dialog_keeps_its_input_until_it_can_write(
    qtbot, settings: QSettings, ident_case: Path, tmp_path: Path
) -> None:
    """OK without a folder used to close the dialog and lose what was typed: now the folder is
    asked for next to its field, the dialog stays, and the typed request reaches the draft."""
    import shutil

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from triage.case.records import CaseInfo

    case_dir = tmp_path / "case"
    shutil.copytree(ident_case, case_dir)
    with Case.open(case_dir) as case:
        case.set_case_info(CaseInfo(requesting_authority="Parquet de Lyon", case_number="NAT-1"))
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.open_case(case_dir)
    with qtbot.waitSignal(win.identifiers.loaded, timeout=60_000):
        win.show()
        win.identifiers_dock.raise_()
    win.identifiers.tree.setCurrentIndex(win.identifiers.model.find("google"))
    qtbot.mouseClick(win.identifiers.draft_btn, Qt.MouseButton.LeftButton)
    dlg = win.identifiers.draft_dialog
    assert dlg is not None
    qtbot.waitUntil(dlg.isVisible)
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)
    edits = dlg.fields.edits
    assert edits["requesting_authority"].text() == "Parquet de Lyon"  # from the case
    qtbot.mouseClick(edits["reference"], Qt.MouseButton.LeftButton)
    QTest.keyClicks(edits["reference"], "MLA-2026-0042")
    QTest.keyClick(edits["reference"], Qt.Key.Key_Tab)
    QTest.keyClicks(QApplication.focusWidget(), "fraud")
    assert edits["offence"].text() == "fraud"
    qtbot.mouseClick(edits["requesting_email"], Qt.MouseButton.LeftButton)
    QTest.keyClicks(edits["requesting_email"], "c.martin")
    QTest.keyClick(edits["requesting_email"], Qt.Key.Key_Return)  # OK: no folder, and a bad e-mail
    assert dlg.isVisible() and dlg.result() == 0
    assert dlg.out_error.text().startswith("Choose the folder") and not dlg.out_error.isHidden()
    assert dlg.fields.errors["requesting_email"].text() == "This is not an e-mail address."
    assert [edits[k].text() for k in ("reference", "offence")] == ["MLA-2026-0042", "fraud"]
    QTest.keyClicks(edits["requesting_email"], "@parquet.example")
    qtbot.mouseClick(dlg.out, Qt.MouseButton.LeftButton)
    QTest.keyClicks(dlg.out, str(tmp_path / "drafts"))
    with qtbot.waitSignal(win.identifiers.draftsWritten, timeout=60_000):
        QTest.keyClick(dlg.out, Qt.Key.Key_Return)
    assert not dlg.isVisible()
    draft = json.loads((tmp_path / "drafts" / "preservation-google.json").read_text())
    assert draft["reference"] == "MLA-2026-0042" and draft["offence"]["offence"] == "fraud"
    assert draft["requesting_authority"]["name"] == "Parquet de Lyon"
    assert draft["requesting_authority"]["email"] == "c.martin@parquet.example"

    # the same folder again: asked inside the dialog before the drafts are replaced
    qtbot.mouseClick(win.identifiers.draft_btn, Qt.MouseButton.LeftButton)
    dlg2 = win.identifiers.draft_dialog
    assert dlg2 is not None and dlg2 is not dlg
    qtbot.waitUntil(dlg2.isVisible)
    assert dlg2.fields.edits["reference"].text() == "MLA-2026-0042"  # remembered for this case
    dlg2.out.setText(str(tmp_path / "drafts"))
    dlg2.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg2)
    QTest.keyClick(dlg2.out, Qt.Key.Key_Return)
    assert dlg2.isVisible() and "preservation-google.json" in dlg2.replace_note.text()
    assert dlg2.ok_button.text() == "Replace them"
    with qtbot.waitSignal(win.identifiers.draftsWritten, timeout=60_000):
        QTest.keyClick(dlg2.out, Qt.Key.Key_Return)
    win.close()
