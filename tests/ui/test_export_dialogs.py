"""The export wizard driven by the keyboard as an examiner would (menu shortcut, typing, Tab,
Enter) on the scanned demo case: authorities on the cover sheet, "Sent by" in the README,
verification shown passing, and the bundle checked with tools that are not ours (bagit,
sha256sum/sha512sum, openssl). Plus: no CLI flags in any text the UI shows."""

from __future__ import annotations

import ast
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget
from triage_ui.main_window import MainWindow
from triage_ui.session import CaseSession
from triage_ui.views.export_wizard import ExportWizard

from triage.case.records import CaseInfo
from triage.case.store import Case

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]+")
INFO = CaseInfo(
    case_number="NAT-2026-117",
    examiner="Ana Examiner",
    organisation="Digital Forensics Unit",
    examiner_email="ana@dfu.example",
    requesting_authority="Parquet de Lyon",
    requested_authority="Openbaar Ministerie",
)


@pytest.fixture
def case_dir(tmp_path: Path, scanned_demo: Path) -> Path:
    d = tmp_path / "case"
    shutil.copytree(scanned_demo, d)
    with Case.open(d) as case:
        case.set_case_info(INFO)
        for row in case.iter_files("f.type='r' AND f.name IN ('brief.txt', 'invoice.pdf', 'plans.txt')"):
            case.add_tag(row["id"], "abroad")
    return d


def _type(qtbot, edit: QLineEdit, text: str) -> None:
    """Click into a field, select what is there and type over it."""
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(edit, text)


def _enter(wiz: ExportWizard) -> None:
    QTest.keyClick(QApplication.focusWidget() or wiz, Qt.Key.Key_Return)


def _visible_texts(root: QWidget) -> list[str]:
    out = [root.windowTitle()]
    for w in root.findChildren(QWidget):
        for getter in ("text", "placeholderText", "toolTip", "title", "subTitle", "toPlainText"):
            if isinstance(w, QLabel | QLineEdit | QAbstractButton) or getter in ("toolTip", "toPlainText"):
                fn = getattr(w, getter, None)
                if callable(fn):
                    try:
                        value = fn()
                    except TypeError:
                        continue
                    if isinstance(value, str):
                        out.append(value)
    return out


def test_export_by_keyboard_names_authorities_and_sender_and_verifies(
    qtbot, settings: QSettings, case_dir: Path, tmp_path: Path, demo_image: Path
) -> None:
    from triage.export.keys import new_examiner_key

    before = hashlib.sha256(demo_image.read_bytes()).hexdigest()
    keys = new_examiner_key(tmp_path / "keys", "ana", common_name="Ana Examiner", email="ana@dfu.example")
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.open_case(case_dir)
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    QTest.keyClick(win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    wiz = win.dialogs.get("export")
    assert isinstance(wiz, ExportWizard)
    qtbot.waitUntil(wiz.isVisible)
    wiz.activateWindow()  # the window manager would: the wizard is the active window now
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wiz)
    assert wiz.selection.tagged.isChecked() and len(wiz.selection.file_ids()) == 3
    QTest.keyClick(wiz, Qt.Key.Key_Return)
    assert wiz.currentPage() is wiz.request

    # prefilled from the case; the reference is the foreign one, so it is typed
    req = wiz.request.edits
    assert req["case_number"].text() == "NAT-2026-117"
    assert req["requesting_authority"].text() == "Parquet de Lyon"
    assert req["reference"].text() == ""
    _type(qtbot, req["requesting_country"], "FR")
    QTest.keyClick(req["requesting_country"], Qt.Key.Key_Tab)
    QTest.keyClicks(QApplication.focusWidget(), "67 rue Servient, 69003 Lyon")
    assert req["requesting_address"].text() == "67 rue Servient, 69003 Lyon"  # Tab went to the next field
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    QTest.keyClicks(QApplication.focusWidget(), "Claire Martin, juge d'instruction")
    _enter(wiz)  # reference and legal basis missing: the page stays and says so next to them
    assert wiz.currentPage() is wiz.request
    errors = wiz.request.form.errors
    assert not errors["reference"].isHidden() and not errors["legal_basis"].isHidden()
    assert errors["reference"].text().startswith("Required")
    assert QApplication.focusWidget() is req["reference"]
    assert req["requesting_contact"].text() == "Claire Martin, juge d'instruction"  # nothing typed is lost
    QTest.keyClicks(req["reference"], "EIO-2026-0042")
    assert errors["reference"].isHidden()
    QTest.keyClick(req["reference"], Qt.Key.Key_Tab)
    QTest.keyClicks(QApplication.focusWidget(), "Directive 2014/41/EU (European Investigation Order)")
    _enter(wiz)
    assert wiz.currentPage() is wiz.sender_page

    snd = wiz.sender_page.edits
    assert [snd[k].text() for k in ("requested_authority", "organisation", "examiner", "examiner_email")] == [
        "Openbaar Ministerie",
        "Digital Forensics Unit",
        "Ana Examiner",
        "ana@dfu.example",
    ]
    _type(qtbot, snd["requested_country"], "NL")
    _type(qtbot, snd["examiner_role"], "Digital forensic examiner")
    QTest.keyClick(snd["examiner_role"], Qt.Key.Key_Tab)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # past the e-mail
    QTest.keyClicks(QApplication.focusWidget(), "+31 70 000 0001")
    assert snd["examiner_phone"].text() == "+31 70 000 0001"
    _enter(wiz)
    assert wiz.currentPage() is wiz.signing

    assert wiz.signing.cms.isChecked()
    _type(qtbot, wiz.signing.key, str(keys.key))
    _enter(wiz)
    assert wiz.currentPage() is wiz.encryption, wiz.signing.key_error.text()

    # a folder that is not empty is refused in the page, with an offer of a new folder inside it
    busy = tmp_path / "exports"
    busy.mkdir()
    (busy / "old.txt").write_text("an earlier export")
    _type(qtbot, wiz.encryption.out, str(busy))
    _enter(wiz)
    assert wiz.currentPage() is wiz.encryption
    assert "not empty" in wiz.encryption.out_error.text() and not wiz.encryption.inside.isHidden()
    qtbot.mouseClick(wiz.encryption.inside, Qt.MouseButton.LeftButton)
    assert wiz.encryption.out.text() == str(busy / "EIO-2026-0042")
    with qtbot.waitSignal(wiz.exportFinished, timeout=120_000) as done:
        _enter(wiz)
    result = done.args[0]
    assert result["verified"] is True and wiz.result_page.verdict.text() == "PASSED"
    assert result["signer"]["fingerprint"] == keys.fingerprint == wiz.result_page.signer.text()
    assert "VERIFIED" in wiz.result_page.report.toPlainText()
    assert "trust anchor" in wiz.result_page.report.toPlainText()  # no anchor was given yet
    # Verify again, against the examiner's certificate as the trust anchor
    _type(qtbot, wiz.result_page.anchor, str(keys.cert))
    with qtbot.waitSignal(wiz.verifyFinished, timeout=60_000) as again:
        qtbot.mouseClick(wiz.result_page.verify_btn, Qt.MouseButton.LeftButton)
    assert again.args[0]["ok"] is True and "trust anchor" not in again.args[0]["report"]
    assert wiz.result_page.verdict.text() == "PASSED"
    texts = _visible_texts(wiz)
    assert not [t for t in texts if FLAG.search(t)], "CLI flags shown to the user"

    bag = busy / "EIO-2026-0042"
    lines = (bag / "data/README.txt").read_text(encoding="utf-8").splitlines()
    assert lines[3:8] == [
        "Requesting authority: Parquet de Lyon (FR)",
        "Requested authority: Openbaar Ministerie (NL)",
        "Sent by: Ana Examiner, Digital Forensics Unit",
        "Contact: ana@dfu.example, +31 70 000 0001",
        "Examiner: Ana Examiner, Digital forensic examiner",
    ]
    sheet = json.loads((bag / "data/cover-sheet/cover-sheet.json").read_text(encoding="utf-8"))
    assert sheet["request"] == {
        "reference": "EIO-2026-0042",
        "legal_basis": "Directive 2014/41/EU (European Investigation Order)",
        "case_number": "NAT-2026-117",
    }
    assert sheet["requesting_authority"] == {
        "name": "Parquet de Lyon",
        "country": "FR",
        "address": "67 rue Servient, 69003 Lyon",
        "contact": "Claire Martin, juge d'instruction",
    }
    assert sheet["requested_authority"] == {"name": "Openbaar Ministerie", "country": "NL"}
    assert sheet["organisation"] == {"name": "Digital Forensics Unit"}
    assert sheet["examiner"]["phone"] == "+31 70 000 0001"
    assert sheet["sent_by"] == "Ana Examiner, Digital Forensics Unit"
    info = (bag / "bag-info.txt").read_text(encoding="utf-8")
    assert "External-Identifier: EIO-2026-0042" in info and "Contact-Name: Ana Examiner" in info

    # independent tools: bagit-python, coreutils, OpenSSL
    import bagit

    bagit.Bag(str(bag)).validate()
    for tool, manifest in (("sha512sum", "tagmanifest-sha512.txt"), ("sha256sum", "manifest-sha256.txt")):
        proc = subprocess.run([tool, "-c", manifest], cwd=bag, capture_output=True, text=True, timeout=60)
        listed = len((bag / manifest).read_text().splitlines())
        assert proc.returncode == 0 and proc.stdout.count(": OK") == listed, proc.stdout + proc.stderr
    assert (
        len((bag / "manifest-sha256.txt").read_text().splitlines()) == 3 + 11
    )  # 3 files + bundle metadata (cover sheet PDF, HTML, JSON; completeness.csv …)
    if shutil.which("openssl"):
        proc = subprocess.run(
            [
                "openssl", "cms", "-verify", "-binary", "-inform", "DER",
                "-in", "signatures/tagmanifest-sha512.txt.p7s", "-content", "tagmanifest-sha512.txt",
                "-CAfile", str(keys.cert), "-out", "/dev/null",
            ],
            cwd=bag, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert proc.returncode == 0 and "Verification successful" in proc.stderr, proc.stderr
    assert hashlib.sha256(demo_image.read_bytes()).hexdigest() == before

    # the next export of this case starts from what was typed (never the key password)
    QTest.keyClick(wiz, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not wiz.isVisible())
    nxt = ExportWizard(win.session, [], settings=settings)
    qtbot.addWidget(nxt)
    assert nxt.request.edits["reference"].text() == "EIO-2026-0042"
    assert nxt.request.edits["requesting_address"].text() == "67 rue Servient, 69003 Lyon"
    assert nxt.sender_page.edits["examiner_phone"].text() == "+31 70 000 0001"
    assert nxt.signing.key.text() == str(keys.key) and nxt.signing.password.text() == ""
    # another case gets the sender, but not this case's request
    other = CaseSession(tmp_path / "other", create=True)
    try:
        third = ExportWizard(other, [], settings=settings)
        qtbot.addWidget(third)
        assert third.request.edits["reference"].text() == ""
        assert third.sender_page.edits["examiner_phone"].text() == "+31 70 000 0001"
    finally:
        other.close()
    win.close()


def test_a_remembered_examiner_is_not_mixed_with_another(qtbot, settings: QSettings, tmp_path: Path) -> None:
    """Details remembered for one examiner are not shown under another examiner's name."""
    from triage_ui.views.request_form import EXPORT_SENDER, remember

    remember(EXPORT_SENDER, {"examiner": "Bob", "examiner_phone": "+1 555"}, settings, tmp_path)
    s = CaseSession(tmp_path / "c", create=True)
    try:
        s.rw.set_case_info(CaseInfo(examiner="Ana Examiner"))
        wiz = ExportWizard(s, [], settings=settings)
        qtbot.addWidget(wiz)
        assert wiz.sender_page.edits["examiner"].text() == "Ana Examiner"
        assert wiz.sender_page.edits["examiner_phone"].text() == ""
        s.rw.set_case_info(CaseInfo())
        wiz2 = ExportWizard(s, [], settings=settings)
        qtbot.addWidget(wiz2)
        assert wiz2.sender_page.edits["examiner"].text() == "Bob"
        assert wiz2.sender_page.edits["examiner_phone"].text() == "+1 555"
        # closed without exporting: what was typed is still there next time
        wiz2.request.edits["reference"].setText("MLA-9")
        wiz2.reject()
        wiz3 = ExportWizard(s, [], settings=settings)
        qtbot.addWidget(wiz3)
        assert wiz3.request.edits["reference"].text() == "MLA-9"
    finally:
        s.close()


def test_draft_and_export_remember_the_same_request_without_losing_fields(
    settings: QSettings, tmp_path: Path
) -> None:
    from triage_ui.views.request_form import DRAFT, EXPORT_REQUEST, prefill, remember

    remember(EXPORT_REQUEST, {"reference": "MLA-1", "legal_basis": "MLAT art. 3"}, settings, tmp_path)
    remember(DRAFT, {"reference": "MLA-1", "offence": "fraud"}, settings, tmp_path)  # shows no legal basis
    assert prefill(EXPORT_REQUEST, None, settings, tmp_path) == {
        "reference": "MLA-1",
        "legal_basis": "MLAT art. 3",
        "offence": "fraud",
    }
    remember(DRAFT, {"reference": "MLA-1"}, settings, tmp_path)  # a field emptied is forgotten
    assert "offence" not in prefill(EXPORT_REQUEST, None, settings, tmp_path)
    assert prefill(EXPORT_REQUEST, None, settings, tmp_path / "other") == {}  # per case


def _string_constants(path: Path) -> list[tuple[int, str]]:
    """String literals of a module that can reach the screen: not docstrings, not the
    command line's own option names (``add_argument``), not log messages."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            if isinstance(body[0].value, ast.Constant):
                skip.add(id(body[0].value))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("add_argument", "debug", "info", "warning", "error", "exception"):
                skip.update(id(n) for n in ast.walk(node))
    return [
        (n.lineno, n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip
    ]


DEVELOPER_TOOLS = {"screenshots.py"}  # `make screenshots`: run by developers, never shown to an examiner


def test_no_cli_flags_in_user_visible_strings() -> None:
    found = [
        f"{p.relative_to(REPO)}:{line}: {text!r}"
        for p in sorted((REPO / "ui" / "triage_ui").rglob("*.py"))
        if p.name not in DEVELOPER_TOOLS
        for line, text in _string_constants(p)
        if FLAG.search(text)
    ]
    assert not found, "the UI tells the user about command-line flags:\n" + "\n".join(found)
    # the scan sees what it should: a planted flag is found
    probe = ast.parse('label = "give --ca"')
    assert any(FLAG.search(n.value) for n in ast.walk(probe) if isinstance(n, ast.Constant))
