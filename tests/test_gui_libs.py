"""The one Debian package list covers every system library Qt's xcb platform plugin links."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from triage.gui_libs import debian_packages, missing_libraries, xcb_plugin_files

REPO = Path(__file__).resolve().parents[1]


def _needed(path: Path) -> list[str]:
    out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True, check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def test_package_list_covers_the_xcb_plugin() -> None:
    files = xcb_plugin_files()
    if not files:
        pytest.skip("PySide6 is not installed")
    if not shutil.which("readelf"):
        pytest.skip("readelf (binutils) is not installed")
    provided = {lib for _, libs in debian_packages() for lib in libs}
    base = {"libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "libpthread.so.0", "libdl.so.2"}
    needed = {lib for f in files for lib in _needed(f) if not lib.startswith("libQt6")} - base
    assert len(needed) > 10, needed  # the plugin really was read
    assert needed <= provided, f"not in triage/data/debian-packages.txt: {sorted(needed - provided)}"


def test_nothing_is_missing_here_and_the_check_says_so() -> None:
    if not xcb_plugin_files():
        pytest.skip("PySide6 is not installed")
    assert missing_libraries() == []
    proc = subprocess.run(
        [sys.executable, "-m", "triage.gui_libs"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0 and proc.stderr == ""


def test_ci_and_readme_install_from_the_one_list() -> None:
    ci = (REPO / ".ci" / "run").read_text()
    readme = (REPO / "README.md").read_text()
    assert "triage/data/debian-packages.txt" in ci
    assert "triage/data/debian-packages.txt" in readme.split("make run")[0]  # the apt line comes first
    packages = {pkg for pkg, _ in debian_packages()}
    assert {"sleuthkit", "ewf-tools", "xvfb", "libxcb-icccm4", "libxcb-keysyms1"} <= packages
