"""Long work off the GUI thread (napari-style workers).

A :class:`Job` runs one callable in its own :class:`QThread` and reports back on the GUI
thread *after* the thread has stopped, so a test that waits for ``finished``/``errored``
never leaves a running thread behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

log = logging.getLogger("triage.ui.jobs")

_LIVE: set[Job] = set()


class _Runner(QObject):
    done = Signal()

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.result: Any = None
        self.error: BaseException | None = None

    @Slot()
    def run(self) -> None:
        try:
            self.result = self.fn()
        except BaseException as exc:  # reported on the GUI thread; the traceback goes to the log
            log.error("background job failed", exc_info=exc)
            self.error = exc
        finally:
            self.done.emit()


class Job(QObject):
    """Run ``fn()`` in a thread. ``progress`` may be emitted from the thread by ``fn``."""

    finished = Signal(object)  # the result
    errored = Signal(object)  # the exception
    ended = Signal()  # after either
    progress = Signal(object)

    def __init__(self, fn: Callable[[], Any], name: str = "job", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._thread = QThread()
        self._thread.setObjectName(f"triage-{name}")
        self._runner = _Runner(fn)
        self._runner.moveToThread(self._thread)
        self._thread.started.connect(self._runner.run)
        # direct: quit() is thread-safe, and a GUI thread blocked in wait() must not be needed to end the thread
        self._runner.done.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread.finished.connect(self._on_thread_finished)
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False

    def start(self) -> Job:
        _LIVE.add(self)
        self._thread.start()
        return self

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the thread ends (used at shutdown only)."""
        return bool(self._thread.wait(msecs))

    def outcome(self) -> tuple[Any, BaseException | None]:
        """``(result, error)`` once the thread has ended (after :meth:`wait`, without the event loop)."""
        return self._runner.result, self._runner.error

    @Slot()
    def _on_thread_finished(self) -> None:
        _LIVE.discard(self)
        self.done = True
        self.result, self.error = self._runner.result, self._runner.error
        if self.error is not None:
            self.errored.emit(self.error)
        else:
            self.finished.emit(self.result)
        self.ended.emit()


def live_jobs() -> list[Job]:
    """Jobs whose thread has not finished yet."""
    return list(_LIVE)
