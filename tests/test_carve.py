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
from triage.testing.images.base import ToolMissing  # noqa: E402
from triage.testing.images.ext4 import make_ext4  # noqa: E402
from triage.testing.images.fat import make_fat  # noqa: E402
from triage.testing.images.ntfs import make_ntfs  # noqa: E402

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
    ntfs: Path | None = folder / "carve-ntfs.img"
    try:
        make_ntfs(ntfs, tree, delete=deleted, size=8 << 20)  # type: ignore[arg-type]
    except ToolMissing:
        ntfs = None
    return {"folder": folder, "files": files, "ext4": ext4, "fat": fat, "ntfs": ntfs, "extra": extra}


def _scan(image: Path, case: Path, *extra: str) -> list[dict[str, Any]]:
    proc = run_triage("scan", str(image), "--case", str(case), "--carve", "--workers", "1", *extra)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = run_triage("files", str(case), "--json", check=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("kind", ["ext4", "fat", "ntfs"])
def test_carved_entries_hash_as_the_planted_files(planted: dict[str, Any], kind: str, tmp_path: Path) -> None:
    image: Path = planted[kind]
    if image is None:
        pytest.skip("NTFS deletions need libntfs-3g")
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
    assert any(
        json.loads(line).get("file_id") == pdf_row["id"]
        and json.loads(line)["plugin"] == "identifiers"
        and json.loads(line)["name"] == "analyst@carve-test.de"
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


@pytest.mark.parametrize("kind", ["ext4", "fat", "ntfs"])
def test_photorec_recovers_the_same_files(planted: dict[str, Any], kind: str, tmp_path: Path) -> None:
    if shutil.which("photorec") is None:
        pytest.skip("photorec (testdisk) not installed")
    image: Path = planted[kind]
    if image is None:
        pytest.skip("NTFS deletions need libntfs-3g")
    before = _file_sha256(image)
    theirs = _photorec(image, tmp_path)
    ours = {r["sha256"]: r["path"] for r in _scan(image, tmp_path / "case") if r["origin"] == "carved"}
    assert _file_sha256(image) == before
    planted_hashes = {_sha256(d): ext for ext, d in planted["files"].items()}
    if kind == "ext4":
        planted_hashes[_sha256(planted["extra"])] = "planted jpg"
    exact = {h: planted_hashes[h] for h in theirs if h in planted_hashes}
    # PhotoRec recovers every planted file byte-exact (seen with PhotoRec 7.1), and so do we
    assert set(exact) == set(planted_hashes), (sorted(exact.values()), theirs)
    assert set(planted_hashes) <= set(ours)
    # anything else PhotoRec recovers that we do not would be a difference to document
    assert set(theirs) <= set(ours), {theirs[h] for h in set(theirs) - set(ours)}


# -- the carvers on planted byte streams (oracle: the planted bytes) -------------------------------
def _carve(buf: bytes, runs: list[tuple[int, int]], block: int = 512) -> list[dict[str, Any]]:
    from triage.carve.carver import carve_partition

    rows, _ = carve_partition(lambda o, n: buf[o : o + n], runs, block, 0)
    return rows


def _bytes(buf: bytes, row: dict[str, Any]) -> bytes:
    return b"".join(buf[o : o + n] for o, n in row["extent"])


def test_a_file_split_by_allocated_blocks_is_carved_across_its_runs() -> None:
    """As PhotoRec's free-space mode: allocated blocks between two unallocated runs are skipped."""
    import random

    from carve_samples import png

    data = png(random.Random(5))
    cut = 3 * 512
    used = bytes(random.Random(6).getrandbits(8) for _ in range(1024))  # two allocated blocks
    buf = b"\0" * 512 + data[:cut] + used + data[cut:] + b"\0" * 4096
    blocks = len(buf) // 512
    runs = [(1, 3), (6, blocks - 6)]  # block 0 and blocks 4-5 allocated
    rows = _carve(buf, runs)
    assert len(rows) == 1 and rows[0]["path"] == "/$Carved/512.png"
    assert rows[0]["extent"] == [[512, cut], [6 * 512, len(data) - cut]]
    assert _bytes(buf, rows[0]) == data


def test_structure_gives_the_end_not_an_inner_footer() -> None:
    """An EXIF thumbnail's EOI, an inner ZIP's end record, a PDF's first %%EOF before an
    incremental update, a 64-bit MP4 box: the outer file's own structure ends it."""
    import io
    import random
    import struct
    import zipfile

    from carve_samples import jpeg, mp4, pdf, zip_

    rng = random.Random(7)
    thumb, outer = jpeg(rng), jpeg(rng)
    app1 = b"Exif\0\0" + thumb
    with_thumb = outer[:2] + b"\xff\xe1" + struct.pack(">H", 2 + len(app1)) + app1 + outer[2:]
    inner = zip_(rng)
    buf_zip = io.BytesIO()
    with zipfile.ZipFile(buf_zip, "w", zipfile.ZIP_STORED) as z:
        z.writestr("inner.zip", inner)
        z.writestr("after.txt", "x" * 700)
    nested = buf_zip.getvalue()
    first = pdf(rng)
    update = b"6 0 obj\n<< /Producer (update) >>\nendobj\nxref\n6 1\n%010d 00000 n \n" % len(first)
    update += b"trailer\n<< /Size 7 /Root 1 0 R /Prev 9 >>\nstartxref\n%d\n%%%%EOF\n" % (len(first) + 40)
    updated = first + update
    plain = mp4(rng)
    big = plain[: struct.unpack(">I", plain[:4])[0]] + struct.pack(">I", 1) + b"mdat"
    big += struct.pack(">Q", 16 + 3000) + bytes(range(256)) * 11 + bytes(184)
    big += plain[plain.index(b"moov") - 4 :]
    files = {"jpg": with_thumb, "zip": nested, "pdf": updated, "mp4": big}
    buf, starts = b"", {}
    for ext, data in files.items():
        starts[ext] = len(buf)
        buf += data + b"\0" * (-len(data) % 512 + 512)
    rows = _carve(buf, [(0, len(buf) // 512)])
    got = {r["path"].rsplit(".", 1)[1]: r for r in rows}
    assert set(got) == set(files), [r["path"] for r in rows]
    for ext, data in files.items():
        assert got[ext]["extent"][0][0] == starts[ext] and _bytes(buf, got[ext]) == data, ext


def test_broken_structure_is_not_carved() -> None:
    """A PNG without its IEND, a ZIP without its end record, a SQLite header whose page count is
    not valid: nothing is carved (no fixed maximum size stands in for the end)."""
    import random

    from carve_samples import png, sqlite, zip_

    rng = random.Random(8)
    p, z, s = png(rng), zip_(rng), bytearray(sqlite(rng))
    s[92:96] = b"\0\0\0\x99"  # version-valid-for no longer matches the change counter
    parts = [p[: len(p) // 2], z[: z.rindex(b"PK\x05\x06")], bytes(s)]
    buf = b"".join(x + b"\0" * (-len(x) % 512 + 1024) for x in parts)
    assert _carve(buf, [(0, len(buf) // 512)]) == []


def test_a_pdf_without_its_end_stops_at_the_next_pdf() -> None:
    """The footer search gives up at the next block starting with %PDF- (as PhotoRec ends a file
    at the next header): the truncated one is not carved, the whole one after it is."""
    import random

    from carve_samples import pdf

    rng = random.Random(9)
    cut, whole = pdf(rng), pdf(rng)
    cut = cut[: cut.index(b"%%EOF")]
    buf = cut + b"\0" * (-len(cut) % 512 + 512) + whole + b"\0" * 1024
    rows = _carve(buf, [(0, len(buf) // 512)])
    assert [_bytes(buf, r) for r in rows] == [whole]


def test_rescan_keeps_one_set_of_carved_entries_and_late_carve_is_a_warning(
    planted: dict[str, Any], tmp_path: Path
) -> None:
    """Carved rows are part of the inventory: a rescan scans them again without carving twice;
    --carve on evidence inventoried without it carves nothing and says so."""
    case = tmp_path / "case"
    first = [r for r in _scan(planted["fat"], case) if r["origin"] == "carved"]
    proc = run_triage("scan", str(planted["fat"]), "--case", str(case), "--rescan", "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    out = run_triage("files", str(case), "--json", check=True).stdout
    again = [json.loads(line) for line in out.splitlines() if '"origin": "carved"' in line]
    assert [(r["path"], r["sha256"], r["status"]) for r in again] == [
        (r["path"], r["sha256"], r["status"]) for r in first
    ]
    plain = tmp_path / "plain"
    assert run_triage("scan", str(planted["fat"]), "--case", str(plain), "--workers", "1").returncode == 0
    proc = run_triage(
        "scan", str(planted["fat"]), "--case", str(plain), "--rescan", "--carve", "--workers", "1"
    )
    assert proc.returncode == 0, proc.stderr
    assert "--carve carves when the evidence is inventoried" in run_triage("errors", str(plain)).stdout
    assert '"origin": "carved"' not in run_triage("files", str(plain), "--json", check=True).stdout


def test_hostile_headers_never_raise() -> None:
    """Every header followed by random or cut structure: the carver returns, carving only what
    holds together (each carved extent inside the stream)."""
    import random

    from carve_samples import samples

    from triage.carve.signatures import PNG_SIGNATURE, SQLITE_HEADER

    rng = random.Random(11)
    heads = [b"\xff\xd8\xff\xe0", PNG_SIGNATURE, b"GIF89a", b"%PDF-1.7", b"PK\x03\x04", SQLITE_HEADER,
             b"\0\0\0\x18ftypisom"]  # fmt: skip
    real = list(samples(3).values())
    for _ in range(60):
        blocks = []
        for _ in range(24):
            pick = rng.random()
            if pick < 0.4:
                body = rng.choice(heads) + bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 600)))
            elif pick < 0.7:
                sample = rng.choice(real)
                cut = rng.randrange(len(sample))
                body = bytearray(sample[:cut])
                for _ in range(rng.randrange(4)):
                    if body:
                        body[rng.randrange(len(body))] = rng.getrandbits(8)
                body = bytes(body)
            else:
                body = b""
            blocks.append(body + b"\0" * (-len(body) % 512))
        buf = b"".join(blocks)
        rows = _carve(buf, [(0, len(buf) // 512)])
        assert all(o + n <= len(buf) for r in rows for o, n in r["extent"])
