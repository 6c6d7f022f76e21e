"""Exceptions with the exit codes the CLI maps them to."""

from __future__ import annotations


class TriageError(Exception):
    """Base class; ``exit_code`` is what the CLI returns for it."""

    exit_code = 2


class UsageError(TriageError):
    """Bad command-line usage or bad input data (exit 2)."""

    exit_code = 2


class EvidenceError(TriageError):
    """The evidence cannot be opened or read (exit 3)."""

    exit_code = 3


class CaseError(TriageError):
    """The case folder is missing, locked or of an unknown schema (exit 2)."""

    exit_code = 2


class StorageError(TriageError):
    """Writing the case or a destination failed: disk full, read-only, I/O error (exit 4)."""

    exit_code = 4
