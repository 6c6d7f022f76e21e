"""triage workstation: the Qt (PySide6) views over the Qt-free core in :mod:`triage`.

The public façade is :func:`triage_ui.app.main` and :class:`triage_ui.main_window.MainWindow`;
everything else is private to the desktop application.
"""

from __future__ import annotations

__all__ = ["__version__"]

from triage import __version__
from triage_ui.refcount import immortalise_singletons

immortalise_singletons()  # before any Qt call: shiboken6 6.12.0 drops references to None/True
