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


def pytest_on_xvfb(test_id: str, size: str, env: dict[str, str], cwd: Path | None = None) -> str:
    """Run one pytest item in a child process on a fresh Xvfb screen of ``size`` with the xcb
    platform plugin (``env`` adds to the environment); fails unless it passed. Returns its output."""
    import shutil
    import sys

    import pytest

    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is needed (apt line in README)")
    from triage_ui.screenshots import start_xvfb

    xvfb, display = start_xvfb(size)
    child_env = {**os.environ, **env, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    child_env.pop("WAYLAND_DISPLAY", None)
    try:
        child = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-rA",
                "-x",
                "-p",
                "no:cacheprovider",
                "-p",
                "no:xdist",
                test_id,
            ],
            cwd=cwd,
            env=child_env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        xvfb.terminate()
        xvfb.wait(10)
    out = child.stdout + child.stderr
    assert child.returncode == 0 and "1 passed" in out, out
    return out
