"""Versions of the native parts that produce triage's numbers, for the about box and reports."""

from __future__ import annotations

import platform

import triage


def library_versions() -> dict[str, str]:
    """Each library looked up on its own; a missing one says so instead of failing the rest."""
    out: dict[str, str] = {"triage": triage.__version__, "Python": platform.python_version()}
    try:
        import pytsk3

        out["The Sleuth Kit"] = pytsk3.TSK_VERSION_STR
    except ImportError:
        out["The Sleuth Kit"] = "not installed"
    try:
        import magic

        v = magic.version()  # type: ignore[no-untyped-call]
        out["libmagic"] = f"{v // 100}.{v % 100:02d}"
    except (ImportError, AttributeError, OSError):
        out["libmagic"] = "not available"
    try:
        import yara

        out["YARA"] = f"{yara.YARA_VERSION} (yara-python {yara.__version__})"
    except ImportError:
        out["YARA"] = "not installed"
    try:
        import pyewf

        out["libewf"] = pyewf.get_version()
    except ImportError:
        out["libewf"] = "not installed"
    return out
