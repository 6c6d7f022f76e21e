"""``make run`` on a real X server: the library check, then ``triage gui --demo`` with the xcb
platform plugin on Xvfb; the window is mapped (xdotool finds it), the demo case is created and
scanned, the process exits 0 and Qt printed no warning about shortcuts, plugins or bindings.

``TRIAGE_GUI_QUIT_AFTER_SHOWN`` makes the workstation close itself once it was on screen (and
the demo scan has ended). ``.ci/run`` also runs the real ``make run`` under ``xvfb-run``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from triage_ui.qtmessages import bad_messages

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]


def test_make_run_opens_the_window_on_xcb(tmp_path: Path) -> None:
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        pytest.skip("Xvfb and xdotool are needed (apt line in README)")
    exe = Path(sys.executable).with_name("triage")
    if not exe.is_file():
        pytest.skip(f"{exe} is not installed (pip install -e .)")
    from triage_ui.screenshots import start_xvfb

    xvfb, display = start_xvfb("1366x768")
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "TRIAGE_LOG_DIR": str(tmp_path / "logs"),
        "TRIAGE_GUI_QUIT_AFTER_SHOWN": "2",
    }
    env.pop("WAYLAND_DISPLAY", None)
    try:
        # the Makefile's first line: every library the xcb plugin needs is installed
        libs = subprocess.run(
            [sys.executable, "-m", "triage.gui_libs"], env=env, capture_output=True, text=True, timeout=120
        )
        assert libs.returncode == 0, libs.stdout + libs.stderr
        gui = subprocess.Popen(
            [str(exe), "gui", "--demo"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        try:
            found = subprocess.run(
                ["xdotool", "search", "--sync", "--onlyvisible", "--name", "^triage"],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            out, _ = gui.communicate(timeout=120)
        finally:
            if gui.poll() is None:
                gui.kill()
                gui.communicate()
    finally:
        xvfb.terminate()
        xvfb.wait(10)
    assert found.returncode == 0 and found.stdout.strip(), f"no visible triage window was mapped\n{out}"
    assert gui.returncode == 0, out
    assert "triage-gui: window shown on platform xcb (" in out, out
    assert not bad_messages(out), out
    from triage.case.store import Case

    with Case.open(tmp_path / "data" / "triage" / "demo-case", readonly=True) as case:
        scans = case.scans()
    assert [s["status"] for s in scans] == ["completed"]


def test_a_bad_quit_after_value_fails_before_any_work(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("triage")
    if not exe.is_file():
        pytest.skip(f"{exe} is not installed (pip install -e .)")
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    env["TRIAGE_GUI_QUIT_AFTER_SHOWN"] = "soon"
    done = subprocess.run([str(exe), "gui", "--demo"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert (
        done.stderr.strip()
        == "triage-gui: error: TRIAGE_GUI_QUIT_AFTER_SHOWN='soon' is not a number of seconds"
    )
    assert not (tmp_path / "data").exists()
