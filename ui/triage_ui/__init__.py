"""triage workstation: the Qt (PySide6) views over the Qt-free core in :mod:`triage`.

The public façade is :func:`triage_ui.app.main` and :class:`triage_ui.main_window.MainWindow`;
everything else is private to the desktop application.
"""

from __future__ import annotations

__all__ = ["__version__"]

from triage import __version__

try:  # PySide6 6.12.0 on CPython 3.11 would abort after a few thousand calls (see qtcompat)
    from triage_ui.qtcompat import guard_singletons

    guard_singletons()
except ImportError:  # PySide6 missing: the caller's own import reports it
    pass
