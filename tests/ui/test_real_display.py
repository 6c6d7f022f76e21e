"""The workstation on a real X server (Xvfb, xcb platform), driven by real key presses.

Offscreen tests and direct slot calls once hid a dead F5 and a missing system library; this
test starts ``triage gui`` as a user would, presses F5 through the X server, waits for the scan
to land in the case and fails on any Qt warning about shortcuts, plugins or painting.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

import pytest
from casedb import one
from triage_ui.qtmessages import bad_messages

from tests.ui.xdisplay import gui_env, xdotool

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]


def test_f5_starts_a_scan_on_a_real_display(xserver: str, tmp_path: Path, demo_image: Path) -> None:
    exe = Path(sys.executable).with_name("triage")
    if not exe.is_file():
        pytest.skip(f"{exe} is not installed (pip install -e .)")
    from triage_ui.session import CaseSession

    from triage.case.store import Case

    before = hashlib.sha256(demo_image.read_bytes()).hexdigest()
    case_dir = tmp_path / "case"
    session = CaseSession(case_dir, create=True)
    session.add_evidence(demo_image)
    session.close()
    env = gui_env(xserver, tmp_path)
    gui = subprocess.Popen(
        [str(exe), "gui", str(case_dir)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        window = xdotool(xserver, "search", "--sync", "--onlyvisible", "--name", "triage")
        assert window, "no visible triage window appeared"
        time.sleep(1.5)  # let the window finish its first layout before typing
        xdotool(xserver, "mousemove", "600", "300", "click", "1")
        xdotool(xserver, "key", "F5")
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline:
            with Case.open(case_dir, readonly=True) as case:
                scans = case.scans()
                status = scans[-1]["status"] if scans else None
            if status not in (None, "running"):
                break
            time.sleep(0.5)
        assert status == "completed", f"F5 did not run a scan to completion (last scan status: {status})"
        done = one(case_dir, "SELECT count(*) FROM files WHERE status='done' AND origin='fs'")[0]
        members = one(case_dir, "SELECT count(*) FROM files WHERE status='done' AND origin='member'")[0]
        assert (done, members) == (22, 6)  # the demo image's regular files and members, as the CLI gives
        xdotool(xserver, "key", "ctrl+q")
        out, _ = gui.communicate(timeout=30)
    finally:
        if gui.poll() is None:
            gui.kill()
            gui.communicate()
    warnings = bad_messages(out)  # ambiguous shortcuts, missing plugins, failed connections …
    assert not warnings, "Qt warned on the real display:\n" + "\n".join(warnings)
    assert gui.returncode == 0, out
    assert hashlib.sha256(demo_image.read_bytes()).hexdigest() == before
