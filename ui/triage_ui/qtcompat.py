"""A guard against PySide6 releases that drop references to ``None``, ``True`` and ``False``.

PySide6 6.12.0 returns ``None`` from every void method and ``True`` from ``Signal.emit`` without
a new reference, as if they were immortal (they are from CPython 3.12 on). On CPython 3.11 each
call costs the object one reference, and after a few thousand calls (a scroll, a scan's live
refresh) the interpreter aborts: "Fatal Python error: none_dealloc" / "bool_dealloc".

:func:`guard_singletons` measures once whether the PySide6 in use does this and, only then, gives
those objects a reference count no session can use up, which is what CPython 3.12 does for them.
Nothing changes on a correct PySide6 or on CPython ≥ 3.12.
"""

from __future__ import annotations

import ctypes
import sys

_SINGLETONS = (None, True, False)
_RESERVE = 1 << 40
_checked: bool | None = None


def _drops_references() -> bool:
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(16):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= 16


def guard_singletons() -> bool:
    """Protect ``None``/``True``/``False`` when this PySide6 drops their references; True if it does."""
    global _checked
    if _checked is not None:
        return _checked
    _checked = False
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    if _drops_references():
        for obj in _SINGLETONS:
            ctypes.c_ssize_t.from_address(id(obj)).value += _RESERVE  # ob_refcnt is the first field
        _checked = True
    return _checked
