"""Mount an evidence item from the GUI (FUSE), see its files, open it in the file manager, and
have it unmounted when the case closes; clear errors for a bad mount point."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QDesktopServices
from triage_ui.main_window import MainWindow
from triage_ui.mounts import MountManager

from triage.case.store import Case

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, settings: QSettings, tmp_path: Path, scanned_demo: Path):
    shutil.copytree(scanned_demo, tmp_path / "case")
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.open_case(tmp_path / "case")
    yield win
    win.mounts.unmount_all()  # never leave a mount behind, even when the test fails


def test_bad_mount_point_is_a_clear_error(window: MainWindow, tmp_path: Path) -> None:
    if MountManager.problem():
        pytest.skip(MountManager.problem())
    full = tmp_path / "full"
    full.mkdir()
    (full / "x").write_text("x")
    eid = int(window.session.ro.evidence()[0]["id"])
    window._guard(lambda: window.mount_evidence(eid, full))
    assert window.errors.last == f"{full}: mount point is not empty"
    window._guard(lambda: window.open_mounted(eid))
    assert window.errors.last.startswith("mount the evidence first")


def test_fuse_missing_is_reported_with_what_to_install(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reason = "FUSE is not available: /dev/fuse is missing (install FUSE: 'apt install fuse3' …)"
    monkeypatch.setattr(MountManager, "problem", staticmethod(lambda: reason))
    (tmp_path / "mp").mkdir()
    window._guard(lambda: window.mount_evidence(int(window.session.ro.evidence()[0]["id"]), tmp_path / "mp"))
    assert window.errors.last == reason


def test_mount_open_and_unmount_on_close(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if MountManager.problem():
        pytest.skip(MountManager.problem())
    from triage.mount import IMAGE_NAME, mounted_fuse

    session = window.session
    ev = session.ro.evidence()[0]
    eid = int(ev["id"])
    mp = tmp_path / "mnt"
    mp.mkdir()
    with qtbot.waitSignal(window.mounts.mounted, timeout=120_000) as done:
        window.mount_evidence(eid, mp)
    assert done.args == [eid, str(mp.resolve())]
    assert mounted_fuse(mp) == "fuse.triage"
    assert window.tree_model.index(0, 0).data().endswith(f"[mounted at {mp.resolve()}]")
    # the files are there, with the content the case hashed
    names = sorted(p.name for p in mp.iterdir())
    assert IMAGE_NAME in names
    ext4 = next(mp / n for n in names if n.endswith("_ext4"))
    brief = ext4 / "home/alice/projects/nightjar/brief.txt"
    row = next(session.ro.iter_files("f.path=?", ("/home/alice/projects/nightjar/brief.txt",)))
    assert hashlib.sha256(brief.read_bytes()).hexdigest() == row["sha256"]
    assert Path(ev["path"]).stat().st_size == (mp / IMAGE_NAME).stat().st_size
    with pytest.raises(OSError):
        (ext4 / "new.txt").write_text("no")  # read-only
    # "Open in file manager" on the ext4 partition opens its folder
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    part = next(p for p in session.ro.partitions(eid) if p["fs_type"] and "ext4" in p["fs_type"])
    assert window.open_mounted(eid, int(part["id"])) == ext4
    assert [u.toLocalFile() for u in opened] == [str(ext4)]
    # closing the case unmounts
    with qtbot.waitSignal(window.mounts.unmounted, timeout=60_000):
        window.close_case()
    assert mounted_fuse(mp) is None and list(mp.iterdir()) == []
    with Case.open(tmp_path / "case", readonly=True) as case:
        actions = [a.action for a in case.audit_log()]
    assert "evidence.mounted" in actions and "evidence.unmounted" in actions
