"""New case on a real X server (Xvfb, xcb): Ctrl+N, the fields typed through the X server, a
new folder name that does not exist yet, Enter. The case folder is created with its information."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture
def xserver():
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        pytest.skip("Xvfb and xdotool are needed (apt line in README)")
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    yield f":{number}"
    proc.terminate()
    proc.wait(10)


def _x(display: str, *args: str) -> str:
    return subprocess.run(
        ["xdotool", *args], capture_output=True, text=True, timeout=60, env={**os.environ, "DISPLAY": display}
    ).stdout.strip()


def test_new_case_typed_on_a_real_display(xserver: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DISPLAY": xserver,
        "QT_QPA_PLATFORM": "xcb",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "TRIAGE_LOG_DIR": str(tmp_path / "logs"),
    }
    folder = tmp_path / "cases" / "2026-117"  # neither folder exists: typing the name must just work
    gui = subprocess.Popen(
        [sys.executable, "-m", "triage", "gui"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        window = _x(xserver, "search", "--sync", "--onlyvisible", "--name", "triage")
        assert window, "no visible triage window appeared"
        time.sleep(1.5)
        _x(xserver, "windowfocus", "--sync", window.splitlines()[0])
        _x(xserver, "key", "ctrl+n")
        time.sleep(1.0)
        _x(xserver, "type", "--delay", "20", "2026/117")
        _x(xserver, "key", "Tab")
        _x(xserver, "type", "--delay", "20", "Ana Ruiz")
        _x(xserver, "key", "Tab")
        _x(xserver, "type", "--delay", "20", "Policia Nacional")
        _x(xserver, "key", "Tab", "Tab", "ctrl+a")
        _x(xserver, "type", "--delay", "10", str(folder))
        _x(xserver, "key", "Return")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (folder / "case.sqlite").is_file():
            time.sleep(0.3)
        assert (folder / "case.sqlite").is_file(), "New case did not create the typed folder"
        time.sleep(1.0)
        _x(xserver, "windowfocus", "--sync", window.splitlines()[0])
        _x(xserver, "key", "ctrl+q")
        out, _ = gui.communicate(timeout=30)
    finally:
        if gui.poll() is None:
            gui.kill()
            gui.communicate()
    with sqlite3.connect(folder / "case.sqlite") as conn:
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key LIKE 'info.%'"))
        actor = conn.execute("SELECT actor FROM audit ORDER BY id LIMIT 1").fetchone()[0]
    assert meta["info.case_number"] == "2026/117" and meta["info.examiner"] == "Ana Ruiz"
    assert meta["info.organisation"] == "Policia Nacional" and actor.startswith("Ana Ruiz (")
    assert "Traceback" not in out and "Ambiguous shortcut" not in out, out
