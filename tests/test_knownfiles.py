"""Known-file hash sets: NSRL RDSv3, sha256sum/sha1sum lists and hashdeep CSV mark the right
files known or notable in a real scan of a real ext4 image."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from triage.errors import UsageError
from triage.hashsets import HashDB

REPO = Path(__file__).resolve().parents[1]

SYSTEM_DLL = b"MZ\x90\x00 pretend this is kernel32.dll from a clean Windows install\n" * 40
TOOL = b"#!/bin/sh\n# a hacking tool the lab flagged as notable\nrm -rf /evidence\n" * 20
NOTES = b"meeting at noon, bring the ledger\n"
OLD = b"an old deleted file that hashdeep knows by MD5 only\n" * 30
README = b"GPL README shipped by every distribution\n" * 10

FILES = {
    "/Windows/System32/kernel32.dll": SYSTEM_DLL,
    "/Users/bob/Downloads/tool.sh": TOOL,
    "/Users/bob/notes.txt": NOTES,
    "/Users/bob/old.bin": OLD,
    "/usr/share/doc/README": README,
}

# RDSv3 "minimal" schema as published by NIST (tables FILE, PKG, OS, MFG, VERSION).
RDS_SCHEMA = """
CREATE TABLE FILE (sha256 VARCHAR NOT NULL, sha1 VARCHAR NOT NULL, md5 VARCHAR NOT NULL, crc32 VARCHAR NOT NULL,
  file_name VARCHAR NOT NULL, file_size INTEGER NOT NULL, package_id INTEGER NOT NULL,
  CONSTRAINT PK_FILE__FILE PRIMARY KEY (sha256, sha1, md5, crc32, file_name, file_size, package_id));
CREATE TABLE MFG (manufacturer_id INTEGER NOT NULL, name VARCHAR NOT NULL,
  CONSTRAINT PK_MFG__MFG_ID PRIMARY KEY (manufacturer_id));
CREATE TABLE OS (operating_system_id INTEGER NOT NULL, name VARCHAR NOT NULL, version VARCHAR NOT NULL,
  manufacturer_id INTEGER NOT NULL, CONSTRAINT PK_OS__OS_ID PRIMARY KEY (operating_system_id, manufacturer_id));
CREATE TABLE PKG (package_id INTEGER NOT NULL, name VARCHAR NOT NULL, version VARCHAR NOT NULL,
  operating_system_id INTEGER NOT NULL, manufacturer_id INTEGER NOT NULL, language VARCHAR NOT NULL,
  application_type VARCHAR NOT NULL,
  CONSTRAINT PK_PGK__PKG_ID PRIMARY KEY (package_id, operating_system_id, manufacturer_id, language, application_type));
CREATE TABLE VERSION (version VARCHAR UNIQUE NOT NULL, build_set VARCHAR NOT NULL, build_date TIMESTAMP NOT NULL,
  release_date TIMESTAMP NOT NULL, description VARCHAR NOT NULL);
CREATE VIEW DISTINCT_HASH AS SELECT DISTINCT sha256, sha1, md5, crc32 FROM FILE;
"""


def digests(data: bytes) -> dict[str, str]:
    return {a: hashlib.new(a, data).hexdigest() for a in ("md5", "sha1", "sha256")}


def make_rds(path: Path, known: list[tuple[str, bytes]], filler: int = 500) -> None:
    con = sqlite3.connect(path)
    con.executescript(RDS_SCHEMA)
    con.execute("INSERT INTO MFG VALUES (1, 'Microsoft')")
    con.execute("INSERT INTO OS VALUES (1, 'Windows', '10', 1)")
    con.execute("INSERT INTO PKG VALUES (7, 'Windows 10', '22H2', 1, 1, 'English', 'Operating System')")
    con.execute(
        "INSERT INTO VERSION VALUES ('2024.03.1', 'modern', '2024-03-01', '2024-03-15', 'RDS modern minimal')"
    )
    rows = [
        (
            digests(data)["sha256"].upper(),
            digests(data)["sha1"].upper(),
            digests(data)["md5"].upper(),
            "00000000",
            name,
            len(data),
            7,
        )
        for name, data in known
    ]
    rows += [
        (
            hashlib.sha256(b"%d" % i).hexdigest().upper(),
            hashlib.sha1(b"%d" % i).hexdigest().upper(),
            hashlib.md5(b"%d" % i).hexdigest().upper(),
            "00000000",
            f"f{i}.dll",
            i,
            7,
        )
        for i in range(filler)
    ]
    # the same hashes under a second file name: DISTINCT must not double-count them
    rows.append((*rows[0][:4], "copy-of-kernel32.dll", rows[0][5], 7))
    con.executemany("INSERT INTO FILE VALUES (?,?,?,?,?,?,?)", rows)
    con.commit()
    con.close()


def triage(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "triage", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TZ": "UTC"},
    )


@pytest.fixture
def hash_db(tmp_path: Path) -> Path:
    """NSRL (known), a sha256sum list (notable), a hashdeep CSV with MD5 only (known), imported by the CLI."""
    rds = tmp_path / "RDS_2024.03.1_modern_minimal.db"
    make_rds(rds, [("kernel32.dll", SYSTEM_DLL)])
    bad = tmp_path / "lab-notable.sha256"
    bad.write_text(
        f"{digests(TOOL)['sha256']}  tool.sh\n"
        f"{hashlib.sha256(b'never on disk').hexdigest()} *other.exe\n"
        "# comment line\nnot a hash line\n"
    )
    hd = tmp_path / "old.hashdeep"
    hd.write_text(
        "%%%% HASHDEEP-1.0\n%%%% size,md5,filename\n## Invoked from: /mnt\n## $ hashdeep -c md5 -r .\n##\n"
        f"{len(OLD)},{digests(OLD)['md5']},/mnt/old, with comma.bin\n"
    )
    db = tmp_path / "hashsets.sqlite"
    out = triage("hashsets", "import", str(rds), "--db", str(db), "--json")
    assert out.returncode == 0, out.stderr
    rep = json.loads(out.stdout)
    assert rep["set"]["name"] == "NSRL RDS" and rep["set"]["version"] == "2024.03.1"
    assert rep["set"]["format"] == "nsrl" and rep["set"]["sha256"] == 501 == rep["set"]["md5"]
    out = triage(
        "hashsets",
        "import",
        str(bad),
        "--db",
        str(db),
        "--name",
        "lab notable",
        "--version",
        "7",
        "--category",
        "notable",
        "--json",
    )
    assert out.returncode == 0, out.stderr
    rep = json.loads(out.stdout)
    assert (rep["set"]["sha256"], rep["skipped"]) == (2, 1)
    assert "line 4: not a hash line" in out.stderr
    out = triage("hashsets", "import", str(hd), "--db", str(db), "--name", "old case", "--version", "2019")
    assert out.returncode == 0, out.stderr
    return db


def test_import_list_and_errors(hash_db: Path, tmp_path: Path) -> None:
    out = triage("hashsets", "list", "--db", str(hash_db), "--json")
    sets = {(s["name"], s["version"]): s for s in json.loads(out.stdout)["sets"]}
    assert set(sets) == {("NSRL RDS", "2024.03.1"), ("lab notable", "7"), ("old case", "2019")}
    assert sets[("old case", "2019")]["format"] == "hashdeep" and sets[("old case", "2019")]["md5"] == 1
    assert sets[("lab notable", "7")]["category"] == "notable"
    # same name and version again: refused with one line, no traceback
    again = triage(
        "hashsets",
        "import",
        str(tmp_path / "lab-notable.sha256"),
        "--db",
        str(hash_db),
        "--name",
        "lab notable",
        "--version",
        "7",
    )
    assert again.returncode == 2 and "already imported" in again.stderr and "Traceback" not in again.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("nothing here\n")
    with HashDB(hash_db) as db, pytest.raises(UsageError, match="no hashes found"):
        db.import_file(empty, name="empty")
    with HashDB(hash_db, readonly=True) as db:
        assert "empty" not in {s.name for s in db.sets()}  # the failed import left nothing behind
        hit = db.lookup(md5=digests(SYSTEM_DLL)["md5"].upper())
        assert [h.to_json() for h in hit] == [
            {"set": "NSRL RDS", "version": "2024.03.1", "category": "known", "algorithms": ["md5"]}
        ]


def test_scan_marks_known_and_notable(hash_db: Path, make_image, scan_image) -> None:
    img = make_image(FILES, deleted=["/Users/bob/old.bin"])
    res = scan_image(img, options={"knownfiles": {"db": str(hash_db)}})
    assert res.summary.status == "completed"
    files = {r["path"]: r for r in res.case.iter_files("f.type='r'")}
    for path, data in FILES.items():  # the hashes the lookup used are the real ones
        assert files[path]["sha256"] == hashlib.sha256(data).hexdigest()
    k32 = files["/Windows/System32/kernel32.dll"]["attributes"]
    assert k32["known"] is True and "notable" not in k32
    assert k32["hashsets"] == [
        {
            "set": "NSRL RDS",
            "version": "2024.03.1",
            "category": "known",
            "algorithms": ["sha256", "sha1", "md5"],
        }
    ]
    tool = files["/Users/bob/Downloads/tool.sh"]["attributes"]
    assert tool["notable"] is True and "known" not in tool
    assert tool["hashsets"][0]["set"] == "lab notable" and tool["hashsets"][0]["algorithms"] == ["sha256"]
    old = files["/Users/bob/old.bin"]
    assert old["deleted"] == 1 and old["attributes"]["known"] is True
    assert old["attributes"]["hashsets"][0] == {
        "set": "old case",
        "version": "2019",
        "category": "known",
        "algorithms": ["md5"],
    }
    for path in ("/Users/bob/notes.txt", "/usr/share/doc/README"):
        assert "known" not in (files[path]["attributes"] or {}) and "hashsets" not in (
            files[path]["attributes"] or {}
        )
    # only the notable hit is a finding, with plugin name and version
    hits = res.findings(plugin="knownfiles")
    assert [(f["path"], f["kind"], f["name"], f["severity"], f["plugin_version"]) for f in hits] == [
        ("/Users/bob/Downloads/tool.sh", "hashset", "lab notable", "alert", "1.0.0")
    ]
    assert hits[0]["details"] == {
        "set": "lab notable",
        "version": "7",
        "category": "notable",
        "algorithms": ["sha256"],
        "hash": hashlib.sha256(TOOL).hexdigest(),
    }
    # views can hide known files with a plain SQL filter on the attribute
    shown = res.case.count_files("f.type='r' AND COALESCE(json_extract(f.attributes,'$.known'),0)=0")
    assert shown == len(FILES) - 2
    assert res.scan()["settings"]["options"] == {"knownfiles": {"db": str(hash_db)}}
    assert not [e for e in res.errors() if e["source"] == "knownfiles"]


def test_known_findings_option_and_cli(hash_db: Path, make_image, tmp_path: Path) -> None:
    img = make_image(FILES)
    case = tmp_path / "case"
    out = triage(
        "scan",
        str(img.path),
        "--case",
        str(case),
        "--workers",
        "1",
        "--json",
        "--knownfiles-db",
        str(hash_db),
        "--set",
        "knownfiles.known_findings=yes",
    )
    assert out.returncode == 0, out.stderr
    rows = [
        json.loads(line)
        for line in triage("findings", str(case), "--json", "--plugin", "knownfiles").stdout.splitlines()
    ]
    assert sorted((r["path"], r["severity"], r["set"], r["category"]) for r in rows) == [
        ("/Users/bob/Downloads/tool.sh", "alert", "lab notable", "notable"),
        ("/Users/bob/old.bin", "info", "old case", "known"),
        ("/Windows/System32/kernel32.dll", "info", "NSRL RDS", "known"),
    ]
    shown = [
        json.loads(line)["path"]
        for line in triage("files", str(case), "--json", "--regular", "--hide-known").stdout.splitlines()
    ]
    assert sorted(shown) == ["/Users/bob/Downloads/tool.sh", "/Users/bob/notes.txt", "/usr/share/doc/README"]


def test_missing_explicit_db_is_a_recorded_setup_error(make_image, scan_image, tmp_path: Path) -> None:
    img = make_image({"/a.txt": b"a"})
    res = scan_image(img, options={"knownfiles": {"db": str(tmp_path / "nope.sqlite")}})
    assert res.summary.status == "completed"
    errs = res.errors("plugin:knownfiles")
    assert len(errs) == 1 and "setup failed" in errs[0]["message"] and "nope.sqlite" in errs[0]["message"]
    assert res.file("/a.txt")["sha256"] == hashlib.sha256(b"a").hexdigest()  # everything else ran


def test_import_speed_100k(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from hashset_import import run
    finally:
        sys.path.pop(0)
    t0 = time.perf_counter()
    result = run(100_000, tmp_path)
    assert result["imported"] == 100_000
    assert time.perf_counter() - t0 < 15  # 1,000,000 lines take ~10 s here (bench/hashset_import.py)


@pytest.mark.slow
def test_import_speed_one_million() -> None:
    out = subprocess.run(
        [sys.executable, str(REPO / "bench" / "hashset_import.py")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = json.loads(out.stdout)
    assert out.returncode == 0 and result["imported"] == 1_000_000 and result["seconds"] < 30, out.stdout
