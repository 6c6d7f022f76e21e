"""Display formatting shared by models and views."""

from __future__ import annotations

from typing import Any

from triage.format import human_bytes, iso

TYPE_NAMES = {
    "r": "file",
    "d": "folder",
    "l": "link",
    "V": "virtual folder",
    "v": "virtual file",
    "-": "unknown",
}


def size_text(n: Any) -> str:
    if n is None:
        return ""
    return f"{int(n):,}" if int(n) < 1024 else f"{int(n):,} ({human_bytes(int(n))})"


def time_text(ts: Any) -> str:
    return (iso(int(ts)) or "") if ts else ""


__all__ = ["TYPE_NAMES", "human_bytes", "iso", "size_text", "time_text"]
