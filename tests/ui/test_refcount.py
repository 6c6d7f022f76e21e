"""shiboken6 6.12.0 drops a reference to ``None`` on every void Qt call made from Python; on
CPython 3.11 a painting widget then aborts the interpreter (triage_ui.refcount works around it).
A child process makes 100,000 such calls, far more than ``None`` has references at start-up,
and must exit cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]
SCRIPT = """
import triage_ui
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication
app = QApplication([])
img = QImage(8, 8, QImage.Format.Format_RGB32)
p = QPainter(img)
c = QColor(1, 2, 3)
for _ in range(100_000):
    p.setPen(c)
p.end()
print("done")
"""


def test_many_void_calls_do_not_abort_the_interpreter() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(REPO / "ui"), env.get("PYTHONPATH", "")])
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, env=env
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "done", proc.stderr[-2000:]
    assert "Fatal Python error" not in proc.stderr
