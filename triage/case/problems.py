"""Recorded problems as the examiner sees them: every row of the errors table, with its severity.

The engine and plugins record warnings as messages beginning ``warning:``; this module is the
one place that reads that convention, so views and reports never parse messages themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from triage.case.store import Case

Severity = Literal["error", "warning"]
_WARNING_PREFIX = "warning:"


@dataclass(frozen=True)
class Problem:
    """One recorded error or warning, and where it was met."""

    id: int
    severity: Severity
    source: str
    message: str
    created: str
    file_id: int | None
    path: str | None
    evidence_id: int | None


def severity_of(message: str) -> Severity:
    return "warning" if message.startswith(_WARNING_PREFIX) else "error"


def problems(case: Case) -> list[Problem]:
    """Every recorded error and warning of the case, oldest first."""
    out = []
    for row in case.errors():
        message = str(row["message"])
        severity = severity_of(message)
        text = message[len(_WARNING_PREFIX) :].strip() if severity == "warning" else message
        out.append(
            Problem(
                id=int(row["id"]),
                severity=severity,
                source=str(row["source"]),
                message=text,
                created=str(row["created"]),
                file_id=row["file_id"],
                path=row["path"],
                evidence_id=row["evidence_id"],
            )
        )
    return out
