"""The PySide6 reference guard: tens of thousands of void calls and emits leave None and True alive
(PySide6 6.12.0 on CPython 3.11 would abort with "none_dealloc" after a few thousand)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.gui

CHILD = """
import sys
import triage_ui
from PySide6.QtCore import QObject, Signal

class O(QObject):
    ping = Signal()

o = O()
for _ in range(50_000):
    o.setObjectName("x")
    o.ping.emit()
print("alive", sys.getrefcount(None) > 0, sys.getrefcount(True) > 0)
"""


def test_many_void_calls_and_emits_do_not_abort_the_interpreter() -> None:
    proc = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "alive True True"
