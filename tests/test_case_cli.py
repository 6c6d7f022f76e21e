"""``triage case create|info|set``: the case's information stored as the workstation stores it;
bad input exits 2 with one line naming the problem, before anything is created."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import run_triage


def _one_line(proc, code: int, needle: str) -> None:  # type: ignore[no-untyped-def]
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == code and len(lines) == 1, proc.stderr
    assert lines[0].startswith("triage: error: ") and needle in lines[0], lines[0]


def test_create_stores_the_information_and_names_the_examiner(tmp_path: Path) -> None:
    case = tmp_path / "cases" / "2026-117"  # two new folders: both are created
    proc = run_triage(
        "case", "create", str(case), "--case-number", "2026/117", "--examiner", "Ana Ruiz",
        "--organisation", "Policía Nacional", "--email", "ana@example.org",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(case / "case.sqlite") as conn:
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key LIKE 'info.%'"))
        actor = conn.execute("SELECT actor FROM audit ORDER BY id LIMIT 1").fetchone()[0]
    assert meta["info.case_number"] == "2026/117" and meta["info.organisation"] == "Policía Nacional"
    assert meta["info.examiner_email"] == "ana@example.org" and actor.startswith("Ana Ruiz (")
    shown = run_triage("case", "info", str(case))
    assert "Case number: 2026/117\n" in shown.stdout and "Examiner: Ana Ruiz\n" in shown.stdout
    assert json.loads(run_triage("case", "info", str(case), "--json").stdout)["examiner"] == "Ana Ruiz"
    assert "Case number: 2026/117\n" in run_triage("info", str(case)).stdout
    assert run_triage("case", "set", str(case), "--requesting-authority", "Juzgado nº 3").returncode == 0
    with sqlite3.connect(case / "case.sqlite") as conn:
        row = conn.execute("SELECT details FROM audit WHERE action='case.info'").fetchone()
    assert json.loads(row[0]) == {"requesting_authority": "Juzgado nº 3"}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--case-number", "1"], "the examiner cannot be empty"),
        (["--examiner", "Jo"], "the case number cannot be empty"),
        (["--case-number", " ", "--examiner", "Jo"], "the case number cannot be empty"),
    ],
)
def test_create_refuses_missing_fields(tmp_path: Path, args: list[str], needle: str) -> None:
    _one_line(run_triage("case", "create", str(tmp_path / "c"), *args), 2, needle)
    assert not (tmp_path / "c").exists()


def test_create_refuses_a_busy_folder_an_existing_case_and_an_unwritable_place(tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "letter.txt").write_text("x")
    info = ["--case-number", "1", "--examiner", "Jo"]
    _one_line(
        run_triage("case", "create", str(busy), *info), 2, f"{busy}: folder is not empty and is not a case"
    )
    assert run_triage("case", "create", str(tmp_path / "c"), *info).returncode == 0
    _one_line(run_triage("case", "create", str(tmp_path / "c"), *info), 2, "is already a case")
    _one_line(run_triage("case", "create", "/proc/triage-case", *info), 2, "/proc is not writable")
    _one_line(run_triage("case", "set", str(tmp_path / "c"), "--examiner", ""), 2, "examiner cannot be empty")
    _one_line(run_triage("case", "set", str(tmp_path / "c")), 2, "give at least one of")
    _one_line(run_triage("case", "info", str(tmp_path / "nope")), 2, "not a case folder")
