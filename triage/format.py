"""Display formatting shared by the CLI, the UI and reports (the core owns it; none imports the CLI)."""

from __future__ import annotations

import stat
from datetime import UTC, datetime


def iso(ts: int | None) -> str | None:
    """Epoch seconds to ISO 8601 UTC."""
    if not ts:
        return None
    try:
        return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return None


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def file_kind(mode: int) -> str:
    """What a non-regular file is, for messages: ``a FIFO (named pipe)``, ``a block device`` …"""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"
