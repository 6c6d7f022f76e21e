"""The examiner's whole flow, offscreen: new case → add the demo image → scan with a YARA rule
folder → findings in the panel → a hit highlighted in the hex view → two files tagged →
bundle exported with the wizard → verification shown as passing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from triage_ui.main_window import MainWindow
from triage_ui.views.export_wizard import export_api

pytestmark = pytest.mark.gui


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


MARKER = b"CONFIDENTIAL-PROJECT-NIGHTJAR"


def _find_rows(model, parent: QModelIndex, text: str) -> list[QModelIndex]:
    return [
        model.index(r, 0, parent)
        for r in range(model.rowCount(parent))
        if text in str(model.index(r, 0, parent).data())
    ]


def _scan_find_tag(
    qtbot, tmp_path: Path, settings, demo_image: Path, rule_folder: Path, yara_plugins
) -> MainWindow:
    win = MainWindow(settings, plugins=yara_plugins)
    qtbot.addWidget(win)
    win.show()

    # new case, add the demo image
    win.new_case(tmp_path / "case")
    assert win.session is not None and win.session.ro.audit_log()[0].action == "case.created"
    win.add_evidence([demo_image])
    assert win.tree_model.rowCount() == 1

    # rule folder in the library, YARA enabled in the generated form
    win.rules.add(rule_folder)
    assert win.rules.enabled_paths() == [str(rule_folder.resolve())]
    assert "yara" in win.scan_dock.boxes
    win.scan_dock.set_analyzers(["hashes", "filetype", "yara"])
    assert win.scan_dock.options()["yara"]["rules"] == [str(rule_folder.resolve())]

    # scan in the background; the window keeps running its event loop
    with qtbot.waitSignal(win.scan_dock.scanFinished, timeout=120_000) as finished:
        win.start_scan()
        assert win.scan_dock.is_running()
    summary = finished.args[0]
    assert summary.status == "completed", summary
    assert summary.errors == 0 and win.session.ro.problems() == [], (
        win.session.ro.problems()
    )  # forms gave valid options
    assert win.scan_dock.last_status is not None and win.scan_dock.last_status.files_total >= 20

    # the tree shows both partitions, the table the files
    ev = win.tree_model.index(0, 0)
    win.tree_model.fetchMore(ev)
    labels = [win.tree_model.index(r, 0, ev).data() for r in range(win.tree_model.rowCount(ev))]
    assert any("fat16" in lbl for lbl in labels) and any("ext4" in lbl for lbl in labels)

    # findings: one YARA group with the two files holding the marker (one of them deleted)
    fm = win.findings_model
    groups = _find_rows(fm, QModelIndex(), "Nightjar_Project")
    assert len(groups) == 1, fm.groups()
    hits = [fm.index(r, 0, groups[0]) for r in range(fm.rowCount(groups[0]))]
    paths = sorted(h.data() for h in hits)
    assert paths == ["/Documents/Deleted Meeting Minutes.txt", "/home/alice/projects/nightjar/brief.txt"]

    # click the matched string under the ext4 hit: the hex view highlights exactly the marker
    brief = next(h for h in hits if h.data().endswith("brief.txt"))
    match = fm.index(0, 0, brief)
    file_id, offset, length = fm.hit(match)
    win.findings.expand(groups[0])
    win.findings.expand(brief)
    rect = win.findings.visualRect(match)
    qtbot.mouseClick(win.findings.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.detail.file_id == file_id
    assert win.detail.currentIndex() == 1  # the hex tab
    assert win.detail.hex.current_match() == (offset, length)
    assert win.detail.hex.read(offset, length) == MARKER
    assert f"offset {offset:#x}" in win.detail.match_label.text()
    # the same bytes straight from the evidence through the core
    assert win.session.content(file_id).read(offset, length) == MARKER

    # tag the two files holding the marker
    ids = sorted(fm.hit(h)[0] for h in hits)
    assert win.tag_selected("export", file_ids=ids) == 2
    assert sorted(t["file_id"] for t in win.session.ro.tags()) == ids
    assert [a.action for a in win.session.ro.audit_log()].count("tag.added") == 2
    return win


def test_scan_findings_hex_and_tags(
    qtbot, tmp_path: Path, settings, demo_image: Path, rule_folder: Path, yara_plugins
) -> None:
    before = sha256(demo_image)
    win = _scan_find_tag(qtbot, tmp_path, settings, demo_image, rule_folder, yara_plugins)
    win.close()
    assert sha256(demo_image) == before  # the evidence was never written


def test_whole_flow_with_export(
    qtbot, tmp_path: Path, settings, demo_image: Path, rule_folder: Path, yara_plugins
) -> None:
    if export_api() is None:
        pytest.skip("triage.export (bundle export) is not installed yet")
    before = sha256(demo_image)
    win = _scan_find_tag(qtbot, tmp_path, settings, demo_image, rule_folder, yara_plugins)
    wiz = win.export_bundle()
    assert len(wiz.selection.file_ids()) == 2
    wiz.next()
    wiz.request.edits["reference"].setText("MLA-2024-0042")
    wiz.request.edits["requesting_authority"].setText("Public Prosecutor, Example")
    wiz.request.edits["legal_basis"].setText("Treaty on mutual legal assistance, art. 1")
    wiz.next()
    wiz.sender_page.edits["examiner"].setText("J. Doe")
    wiz.next()
    wiz.signing.none.setChecked(True)
    wiz.next()  # unsigned
    wiz.encryption.out.setText(str(tmp_path / "bundle"))
    with qtbot.waitSignal(wiz.exportFinished, timeout=120_000) as exported:
        wiz.next()
    result = exported.args[0]
    assert result["verified"] is True, result["report"]
    assert wiz.result_page.verdict.text() == "PASSED"
    bag = Path(result["archive"])
    assert bag == tmp_path / "bundle" and bag.is_dir()
    # an unencrypted bundle is a bag folder: the digest shown is its manifest's, which the audit log records
    assert result["sha256_of"] == "manifest-sha256.txt"
    assert result["sha256"] == sha256(bag / "manifest-sha256.txt") == wiz.result_page.sha.text()
    assert wiz.result_page.sha_label.text() == "manifest-sha256.txt SHA-256"
    assert result["files"] == 2 and not result["signed"] and "NOT SIGNED" in wiz.result_page.current.text()
    exported_audit = [a for a in win.session.ro.audit_log() if a.action == "export.created"]
    assert len(exported_audit) == 1 and exported_audit[0].details["manifest_sha256"] == result["sha256"]
    # independent check: the bagit library validates the bag, and the two payload files are the marker files
    import bagit

    bagit.Bag(str(bag)).validate()
    payload = [p for p in (bag / "data" / "artifacts").rglob("*") if p.is_file()]
    assert len(payload) == 2 and all(MARKER in p.read_bytes() for p in payload)
    wiz.close()
    win.close()
    assert sha256(demo_image) == before  # the evidence was never written
