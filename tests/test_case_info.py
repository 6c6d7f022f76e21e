"""Case information: stored in the case, the audit log's actor, audited when changed."""

from __future__ import annotations

import getpass
import sqlite3
from pathlib import Path

from triage.case.records import CaseInfo
from triage.case.store import Case


def test_info_is_stored_and_names_the_actor(tmp_path: Path) -> None:
    info = CaseInfo(case_number="2026/117", examiner="Ana Ruiz", organisation="Policía Nacional")
    with Case.create(tmp_path / "c", info) as case:
        assert case.case_info() == info
        first = case.audit_log()[0]
        assert first.action == "case.created"
        assert first.actor.startswith("Ana Ruiz (") and getpass.getuser() in first.actor
    with Case.open(tmp_path / "c", readonly=True) as case:
        assert case.case_info().case_number == "2026/117"
    rows = dict(sqlite3.connect(tmp_path / "c" / "case.sqlite").execute("SELECT key, value FROM meta"))
    assert rows["info.examiner"] == "Ana Ruiz"  # read back with sqlite3 itself, not our API


def test_change_is_audited_with_the_changed_fields(tmp_path: Path) -> None:
    with Case.create(tmp_path / "c") as case:
        assert case.case_info() == CaseInfo()
        assert "(" not in case.audit_log()[0].actor  # no examiner yet: the account alone
        case.set_case_info(CaseInfo(case_number="X-1", examiner="Jo"))
        case.set_case_info(CaseInfo(case_number="X-1", examiner="Jo"))  # unchanged: no event
        events = [e for e in case.audit_log() if e.action == "case.info"]
        assert [e.details for e in events] == [{"case_number": "X-1", "examiner": "Jo"}]
        assert events[0].actor.startswith("Jo (")
