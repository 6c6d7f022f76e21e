"""The export wizard against the real core exporter: encryption with a passphrase (verified by
opening the archive), cancel (nothing left at the target), and a bad key (one-line error)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from triage_ui.session import CaseSession
from triage_ui.views.export_wizard import ExportWizard, export_api

pytestmark = pytest.mark.gui


@pytest.fixture
def session(tmp_path: Path, scanned_demo: Path):
    if export_api() is None:
        pytest.skip("triage.export (bundle export) is not installed yet")
    shutil.copytree(scanned_demo, tmp_path / "case")
    s = CaseSession(tmp_path / "case")
    yield s
    s.close()


def _wizard(qtbot, session: CaseSession, out: Path, ids: list[int] | None = None) -> ExportWizard:
    ids = ids or [
        r["id"] for r in session.ro.iter_files("f.type='r' AND f.sha256 IS NOT NULL AND f.size > 0", limit=3)
    ]
    wiz = ExportWizard(session, ids)
    qtbot.addWidget(wiz)
    wiz.show()
    assert wiz.selection.file_ids() == sorted(ids) and len(ids) == 3
    wiz.next()
    for key, value in (
        ("reference", "MLA-2024-0042"),
        ("requesting_authority", "Public Prosecutor, Example"),
        ("legal_basis", "Budapest Convention art. 31"),
    ):
        wiz.request.edits[key].setText(value)
    wiz.next()
    assert wiz.currentPage() is wiz.sender_page
    wiz.sender_page.edits["examiner"].setText("J. Doe")
    wiz.sender_page.edits["examiner_email"].setText("j.doe@example.org")
    wiz.next()
    assert wiz.currentPage() is wiz.signing
    return wiz


def test_encrypted_with_passphrase_is_verified_by_opening_it(
    qtbot, session: CaseSession, tmp_path: Path
) -> None:
    wiz = _wizard(qtbot, session, tmp_path / "out")
    wiz.signing.none.setChecked(True)
    wiz.next()  # unsigned
    wiz.encryption.encrypt.setChecked(True)
    assert not wiz.encryption.validatePage()  # encryption without a recipient or passphrase is refused
    wiz.encryption.passphrase.setText("correct horse battery staple")
    wiz.encryption.out.setText(str(tmp_path / "bundle"))
    progress: list[tuple[int, int]] = []
    wiz.exportProgress.connect(lambda i, n: progress.append((i, n)))
    with qtbot.waitSignal(wiz.exportFinished, timeout=120_000) as done:
        wiz.next()
    r = done.args[0]
    archive = Path(r["archive"])
    assert archive.name == "bundle.tar.age" and archive.is_file() and not (tmp_path / "bundle").exists()
    assert r["sha256_of"] == "archive" and r["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert wiz.result_page.sha_label.text() == "Archive SHA-256"
    assert r["verified"] is True and "VERIFIED" in r["report"] and wiz.result_page.verdict.text() == "PASSED"
    assert progress and progress[-1][1] == 3
    # the verdict is the core verifier's: a wrong passphrase does not open it
    from triage.errors import TriageError

    with pytest.raises(TriageError):
        export_api().verify_bundle(archive, passphrase="wrong")


def test_cancel_leaves_nothing(qtbot, session: CaseSession, tmp_path: Path) -> None:
    wiz = _wizard(qtbot, session, tmp_path / "out")
    wiz.signing.none.setChecked(True)
    wiz.next()
    wiz.encryption.out.setText(str(tmp_path / "bundle"))
    wiz.cancel_event.set()  # as the Cancel button does while exporting (set before the first file here)
    with qtbot.waitSignal(wiz.exportFailed, timeout=120_000) as failed:
        wiz.next()
    assert type(failed.args[0]).__name__ == "ExportCancelled"
    assert wiz.result_page.verdict.text() == "CANCELLED"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case"]  # no bundle, no partial folder


def test_bad_key_is_named_on_the_signing_page(qtbot, session: CaseSession, tmp_path: Path) -> None:
    wiz = _wizard(qtbot, session, tmp_path / "out")
    wiz.signing.none.setChecked(True)
    assert "will not be signed" in wiz.signing.warning.text()
    wiz.signing.cms.setChecked(True)
    assert wiz.signing.warning.text() == ""
    wiz.next()  # no key file chosen: the page stays, and says so next to the field
    assert wiz.currentPage() is wiz.signing and not wiz.signing.key_error.isHidden()
    wiz.signing.key.setText(str(tmp_path / "missing.pem"))
    assert wiz.signing.key_error.isHidden()  # typing clears the old message
    wiz.next()
    assert wiz.currentPage() is wiz.signing
    assert wiz.signing.key_error.text() == "There is no file at this place."
    (tmp_path / "junk.pem").write_text("not a key")
    wiz.signing.key.setText(str(tmp_path / "junk.pem"))
    wiz.next()
    assert wiz.currentPage() is wiz.signing
    msg = wiz.signing.key_error.text()
    assert "junk.pem" in msg and "not a usable private key" in msg and "\n" not in msg
    assert wiz.signing.key.text() == str(tmp_path / "junk.pem")  # the input is kept
    assert not (tmp_path / "bundle").exists()


def test_unhashed_files_are_named_without_cli_flags_and_can_be_left_out(
    qtbot, session: CaseSession, tmp_path: Path
) -> None:
    import sqlite3

    ids = [
        r["id"] for r in session.ro.iter_files("f.type='r' AND f.sha256 IS NOT NULL AND f.size > 0", limit=3)
    ]
    victim = session.ro.file(ids[0])
    with sqlite3.connect(session.path / "case.sqlite") as db:  # as after a failed content pass
        db.execute("UPDATE files SET sha256=NULL, status='failed', error='read error' WHERE id=?", (ids[0],))
    wiz = _wizard(qtbot, session, tmp_path / "out", ids)
    wiz.signing.none.setChecked(True)
    wiz.next()
    wiz.encryption.out.setText(str(tmp_path / "stopped"))
    with qtbot.waitSignal(wiz.exportFailed, timeout=120_000):
        wiz.next()
    status = wiz.result_page.status.text()
    assert "have no SHA-256" in status and victim["path"] in status and "--" not in status
    wiz2 = _wizard(qtbot, session, tmp_path / "out", ids)
    wiz2.selection.unhashed.setCurrentIndex(1)  # leave them out
    assert wiz2.selection.unhashed_choice() == "skip"
    wiz2.signing.none.setChecked(True)
    wiz2.next()
    wiz2.encryption.out.setText(str(tmp_path / "skipped"))
    with qtbot.waitSignal(wiz2.exportFinished, timeout=120_000) as done:
        wiz2.next()
    assert done.args[0]["left_out"] == 1 and done.args[0]["files"] == 2 and done.args[0]["verified"]
    left = (tmp_path / "skipped/data/inventory/left-out.csv").read_text(encoding="utf-8")
    assert victim["path"] in left and "no SHA-256 in the case (status failed: read error)" in left
