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


SBOM_NAME = "sbom.cdx.json"
"""The CycloneDX bill of materials `make dist` / `make app` write into the package (docs/security.md)."""


def sbom_path() -> str | None:
    """The SBOM shipped with this installation: ``$TRIAGE_SBOM``, beside the frozen app's files, or
    in the package (``triage/data``); None in a development tree that never ran `make dist`."""
    import os
    import sys
    from pathlib import Path

    candidates = [os.environ.get("TRIAGE_SBOM") or ""]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(str(Path(frozen) / "triage" / "data" / SBOM_NAME))
    candidates.append(str(Path(__file__).resolve().parent / "data" / SBOM_NAME))
    return next((c for c in candidates if c and os.path.isfile(c)), None)


def sbom_sha256() -> str | None:
    """SHA-256 of :func:`sbom_path`'s file, recorded in each bundle beside the tool version."""
    import hashlib

    path = sbom_path()
    if path is None:
        return None
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()
