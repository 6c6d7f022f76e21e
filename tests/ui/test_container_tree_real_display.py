"""Into a container with real key presses on a real X server (Xvfb, xcb): ``triage gui`` on the
scanned demo case, the evidence tree walked with the arrow keys down to Pictures/holiday.jpg (a
JPEG with a zip appended), the container opened with Right, a member made current with Enter and
tagged with Ctrl+T. The tag lands on the member's row in the case, which only happens when the
tree really listed the member as the container's child."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from casedb import sql
from triage_ui.qtmessages import bad_messages

from tests.ui.xdisplay import gui_env, xdotool

pytestmark = pytest.mark.gui


def test_keys_open_a_container_in_the_tree_on_a_real_display(
    xserver: str, tmp_path: Path, scanned_demo: Path
) -> None:
    exe = Path(sys.executable).with_name("triage")
    if not exe.is_file():
        pytest.skip(f"{exe} is not installed (pip install -e .)")
    case_dir = tmp_path / "case"
    shutil.copytree(scanned_demo, case_dir)
    gui = subprocess.Popen(
        [str(exe), "gui", str(case_dir)],
        env=gui_env(xserver, tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert xdotool(xserver, "search", "--sync", "--onlyvisible", "--name", "triage")
        time.sleep(1.5)  # the first layout
        # the evidence tree's "Partition 0: fat16" row at the default 1366x768 layout
        xdotool(xserver, "mousemove", "120", "102", "click", "1")
        time.sleep(0.5)
        # expand it; $OrphanFiles, DCIM, Documents, Pictures; expand; holiday.jpg; open it; its first
        # member (hotel.txt) made current with Enter
        for key in ("Right", "Down", "Down", "Down", "Down", "Right", "Down", "Right", "Down", "Return"):
            xdotool(xserver, "key", key)
            time.sleep(0.3)
        xdotool(xserver, "key", "ctrl+t")
        time.sleep(1.0)
        xdotool(xserver, "key", "ctrl+a")
        xdotool(xserver, "type", "via-tree")
        xdotool(xserver, "key", "Return")
        deadline = time.monotonic() + 15
        tagged: list[str] = []
        while time.monotonic() < deadline and not tagged:
            tagged = [
                r["path"]
                for r in sql(
                    case_dir,
                    "SELECT f.path FROM tags t JOIN files f ON f.id=t.file_id WHERE t.tag='via-tree'",
                )
            ]
            time.sleep(0.3)
        assert tagged == ["/Pictures/holiday.jpg//hotel.txt"]
        # no window manager on Xvfb: the closed dialog leaves the X focus nowhere, a click gives it back
        xdotool(xserver, "mousemove", "600", "600", "click", "1")
        time.sleep(0.5)
        xdotool(xserver, "key", "ctrl+q")
        out, _ = gui.communicate(timeout=30)
    finally:
        if gui.poll() is None:
            gui.kill()
            gui.communicate()
    warnings = bad_messages(out)
    assert not warnings, "Qt warned on the real display:\n" + "\n".join(warnings)
