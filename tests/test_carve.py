"""Carving from unallocated space (``triage scan --carve``, docs/carving.md).

Real images built here: ext4 (``mke2fs -d``, then ``debugfs rm``) and FAT16 (mtools, ``mdel``)
holding one file of every carved type, deleted; on ext4 one more JPEG written with ``dd`` into a
free block at a known offset. Oracles: the SHA-256 of the planted bytes, and PhotoRec (testdisk)
run on the same image in free-space mode.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from carve_samples import jpeg, samples  # noqa: E402
from conftest import require_tools, run_triage  # noqa: E402

from triage.evidence.image import resolve_source  # noqa: E402
from triage.evidence.unallocated import unallocated_runs  # noqa: E402
from triage.testing.images.ext4 import make_ext4  # noqa: E402
from triage.testing.images.fat import make_fat  # noqa: E402

PLANT_BLOCK = 3900
"""The ext4 block (1 KiB blocks, 4 MiB image) an extra JPEG is written to with dd."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    require_tools("mke2fs", "debugfs", "mkfs.fat", "mcopy", "mdel", "blkls")
    pytest.importorskip("PIL")
    folder = tmp_path_factory.mktemp("carve")
    files = samples()
    tree: dict[str, Any] = {"/kept note.txt": b"still allocated " * 64}
    tree.update({f"/deleted sample.{ext}": data for ext, data in files.items()})
    deleted = [f"/deleted sample.{ext}" for ext in files]
    ext4 = folder / "carve-ext4.img"
    make_ext4(ext4, tree, delete=deleted)
    import random

    extra = jpeg(random.Random(99))
    runs = unallocated_runs(resolve_source(ext4), 0)
    free = {b for first, count in runs for b in range(first, first + count)}
    need = range(PLANT_BLOCK, PLANT_BLOCK + -(-len(extra) // 1024) + 1)
    assert all(b in free for b in need), "the dd target must be unallocated"
    subprocess.run(
        ["dd", f"of={ext4}", "bs=1024", f"seek={PLANT_BLOCK}", "conv=notrunc", "status=none"],
        input=extra,
        check=True,
    )
    fat = folder / "carve-fat16.img"
    make_fat(fat, tree, delete=deleted)
    return {"folder": folder, "files": files, "ext4": ext4, "fat": fat, "extra": extra}


def _scan(image: Path, case: Path, *extra: str) -> list[dict[str, Any]]:
    proc = run_triage("scan", str(image), "--case", str(case), "--carve", "--workers", "1", *extra)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = run_triage("files", str(case), "--json", check=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("kind", ["ext4", "fat"])
def test_carved_entries_hash_as_the_planted_files(planted: dict[str, Any], kind: str, tmp_path: Path) -> None:
    image: Path = planted[kind]
    before = _file_sha256(image)
    rule = tmp_path / "carved.yar"
    pdf_word = planted["files"]["pdf"].split(b"(word", 1)[1].split(b" ", 1)[0].decode()
    rule.write_text(f'rule carved_pdf_word {{ strings: $a = "word{pdf_word}" condition: $a }}\n')
    case = tmp_path / "case"
    rows = _scan(image, case, "--analyzers", "+text", "--set", f"yara.rules={rule}")
    assert _file_sha256(image) == before  # the evidence is read only

    carved = [r for r in rows if r["origin"] == "carved"]
    raw = image.read_bytes()
    for r in carved:  # extent = byte runs in the partition (offset 0 here): dd gives the same bytes
        data = b"".join(raw[o : o + n] for o, n in r["extent"])
        assert r["path"] == f"/$Carved/{r['extent'][0][0]}.{r['path'].rsplit('.', 1)[1]}"
        assert r["status"] == "done" and r["size"] == len(data) and r["sha256"] == _sha256(data)
        assert r["md5"] == hashlib.md5(data).hexdigest() and r["sha1"] == hashlib.sha1(data).hexdigest()
        assert r["mime"]
    by_hash = {r["sha256"]: r for r in carved}
    expected = dict(planted["files"])
    if kind == "ext4":
        expected["planted.jpg"] = planted["extra"]
    for ext, data in expected.items():
        assert _sha256(data) in by_hash, f"{kind}: {ext} not carved with its exact bytes"
        got = by_hash[_sha256(data)]
        assert got["path"].endswith("." + ext.rsplit(".", 1)[-1]), got["path"]
    if kind == "ext4":
        assert by_hash[_sha256(planted["extra"])]["extent"] == [[PLANT_BLOCK * 1024, len(planted["extra"])]]
    mimes = {r["path"].rsplit(".", 1)[1]: r["mime"] for r in carved}
    assert mimes["jpg"] == "image/jpeg" and mimes["png"] == "image/png" and mimes["pdf"] == "application/pdf"
    assert mimes["sqlite"] == "application/vnd.sqlite3" and mimes["mp4"] == "video/mp4"

    # every analyzer read them: YARA found the PDF's word, the text index the carved docx's words
    findings = run_triage("findings", str(case), "--json", check=True).stdout
    pdf_row = by_hash[_sha256(planted["files"]["pdf"])]
    assert any(
        json.loads(line).get("file_id") == pdf_row["id"] and "carved_pdf_word" in line
        for line in findings.splitlines()
    ), findings
    docx_word = planted["files"]["docx"]  # deflated: search the text the document holds
    import io
    import zipfile

    word = zipfile.ZipFile(io.BytesIO(docx_word)).read("word/document.xml").split(b"carve", 2)[1][:6]
    hits = run_triage("search", str(case), f"carve{word.decode()}", "--json", check=True).stdout
    assert "$Carved/" in hits, hits

    # settings and ledger: carving recorded, the unallocated space counts as examined
    from triage.case.completeness import ledger
    from triage.case.store import Case
    from triage.export.selection import Selection, resolve

    with Case.open(case, readonly=True) as c:
        scan = c.scans()[-1]
        assert scan["settings"]["carve"] is True
        assert scan["stats"]["carve"][0]["carved"] == len(carved)
        assert not [e for e in ledger(c).entries if "unallocated" in e.reason]
        _, left = resolve(c, Selection(["all"]))
        reasons = {x["row"]["path"]: x["reason"] for x in left}
        assert all("carved from unallocated space" in reasons[r["path"]] for r in carved)

        # the mount (built from the case) serves them through the same reader, from their extent
        from triage.evidence import open_image
        from triage.mount.build import build_tree
        from triage.mount.reader import ContentReader

        img = open_image(image)
        tree, _ = build_tree(img, case=c)
        reader = ContentReader(img)
        nodes = {
            n.info["path"]: n
            for _, n in tree.paths()
            if n.kind == "file" and n.info.get("path", "").startswith("/$Carved/")
        }
        assert {p for p in nodes if "//" not in p} == {r["path"] for r in carved}  # and their members
        for r in carved:
            node = nodes[r["path"]]
            assert node.size == r["size"] and _sha256(reader.read(node, 0, node.size)) == r["sha256"]
        reader.close()
        img.close()


def test_without_carve_the_ledger_says_unallocated_space_was_not_examined(
    planted: dict[str, Any], tmp_path: Path
) -> None:
    case = tmp_path / "case"
    proc = run_triage("scan", str(planted["fat"]), "--case", str(case), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    out = run_triage("completeness", str(case), check=True).stdout
    assert "unallocated space of the fat16 file system not scanned" in out
    files = run_triage("files", str(case), "--json", check=True).stdout
    assert '"origin": "carved"' not in files


def _photorec(image: Path, out: Path) -> dict[str, str]:
    """PhotoRec's recovered files from free space only: sha256 -> file name."""
    proc = subprocess.run(
        ["photorec", "/log", "/d", str(out / "rec"), "/cmd", str(image),
         "partition_none,fileopt,everything,enable,freespace,search"],
        capture_output=True, text=True, timeout=300, cwd=out, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-2000:]
    found = {}
    for folder in out.glob("rec.*"):
        for f in folder.iterdir():
            if f.name != "report.xml":
                found[_file_sha256(f)] = f.name
    return found


@pytest.mark.parametrize("kind", ["ext4", "fat"])
def test_photorec_recovers_the_same_files(planted: dict[str, Any], kind: str, tmp_path: Path) -> None:
    if shutil.which("photorec") is None:
        pytest.skip("photorec (testdisk) not installed")
    image: Path = planted[kind]
    before = _file_sha256(image)
    theirs = _photorec(image, tmp_path)
    ours = {r["sha256"]: r["path"] for r in _scan(image, tmp_path / "case") if r["origin"] == "carved"}
    assert _file_sha256(image) == before
    planted_hashes = {_sha256(d): ext for ext, d in planted["files"].items()}
    if kind == "ext4":
        planted_hashes[_sha256(planted["extra"])] = "planted jpg"
    exact = {h: planted_hashes[h] for h in theirs if h in planted_hashes}
    # PhotoRec recovers these byte-exact too (its SQLite recovery is checked below): we carve
    # every file it recovers exactly, with the same bytes
    assert set(exact) <= set(ours), (exact, ours)
    assert {"jpg", "png", "gif", "pdf", "zip", "mp4"} <= set(exact.values()), (exact, theirs)
    # what PhotoRec recovers that we do not carve is none of the planted files
    assert set(planted_hashes) <= set(ours)
