"""Every value of a default scan stays identical: the safety net of the scan's speed work (issue 18).

One default ``triage scan`` (every built-in analyzer with its defaults, 2 workers) of the committed demo
image and of fixture images built with real tools (MBR disk with FAT16 + ext4, an E01 of the ext4
fixture, the Windows-like tree on ext4, NTFS), then ``triage files --json`` and
``triage findings --json`` compared line by line, value by value, with the files stored in
``tests/expected/scan_values/``. Those were generated with the engine as it stood before the speed
work (commit recorded in ``tests/expected/scan_values/README.md``) and reviewed.

Normalised, and only that (each is something that legitimately varies between runs):

* ``evidence``: the absolute image path (the test's temporary folder) → the image's file name.
* NTFS only: ``mkntfs`` writes the current time and a random serial number, so the NTFS image is
  not byte-identical between builds; its file times (``mtime``, ``atime``, ``ctime``, ``crtime``,
  ``fn_*``) become ``"<time>"`` when set, and the content values of ``/$MFT`` (whose records hold
  those times: ``md5``, ``sha1``, ``sha256``, ``attributes``) become ``"<varies>"``. Every other NTFS
  value (names, inodes, sizes, hashes, types, attributes, findings) is compared.
* Findings are sorted (file id, plugin, kind, name, JSON text): their storage order follows the
  order in which the two workers finish, which is not a value.

Regenerate (only after reviewing the difference): ``TRIAGE_REGEN_EXPECTED=1 pytest tests/test_identical_values.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import require_tools, run_triage
from fixtures import MiB, build_e01, build_ext4, build_mbr, build_ntfs, make_ext4
from fixtures.windows import _windows_tree

REPO = Path(__file__).resolve().parents[1]
EXPECTED = REPO / "tests" / "expected" / "scan_values"
DEMO = REPO / "examples" / "demo.raw"
TIME_KEYS = ("mtime", "atime", "ctime", "crtime", "fn_mtime", "fn_atime", "fn_ctime", "fn_crtime")
REGEN = os.environ.get("TRIAGE_REGEN_EXPECTED") == "1"


def _build(folder: Path) -> list[Path]:
    require_tools("mke2fs", "mkfs.fat", "mcopy", "sfdisk", "ewfacquire", "mkntfs")
    mbr = build_mbr(folder / "mbr")
    e01 = build_e01(folder / "e01", build_ext4(folder / "e01"))
    tree, deleted, _ = _windows_tree()
    win = make_ext4(folder / "windows-ext4.img", tree, size=8 * MiB, delete=deleted, label="windows")
    ntfs = build_ntfs(folder / "ntfs")
    return [DEMO, mbr.path, e01.path, win.path, ntfs.path]


def _normalise(line: str) -> dict[str, Any]:
    rec: dict[str, Any] = json.loads(line)
    if "evidence" in rec:
        rec["evidence"] = Path(rec["evidence"]).name
        if rec["evidence"] == "ntfs.img":
            for key in TIME_KEYS:
                if rec.get(key) is not None:
                    rec[key] = "<time>"
            if rec["path"] == "/$MFT":
                for key in ("md5", "sha1", "sha256", "attributes"):
                    rec[key] = "<varies>"
    return rec


DERIVED_KEYS = ("origin", "container", "member_path", "extent")
CONTAINER_ATTRIBUTES = ("container", "container_members")


def _without_derived(rec: dict[str, Any]) -> dict[str, Any]:
    for key in DERIVED_KEYS:
        rec.pop(key, None)
    attributes = rec.get("attributes")
    for key in CONTAINER_ATTRIBUTES:
        if isinstance(attributes, dict):  # "<varies>" for NTFS's $MFT
            attributes.pop(key, None)
    return rec


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("identical")
    images = _build(folder)
    case = folder / "case"
    proc = run_triage("scan", *map(str, images), "--case", str(case), "--workers", "2", check=True)
    assert proc.returncode == 0, proc.stderr
    files_out = run_triage("files", "--json", str(case), check=True).stdout.splitlines()
    findings_out = run_triage("findings", "--json", str(case), check=True).stdout.splitlines()
    # the values are those of the file-system entries as they stood: container members (issue 20,
    # tests/test_containers.py) and the keys that came with them are left out
    files = [_normalise(line) for line in files_out]
    derived = {f["id"] for f in files if f.get("origin", "fs") != "fs"}
    files = [_without_derived(f) for f in files if f["id"] not in derived]
    findings = [json.loads(line) for line in findings_out]
    findings = [f for f in findings if f["file_id"] not in derived]
    findings.sort(
        key=lambda f: (f["file_id"], f["plugin"], f["kind"], f["name"], json.dumps(f, sort_keys=True))
    )
    return {"files": files, "findings": findings}


@pytest.mark.parametrize("what", ["files", "findings"])
def test_every_value_identical(scanned: dict[str, list[dict[str, Any]]], what: str) -> None:
    path = EXPECTED / f"{what}.jsonl"
    got = scanned[what]
    if REGEN:
        EXPECTED.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(r, sort_keys=True, ensure_ascii=False) + "\n" for r in got))
    want = [json.loads(line) for line in path.read_text().splitlines()]
    # container members take row ids between two images' entries: ids are compared by order only
    for rec in (*got, *want):
        rec.pop("id", None)
        rec.pop("file_id", None)
    assert len(got) == len(want), f"{what}: {len(got)} records, expected {len(want)}"
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        if g != w:
            diff = {k: (g.get(k), w.get(k)) for k in sorted(set(g) | set(w)) if g.get(k) != w.get(k)}
            raise AssertionError(f"{what} record {i} ({w.get('path')}): (got, expected) {diff}")


def test_expected_files_cover_every_default_analyzer(scanned: dict[str, list[dict[str, Any]]]) -> None:
    """The comparison can fail for each analyzer the speed work touches: its values are present."""
    plugins = {f["plugin"] for f in scanned["findings"]}
    assert {"filetype", "identifiers", "interesting", "entropy"} <= plugins, plugins
    done = [f for f in scanned["files"] if f["status"] == "done"]
    assert len(done) > 50
    assert all(f["sha256"] and f["mime"] and f["description"] for f in done)
    assert all("entropy" in f["attributes"] for f in done if f["attributes"] != "<varies>")
    evidence = {f["evidence"] for f in scanned["files"]}
    assert evidence == {"demo.raw", "mbr.img", "ext4.E01", "windows-ext4.img", "ntfs.img"}
