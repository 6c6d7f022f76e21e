"""Qt's own warnings that mean the workstation is broken on this display: an ambiguous shortcut
(a key that does nothing), a platform plugin that did not load, a signal that did not connect.

One pattern, used by the real-display tests, ``make screenshots`` and the
``TRIAGE_GUI_QUIT_AFTER_SHOWN`` check of ``triage gui``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

BAD_QT_MESSAGE = re.compile(
    r"Ambiguous shortcut|Could not load|could not be loaded|Failed to|QObject::connect|"
    r"QPainter::|QWidget::|Cannot |qt\.qpa\.plugin|This application failed to start|Traceback"
)


def bad_messages(lines: list[str] | str) -> list[str]:
    """The lines that match :data:`BAD_QT_MESSAGE`, in order, without duplicates."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    return list(dict.fromkeys(ln for ln in lines if BAD_QT_MESSAGE.search(ln)))


class QtMessageLog:
    """Collects every Qt message (``qInstallMessageHandler``) while still printing it to stderr."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self._previous: Callable[..., None] | None = None

    def _handle(self, mode: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        self.messages.append(message)
        print(f"qt[{mode.name}]: {message}", file=sys.stderr)

    def install(self) -> QtMessageLog:
        self._previous = qInstallMessageHandler(self._handle)
        return self

    def uninstall(self) -> None:
        qInstallMessageHandler(self._previous)

    def bad(self) -> list[str]:
        return bad_messages(self.messages)
