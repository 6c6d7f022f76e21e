"""Creating a case: the default cases folder, a proposed folder name, and the one check the
GUI's New case dialog and ``triage case create`` both run before anything is created.

The default cases folder is ``$TRIAGE_CASES_DIR`` when set, else ``cases`` in the user data
folder (``platformdirs.user_data_dir("triage")``: ``~/.local/share/triage/cases`` on Linux).
The workstation lets the examiner choose another one in Preferences.
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from triage.case.records import CaseInfo
from triage.case.store import DB_NAME
from triage.errors import CaseError, UsageError

CASES_ENV = "TRIAGE_CASES_DIR"
REQUIRED = ("case_number", "examiner")


def default_cases_folder() -> Path:
    """Where new cases go unless the examiner chose another folder."""
    env = os.environ.get(CASES_ENV)
    return Path(env) if env else Path(platformdirs.user_data_dir("triage")) / "cases"


def folder_name(case_number: str) -> str:
    """A folder name from a case number (``2026/117`` → ``2026-117``), or a dated one."""
    safe = re.sub(r"[^\w.-]+", "-", case_number.strip(), flags=re.UNICODE).strip("-.")
    return safe or datetime.now(UTC).strftime("case-%Y%m%d-%H%M%S")


def propose_folder(base: Path, case_number: str = "") -> Path:
    """A folder inside ``base`` that does not exist yet, named after the case number."""
    name = folder_name(case_number)
    candidate, n = base / name, 2
    while candidate.exists():
        candidate, n = base / f"{name}-{n}", n + 1
    return candidate


def check_new_case(path: str | os.PathLike[str], info: CaseInfo) -> Path:
    """Refuse a new case before anything is created; returns the folder to create.

    Raises:
        UsageError: a required field (case number, examiner) is empty, or no folder is given.
        CaseError: the folder is a file, a non-empty folder that is not a case, already a case,
            or cannot be created there (no write permission on the nearest existing parent).
    """
    missing = [n.replace("_", " ") for n in REQUIRED if not getattr(info, n).strip()]
    if missing:
        raise UsageError(f"the {' and the '.join(missing)} cannot be empty")
    if not str(path).strip():
        raise UsageError("choose a folder for the new case")
    p = Path(path).expanduser()
    if p.exists() and not p.is_dir():
        raise CaseError(f"{p}: exists and is not a folder")
    if p.is_dir():
        if (p / DB_NAME).exists():
            raise CaseError(f"{p}: is already a case; open it instead")
        if any(p.iterdir()):
            raise CaseError(f"{p}: folder is not empty and is not a case; choose a new or empty folder")
    parent = p
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise CaseError(f"{p}: cannot create the case here: {parent} is a file, not a folder")
    try:  # os.access says yes to root on read-only mounts and /proc: try for real, leave nothing
        os.rmdir(tempfile.mkdtemp(prefix=".triage-probe-", dir=parent))
    except OSError as exc:
        raise CaseError(
            f"{p}: cannot create the case here: {parent} is not writable ({exc.strerror or exc})"
        ) from exc
    return p
