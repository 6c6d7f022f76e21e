"""The container oracle (issue 20): every member of the fixture's zip (with a nested zip), 7z,
tar.gz and e-mail is an inventory entry with the SHA-256 that ``unzip -p``, ``7z x -so`` and
``tar -xO`` give; the 1 GiB zip bomb and the 30-level nested zip stop at the limits, and the
stops are in the completeness ledger. One image, one scan for the module."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import require_tools, run_triage
from fixtures.containers import ATTACHMENT, NEST, build

from triage.case.store import Case
from triage.evidence.content import open_case_file


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sevenzip() -> str:
    exe = shutil.which("7z") or shutil.which("7zz")
    if exe is None:
        pytest.skip("7z not installed (Debian package 7zip)")
    return exe


def run(*cmd: str) -> bytes:
    return subprocess.run(cmd, check=True, capture_output=True).stdout


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    require_tools("mke2fs", "debugfs", "unzip", "tar")
    sevenzip()
    folder = tmp_path_factory.mktemp("containers")
    img = build(folder)
    before = sha(img.path.read_bytes())
    case = folder / "case"
    run_triage("scan", str(img.path), "--case", str(case), "--workers", "1", check=True)
    out = run_triage("files", "--json", str(case), check=True).stdout.splitlines()
    files = [json.loads(line) for line in out]
    ledger = run_triage("completeness", str(case), check=True).stdout
    for path, data in img.files.items():  # the oracles read the archives as bytes on the host
        dest = folder / "host" / path.lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    return {
        "img": img,
        "before": before,
        "case": case,
        "files": {f["path"]: f for f in files},
        "ledger": ledger,
        "host": folder / "host",
    }


def members_of(files: dict[str, dict[str, Any]], container: str) -> dict[str, dict[str, Any]]:
    """The regular-file members directly inside ``container``, by member path."""
    parent = files[container]["id"]
    return {f["member_path"]: f for f in files.values() if f["container"] == parent and f["type"] == "r"}


def test_zip_members_match_unzip(scanned: dict[str, Any], tmp_path: Path) -> None:
    files, host = scanned["files"], scanned["host"]
    archive = host / "arch/docs.zip"
    names = run("unzip", "-Z1", str(archive)).decode().split()
    got = members_of(files, "/arch/docs.zip")
    assert sorted(got) == sorted(n for n in names if not n.endswith("/"))
    for name in names:
        want = sha(run("unzip", "-p", str(archive), name))
        assert got[name]["sha256"] == want, name
        assert got[name]["path"] == f"/arch/docs.zip//{name}"
        assert got[name]["origin"] == "member"
        assert got[name]["md5"] and got[name]["sha1"]
    inner = tmp_path / "inner.zip"
    inner.write_bytes(run("unzip", "-p", str(archive), "inner.zip"))
    nested = members_of(files, "/arch/docs.zip//inner.zip")
    assert sorted(nested) == run("unzip", "-Z1", str(inner)).decode().split() == ["c.txt"]
    assert nested["c.txt"]["sha256"] == sha(run("unzip", "-p", str(inner), "c.txt"))
    assert files["/arch/docs.zip//sub"]["type"] == "d"  # a folder inside the archive, to browse
    assert files["/arch/docs.zip"]["attributes"]["container"] == "zip"


def test_7z_and_tar_members_match_their_tools(scanned: dict[str, Any]) -> None:
    files, host = scanned["files"], scanned["host"]
    exe = sevenzip()
    archive = host / "arch/pack.7z"
    listing = run(exe, "l", "-slt", "-ba", str(archive)).decode()
    names = [ln.split(" = ", 1)[1] for ln in listing.splitlines() if ln.startswith("Path = ")]
    attrs = [ln.split(" = ", 1)[1] for ln in listing.splitlines() if ln.startswith("Attributes = ")]
    regular = sorted(n for n, a in zip(names, attrs, strict=True) if not a.startswith("D"))
    got = members_of(files, "/arch/pack.7z")
    assert sorted(got) == regular and regular
    for name in regular:
        assert got[name]["sha256"] == sha(run(exe, "x", "-so", str(archive), name)), name
    tarball = host / "arch/backup.tar.gz"
    names = [n for n in run("tar", "-tzf", str(tarball)).decode().split() if not n.endswith("/")]
    got = members_of(files, "/arch/backup.tar.gz")
    assert sorted(got) == sorted(names) and names
    for name in names:
        assert got[name]["sha256"] == sha(run("tar", "-xzOf", str(tarball), name)), name


def test_mail_attachment_and_encrypted_member(scanned: dict[str, Any]) -> None:
    files = scanned["files"]
    att = files["/mail/figures.eml//figures.dat"]
    assert att["sha256"] == sha(ATTACHMENT) and att["container"] == files["/mail/figures.eml"]["id"]
    if "/arch/locked.zip" in files:
        locked = files["/arch/locked.zip//hidden.txt"]
        assert locked["status"] == "encrypted" and locked["sha256"] is None
        assert "encrypted" in scanned["ledger"] and "/arch/locked.zip//hidden.txt" in scanned["ledger"]


def test_bomb_and_nest_stop_at_the_limits_and_say_so(scanned: dict[str, Any]) -> None:
    files, ledger = scanned["files"], scanned["ledger"]
    bomb = files["/arch/bomb.zip//zeros.bin"]
    assert bomb["status"] == "skipped" and bomb["sha256"] is None
    assert bomb["size"] == 1 << 30  # listed with its declared size, never inflated
    assert "expansion ratio" in bomb["error"]
    line = next(ln for ln in ledger.splitlines() if "/arch/bomb.zip//zeros.bin" in ln)
    assert line.startswith("skipped-by-limit") and "max_ratio" in line
    chain = "/arch/nest.zip"
    for level in range(NEST - 1, NEST - 11, -1):  # depth 1 .. 10 are listed and hashed
        chain += f"//level{level}.zip"
        assert files[chain]["sha256"], chain
    assert not any(p.startswith(chain + "//") for p in files)  # depth 11 is not opened
    line = next(ln for ln in ledger.splitlines() if ln.rstrip().endswith("[containers]") and chain in ln)
    assert line.startswith("skipped-by-limit") and "depth limit 10" in line


def test_member_reads_back_and_evidence_unchanged(scanned: dict[str, Any]) -> None:
    files = scanned["files"]
    rec = files["/arch/docs.zip//inner.zip//c.txt"]
    with Case.open(scanned["case"], readonly=True) as case:
        content = open_case_file(case, rec["id"])
        assert content.sha256() == rec["sha256"]
    assert sha(scanned["img"].path.read_bytes()) == scanned["before"]
    fs = [f for f in files.values() if f["origin"] == "fs"]
    assert all(f["container"] is None and f["member_path"] is None for f in fs)
