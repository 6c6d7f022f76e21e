"""Bad input gets the right exit code and a one-line message, never a traceback."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import require_tools, run_triage


def _one_line_error(proc: subprocess.CompletedProcess[str], code: int, *needles: str) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("triage: error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture(scope="module")
def small_ext4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tools("mke2fs")
    d = tmp_path_factory.mktemp("ext4")
    src = d / "src"
    src.mkdir()
    (src / "hello.txt").write_bytes(b"hello world\n" * 100)
    (src / "blob.bin").write_bytes(bytes(range(256)) * 4096)
    img = d / "small.raw"
    subprocess.run(
        ["mke2fs", "-q", "-F", "-t", "ext4", "-d", str(src), str(img), "4M"],
        check=True,
        env={"E2FSPROGS_FAKE_TIME": "1700000000", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
    )
    return img


@pytest.mark.parametrize("command", ["scan", "info"])
def test_missing_file(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "nope.E01"
    args = [command, str(missing)] + (["--case", str(tmp_path / "c")] if command == "scan" else [])
    _one_line_error(run_triage(*args), 2, str(missing), "no such file")


def test_directory(tmp_path: Path) -> None:
    _one_line_error(run_triage("scan", str(tmp_path), "--case", str(tmp_path / "c")), 2, "is a directory")


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.dd"
    empty.write_bytes(b"")
    _one_line_error(run_triage("scan", str(empty), "--case", str(tmp_path / "c")), 3, "empty file")


def test_text_file(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("this is not a disk image\n" * 200)
    proc = run_triage("scan", str(text), "--case", str(tmp_path / "c"))
    _one_line_error(proc, 3, "not a disk image")
    assert not (tmp_path / "c").exists()  # refused before the case folder is created
    info = run_triage("info", str(text))
    assert "Traceback" not in info.stderr


def test_truncated_e01(tmp_path: Path, small_ext4: Path) -> None:
    require_tools("ewfacquire")
    target = tmp_path / "ev"
    subprocess.run(
        [
            "ewfacquire",
            "-u",
            "-q",
            "-t",
            str(target),
            "-f",
            "encase6",
            "-c",
            "none",
            "-C",
            "case",
            "-D",
            "desc",
            "-E",
            "1",
            "-e",
            "examiner",
            "-N",
            "notes",
            str(small_ext4),
        ],
        check=True,
        capture_output=True,
    )
    e01 = target.with_suffix(".E01")
    data = e01.read_bytes()
    cut = tmp_path / "cut.E01"
    cut.write_bytes(data[: len(data) // 2])
    proc = run_triage("scan", str(cut), "--case", str(tmp_path / "c"))
    _one_line_error(proc, 3, str(cut))


def test_split_set_with_missing_segment(tmp_path: Path, small_ext4: Path) -> None:
    data = small_ext4.read_bytes()
    seg = len(data) // 4
    for i in range(4):
        (tmp_path / f"disk.{i + 1:03d}").write_bytes(
            data[i * seg : (i + 1) * seg] if i < 3 else data[3 * seg :]
        )
    (tmp_path / "disk.002").unlink()
    _one_line_error(
        run_triage("scan", str(tmp_path / "disk.001"), "--case", str(tmp_path / "c")),
        3,
        "segment .002 is missing",
    )


def test_split_set_scans_like_the_raw(tmp_path: Path, small_ext4: Path) -> None:
    """The split set gives the same inventory and hashes as the whole image."""
    data = small_ext4.read_bytes()
    seg = 1 << 20
    for n, i in enumerate(range(0, len(data), seg)):
        (tmp_path / f"disk.a{chr(ord('a') + n)}").write_bytes(data[i : i + seg])
    assert run_triage("scan", str(tmp_path / "disk.aa"), "--case", str(tmp_path / "s")).returncode == 0
    assert run_triage("scan", str(small_ext4), "--case", str(tmp_path / "r")).returncode == 0
    import json

    def digest(case: str) -> dict[str, str]:
        out = run_triage("files", str(tmp_path / case), "--json").stdout.splitlines()
        return {r["path"]: r["sha256"] for r in map(json.loads, out) if r["type"] == "r"}

    split, raw = digest("s"), digest("r")
    assert split == raw
    assert split["/hello.txt"] is not None


def test_unknown_analyzer_is_usage_error(tmp_path: Path, small_ext4: Path) -> None:
    _one_line_error(
        run_triage("scan", str(small_ext4), "--case", str(tmp_path / "c"), "--analyzers", "nope"),
        2,
        "unknown analyzer",
    )


def test_case_folder_that_is_a_file(tmp_path: Path, small_ext4: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    _one_line_error(run_triage("scan", str(small_ext4), "--case", str(f)), 2, "not a folder")


def test_rescan_without_flag_is_refused(tmp_path: Path, small_ext4: Path) -> None:
    case = tmp_path / "c"
    assert run_triage("scan", str(small_ext4), "--case", str(case)).returncode == 0
    _one_line_error(run_triage("scan", str(small_ext4), "--case", str(case)), 2, "--resume", "--rescan")
    assert run_triage("scan", str(small_ext4), "--case", str(case), "--rescan").returncode == 0


def test_files_on_missing_case(tmp_path: Path) -> None:
    _one_line_error(run_triage("files", str(tmp_path / "none"), "--json"), 2, "not a case folder")


def test_no_tool_needed_for_help() -> None:
    proc = run_triage("--help")
    assert proc.returncode == 0
    assert "scan" in proc.stdout


# -- what the evidence path is: devices, FIFOs and links are named for what they are ------------------------
@pytest.mark.parametrize("command", ["scan", "info"])
def test_char_device_is_named(tmp_path: Path, command: str) -> None:
    args = [command, "/dev/zero"] + (["--case", str(tmp_path / "c")] if command == "scan" else [])
    _one_line_error(run_triage(*args, timeout=60), 2, "/dev/zero: is a character device, not an image file")


@pytest.mark.parametrize("command", ["scan", "info"])
def test_fifo_is_named_and_never_opened(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "pipe.dd"
    os.mkfifo(fifo)
    args = [command, str(fifo)] + (["--case", str(tmp_path / "c")] if command == "scan" else [])
    # opening a FIFO with no writer blocks: the timeout would fire if triage opened it
    _one_line_error(run_triage(*args, timeout=60), 2, f"{fifo}: is a FIFO (named pipe), not an image file")


def test_symlink_loop_and_broken_link(tmp_path: Path) -> None:
    a, b = tmp_path / "a.dd", tmp_path / "b.dd"
    a.symlink_to(b)
    b.symlink_to(a)
    _one_line_error(run_triage("scan", str(a), "--case", str(tmp_path / "c")), 2, f"{a}: symbolic link loop")
    dangling = tmp_path / "gone.dd"
    dangling.symlink_to(tmp_path / "missing.raw")
    _one_line_error(run_triage("info", str(dangling)), 2, "broken symbolic link", "missing.raw")


def test_link_to_an_image_is_followed(tmp_path: Path, small_ext4: Path) -> None:
    link = tmp_path / "evidence.raw"
    link.symlink_to(small_ext4)
    assert run_triage("scan", str(link), "--case", str(tmp_path / "c")).returncode == 0


@pytest.fixture
def loop_device(tmp_path: Path, small_ext4: Path) -> Iterator[Path]:
    """A read-only loop device over a copy of the fixture image (root and losetup needed)."""
    require_tools("losetup")
    if os.geteuid() != 0:
        pytest.skip("losetup needs root")
    backing = tmp_path / "backing.raw"
    shutil.copyfile(small_ext4, backing)
    proc = subprocess.run(
        ["losetup", "--find", "--show", "--read-only", str(backing)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        pytest.skip(f"losetup cannot attach a loop device here: {proc.stderr.strip()}")
    dev = Path(proc.stdout.strip())
    try:
        yield dev
    finally:
        subprocess.run(["losetup", "--detach", str(dev)], capture_output=True)


def test_block_device_is_evidence(tmp_path: Path, small_ext4: Path, loop_device: Path) -> None:
    """A block device scans like the image it holds, and is never written."""
    assert stat.S_ISBLK(loop_device.stat().st_mode)
    before = hashlib.sha256(small_ext4.read_bytes()).hexdigest()
    with loop_device.open("rb") as dev:
        assert hashlib.sha256(dev.read()).hexdigest() == before
    info = run_triage("info", str(loop_device))
    assert info.returncode == 0, info.stderr
    assert f"Media size: {small_ext4.stat().st_size} bytes" in info.stdout
    assert run_triage("scan", str(loop_device), "--case", str(tmp_path / "dev")).returncode == 0
    assert run_triage("scan", str(small_ext4), "--case", str(tmp_path / "raw")).returncode == 0

    def digest(case: str) -> dict[str, str]:
        out = run_triage("files", str(tmp_path / case), "--json").stdout.splitlines()
        return {r["path"]: r["sha256"] for r in map(json.loads, out) if r["type"] == "r"}

    assert digest("dev") == digest("raw")
    assert digest("dev")["/hello.txt"] == hashlib.sha256(b"hello world\n" * 100).hexdigest()
    with loop_device.open("rb") as dev:
        assert hashlib.sha256(dev.read()).hexdigest() == before


def test_fifo_among_split_segments(tmp_path: Path, small_ext4: Path) -> None:
    data = small_ext4.read_bytes()
    (tmp_path / "disk.001").write_bytes(data[: len(data) // 2])
    os.mkfifo(tmp_path / "disk.002")
    _one_line_error(
        run_triage("scan", str(tmp_path / "disk.001"), "--case", str(tmp_path / "c"), timeout=60),
        2,
        "disk.002: is a FIFO (named pipe), not an image segment",
    )
