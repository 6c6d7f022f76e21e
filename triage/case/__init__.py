"""The case store: SQLite in WAL mode, one writer, versioned schema."""

from triage.case.store import Case, FileResult, utc_now

__all__ = ["Case", "FileResult", "utc_now"]
