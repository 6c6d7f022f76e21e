"""The thumbnail service against a real ext4 image: which files are pictures (oracle: fls, icat and
``file --mime-type``), thumbnails equal to Pillow's own on icat output, a damaged JPEG's recorded
reason, the case cache, EXIF values, decoder crashes, timeouts and decompression bombs."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageChops

from triage.case.query import FileQuery, ProblemQuery
from triage.case.store import Case
from triage.media.decode import MAX_EDGE
from triage.media.pool import DecodeFailed, DecoderPool, Job
from triage.media.thumbnails import SOURCE, ThumbnailService
from triage.scan.engine import ScanEngine, ScanOptions
from triage.testing.images.base import require_tools, tsk_cat, tsk_list
from triage.testing.images.ext4 import make_ext4

EXIF = {"make": "TestCam", "model": "Model X", "taken": "2021:06:01 12:34:56"}
LAT = -(33 + 51 / 60 + 24.48 / 3600)
LON = 151 + 12 / 60 + 55.08 / 3600


def _photo(width: int, height: int, exif: bool = False) -> bytes:
    im = Image.new("RGB", (width, height))
    im.putdata(
        [((x * 7) % 256, (y * 5) % 256, ((x + y) * 3) % 256) for y in range(height) for x in range(width)]
    )
    out = io.BytesIO()
    if exif:
        ex = Image.Exif()
        ex[0x010F], ex[0x0110] = EXIF["make"], EXIF["model"]
        ex.get_ifd(ExifTags.IFD.Exif)[0x9003] = EXIF["taken"]
        gps = ex.get_ifd(ExifTags.IFD.GPSInfo)
        gps[1], gps[2], gps[3], gps[4] = "S", (33.0, 51.0, 24.48), "E", (151.0, 12.0, 55.08)
        im.save(out, "JPEG", exif=ex, quality=92)
    else:
        im.save(out, "JPEG", quality=92)
    return out.getvalue()


def _png(width: int, height: int) -> bytes:
    im = Image.new("RGBA", (width, height), (10, 200, 30, 128))
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def picture_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """An ext4 image with pictures (one with EXIF, a damaged JPEG, a deleted PNG) scanned into a case."""
    require_tools("mke2fs", "debugfs", "fls", "icat", "file")
    d = tmp_path_factory.mktemp("pictures")
    good = _photo(320, 240)
    tree: dict[str, bytes] = {
        "/photos/exif.jpg": _photo(400, 300, exif=True),
        "/photos/plain.jpg": good,
        "/photos/broken.jpg": good[: len(good) // 3],  # cut short: libmagic still says image/jpeg
        "/photos/wide.png": _png(500, 100),
        "/photos/gone.png": _png(60, 90),
        "/notes.txt": b"not a picture\n" * 20,
        "/photos/fake.jpg": b"PK\x03\x04 this is no picture" * 10,
    }
    img = make_ext4(d / "pictures.img", tree, delete=["/photos/gone.png"], size=4 << 20)
    case_dir = d / "case"
    with Case.create(case_dir) as case:
        summary = ScanEngine(case, [img.path], ScanOptions(workers=1)).run()
    assert summary.status == "completed"
    return img.path, case_dir


@pytest.fixture
def case_copy(picture_case: tuple[Path, Path], tmp_path: Path) -> Path:
    shutil.copytree(picture_case[1], tmp_path / "case")
    return tmp_path / "case"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _oracle_pictures(image: Path) -> dict[str, bytes]:
    """Every regular file fls lists (deleted ones too) whose icat output `file` calls image/*."""
    out = {}
    for entry in tsk_list(image):
        if not entry.type.endswith("/r"):
            continue
        data = tsk_cat(image, entry.addr)
        mime = (
            subprocess.run(["file", "--mime-type", "-b", "-"], input=data, capture_output=True, check=True)
            .stdout.decode()
            .strip()
        )
        if mime.startswith("image/"):
            out[entry.path] = data
    return out


def test_the_pictures_are_the_files_file_calls_images(picture_case: tuple[Path, Path]) -> None:
    image, case_dir = picture_case
    oracle = _oracle_pictures(image)
    assert {"/photos/exif.jpg", "/photos/gone.png", "/photos/broken.jpg"} <= set(oracle)
    assert "/photos/fake.jpg" not in oracle
    with Case.open(case_dir, readonly=True) as case:
        pictures = case.picture_page(limit=1000)
        assert {r.path for r in pictures} == set(oracle)
        assert any(r.deleted for r in pictures)
        # paging by id gives the same list, and the query narrows it like any FileQuery
        first = case.picture_page(limit=2)
        rest = case.picture_page(after_id=first[-1].id, limit=1000)
        assert [r.id for r in first + rest] == [r.id for r in pictures]
        assert {r.path for r in case.picture_page(FileQuery(deleted=True))} == {"/photos/gone.png"}
        assert case.count(FileQuery(mime_prefix="image/")) == len(oracle)


def test_thumbnails_equal_pillow_on_icat_output_and_the_evidence_is_unchanged(
    picture_case: tuple[Path, Path], case_copy: Path
) -> None:
    image = picture_case[0]
    before = _sha256(image)
    oracle = _oracle_pictures(image)
    with ThumbnailService(case_copy) as svc:
        records = svc.ro.picture_page(limit=1000)
        thumbs = svc.thumbnails([r.id for r in records])
    assert _sha256(image) == before
    checked = 0
    for rec in records:
        thumb = thumbs[rec.id]
        if rec.path == "/photos/broken.jpg":
            continue
        assert thumb.ok, (rec.path, thumb.error)
        expected = Image.open(io.BytesIO(oracle[rec.path]))
        expected.thumbnail((MAX_EDGE, MAX_EDGE))
        got = Image.open(io.BytesIO(thumb.png or b""))
        assert got.format == "PNG"
        assert (thumb.width, thumb.height) == got.size == expected.size
        assert max(got.size) <= MAX_EDGE
        diff = ImageChops.difference(got.convert("RGBA"), expected.convert("RGBA")).getextrema()
        assert max(hi for _lo, hi in diff) <= 2, (rec.path, diff)
        checked += 1
    assert checked == len(oracle) - 1


def test_a_damaged_jpeg_gets_a_visible_recorded_reason(case_copy: Path) -> None:
    with ThumbnailService(case_copy) as svc:
        rec = next(r for r in svc.ro.picture_page(limit=1000) if r.path == "/photos/broken.jpg")
        thumb = svc.thumbnail(rec.id)
    assert not thumb.ok and thumb.png is None
    assert thumb.error and "truncated" in thumb.error.lower(), thumb.error
    with Case.open(case_copy, readonly=True) as case:
        assert case.thumbnails([rec.id])[rec.id].error == thumb.error
        problems = case.select_problems(ProblemQuery(source=SOURCE, file_id=rec.id))
        assert len(problems) == 1 and "broken.jpg" in problems[0].message
        assert problems[0].severity == "warning"


def test_thumbnails_are_cached_in_the_case(case_copy: Path) -> None:
    with ThumbnailService(case_copy) as svc:
        ids = [r.id for r in svc.ro.picture_page(limit=1000)]
        first = svc.thumbnails(ids)
        assert svc.decoded == len(ids)
    with ThumbnailService(case_copy) as svc:
        again = svc.thumbnails(ids)
        assert svc.decoded == 0  # no read, no decode: all from the case
        assert svc.pool.spawned == 0
    assert again == first
    with Case.open(case_copy, readonly=True) as case:
        assert set(case.thumbnails(ids)) == set(ids)
        assert case.select_problems(ProblemQuery(source=SOURCE))  # the damaged one, once
        assert len(case.select_problems(ProblemQuery(source=SOURCE))) == 1


def test_a_read_only_case_keeps_thumbnails_in_memory(case_copy: Path) -> None:
    with ThumbnailService(case_copy, writable=False) as svc:
        ids = [r.id for r in svc.ro.picture_page(limit=1000)]
        made = svc.thumbnails(ids)
        assert svc.rw is None and set(svc.memory) == set(ids)
        assert svc.thumbnails(ids) == made and svc.decoded == len(ids)
    with Case.open(case_copy, readonly=True) as case:
        assert case.thumbnails(ids) == {}


def test_exif_camera_time_and_gps(case_copy: Path) -> None:
    with ThumbnailService(case_copy) as svc:
        rec = next(r for r in svc.ro.picture_page(limit=1000) if r.path == "/photos/exif.jpg")
        exif = svc.exif(rec)
        plain = svc.exif(next(r for r in svc.ro.picture_page(limit=1000) if r.path == "/photos/plain.jpg"))
    assert (exif.make, exif.model, exif.taken) == (EXIF["make"], EXIF["model"], EXIF["taken"])
    assert exif.latitude == pytest.approx(LAT, abs=1e-9) and exif.longitude == pytest.approx(LON, abs=1e-9)
    assert plain.empty


def test_a_dead_decoder_fails_one_picture_and_is_replaced() -> None:
    data = _photo(64, 48)
    with DecoderPool(size=1) as pool:
        assert pool.call("thumbnail", data, MAX_EDGE).width == 64
        victim = pool._idle[0].process
        os.kill(victim.pid, 9)
        victim.join(5)
        with pytest.raises(DecodeFailed, match="died"):
            pool.call("thumbnail", data, MAX_EDGE)
        assert pool.call("thumbnail", data, MAX_EDGE).width == 64
        assert pool.spawned == 2


def test_a_slow_decode_is_stopped_at_the_timeout() -> None:
    big = _photo(1600, 1200)
    with DecoderPool(size=1, timeout=0.001) as pool:
        result = pool.run([Job("thumbnail", big, (MAX_EDGE,))])[0]
    assert isinstance(result, DecodeFailed) and "longer than" in str(result)


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    out = io.BytesIO()
    Image.new("L", (20000, 20000)).save(out, "PNG")  # 400 megapixels in a few hundred KB
    with DecoderPool(size=1) as pool:
        with pytest.raises(DecodeFailed, match="pixels"):
            pool.call("thumbnail", out.getvalue(), MAX_EDGE)
        with pytest.raises(DecodeFailed, match="not a picture"):
            pool.call("thumbnail", b"\x89PNG\r\n\x1a\n garbage", MAX_EDGE)
