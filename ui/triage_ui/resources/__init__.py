"""Files the workstation ships as package data (the application icon)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resource_path(name: str) -> Path:
    """Path of a packaged resource (installed wheels and editable installs alike)."""
    return Path(str(files(__name__) / name))


ICON = "triage.svg"
