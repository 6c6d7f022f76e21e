"""Lossless names: a name holding the raw byte 0xFF and one holding the four characters ``\\xff``
(and every other pair of different byte strings) get different names, paths and hex in the case,
``triage files``, artifacts.csv, DFXML, the CASE graph, the body file and the FUSE mount, and the
bytes recorded are the bytes The Sleuth Kit reads from the image."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import fixtures as images
import pytest
from conftest import run_triage
from fixtures import LOSSLESS_NAMES

from triage.evidence.names import (
    display_bytes,
    display_name,
    display_path,
    name_escape_reason,
    percent_encoded,
    printable,
)
from triage.export.inventory import DFXML_NS

ROOT = Path(__file__).resolve().parents[1]
REQUEST = ROOT / "examples" / "request.toml"
VENV_BIN = Path(sys.executable).parent
INVALID = {"raw_ff", "raw_dir", "deleted"}
BACKSLASH = {"escaped_text", "backslash", "text_dir"}


def _tool(name: str) -> str:
    path = shutil.which(name) or (str(VENV_BIN / name) if (VENV_BIN / name).exists() else None)
    if path is None:
        pytest.skip(f"{name} not installed")
    return path


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the mapping itself ------------------------------------------------------------------------
def test_display_form_is_injective_and_reversible() -> None:
    rng = random.Random(15)
    alphabet = [b"\\", b"x", b"f", b"/", b"\xff", b"\xc3", b"\xa9", b"a", b"%", b"|", b"\xed\xa0\x80", b"2"]
    samples = {b"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))) for _ in range(5000)}
    samples |= set(LOSSLESS_NAMES.values())
    shown = {display_name(b): b for b in samples}
    assert len(shown) == len(samples), "two byte strings share a display form"
    for text, raw in shown.items():
        assert display_bytes(text) == raw
        assert "/" not in text  # a name never looks like two path components
        reason = name_escape_reason(raw)
        try:
            plain = raw.decode("utf-8")
        except UnicodeDecodeError:
            assert reason == "not valid UTF-8"
            continue
        assert (reason is None) == (text == plain)
    # the two names of the issue, and the unchanged common case
    assert display_name(b"\xff") == "\\xff" and display_name(b"\\xff") == "\\\\xff"
    assert display_name("café.txt".encode()) == "café.txt" and name_escape_reason("café.txt".encode()) is None
    assert display_path(b"docs/read\xffme") == "docs/read\\xffme"  # a symlink target keeps its slashes
    assert display_bytes("/dir\\xfe/a\\\\b") == b"/dir\xfe/a\\b"  # whole paths invert too
    with pytest.raises(ValueError):
        display_bytes("lone\\backslash")
    # one-line output and body files stay injective and parseable
    assert (
        printable("new\nline") == "new\\x0aline"
        and printable(display_name(b"new\\x0aline")) != "new\\x0aline"
    )
    assert percent_encoded(b"a|b%\xff\n") == "a%7Cb%25%FF%0A"


# -- a scanned and exported image --------------------------------------------------------------
@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    d = tmp_path_factory.mktemp("lossless")
    try:
        img = images.build_lossless_names(d / "img")
    except images.ToolMissing as exc:
        pytest.skip(str(exc))
    before = _sha256(img.path)
    case = d / "case"
    proc = run_triage("scan", str(img.path), "--case", str(case), "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(x) for x in run_triage("files", str(case), "--json").stdout.splitlines()]
    bundle = d / "bundle"
    proc = run_triage("export", str(case), "--out", str(bundle), "--select", "all", "--request", str(REQUEST))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {"img": img, "case": case, "records": records, "bundle": bundle, "before": before, "dir": d}


def _ours(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries below the root that the fixture wrote (not lost+found, not $OrphanFiles)."""
    return [r for r in records if r["inode"] not in (11,) and not r["path"].startswith("/$OrphanFiles")]


def _fls_bytes(image: Path) -> dict[int, bytes]:
    """inode -> path bytes (no leading slash) as ``fls -r -p`` prints them (it prints the raw bytes)."""
    out = subprocess.run(["fls", "-r", "-p", str(image)], capture_output=True, check=True).stdout
    paths: dict[int, bytes] = {}
    for line in out.split(b"\n"):
        m = re.match(rb"^\S+/\S+\s+(?:\*\s+)?(\d+)(?:\(realloc\))?:\t(.*)$", line)
        if m:
            paths.setdefault(int(m[1]), m[2])
    return paths


def test_names_and_paths_are_distinct_and_the_bytes_are_tsks(scanned: dict[str, Any]) -> None:
    recs = _ours(scanned["records"])
    assert len(recs) == len(LOSSLESS_NAMES) + 2  # eight names at the root, two inner.txt
    for key in ("name", "path", "name_raw_hex"):
        values = [r[key] for r in recs if not r["path"].endswith("/inner.txt") or key == "path"]
        assert len(set(values)) == len(values), f"{key} not distinct: {sorted(values)}"
    fls = _fls_bytes(scanned["img"].path)
    by_name = {bytes.fromhex(r["name_raw_hex"]): r for r in recs if r["path"].count("/") == 1}
    assert set(by_name) == set(LOSSLESS_NAMES.values())  # the names the source folder had
    for r in recs:
        raw = bytes.fromhex(r["name_raw_hex"])
        assert b"/" + fls[r["inode"]] == display_bytes(r["path"]), r["path"]
        assert fls[r["inode"]].rsplit(b"/", 1)[-1] == raw
        assert r["name"] == display_name(raw) and r["path"].endswith("/" + r["name"])
    for role, raw in LOSSLESS_NAMES.items():
        r = by_name[raw]
        expected = (
            "not valid UTF-8" if role in INVALID else "contains a backslash" if role in BACKSLASH else None
        )
        assert r["name_escaped"] == expected, role
        if expected is None:
            assert r["name"] == raw.decode()
    assert by_name[LOSSLESS_NAMES["raw_ff"]]["path"] == "/\\xff"
    assert by_name[LOSSLESS_NAMES["escaped_text"]]["path"] == "/\\\\xff"
    assert by_name[LOSSLESS_NAMES["deleted"]]["deleted"] is True
    # the case keeps the bytes themselves
    with sqlite3.connect(f"file:{scanned['case'] / 'case.sqlite'}?mode=ro", uri=True) as db:
        stored = {row[0]: row[1] for row in db.execute("SELECT id, name_raw FROM files")}
    assert all(stored[r["id"]] == bytes.fromhex(r["name_raw_hex"]) for r in recs)
    assert all(isinstance(v, bytes) for v in stored.values())


def test_hashes_equal_icat(scanned: dict[str, Any]) -> None:
    image = scanned["img"].path
    regular = [r for r in _ours(scanned["records"]) if r["type"] == "r"]
    assert len(regular) == 8
    for r in regular:
        data = subprocess.run(["icat", str(image), str(r["inode"])], capture_output=True, check=True).stdout
        assert r["sha256"] == hashlib.sha256(data).hexdigest(), r["path"]
        assert data, r["path"]
    assert _sha256(image) == scanned["before"], "the evidence changed"


def test_triage_files_lists_one_line_per_entry(scanned: dict[str, Any]) -> None:
    lines = run_triage("files", str(scanned["case"])).stdout.splitlines()
    assert len(lines) == len(scanned["records"])
    paths = [ln.rsplit(" ", 1)[-1] for ln in lines]
    assert "/\\xff" in paths and "/\\\\xff" in paths and "/pipe|100%.txt" in paths


def test_bundle_keeps_bytes_and_display_forms(scanned: dict[str, Any]) -> None:
    bundle = scanned["bundle"]
    rows = list(
        csv.DictReader(
            io.StringIO((bundle / "data/inventory/artifacts.csv").read_text(encoding="utf-8"), newline="")
        )
    )
    recs = {r["id"]: r for r in scanned["records"]}
    ours = [row for row in rows if recs[int(row["case_file_id"])] in _ours(scanned["records"])]
    assert len(ours) == 8
    for col in ("original_path", "bundle_path"):
        assert len({row[col] for row in ours}) == len(ours), col
    root_rows = [row for row in ours if not row["original_path"].endswith("/inner.txt")]
    for col in ("original_name", "original_name_utf8_hex"):
        assert len({row[col] for row in root_rows}) == len(root_rows), col
    image = scanned["img"].path
    for row in ours:
        rec = recs[int(row["case_file_id"])]
        raw = bytes.fromhex(row["original_name_utf8_hex"])
        assert raw.hex() == rec["name_raw_hex"] and row["original_name"] == display_name(raw)
        assert row["original_path"] == rec["path"]
        assert row["original_name_escaped"] == (rec["name_escaped"] or "")
        data = subprocess.run(["icat", str(image), row["inode"]], capture_output=True, check=True).stdout
        assert (bundle / row["bundle_path"]).read_bytes() == data, row["original_path"]
    assert {row["original_name_escaped"] for row in root_rows} == {
        "",
        "not valid UTF-8",
        "contains a backslash",
    }
    members = os.listdir(bundle / "data/artifacts")
    assert len(members) == len(rows) and len({m.lower() for m in members}) == len(members)

    # DFXML: every file object has the name's bytes; escaped ones say why
    tree = ET.parse(bundle / "data/inventory/source.dfxml")
    ns = {"d": "http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML", "t": DFXML_NS}
    objs = {int(o.findtext("d:id", namespaces=ns) or 0): o for o in tree.iterfind(".//d:fileobject", ns)}
    for row in ours:
        o = objs[int(row["case_file_id"])]
        assert o.findtext("d:filename", namespaces=ns) == row["original_path"].lstrip("/")
        assert o.findtext("t:name_bytes_hex", namespaces=ns) == row["original_name_utf8_hex"]
        assert (o.findtext("t:name_escaped", namespaces=ns) or "") == row["original_name_escaped"]

    # CASE: fileName/filePath are the display forms; an escaped one's node says so and gives the bytes
    graph = json.loads((bundle / "data/case/bundle.jsonld").read_text(encoding="utf-8"))
    by_path = {}
    for node in graph["@graph"]:
        for f in node.get("uco-core:hasFacet", []):
            if f.get("@type") == "uco-observable:FileFacet" and "uco-observable:filePath" in f:
                by_path[f["uco-observable:filePath"]] = (
                    f["uco-observable:fileName"],
                    node["uco-core:description"],
                )
    for row in ours:
        name, description = by_path[row["original_path"]]
        assert name == row["original_name"]
        has_bytes = f"file name bytes (hex) {row['original_name_utf8_hex']}: " in description
        assert has_bytes == bool(row["original_name_escaped"]), description
    cover = json.loads((bundle / "data/cover-sheet/cover-sheet.json").read_text(encoding="utf-8"))
    assert cover["summary"]["escaped_names"].startswith("6 file path(s) shown with escapes")

    assert subprocess.run([_tool("bagit.py"), "--validate", str(bundle)], capture_output=True).returncode == 0
    proc = subprocess.run(
        [_tool("case_validate"), str(bundle / "data/case/bundle.jsonld")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0 and "Conforms: True" in proc.stdout, proc.stdout[-3000:]
    assert run_triage("verify", str(bundle), "--allow-unsigned").returncode == 0
    assert _sha256(scanned["img"].path) == scanned["before"], "the evidence changed"


def _mactime(body: bytes) -> list[bytes]:
    proc = subprocess.run(
        ["mactime", "-b", "-", "-d", "-y", "-z", "UTC"], input=body, capture_output=True, check=True
    )
    return sorted(ln.split(b",", 1)[1] for ln in proc.stdout.splitlines()[1:] if b"," in ln)


def test_body_file_names_are_the_bytes_and_parse(scanned: dict[str, Any]) -> None:
    images.require_tools("fls", "mactime")
    body = run_triage("timeline", str(scanned["case"]), "--format", "body").stdout
    for line in body.splitlines():
        assert len(line.split("|")) == 11, line
    ours = _mactime(body.encode())
    theirs = _mactime(
        subprocess.run(
            ["fls", "-r", "-m", "/", str(scanned["img"].path)], capture_output=True, check=True
        ).stdout
    )
    # fls -m writes a '|' in a name as it is, so mactime drops that line; ours escapes it as %7C
    pipe = [ln for ln in ours if b"/pipe|100%.txt" in ln]
    assert len(pipe) == 1
    assert sorted(set(ours) - set(pipe)) == theirs
    assert any(b"/\xff" in ln for ln in ours) and any(b"/\\xff" in ln for ln in ours)


def test_mount_shows_the_name_bytes(scanned: dict[str, Any], tmp_path: Path) -> None:
    from triage.mount import fuse_problem, start_mount

    problem = fuse_problem()
    if problem is not None:
        pytest.skip(problem)
    img = scanned["img"]
    for label, kw in (("walk", {}), ("case", {"case": scanned["case"]})):
        mp = tmp_path / label
        mp.mkdir()
        handle = start_mount(img.path, mp, timeout=120, **kw)  # type: ignore[arg-type]
        try:
            part = os.fsencode(mp / "p0_0_ext4")
            names = set(os.listdir(part))
            expected = set(LOSSLESS_NAMES.values()) - {LOSSLESS_NAMES["deleted"]}
            assert expected <= names and LOSSLESS_NAMES["deleted"] not in names, (label, names)
            assert LOSSLESS_NAMES["deleted"] in os.listdir(os.path.join(part, b"$deleted"))
            for raw in (LOSSLESS_NAMES["raw_ff"], LOSSLESS_NAMES["escaped_text"]):
                with open(os.path.join(part, raw), "rb") as fh:
                    assert fh.read() == img.files["/" + os.fsdecode(raw)], (label, raw)
            for d in (LOSSLESS_NAMES["raw_dir"], LOSSLESS_NAMES["text_dir"]):
                assert os.listdir(os.path.join(part, d)) == [b"inner.txt"], (label, d)
        finally:
            handle.unmount()
