"""Is FUSE usable here, is a folder a good mount point, and unmounting."""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from triage.errors import TriageError, UsageError

FS_SUBTYPE = "triage"
INSTALL_HINT = (
    "install FUSE: 'apt install fuse3' (Debian/Ubuntu), 'dnf install fuse3' (Fedora), "
    "macFUSE on macOS, WinFsp on Windows; and the binding: pip install 'triage-workstation[mount]'"
)


class FuseUnavailable(TriageError):
    """FUSE (kernel support, libfuse, fusermount or the Python binding) is missing (exit 2)."""

    exit_code = 2


def fuse_problem() -> str | None:
    """Why FUSE cannot be used here, or None when it can."""
    if sys.platform.startswith("linux"):
        if not os.path.exists("/dev/fuse"):
            return f"FUSE is not available: /dev/fuse is missing (load the fuse module or {INSTALL_HINT})"
        if not os.access("/dev/fuse", os.R_OK | os.W_OK) and not _fusermount():
            return f"FUSE is not available: /dev/fuse is not accessible and fusermount3 is missing ({INSTALL_HINT})"
        if not _fusermount():
            return f"FUSE is not available: fusermount3 is missing ({INSTALL_HINT})"
    try:
        load_mfusepy()
    except FuseUnavailable as exc:
        return str(exc)
    return None


def load_mfusepy() -> ModuleType:
    """Import mfusepy, preferring libfuse 3 on Linux when the user has not chosen a library.

    Raises:
        FuseUnavailable: the binding is not installed or cannot load libfuse.
    """
    if (
        sys.platform.startswith("linux")
        and "FUSE_LIBRARY_PATH" not in os.environ
        and "FUSE_LIBRARY_NAME" not in os.environ
        and ctypes.util.find_library("fuse3")
    ):
        os.environ["FUSE_LIBRARY_NAME"] = "fuse3"
    try:
        import mfusepy
    except ImportError as exc:
        raise FuseUnavailable(
            f"FUSE is not available: the mfusepy binding is not installed ({INSTALL_HINT})"
        ) from exc
    except (OSError, AttributeError) as exc:
        raise FuseUnavailable(
            f"FUSE is not available: libfuse cannot be loaded: {exc} ({INSTALL_HINT})"
        ) from exc
    module: ModuleType = mfusepy
    return module


def _fusermount() -> str | None:
    return shutil.which("fusermount3") or shutil.which("fusermount")


def mounted_fuse(mountpoint: str | os.PathLike[str]) -> str | None:
    """The file system type mounted at ``mountpoint`` (``fuse.triage`` …), or None (Linux mountinfo)."""
    target = os.path.abspath(mountpoint)
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return "unknown" if os.path.ismount(target) else None
    found = None
    for line in lines:
        left, _, right = line.partition(" - ")
        fields = left.split()
        if len(fields) >= 5 and _unescape(fields[4]) == target:
            found = right.split()[0] if right else "unknown"
    return found


def _unescape(field: str) -> str:
    return field.encode().decode("unicode_escape").encode("latin-1").decode("utf-8", "surrogateescape")


def check_mountpoint(mountpoint: str | os.PathLike[str]) -> Path:
    """An existing, empty folder with nothing mounted on it.

    Raises:
        UsageError: with a one-line reason.
    """
    mp = Path(os.path.abspath(mountpoint))
    if mounted_fuse(mp):
        raise UsageError(
            f"{mp}: something is already mounted there (unmount it first: triage mount --unmount {mp})"
        )
    try:
        st_ok = mp.is_dir()
    except OSError as exc:
        raise UsageError(f"{mp}: cannot use as mount point: {exc.strerror or exc}") from exc
    if not mp.exists():
        raise UsageError(f"{mp}: mount point does not exist (create an empty folder)")
    if not st_ok:
        raise UsageError(f"{mp}: mount point is not a folder")
    try:
        if any(mp.iterdir()):
            raise UsageError(f"{mp}: mount point is not empty")
    except PermissionError as exc:
        raise UsageError(f"{mp}: mount point is not readable: {exc.strerror}") from exc
    return mp


def unmount(mountpoint: str | os.PathLike[str], *, lazy: bool = False) -> None:
    """Unmount a triage mount (``fusermount3 -u``; ``umount`` on macOS).

    Raises:
        UsageError: nothing (or not a triage mount) is mounted there, or it is busy.
    """
    mp = os.path.abspath(mountpoint)
    fstype = mounted_fuse(mp)
    if fstype is None:
        raise UsageError(f"{mp}: not mounted")
    if fstype not in (f"fuse.{FS_SUBTYPE}", "unknown"):
        raise UsageError(f"{mp}: not a triage mount ({fstype}); use your system's umount")
    if sys.platform.startswith("linux"):
        tool = _fusermount()
        if tool is None:
            raise FuseUnavailable(f"cannot unmount {mp}: fusermount3 is missing ({INSTALL_HINT})")
        cmd = [tool, "-u", *(["-z"] if lazy else []), mp]
    else:
        cmd = ["umount", mp]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        msg = (proc.stderr or proc.stdout).strip().splitlines()
        reason = msg[-1] if msg else f"{cmd[0]} exited {proc.returncode}"
        if "busy" in reason.lower():
            raise UsageError(f"{mp}: mount point is busy (a program still uses it); close it or add --lazy")
        raise UsageError(f"{mp}: cannot unmount: {reason}")
