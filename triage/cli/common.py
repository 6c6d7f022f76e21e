"""Helpers shared by CLI commands."""

from __future__ import annotations

import errno
import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from triage.case import lock as writer_lock
from triage.case.store import DB_NAME, Case, database_error, open_cases
from triage.errors import CaseError, TriageError

STORAGE_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO)


def open_case(path: str, *, readonly: bool = True) -> Case:
    try:
        return Case.open(path, readonly=readonly)
    except CaseError:
        raise
    except OSError as exc:
        raise CaseError(f"{path}: cannot open case: {exc}") from exc


def writer_case(path: str | Path, *, create: bool = False) -> Case:
    """Open a case to write it: takes the case's writer lock, so call it after the options are
    validated and before any evidence is opened. A second writer is refused here, at once (exit 2)."""
    new = create and not (Path(path) / DB_NAME).is_file()
    target = "new case" if new else "case"
    with storage_errors(case=path, dest=path, doing="open the case for writing", target=target):
        return Case.open_or_create(path) if create else Case.open(path)


def explain_failure(
    exc: BaseException,
    *,
    case: str | Path | None = None,
    dest: str | Path | None = None,
    doing: str = "write",
    target: str | None = None,
) -> TriageError | None:
    """A one-line, path-naming error for a storage failure (disk full, read-only, damaged
    case database, I/O error) that reached the CLI, or None when ``exc`` is none of those.
    ``target`` chooses the advice for OS errors (default: any output file)."""
    if isinstance(exc, sqlite3.Error):
        known = writer_lock.held_cases() or open_cases()
        where = Path(case) if case is not None else known[0] if known else Path("(case folder)")
        return database_error(exc, where, f"{doing} the case")
    if isinstance(exc, OSError) and exc.errno in STORAGE_ERRNOS:
        where = Path(dest) if dest is not None else Path(case) if case is not None else Path("(output)")
        return writer_lock.storage_error(exc, where, doing, target or "output")
    return None


@contextmanager
def storage_errors(
    *,
    case: str | Path | None = None,
    dest: str | Path | None = None,
    doing: str = "write",
    target: str | None = None,
) -> Iterator[None]:
    """Turn storage failures inside the block into one-line errors naming ``dest`` or ``case``;
    ``target`` (``case``, ``new case``, ``destination``) chooses the advice."""
    try:
        yield
    except TriageError:
        raise
    except (sqlite3.Error, OSError) as exc:
        known = explain_failure(exc, case=case, dest=dest, doing=doing, target=target)
        if known is None:
            raise
        raise known from exc


def print_json_line(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, sort_keys=False) + "\n")
