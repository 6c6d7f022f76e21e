"""New case on a real X server (Xvfb, xcb): Ctrl+N, the fields typed through the X server, a
new folder name that does not exist yet, Enter. The case folder is created with its information."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ui.xdisplay import gui_env, xdotool

pytestmark = pytest.mark.gui


def test_new_case_typed_on_a_real_display(xserver: str, tmp_path: Path) -> None:
    env = gui_env(xserver, tmp_path)
    folder = tmp_path / "cases" / "2026-117"  # neither folder exists: typing the name must just work
    gui = subprocess.Popen(
        [sys.executable, "-m", "triage", "gui"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        window = xdotool(xserver, "search", "--sync", "--onlyvisible", "--name", "triage")
        assert window, "no visible triage window appeared"
        time.sleep(1.5)
        xdotool(xserver, "windowfocus", "--sync", window.splitlines()[0])
        xdotool(xserver, "key", "ctrl+n")
        time.sleep(1.0)
        xdotool(xserver, "type", "--delay", "20", "2026/117")
        xdotool(xserver, "key", "Tab")
        xdotool(xserver, "type", "--delay", "20", "Ana Ruiz")
        xdotool(xserver, "key", "Tab")
        xdotool(xserver, "type", "--delay", "20", "Policia Nacional")
        xdotool(xserver, "key", "Tab", "Tab", "ctrl+a")
        xdotool(xserver, "type", "--delay", "10", str(folder))
        xdotool(xserver, "key", "Return")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (folder / "case.sqlite").is_file():
            time.sleep(0.3)
        assert (folder / "case.sqlite").is_file(), "New case did not create the typed folder"
        time.sleep(1.0)
        xdotool(xserver, "windowfocus", "--sync", window.splitlines()[0])
        xdotool(xserver, "key", "ctrl+q")
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
