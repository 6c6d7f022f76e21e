"""Problems carry a typed severity in ``errors.severity``: written, validated, read and migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from casedb import sql

from triage.case.records import FileProblem, ProblemCount, Severity
from triage.case.schema import SCHEMA_V1, SCHEMA_V2
from triage.case.store import DB_NAME, Case, FileResult, _split_sql


def _schema2_case(folder: Path) -> None:
    """A case as schema 2 left it: warnings were messages beginning with the 'warning:' prefix."""
    folder.mkdir()
    conn = sqlite3.connect(folder / DB_NAME)
    with conn:
        for step in (SCHEMA_V1, SCHEMA_V2):
            for statement in _split_sql(step):
                conn.execute(statement)
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', '2')")
        rows = [
            ("entropy", "warning: over its time budget (2.0 s > 1 s)"),
            ("engine", "read error at offset 4096: Input/output error"),
            ("yara", "a message that mentions warning: in the middle"),
        ]
        for source, message in rows:
            conn.execute(
                "INSERT INTO errors(source, message, created) VALUES (?,?,?)", (source, message, "2026-01-01")
            )
    conn.close()


def test_schema2_prefixed_warning_migrates_to_the_column(tmp_path: Path) -> None:
    _schema2_case(tmp_path / "case")
    with Case.open(tmp_path / "case") as case:
        got = [(p.severity, p.source, p.message) for p in case.problems()]
        assert got == [
            (Severity.WARNING, "entropy", "over its time budget (2.0 s > 1 s)"),
            (Severity.ERROR, "engine", "read error at offset 4096: Input/output error"),
            (Severity.ERROR, "yara", "a message that mentions warning: in the middle"),
        ]
        assert case.count_problems() == ProblemCount(errors=2, warnings=1)
        assert [p.source for p in case.problems(severity=Severity.WARNING)] == ["entropy"]
    with sqlite3.connect(tmp_path / "case" / DB_NAME) as conn:  # the column itself, as SQLite holds it
        assert conn.execute("SELECT severity FROM errors ORDER BY id").fetchall() == [
            ("warning",),
            ("error",),
            ("error",),
        ]


def test_severity_is_validated(tmp_path: Path) -> None:
    with Case.create(tmp_path / "case") as case:
        with pytest.raises(ValueError, match="Severity.ERROR, Severity.WARNING, not 'warning'"):
            case.add_problem("warning", "x", "plain strings are refused")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="not 'notable'"):
            FileProblem("x", "y", "notable")  # type: ignore[arg-type]
        with pytest.raises(sqlite3.IntegrityError):  # and the CHECK constraint holds under the API
            sql(
                case.path,
                "INSERT INTO errors(source, message, severity, created) VALUES ('x','y','notable','now')",
            )
        case.add_warning("a", "w")
        case.add_error("b", "e")
        assert [(p.severity, p.source) for p in case.problems()] == [
            (Severity.WARNING, "a"),
            (Severity.ERROR, "b"),
        ]
        assert str(case.count_problems()) == "1 error, 1 warning"
        assert str(ProblemCount(errors=0, warnings=2)) == "0 errors, 2 warnings"


def test_file_results_store_their_severity(tmp_path: Path) -> None:
    with Case.create(tmp_path / "case") as case:
        result = FileResult(
            file_id=0,
            errors=[
                FileProblem("engine", "content ends early", Severity.WARNING),
                FileProblem("a", "raised"),
            ],
        )
        ev = case.add_evidence("/x.raw", "raw", ["/x.raw"], 1024)
        pid = case.begin_inventory(
            ev, "none", [{"index": 0, "offset": 0, "length": 1024, "description": "x"}]
        )[0]
        entry = {
            "parent_path": "/",
            "path": "/a",
            "name": "a",
            "inode": 12,
            "attr_type": None,
            "attr_id": None,
        }
        entry |= {"stream": None, "type": "r", "size": 1, "deleted": False, "orphan": False}
        case.insert_entries(ev, pid, [entry | dict.fromkeys(("mtime", "atime", "ctime", "crtime"))])
        case.finish_inventory(ev)
        result = FileResult(file_id=case.file_ids()[0], errors=result.errors)
        case.store_results(case.start_scan({}, {}), ev, [result])
        assert [(p.severity, p.message) for p in case.problems()] == [
            (Severity.WARNING, "content ends early"),
            (Severity.ERROR, "raised"),
        ]
