"""Display formatting shared by models and views."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from triage.format import human_bytes, iso
from triage_ui.i18n import QT_TRANSLATE_NOOP

TYPE_NAMES = {
    "r": QT_TRANSLATE_NOOP("Kind", "file"),
    "d": QT_TRANSLATE_NOOP("Kind", "folder"),
    "l": QT_TRANSLATE_NOOP("Kind", "link"),
    "V": QT_TRANSLATE_NOOP("Kind", "virtual folder"),
    "v": QT_TRANSLATE_NOOP("Kind", "virtual file"),
    "-": QT_TRANSLATE_NOOP("Kind", "unknown"),
}


def kind_text(kind: Any) -> str:
    """The file kind (``r``, ``d`` …) in words, in the interface language."""
    name = TYPE_NAMES.get(str(kind))
    return QCoreApplication.translate("Kind", name) if name else str(kind)


def size_text(n: Any) -> str:
    if n is None:
        return ""
    return f"{int(n):,}" if int(n) < 1024 else f"{int(n):,} ({human_bytes(int(n))})"


def time_text(ts: Any) -> str:
    return (iso(int(ts)) or "") if ts else ""


__all__ = ["TYPE_NAMES", "human_bytes", "iso", "kind_text", "size_text", "time_text"]
