"""Exit codes and storage failures: every exit code is documented (README table and
``triage --help``); a damaged case database, a full disk and a read-only destination each give
one line naming the path and what to do, never an internal error with an exception name."""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DEMO, REPO, run_triage

from triage.case.store import Case
from triage.errors import TriageError

REQUEST = REPO / "examples" / "request.toml"
DOCUMENTED = {0, 1, 2, 3, 4, 130}


def _one_line(proc: subprocess.CompletedProcess[str], code: int, *needles: str) -> str:
    assert proc.returncode == code, f"exit {proc.returncode}, wanted {code}: {proc.stderr}"
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("triage: ")]
    assert len(lines) == 1, proc.stderr
    line = lines[0]
    assert "internal error" not in line and "Error:" not in line, line  # no exception class names
    for needle in needles:
        assert needle in line, f"{needle!r} not in {line!r}"
    return line


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- documentation ---------------------------------------------------------------------------
def _produced_codes() -> set[int]:
    """Every exit code the code base can produce: TriageError subclasses and literal returns of the CLI."""
    codes: set[int] = set()
    for path in sorted((REPO / "triage").rglob("*.py")):
        text = path.read_text()
        codes |= {int(m) for m in re.findall(r"exit_code\s*=\s*(\d+)", text)}
        if "/cli/" in str(path) or path.name == "__init__.py" and path.parent.name == "cli":
            codes |= {int(m) for m in re.findall(r"^\s+return (\d+)\s*$", text, re.M)}
    for module in ("triage.errors", "triage.case.lock", "triage.mount.fuse", "triage.export.exporter"):
        for _, obj in inspect.getmembers(importlib.import_module(module), inspect.isclass):
            if issubclass(obj, TriageError):
                codes.add(obj.exit_code)
    return codes


def test_every_exit_code_is_documented() -> None:
    produced = _produced_codes()
    assert {2, 3, 4} <= produced  # the scan finds what it should
    help_text = run_triage("--help").stdout
    epilog = help_text.split("exit codes:", 1)[1]
    in_help = {int(m) for m in re.findall(r"^\s+(\d+)\s{2,}", epilog, re.M)}
    readme = (REPO / "README.md").read_text()
    table = readme.split("### Exit codes", 1)[1].split("\n#", 1)[0]
    in_readme = {int(m) for m in re.findall(r"^\| `(\d+)` \|", table, re.M)}
    assert in_help == DOCUMENTED and in_readme == DOCUMENTED
    assert produced <= DOCUMENTED, f"undocumented exit codes: {produced - DOCUMENTED}"


# -- damaged and foreign case databases ----------------------------------------------------------
@pytest.fixture(scope="module")
def demo_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    case = tmp_path_factory.mktemp("demo") / "case"
    proc = run_triage("scan", str(DEMO), "--case", str(case), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    conn = sqlite3.connect(case / "case.sqlite")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return case


def _damage(case: Path, how: str) -> None:
    db = case / "case.sqlite"
    data = bytearray(db.read_bytes())
    if how == "header":
        data[:16] = b"not a database!!"
    else:  # every page after the first three: the schema reads, the tables do not
        for off in range(3 * 4096, len(data), 4096):
            data[off + 8 : off + 200] = b"\xff" * 192
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["header", "pages"])
def test_damaged_case_database_one_line(demo_case: Path, tmp_path: Path, how: str) -> None:
    case = tmp_path / "case"
    shutil.copytree(demo_case, case)
    _damage(case, how)
    damaged = _sha256(case / "case.sqlite")
    image = _sha256(DEMO)
    db = str(case / "case.sqlite")
    for args in (
        ("files", str(case)),
        ("findings", str(case)),
        ("errors", str(case)),
        ("timeline", str(case)),
        ("info", str(case)),
        ("scan", str(DEMO), "--case", str(case), "--resume"),
        ("export", str(case), "--out", str(tmp_path / "bag"), "--request", str(REQUEST)),
    ):
        _one_line(run_triage(*args), 2, db, "damaged", "restore the case folder from a copy")
    assert _sha256(case / "case.sqlite") == damaged  # nothing tried to repair or rewrite it
    assert _sha256(DEMO) == image
    assert not (tmp_path / "bag").exists()


def test_foreign_sqlite_database_is_not_taken_for_a_new_case(tmp_path: Path) -> None:
    """Only a database without the meta table is new, and only when it is empty: a foreign
    database is never 'upgraded' into a case."""
    case = tmp_path / "case"
    case.mkdir()
    conn = sqlite3.connect(case / "case.sqlite")
    conn.execute("CREATE TABLE contacts(name TEXT)")
    conn.commit()
    conn.close()
    before = _sha256(case / "case.sqlite")
    _one_line(run_triage("files", str(case)), 2, str(case / "case.sqlite"), "not a triage case")
    _one_line(run_triage("scan", str(DEMO), "--case", str(case)), 2, "not a triage case")
    assert _sha256(case / "case.sqlite") == before


# -- full and read-only file systems ---------------------------------------------------------------
@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    mp = tmp_path / "mnt"
    mp.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mp)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        pytest.skip(
            f"cannot mount a small tmpfs here (needed for a real full/read-only disk): {proc.stderr.strip()}"
        )
    try:
        yield mp
    finally:
        subprocess.run(["umount", "-l", str(mp)], check=False)


def _fill(mp: Path, leave: int) -> Path:
    filler = mp / "filler"
    free = shutil.disk_usage(mp).free
    with filler.open("wb") as f:
        f.write(b"\0" * max(0, free - leave))
    return filler


def _files(case: Path, evidence: Path) -> list[dict[str, object]]:
    rows = [json.loads(x) for x in run_triage("files", str(case), "--json", check=True).stdout.splitlines()]
    paths = {r["id"]: r["path"] for r in rows}  # a member names its container by row id, which differs
    return [
        {k: (paths[v] if k == "container" and v is not None else v) for k, v in r.items() if k != "id"}
        for r in rows
        if r["evidence"] == str(evidence.resolve())
    ]


def test_disk_full_during_scan(tmpfs: Path, tmp_path: Path) -> None:
    second = tmp_path / "second.raw"
    shutil.copyfile(DEMO, second)
    hashes = (_sha256(DEMO), _sha256(second))
    reference = tmp_path / "reference"
    assert run_triage("scan", str(second), "--case", str(reference), "--workers", "1").returncode == 0
    case = tmpfs / "case"
    assert run_triage("scan", str(DEMO), "--case", str(case), "--workers", "1").returncode == 0
    filler = _fill(tmpfs, 120 << 10)  # room to open the case, not to store a second image
    proc = run_triage("scan", str(second), "--case", str(case), "--workers", "1")
    _one_line(proc, 4, str(case), "disk full", "free space", "--resume")
    filler.unlink()
    resumed = run_triage("scan", str(second), "--case", str(case), "--workers", "1", "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert _files(case, second) == _files(reference, second)
    with Case.open(case, readonly=True) as c:
        statuses = [s["status"] for s in c.scans()]
    assert statuses[0] == "completed" and statuses[-1] == "completed"
    assert set(statuses[1:-1]) <= {"interrupted"}  # the scan the full disk stopped, if it had started
    assert (_sha256(DEMO), _sha256(second)) == hashes


def test_disk_full_when_the_case_cannot_even_open(tmpfs: Path) -> None:
    case = tmpfs / "case"
    assert run_triage("scan", str(DEMO), "--case", str(case), "--workers", "1").returncode == 0
    _fill(tmpfs, 0)
    second = tmpfs.parent / "second.raw"
    shutil.copyfile(DEMO, second)
    _one_line(run_triage("scan", str(second), "--case", str(case)), 4, str(case), "disk full", "free space")


def test_read_only_destinations(tmpfs: Path, demo_case: Path) -> None:
    image = _sha256(DEMO)
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    new = tmpfs / "new-case"
    _one_line(
        run_triage("scan", str(DEMO), "--case", str(new)),
        4,
        str(new),
        "read-only",
        "choose a writable folder for the case",
    )
    bag = tmpfs / "bag"
    _one_line(
        run_triage("export", str(demo_case), "--out", str(bag), "--request", str(REQUEST)),
        4,
        str(tmpfs),
        "read-only",
        "choose a writable folder for --out",
    )
    body = tmpfs / "timeline.body"
    _one_line(
        run_triage("timeline", str(demo_case), "--out", str(body)),
        4,
        str(body),
        "read-only",
        "choose a writable destination",
    )
    assert list(tmpfs.iterdir()) == []
    assert _sha256(DEMO) == image


def test_disk_full_while_writing_a_timeline(tmpfs: Path, demo_case: Path) -> None:
    _fill(tmpfs, 0)
    body = tmpfs / "timeline.csv"
    _one_line(
        run_triage("timeline", str(demo_case), "--out", str(body), "--format", "csv"),
        4,
        str(body),
        "disk full",
        "free space",
    )


def test_disk_full_while_exporting(tmpfs: Path, demo_case: Path) -> None:
    _fill(tmpfs, 24 << 10)
    bag = tmpfs / "bag"
    _one_line(
        run_triage("export", str(demo_case), "--out", str(bag), "--request", str(REQUEST)),
        4,
        "disk full",
        "choose another --out",
    )
