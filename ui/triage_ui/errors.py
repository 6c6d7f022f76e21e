"""Error reporting: a one-line message in a dialog; the traceback goes to the log file only."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from triage.errors import TriageError
from triage.logs import log_dir

log = logging.getLogger("triage.ui")


def user_message(exc: BaseException) -> str:
    """What the examiner reads: our own errors as they are, anything else as one line plus where
    the details are."""
    if isinstance(exc, TriageError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return QCoreApplication.translate(
        "ErrorReporter", "Unexpected error ({error}). The details were written to {log}."
    ).format(error=f"{type(exc).__name__}: {exc}", log=log_dir() / "triage.log")


class ErrorReporter:
    """Shows errors without blocking (window-modal, ``open()``), and remembers the last one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent
        self.last: str | None = None
        self.box: QMessageBox | None = None

    def report(self, title: str, exc: BaseException) -> None:
        if not isinstance(exc, TriageError):
            log.error("%s", title, exc_info=(type(exc), exc, exc.__traceback__))
        else:
            log.warning("%s: %s", title, exc)
        self.last = user_message(exc)
        self.show(title, self.last)

    def show(self, title: str, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Warning) -> None:
        self.last = text
        self.box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.parent)
        self.box.open()

    def excepthook(self, etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        """``sys.excepthook`` for the GUI: never a raw traceback on screen."""
        if issubclass(etype, KeyboardInterrupt):
            sys.__excepthook__(etype, value, tb)
            return
        value.__traceback__ = tb
        self.report(QCoreApplication.translate("ErrorReporter", "Error"), value)
