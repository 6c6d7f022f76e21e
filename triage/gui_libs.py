"""Can this machine show the workstation? The Qt xcb platform plugin's system libraries.

The core never imports Qt: the plugin files are found through the PySide6 package's location,
their libraries with ``ldd``, and the Debian packages that provide them in
``triage/data/debian-packages.txt`` (the list the README's apt line and ``.ci/run`` install).
"""

from __future__ import annotations

import importlib.resources
import importlib.util
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


@dataclass(frozen=True)
class MissingLibrary:
    """A shared library the xcb plugin needs that the loader cannot find."""

    soname: str
    package: str | None  # the Debian package that provides it, when known


@dataclass(frozen=True)
class PlatformCheck:
    """What a child process said when it started Qt on the xcb platform."""

    ok: bool
    message: str


def debian_packages() -> list[tuple[str, tuple[str, ...]]]:
    """(package, libraries it provides) for every line of the package list."""
    text = importlib.resources.files("triage.data").joinpath("debian-packages.txt").read_text()
    out = []
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        if fields:
            out.append((fields[0], tuple(fields[1:])))
    return out


def xcb_plugin_files() -> list[Path]:
    """PySide6's xcb platform plugin and its Qt library, without importing PySide6."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return []
    root = Path(next(iter(spec.submodule_search_locations))) / "Qt"
    candidates = [root / "plugins" / "platforms" / "libqxcb.so", root / "lib" / "libQt6XcbQpa.so.6"]
    return [p for p in candidates if p.is_file()]


def missing_libraries() -> list[MissingLibrary]:
    """Every library of the xcb plugin that ``ldd`` reports as not found, with its package."""
    provider = {lib: pkg for pkg, libs in debian_packages() for lib in libs}
    missing: dict[str, MissingLibrary] = {}
    for f in xcb_plugin_files():
        try:
            out = subprocess.run(["ldd", str(f)], capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.TimeoutExpired):
            continue
        for soname in _NOT_FOUND.findall(out):
            missing.setdefault(soname, MissingLibrary(soname, provider.get(soname)))
    return sorted(missing.values(), key=lambda m: m.soname)


_START_QT = (
    "import sys\n"
    "from PySide6.QtWidgets import QApplication\n"
    "app = QApplication(['triage-doctor'])\n"
    "print(app.platformName())\n"
)


def try_platform(platform: str = "xcb", timeout: float = 60) -> PlatformCheck:
    """Start a QApplication on ``platform`` in a child process (a failed load aborts the process)."""
    env = {**os.environ, "QT_QPA_PLATFORM": platform}
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _START_QT], capture_output=True, text=True, timeout=timeout, env=env
        )
    except subprocess.TimeoutExpired:
        return PlatformCheck(False, f"starting Qt on {platform} did not finish within {timeout:.0f} s")
    if proc.returncode == 0 and proc.stdout.strip() == platform:
        return PlatformCheck(True, f"Qt started on the {platform} platform")
    lines = [ln.strip() for ln in proc.stderr.splitlines() if ln.strip()]
    reason = next(
        (ln for ln in lines if "platform plugin" in ln or "display" in ln.lower()),
        lines[-1] if lines else f"exit {proc.returncode}",
    )
    return PlatformCheck(False, reason)


def main(argv: list[str] | None = None) -> int:
    """``python -m triage.gui_libs``: exit 1 naming the packages to install when libraries are missing."""
    missing = missing_libraries()
    if not missing:
        return 0
    packages = sorted({m.package for m in missing if m.package})
    unknown = [m.soname for m in missing if not m.package]
    sys.stderr.write(
        "the workstation cannot start on this display: Qt's xcb platform plugin needs "
        + ", ".join(m.soname for m in missing)
        + "\n"
    )
    if packages:
        sys.stderr.write("install them with: sudo apt-get install " + " ".join(packages) + "\n")
    if unknown:
        sys.stderr.write("no known Debian package provides: " + ", ".join(unknown) + "\n")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
