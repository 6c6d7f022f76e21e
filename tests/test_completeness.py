"""The completeness ledger on a real image: an unformatted partition and explicit gaps."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.casedb import sql
from tests.conftest import run_triage
from triage.case.completeness import CSV_COLUMNS, ledger, ledger_csv
from triage.case.records import GapKind
from triage.case.store import Case


def test_unformatted_partition_and_explicit_gap(tmp_path: Path, shared_testdata: Path) -> None:
    image = shared_testdata / "images" / "tsk_volume_system.raw"
    run_triage("scan", str(image), "--case", str(tmp_path / "c"), check=False)
    case = Case.open(tmp_path / "c")
    (ev,) = [int(e["id"]) for e in case.evidence()]
    case.record_gap(
        GapKind.ENCRYPTED, "LUKS2 volume, no key given", source="layout", size=1 << 20, evidence_id=ev
    )
    book = ledger(case)
    kinds = [e.kind for e in book.entries]
    # the image's primary partition is unformatted (MANIFEST.md); sizes come from the partition table
    unformatted = sql(tmp_path / "c", "SELECT length FROM partitions WHERE fs_type IS NULL")
    assert kinds.count(GapKind.NO_FILESYSTEM) == len(unformatted) >= 1
    assert GapKind.ENCRYPTED in kinds
    totals = {t.kind: t for t in book.totals()}
    assert totals[GapKind.ENCRYPTED].size == 1 << 20
    assert totals[GapKind.NO_FILESYSTEM].size == sum(r[0] for r in unformatted)
    table = list(csv.reader(io.StringIO(ledger_csv(book))))
    assert tuple(table[0]) == CSV_COLUMNS and len(table) == len(book.entries) + 1
    case.close()
