"""Many files: progress, a SIGKILL midway leaves nothing at the target, 10,000 files (slow)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from triage.case.store import Case
from triage.export import export_bundle, verify_bundle

REQUEST = Path(__file__).resolve().parents[1] / "examples" / "request.toml"


def many_files_case(d: Path, n: int) -> Path:
    images = pytest.importorskip("triage.testing.images")
    tree = {f"/d{i // 500:02d}/f{i:05d}.txt": f"file {i}\n".encode() for i in range(n)}
    try:
        img = images.make_ext4(d / "many.img", tree, size=(n * 20 + 8192) * 1024)
    except images.ToolMissing as exc:
        pytest.skip(f"cannot build the image: {exc}")
    subprocess.run(
        [sys.executable, "-m", "triage", "scan", str(img.path), "--case", str(d / "case")],
        check=True,
        capture_output=True,
        timeout=1200,
    )
    return d / "case"


@pytest.fixture(scope="module")
def case_1000(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return many_files_case(tmp_path_factory.mktemp("many"), 1000)


def test_sigkill_midway_leaves_no_bundle(case_1000: Path, tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "triage",
            "export",
            str(case_1000),
            "--out",
            str(out),
            "--request",
            str(REQUEST),
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()
    assert line.startswith("exporting 1/1000 files"), line
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists()
    leftovers = [p.name for p in tmp_path.iterdir()]
    assert all(p.startswith(".bundle.partial-") for p in leftovers)  # hidden, never mistaken for the bag


def test_1000_files_with_progress(case_1000: Path, tmp_path: Path) -> None:
    seen: list[int] = []
    with Case.open(case_1000) as case:
        result = export_bundle(
            case,
            tmp_path / "b",
            "query:path=/d01/*",
            REQUEST,
            progress=lambda p: seen.append(p.done),
        )
    assert result.files == 500 and seen == list(range(1, 501))
    assert (tmp_path / "b/data/artifacts/A0500_f00999.txt").read_text() == "file 999\n"
    assert verify_bundle(result.path).ok


@pytest.mark.slow
def test_10000_files(tmp_path: Path) -> None:
    case = many_files_case(tmp_path, 10_000)
    out = tmp_path / "bundle"
    proc = subprocess.run(
        [sys.executable, "-m", "triage", "export", str(case), "--out", str(out), "--request", str(REQUEST)],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "exporting 10000/10000 files" in proc.stderr
    assert len(list((out / "data/artifacts").iterdir())) == 10_000
    assert (out / "data/artifacts/A10000_f09999.txt").read_text() == "file 9999\n"
    assert subprocess.run(["sha256sum", "-c", "--quiet", "manifest-sha256.txt"], cwd=out).returncode == 0
