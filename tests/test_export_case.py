"""Hostile file names export to safe, distinct names with the originals verbatim in the
inventory and the CASE graph; the CASE graphs pass ``case_validate`` with no flags."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from triage.evidence.names import display_name
from triage.export.names import safe_name

ROOT = Path(__file__).resolve().parents[1]
REQUEST = ROOT / "examples" / "request.toml"
DEMO = ROOT / "examples" / "demo.raw"
VENV_BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = shutil.which(name) or (str(VENV_BIN / name) if (VENV_BIN / name).exists() else None)
    if path is None:
        pytest.skip(f"{name} not installed")
    return path


def triage(*args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "triage", *args], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    images = pytest.importorskip("fixtures")
    d = tmp_path_factory.mktemp("hostile")
    try:
        img = images.build_hostile_names(d)
    except images.ToolMissing as exc:
        pytest.skip(f"cannot build the hostile-names image: {exc}")
    triage("scan", str(img.path), "--case", str(d / "case"))
    out = d / "bundle"
    triage("export", str(d / "case"), "--out", str(out), "--select", "all", "--request", str(REQUEST))
    return out, [p.lstrip("/") for p in img.files]


@pytest.fixture(scope="module")
def demo_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not DEMO.is_file():
        pytest.skip("examples/demo.raw is missing")
    d = tmp_path_factory.mktemp("demo")
    triage("scan", str(DEMO), "--case", str(d / "case"))
    triage(
        "export",
        str(d / "case"),
        "--out",
        str(d / "bundle"),
        "--select",
        "all",
        "--request",
        str(REQUEST),
        "--metadata-only",
    )
    return d / "bundle"


def test_hostile_names_are_safe_distinct_and_verbatim(hostile: tuple[Path, list[str]]) -> None:
    bundle, names = hostile
    rows = list(
        csv.DictReader(
            io.StringIO((bundle / "data/inventory/artifacts.csv").read_text(encoding="utf-8"), newline="")
        )
    )
    originals = [r["original_name"] for r in rows]
    raw_names = [os.fsencode(n.rsplit("/", 1)[-1] if n.startswith("sub/") else n) for n in names]
    # the display form: verbatim, except that a name holding a backslash shows it doubled
    assert sorted(originals) == sorted(display_name(b) for b in raw_names)
    assert sorted(bytes.fromhex(r["original_name_utf8_hex"]) for r in rows) == sorted(raw_names)
    assert {r["original_name"] for r in rows if r["original_name_escaped"]} == {
        display_name(b) for b in raw_names if b"\\" in b
    }
    nfc, nfd = unicodedata.normalize("NFC", "café.txt"), unicodedata.normalize("NFD", "café.txt")
    assert nfc in originals and nfd in originals
    assert (
        "ctrl\x01char.txt" in originals and "new\nline.txt" in originals and "L" * 251 + ".txt" in originals
    )
    hexes = {r["original_name"]: r["original_name_utf8_hex"] for r in rows}
    assert hexes[nfc] != hexes[nfd] and bytes.fromhex(hexes[nfd]).decode() == nfd
    paths = [r["bundle_path"] for r in rows]
    assert len(set(p.lower() for p in paths)) == len(paths)
    for p in paths:
        name = p.removeprefix("data/artifacts/")
        assert re.fullmatch(r"A\d{4}_[A-Za-z0-9][A-Za-z0-9._-]*", name), name
        assert len(name.encode()) <= 110 and not name.endswith((".", " ")) and ".." not in name
        assert (bundle / p).is_file() and (bundle / p).resolve().parent == (
            bundle / "data/artifacts"
        ).resolve()
    row = next(r for r in rows if r["original_name"] == "CON")
    assert row["bundle_path"].endswith("_CON")
    assert safe_name("..\\..\\evil.txt") == "evil.txt" and safe_name("...") == "unnamed"
    graph = json.loads((bundle / "data/case/bundle.jsonld").read_text(encoding="utf-8"))
    case_names = {
        f["uco-observable:fileName"]
        for n in graph["@graph"]
        for f in n.get("uco-core:hasFacet", [])
        if f.get("@type") == "uco-observable:FileFacet" and "uco-observable:filePath" in f
    }
    assert case_names == set(originals)
    proc = subprocess.run(
        ["sha256sum", "-c", "manifest-sha256.txt"], cwd=bundle, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout
    assert subprocess.run([tool("bagit.py"), "--validate", str(bundle)], capture_output=True).returncode == 0


def _validate(graph: Path) -> None:
    proc = subprocess.run([tool("case_validate"), str(graph)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "Conforms: True" in proc.stdout


def test_case_validate_passes_with_no_flags(hostile: tuple[Path, list[str]]) -> None:
    """case_validate takes several seconds per graph: one run on the hardest names."""
    _validate(hostile[0] / "data/case/bundle.jsonld")


@pytest.mark.slow
def test_case_validate_demo_metadata_only(demo_bundle: Path) -> None:
    _validate(demo_bundle / "data/case/bundle.jsonld")


def test_ntfs_select_all_exports_sparse_streams_as_icat_does(tmp_path: Path) -> None:
    """Every NTFS image has ``$BadClus:$Bad``: 4 MiB declared, no content. libtsk and icat stop
    at 0 bytes; the scan records that, and the export writes the same 0 bytes with a note."""
    images = pytest.importorskip("fixtures")
    try:
        img = images.make_ntfs(tmp_path / "n.raw", {"/a.txt": b"hello\n"})
    except images.ToolMissing as exc:
        pytest.skip(f"cannot build an NTFS image: {exc}")
    triage("scan", str(img.path), "--case", str(tmp_path / "case"), "--workers", "1")
    out = tmp_path / "bundle"
    triage(
        "export",
        str(tmp_path / "case"),
        "--out",
        str(out),
        "--select",
        "all",
        "--request",
        str(REQUEST),
        "--unhashed",
        "skip",
    )  # NTFS system entries without a $DATA attribute have no content to hash
    rows = {
        r["original_path"]: r
        for r in csv.DictReader(
            io.StringIO((out / "data/inventory/artifacts.csv").read_text(encoding="utf-8"))
        )
    }
    bad = rows["/$BadClus:$Bad"]
    assert int(bad["size"]) > 0
    icat = subprocess.run([tool("icat"), str(img.path), "8-128-2"], capture_output=True, check=True).stdout
    exported = (out / bad["bundle_path"]).read_bytes()
    assert exported == icat == b""
    assert bad["note"].startswith("content ends after 0 of")
    assert (out / rows["/a.txt"]["bundle_path"]).read_bytes() == b"hello\n"
    mft = subprocess.run([tool("icat"), str(img.path), "0"], capture_output=True, check=True).stdout
    assert (out / rows["/$MFT"]["bundle_path"]).read_bytes() == mft  # inode 0 is a file like any other
    graph = json.loads((out / "data/case/bundle.jsonld").read_text(encoding="utf-8"))
    sizes = {
        f["uco-observable:sizeInBytes"]
        for n in graph["@graph"]
        for f in n.get("uco-core:hasFacet", [])
        if isinstance(f, dict) and f.get("@type") == "uco-observable:ContentDataFacet"
    }
    assert 0 in sizes
    _validate(out / "data/case/bundle.jsonld")
