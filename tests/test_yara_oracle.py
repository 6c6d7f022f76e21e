"""The YARA oracle: our findings equal ``tsk_recover -e`` + ``yara -r -s`` on ext4, FAT and NTFS
fixtures (deleted files included), a string straddling a window boundary is found once at its
absolute offset, and an NTFS alternate data stream equals ``icat ADDR-128-ID | yara -s``."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from triage.testing.images import BuiltImage, ToolMissing, make_ext4, make_fat, make_ntfs, ntfs_can_edit

WINDOW = 64 * 1024
OVERLAP = 4 * 1024
STRADDLE_AT = WINDOW - 10  # "STRADDLE-MARKER-0123456789" runs across the end of window one
RULES = r"""
rule nightjar : project { meta: author = "oracle" strings: $a = "NIGHTJAR" condition: $a }
rule straddle { strings: $s = "STRADDLE-MARKER-0123456789" condition: $s }
rule wallet { strings: $r = /wallet-[0-9]{4}/ $h = { 57 41 4C ?? 45 54 } condition: any of them }
"""


def _pad(text: bytes, size: int = 3000) -> bytes:
    """Content large enough to be non-resident on NTFS (so $MFT holds none of it)."""
    return text + b"." * max(0, size - len(text))


def _big() -> bytes:
    data = bytearray(b"-" * (3 * WINDOW + 123))
    for off, s in (
        (100, b"NIGHTJAR"),
        (WINDOW - OVERLAP + 5, b"NIGHTJAR"),
        (2 * WINDOW - 2, b"NIGHTJAR"),
        (STRADDLE_AT, b"STRADDLE-MARKER-0123456789"),
        (3 * WINDOW, b"wallet-1234"),
    ):
        data[off : off + len(s)] = s
    return bytes(data)


TREE = {
    "/docs/report.txt": _pad(b"Project NIGHTJAR status: wallet-0042 NIGHTJAR"),
    "/docs/clean.txt": _pad(b"nothing to see"),
    "/docs/bin.dat": _pad(b"\x00\x01WAL\x99ET\x00"),
    "/big/straddle.bin": _big(),
    "/deleted note.txt": _pad(b"deleted but NIGHTJAR remains"),
}
DELETED = ["/deleted note.txt"]


def _yara_cli(rules: Path, target: Path, *extra: str) -> dict[str, set[tuple[str, int]]]:
    """``yara -s`` output as {path: {(rule, identifier, offset)}} (keys relative to ``target`` for folders)."""
    out = subprocess.run(
        ["yara", "-s", *extra, str(rules), str(target)],
        capture_output=True,
        text=True,
        check=True,
        errors="surrogateescape",
    ).stdout
    found: dict[str, set[Any]] = {}
    current: tuple[str, str] | None = None
    for line in out.splitlines():
        m = re.match(r"^0x([0-9a-f]+):(\$\w+): ", line)
        if m and current:
            found.setdefault(current[1], set()).add((current[0], m[2], int(m[1], 16)))
            continue
        rule, _, path = line.partition(" ")
        rel = "/" + str(Path(path).relative_to(target)) if target.is_dir() else path
        current = (rule, rel)
        found.setdefault(rel, set()).add((rule, "", -1))
    return found


def _ours(result: Any, exclude_streams: bool = True) -> dict[str, set[Any]]:
    found: dict[str, set[Any]] = {}
    for f in result.findings(plugin="yara"):
        if f["file_id"] is None or (
            exclude_streams and f["attr_id"] is not None and ":" in (f["path"] or "")
        ):
            continue
        d = f["details"]
        s = found.setdefault(f["path"], set())
        s.add((d["rule"], "", -1))
        for hit in d["strings"]:
            s.add((d["rule"], hit["identifier"], hit["offset"]))
    return found


def _build(kind: str, tmp: Path) -> BuiltImage:
    try:
        if kind == "ext4":
            return make_ext4(tmp / "e.img", TREE, delete=DELETED, size=4 << 20)
        if kind == "fat":
            return make_fat(tmp / "f.img", TREE, fat_bits=16, delete=DELETED)
        if not ntfs_can_edit():
            pytest.skip("libntfs-3g not loadable: NTFS fixture without folders and deletions")
        return make_ntfs(
            tmp / "n.img",
            TREE,
            delete=DELETED,
            streams={"/docs/clean.txt:hidden": _pad(b"ADS holds NIGHTJAR too")},
        )
    except ToolMissing as exc:
        pytest.skip(str(exc))


@pytest.mark.parametrize("kind", ["ext4", "fat", "ntfs"])
def test_oracle_tsk_recover_and_yara_cli(kind: str, tmp_path: Path, scan_image: Callable[..., Any]) -> None:
    for tool in ("tsk_recover", "yara", "icat"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} not installed")
    img = _build(kind, tmp_path)
    before = hashlib.sha256(img.path.read_bytes()).hexdigest()
    rules = tmp_path / "oracle.yar"
    rules.write_text(RULES)
    res = scan_image(
        img,
        analyzers=["yara"],
        options={
            "yara": {"rules": [str(rules)], "max_in_memory": WINDOW, "window": WINDOW, "overlap": OVERLAP}
        },
    )
    assert res.summary.status == "completed"
    out = tmp_path / "recovered"
    subprocess.run(["tsk_recover", "-e", str(img.path), str(out)], check=True, capture_output=True)
    theirs = _yara_cli(rules, out, "-r")
    ours = _ours(res)
    assert ours == theirs
    # what must be in there, so the comparison cannot pass on two empty sides
    assert ("nightjar", "$a", 0 + len("Project ")) in ours["/docs/report.txt"]
    assert ("wallet", "$h", 2) in ours["/docs/bin.dat"]
    assert ("nightjar", "$a", 12) in ours["/deleted note.txt"]
    big = ours["/big/straddle.bin"]
    assert ("straddle", "$s", STRADDLE_AT) in big
    assert {o for r, i, o in big if r == "nightjar" and i} == {100, WINDOW - OVERLAP + 5, 2 * WINDOW - 2}
    assert ("wallet", "$r", 3 * WINDOW) in big
    # the windowed file says so, in the finding and as a warning on the file
    row = next(f for f in res.findings(plugin="yara") if f["path"] == "/big/straddle.bin")
    assert row["details"]["windowed"] is True
    assert any(
        "scanned in windows" in e["message"] for e in res.errors("yara") if e["path"] == "/big/straddle.bin"
    )
    assert row["details"]["rule_file_sha256"] == hashlib.sha256(rules.read_bytes()).hexdigest()
    rows = {
        f["details"]["rule"]: f["details"]
        for f in res.findings(plugin="yara")
        if f["path"] == "/big/straddle.bin"
    }
    assert (rows["nightjar"]["tags"], rows["nightjar"]["meta"], rows["nightjar"]["namespace"]) == (
        ["project"],
        {"author": "oracle"},
        "oracle.yar",
    )
    # 61445 lies in the overlap of windows one and two: found twice, reported once
    assert [h["offset"] for h in rows["nightjar"]["strings"]] == [100, WINDOW - OVERLAP + 5, 2 * WINDOW - 2]
    assert [s["data_hex"] for s in rows["straddle"]["strings"]] == [b"STRADDLE-MARKER-0123456789".hex()]
    if kind == "ntfs":  # tsk_recover does not write data streams: icat the stream and give it to yara
        ads = res.file("/docs/clean.txt:hidden")
        data = subprocess.run(
            ["icat", str(img.path), f"{ads['inode']}-{ads['attr_type']}-{ads['attr_id']}"],
            check=True,
            capture_output=True,
        ).stdout
        (tmp_path / "ads.bin").write_bytes(data)
        theirs_ads = _yara_cli(rules, tmp_path / "ads.bin")[str(tmp_path / "ads.bin")]
        ours_ads = _ours(res, exclude_streams=False)["/docs/clean.txt:hidden"]
        assert ours_ads == theirs_ads and ("nightjar", "$a", 10) in ours_ads
    assert hashlib.sha256(img.path.read_bytes()).hexdigest() == before
