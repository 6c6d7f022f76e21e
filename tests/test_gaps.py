"""The completeness ledger's explicit entries: typed kinds, stored and read back, removed with evidence."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from triage.case.records import GapKind
from triage.case.store import Case


def test_gap_round_trip_and_plain_string_refused(tmp_path: Path) -> None:
    case = Case.create(tmp_path / "c")
    case.record_gap(GapKind.ENCRYPTED, "BitLocker volume, no key given", source="layout", size=4096)
    with pytest.raises(ValueError, match="GapKind"):
        case.record_gap("encrypted", "x", source="layout")  # type: ignore[arg-type]
    (gap,) = case.gaps()
    assert (gap.kind, gap.reason, gap.size, gap.source) == (
        GapKind.ENCRYPTED,
        "BitLocker volume, no key given",
        4096,
        "layout",
    )
    case.close()
    # an independent reader sees the same row
    with sqlite3.connect(tmp_path / "c" / "case.sqlite") as conn:
        assert conn.execute("SELECT kind, size FROM gaps").fetchall() == [("encrypted", 4096)]
