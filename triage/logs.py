"""Rotating log files in the user log folder; tracebacks go here, never to the user."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

import platformdirs

from triage.private import private_dir, private_file

LOG_ENV = "TRIAGE_LOG_DIR"


def log_dir() -> Path:
    return Path(os.environ.get(LOG_ENV) or platformdirs.user_log_dir("triage"))


def setup_logging(verbose: bool = False) -> Path | None:
    """Log to ``triage.log`` (rotating, 5 × 5 MiB); returns the file, or None when not writable."""
    root = logging.getLogger("triage")
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return log_dir() / "triage.log"
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    try:
        d = log_dir()
        private_dir(d)
        private_file(d / "triage.log")
        handler = logging.handlers.RotatingFileHandler(
            d / "triage.log", maxBytes=5 << 20, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"))
    root.addHandler(handler)
    return d / "triage.log"
