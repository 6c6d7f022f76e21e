"""Mount fixture images through FUSE and check what plain os.walk/open see against The Sleuth Kit.

Each mount runs in a background process (``triage.mount.start_mount``) and is always
unmounted in a finalizer, also when a test fails. Skipped when FUSE is not usable here.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import fixtures
import pytest

from triage.mount import fuse_problem, mounted_fuse, start_mount, unmount
from triage.mount.serve import MountProcess

_PROBLEM = fuse_problem()
pytestmark = pytest.mark.skipif(_PROBLEM is not None, reason=_PROBLEM or "")
SECTOR = 512


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _images_sha256(img: fixtures.BuiltImage) -> list[str]:
    return [_sha256_file(p) for p in img.segments]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, fixtures.BuiltImage]:
    d = tmp_path_factory.mktemp("mount-images")
    try:
        e01_dir = d / "e01"
        raw = fixtures.build_ext4(e01_dir, name="e01src.img", size=3 * fixtures.MiB // 2)
        return {
            "ext4": fixtures.build_ext4(d / "ext4"),
            "ntfs": fixtures.build_ntfs(d / "ntfs"),
            "mbr": fixtures.build_mbr(d / "mbr"),
            "e01": fixtures.build_e01(e01_dir, raw),
        }
    except fixtures.ToolMissing as exc:
        pytest.skip(str(exc))


class Mounts:
    """Starts mounts and guarantees that each one is gone at the end."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.handles: list[MountProcess] = []

    def mount(self, evidence: Path, name: str, **kw: object) -> Path:
        mp = self.base / name
        mp.mkdir()
        self.handles.append(start_mount(evidence, mp, timeout=120, **kw))  # type: ignore[arg-type]
        return mp

    def close(self) -> None:
        for h in self.handles:
            h.unmount()
            assert not mounted_fuse(h.mountpoint), f"stale mount left at {h.mountpoint}"


@pytest.fixture(scope="module")
def mounts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mounts]:
    m = Mounts(tmp_path_factory.mktemp("mountpoints"))
    try:
        yield m
    finally:
        m.close()


@pytest.fixture(scope="module")
def mounted(built: dict[str, fixtures.BuiltImage], mounts: Mounts) -> dict[str, Path]:
    return {name: mounts.mount(img.path, name) for name, img in built.items()}


# -- the oracle: fls / icat / fls -m -----------------------------------------------------------
def _icat(img: fixtures.BuiltImage, offset: int, addr: str) -> tuple[int, bytes]:
    proc = subprocess.run(
        ["icat", "-o", str(offset // SECTOR), *map(str, img.segments), addr], capture_output=True
    )
    return proc.returncode, proc.stdout


def _body(img: fixtures.BuiltImage, offset: int) -> dict[str, list[int]]:
    """``fls -r -m /``: path → [size, atime, mtime, ctime] of allocated entries."""
    out = subprocess.run(
        ["fls", "-r", "-m", "/", "-o", str(offset // SECTOR), *map(str, img.segments)],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8", "surrogateescape")
    body: dict[str, list[int]] = {}
    for line in out.splitlines():
        f = line.split("|")
        if len(f) != 11 or f[1].endswith(("(deleted)", "($FILE_NAME)")) or "(deleted-realloc)" in f[1]:
            continue
        body.setdefault(f[1], [int(f[6]), int(f[7]), int(f[8]), int(f[9])])
    return body


# pytsk3's libtsk 4.15 reports no times for $MFT itself (inode 0); the fls 4.11 oracle reads them
# from $STANDARD_INFORMATION. Everything else must agree.
_TIME_DIFFERS = {"/$MFT"}


def check_partition(img: fixtures.BuiltImage, part_dir: Path, offset: int) -> dict[str, int]:
    """Every regular file fls lists is in the mount with icat's SHA-256, sizes and times as
    ``fls -m`` has them, and the mount holds no regular file fls does not list."""
    counts = {"files": 0, "deleted": 0, "streams": 0, "dirs": 0}
    # Sizes and times first: a short read (where libtsk, like icat, stops early) changes the size
    # the kernel shows afterwards.
    body = _body(img, offset)
    walked: set[str] = set()
    for root, _dirs, files in os.walk(part_dir):
        for name in files:
            p = Path(root) / name
            if p.is_symlink():
                continue
            walked.add(str(p))
            rel = "/" + str(p.relative_to(part_dir))
            if not rel.startswith("/$deleted/") and rel in body and rel not in _TIME_DIFFERS:
                size, atime, mtime, ctime = body[rel]
                st = p.stat()
                assert (st.st_size, int(st.st_atime), int(st.st_mtime), int(st.st_ctime)) == (
                    size,
                    atime,
                    mtime,
                    ctime,
                ), rel
                counts["timed"] = counts.get("timed", 0) + 1
    expected_paths: set[str] = set()
    for e in fixtures.tsk_list(img.segments, offset):
        name_type, meta_type = e.type.split("/")
        gone = e.deleted or e.path.startswith("/$OrphanFiles")
        where = part_dir / ("$deleted" + e.path if gone else e.path.lstrip("/"))
        if meta_type in ("d", "V"):
            assert where.is_dir(), f"folder {e.path} missing at {where}"
            counts["dirs"] += 1
            continue
        if not (meta_type in ("r", "v") or (meta_type == "-" and name_type == "r")):
            continue
        expected_paths.add(str(where))
        assert where.is_file() and not where.is_symlink(), f"{e.path} ({e.addr}) missing at {where}"
        rc, data = _icat(img, offset, e.addr)
        ours = where.read_bytes()
        if rc == 0:
            assert hashlib.sha256(ours).hexdigest() == hashlib.sha256(data).hexdigest(), e.path
        else:  # icat cannot read it (an NTFS record without $DATA): the mount shows an empty file
            assert ours == b"", e.path
        counts["files"] += 1
        counts["deleted"] += int(gone)
        counts["streams"] += int(":" in e.path.rsplit("/", 1)[-1])
    assert walked == expected_paths
    return counts


# -- acceptance --------------------------------------------------------------------------------
def test_ext4_files_deleted_and_times(
    built: dict[str, fixtures.BuiltImage], mounted: dict[str, Path]
) -> None:
    img, mp = built["ext4"], mounted["ext4"]
    assert sorted(os.listdir(mp)) == ["image.raw", "p0_0_ext4"]
    counts = check_partition(img, mp / "p0_0_ext4", 0)
    assert counts["files"] >= len(img.files) + len(img.deleted)
    assert counts["deleted"] == 2
    for path in img.deleted:
        assert (mp / "p0_0_ext4" / "$deleted" / path.lstrip("/")).read_bytes() == img.deleted_content[path]
    for path, content in img.files.items():
        assert (mp / "p0_0_ext4" / path.lstrip("/")).read_bytes() == content
    link = mp / "p0_0_ext4" / "link-to-readme"
    assert link.is_symlink() and os.readlink(link) == "docs/readme.txt"
    assert link.read_bytes() == img.files["/docs/readme.txt"]  # a relative link resolves inside the mount
    assert _sha256_file(mp / "image.raw") == _sha256_file(img.path)
    assert os.getxattr(mp / "p0_0_ext4/docs/readme.txt", "user.triage.deleted") == b"0"
    assert os.getxattr(mp / "p0_0_ext4/$deleted/docs/deleted.txt", "user.triage.deleted") == b"1"


def test_ntfs_streams_and_deleted(built: dict[str, fixtures.BuiltImage], mounted: dict[str, Path]) -> None:
    img, mp = built["ntfs"], mounted["ntfs"]
    if img.metadata.get("limited"):
        pytest.skip("libntfs-3g not available: the NTFS fixture has no deleted files")
    counts = check_partition(img, mp / "p0_0_ntfs", 0)
    assert counts["streams"] >= 2 and counts["deleted"] >= 2
    for key, content in img.stream_content.items():
        assert (mp / "p0_0_ntfs" / key.lstrip("/")).read_bytes() == content, key
    for path in img.deleted:
        assert (mp / "p0_0_ntfs" / "$deleted" / path.lstrip("/")).read_bytes() == img.deleted_content[path]
    assert "readme.txt:hidden" in os.listdir(mp / "p0_0_ntfs")


def test_mbr_partitions(built: dict[str, fixtures.BuiltImage], mounted: dict[str, Path]) -> None:
    img, mp = built["mbr"], mounted["mbr"]
    assert sorted(os.listdir(mp)) == ["image.raw", "p0_1048576_fat16", "p1_4194304_ext4"]
    fat = check_partition(img, mp / "p0_1048576_fat16", 1048576)
    ext = check_partition(img, mp / "p1_4194304_ext4", 4194304)
    assert fat["deleted"] == 1 and ext["deleted"] == 2
    assert (
        mp / "p0_1048576_fat16/$deleted/FAT/Documents/Deleted Long Name.txt"
    ).read_bytes() == img.deleted_content["/FAT/Documents/Deleted Long Name.txt"]
    assert _sha256_file(mp / "image.raw") == _sha256_file(img.path)


def test_e01_two_segments_media_md5(built: dict[str, fixtures.BuiltImage], mounted: dict[str, Path]) -> None:
    import pyewf

    img, mp = built["e01"], mounted["e01"]
    assert len(img.segments) == 2
    handle = pyewf.handle()
    handle.open([str(p) for p in img.segments])
    stored = handle.get_hash_value("MD5")
    media_size = handle.get_media_size()
    handle.close()
    h = hashlib.md5()
    with open(mp / "image.raw", "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    assert (mp / "image.raw").stat().st_size == media_size
    assert h.hexdigest() == stored == img.md5
    check_partition(img, mp / "p0_0_ext4", 0)


def test_writes_are_refused_and_image_unchanged(
    built: dict[str, fixtures.BuiltImage], mounts: Mounts
) -> None:
    img = built["ext4"]
    before = _images_sha256(img)
    mp = mounts.mount(img.path, "writes")
    part = mp / "p0_0_ext4"
    existing = part / "docs" / "readme.txt"
    attempts = {
        "create": lambda: open(part / "new.txt", "xb"),
        "write": lambda: open(existing, "r+b"),
        "append": lambda: open(existing, "ab"),
        "write image.raw": lambda: open(mp / "image.raw", "r+b"),
        "delete": lambda: os.unlink(existing),
        "rename": lambda: os.rename(existing, part / "docs" / "renamed.txt"),
        "mkdir": lambda: os.mkdir(part / "newdir"),
        "rmdir": lambda: os.rmdir(part / "emptydir"),
        "chmod": lambda: os.chmod(existing, 0o777),
        "chown": lambda: os.chown(existing, 1, 1),
        "utime": lambda: os.utime(existing, (0, 0)),
        "truncate": lambda: os.truncate(existing, 0),
        "symlink": lambda: os.symlink("x", part / "newlink"),
        "link": lambda: os.link(existing, part / "hardlink"),
        "setxattr": lambda: os.setxattr(existing, "user.x", b"1"),
    }
    for what, attempt in attempts.items():
        with pytest.raises(OSError) as exc_info:
            attempt()
        assert exc_info.value.errno == errno.EROFS, f"{what}: {exc_info.value}"
    assert existing.read_bytes() == img.files["/docs/readme.txt"]
    assert os.statvfs(mp).f_flag & os.ST_RDONLY
    assert _images_sha256(img) == before


def test_operations_refuse_writes_without_the_kernel() -> None:
    """The ro mount option is one layer; the operations themselves answer EROFS too."""
    from triage.evidence.image import ImageInfo  # noqa: F401  (typing only)
    from triage.mount.fusefs import EvidenceOperations
    from triage.mount.tree import TreeBuilder

    ops = EvidenceOperations(TreeBuilder(512).tree, reader=None)  # type: ignore[arg-type]
    for name, args in {
        "create": ("/x", 0o644),
        "write": ("/image.raw", b"x", 0, 1),
        "unlink": ("/image.raw",),
        "rename": ("/image.raw", "/y"),
        "mkdir": ("/d", 0o755),
        "chmod": ("/image.raw", 0o777),
        "chown": ("/image.raw", 0, 0),
        "truncate": ("/image.raw", 0),
        "utimens": ("/image.raw",),
        "setxattr": ("/image.raw", "user.a", b"1", 0),
    }.items():
        with pytest.raises(OSError) as exc_info:
            getattr(ops, name)(*args)
        assert exc_info.value.errno == errno.EROFS, name
    with pytest.raises(OSError) as exc_info:
        ops.open("/image.raw", os.O_RDWR)
    assert exc_info.value.errno == errno.EROFS


def test_many_readers_at_once(built: dict[str, fixtures.BuiltImage], mounted: dict[str, Path]) -> None:
    img, mp = built["mbr"], mounted["mbr"]
    targets = [
        mp / "image.raw",
        mp / "p1_4194304_ext4/data/big.bin",
        mp / "p0_1048576_fat16/FAT/Documents/Sub Folder/nested.bin",
    ] * 3
    procs = [subprocess.Popen(["sha256sum", str(t)], stdout=subprocess.PIPE, text=True) for t in targets]
    got = [p.communicate(timeout=60)[0].split()[0] for p in procs]
    expected = {
        str(mp / "image.raw"): _sha256_file(img.path),
        str(mp / "p1_4194304_ext4/data/big.bin"): hashlib.sha256(img.files["/data/big.bin"]).hexdigest(),
        str(mp / "p0_1048576_fat16/FAT/Documents/Sub Folder/nested.bin"): hashlib.sha256(
            img.files["/FAT/Documents/Sub Folder/nested.bin"]
        ).hexdigest(),
    }
    assert got == [expected[str(t)] for t in targets]
    with ThreadPoolExecutor(8) as pool:  # threads reading at random offsets of one file
        big = img.files["/data/big.bin"]
        offsets = list(range(0, len(big), 7_777))

        def piece(off: int) -> bool:
            with open(mp / "p1_4194304_ext4/data/big.bin", "rb", buffering=0) as fh:
                fh.seek(off)
                return fh.read(5000) == big[off : off + 5000]

        assert all(pool.map(piece, offsets))


def test_partition_and_raw_options(built: dict[str, fixtures.BuiltImage], mounts: Mounts) -> None:
    img = built["mbr"]
    raw = mounts.mount(img.path, "raw-only", raw=True)
    assert os.listdir(raw) == ["image.raw"]
    assert _sha256_file(raw / "image.raw") == _sha256_file(img.path)
    one = mounts.mount(img.path, "part1", partition=1)
    assert sorted(os.listdir(one)) == ["image.raw", "p1_4194304_ext4"]


# -- command line: background mount, --unmount, Ctrl-C, case audit, errors ---------------------
def _triage(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "triage", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_cli_background_then_unmount(built: dict[str, fixtures.BuiltImage], tmp_path: Path) -> None:
    mp = tmp_path / "mp"
    mp.mkdir()
    proc = _triage("mount", str(built["ext4"].path), str(mp))
    try:
        assert proc.returncode == 0, proc.stderr
        pid = int(re.search(r"\(pid (\d+)\)", proc.stdout)[1])  # type: ignore[index]
        assert mounted_fuse(mp) == "fuse.triage"
        assert (mp / "p0_0_ext4/docs/readme.txt").read_bytes() == built["ext4"].files["/docs/readme.txt"]
        again = _triage("mount", str(built["ext4"].path), str(mp))
        assert again.returncode == 2 and "already mounted" in again.stderr
        out = _triage("mount", "--unmount", str(mp))
        assert out.returncode == 0, out.stderr
        assert not mounted_fuse(mp)
        for _ in range(100):  # the serving process ends by itself once unmounted
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            subprocess.run(["sleep", "0.1"])
        else:
            pytest.fail(f"mount process {pid} still running after unmount")
        gone = _triage("mount", "--unmount", str(mp))
        assert gone.returncode == 2 and "not mounted" in gone.stderr
    finally:
        if mounted_fuse(mp):
            unmount(mp, lazy=True)


def test_ctrl_c_unmounts_and_case_audit(built: dict[str, fixtures.BuiltImage], tmp_path: Path) -> None:
    from triage.case.store import Case

    img = built["ext4"]
    case_dir = tmp_path / "case"
    Case.create(case_dir).close()
    mp = tmp_path / "mp"
    mp.mkdir()
    handle = start_mount(img.path, mp, case=case_dir, timeout=120)
    try:
        assert (mp / "p0_0_ext4/data/small.bin").read_bytes() == img.files["/data/small.bin"]
        handle.process.send_signal(signal.SIGINT)  # what Ctrl-C in the terminal sends
        assert handle.process.wait(30) == 0
        assert not mounted_fuse(mp)
    finally:
        handle.unmount()
    with Case.open(case_dir, readonly=True) as case:
        log = [(a.action, a.details) for a in case.audit_log()]
    actions = [a for a, _ in log]
    assert actions[-2:] == ["evidence.mounted", "evidence.unmounted"]
    mounted_details = log[-2][1]
    assert mounted_details["evidence"] == str(img.path) and mounted_details["mountpoint"] == str(mp)
    assert mounted_details["deleted"] >= 2
    assert log[-1][1]["served"]["bytes"] >= len(img.files["/data/small.bin"])


def test_cli_errors(
    built: dict[str, fixtures.BuiltImage], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad input: one line on stderr and the documented exit code (run in-process: nothing mounts)."""
    from triage.cli import main

    img = str(built["ext4"].path)
    full = tmp_path / "full"
    full.mkdir()
    (full / "x").write_text("x")
    a_file = tmp_path / "file"
    a_file.write_text("x")
    empty_img = tmp_path / "empty.img"
    empty_img.write_bytes(b"")
    mp = tmp_path / "mp"
    mp.mkdir()
    cases = [
        (("mount", img, str(full), "-f"), 2, "mount point is not empty"),
        (("mount", img, str(a_file), "-f"), 2, "not a folder"),
        (("mount", img, str(tmp_path / "missing"), "-f"), 2, "does not exist"),
        (("mount", str(empty_img), str(mp), "-f"), 3, "empty file"),
        (("mount", str(tmp_path / "nothing.img"), str(mp), "-f"), 2, "no such file"),
        (("mount", img, str(mp), "--partition", "3", "-f"), 2, "no partition 3"),
        (("mount", img, str(mp), "--partition", "0", "--raw"), 2, "exclude each other"),
        (("mount", img), 2, "give EVIDENCE and MOUNTPOINT"),
        (("mount", "--unmount", str(mp)), 2, "not mounted"),
        (("mount", "--unmount", "/"), 2, "not a triage mount"),
    ]
    for args, code, text in cases:
        assert main(list(args)) == code, args
        err = capsys.readouterr().err
        assert text in err and err.count("\n") == 1 and err.startswith("triage: error: "), (args, err)
    assert not mounted_fuse(mp) and os.listdir(mp) == []
    # the background form reports the serving process's error the same way
    proc = _triage("mount", img, str(full))
    assert proc.returncode == 2 and "mount point is not empty" in proc.stderr and proc.stderr.count("\n") == 1


def test_truncated_e01_is_an_evidence_error(built: dict[str, fixtures.BuiltImage], tmp_path: Path) -> None:
    first = tmp_path / built["e01"].segments[0].name
    shutil.copy(built["e01"].segments[0], first)  # the set without its second segment
    mp = tmp_path / "mp"
    mp.mkdir()
    proc = _triage("mount", str(first), str(mp))
    # the segment headers say so before libewf reads anything (segment 1 ends with 'next')
    assert proc.returncode == 3 and "EWF segment 2 of the set is missing" in proc.stderr
    assert not mounted_fuse(mp)


def test_fuse_missing_is_a_clear_error(built: dict[str, fixtures.BuiltImage], tmp_path: Path) -> None:
    """libfuse that cannot be loaded: one line naming what to install, exit 2."""
    mp = tmp_path / "mp"
    mp.mkdir()
    proc = _triage(
        "mount",
        str(built["ext4"].path),
        str(mp),
        "--foreground",
        env={"FUSE_LIBRARY_PATH": str(tmp_path / "no-libfuse3.so")},
    )
    assert proc.returncode == 2
    assert "FUSE is not available" in proc.stderr and "apt install fuse3" in proc.stderr
    assert "macFUSE" in proc.stderr and "WinFsp" in proc.stderr
    assert proc.stderr.count("\n") == 1
