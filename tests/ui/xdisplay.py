"""The real-display tests' one way to reach an X server: xdotool on it, and the environment a
workstation child process gets there (xcb platform, isolated home, settings and logs). The Xvfb
server itself is the ``xserver`` fixture (tests/ui/conftest.py), started by the screenshot tool's
``start_xvfb``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def xdotool(display: str, *args: str) -> str:
    """Run xdotool on ``display``; its standard output, stripped."""
    return subprocess.run(
        ["xdotool", *args], capture_output=True, text=True, timeout=60, env={**os.environ, "DISPLAY": display}
    ).stdout.strip()


def gui_env(display: str, home: Path) -> dict[str, str]:
    """The environment of a workstation started on ``display`` with the xcb platform plugin."""
    return {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "TRIAGE_LOG_DIR": str(home / "logs"),
    }
