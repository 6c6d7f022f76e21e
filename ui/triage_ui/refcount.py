"""Work around a reference-count bug of shiboken6 6.12.0 on CPython before 3.12.

Every call of a ``void`` Qt method from Python (``QPainter.fillRect``, ``QLabel.setText`` …)
drops one reference to ``None`` that it never took, and every ``Signal.emit`` one to ``True``.
A widget that paints from Python (the timeline histogram) makes thousands of such calls, and
the interpreter then aborts ("Fatal Python error: none_dealloc" / "bool_dealloc"), at the
latest when it exits. CPython 3.12 makes these singletons immortal (PEP 683) and is immune;
here they get the same treatment: a reference count so large that no session can exhaust it.
Reproduce: ``sys.getrefcount(None)`` before and after 100 ``QPainter.setPen`` calls.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40


def immortalise_singletons() -> bool:
    """Give ``None``, ``True`` and ``False`` an enormous reference count (3.11 and older only)."""
    if sys.version_info >= (3, 12):
        return False
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += _HEADROOM
    return True
