"""Many files: progress, a SIGKILL midway leaves nothing at the target. The 10,000-file export is a
scale measurement: bench/export_scale.py (the artifact-id width it relied on is checked here)."""

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
    assert (
        subprocess.run(["sha256sum", "-c", "--quiet", "manifest-sha256.txt"], cwd=result.path).returncode == 0
    )


def test_artifact_ids_widen_past_9999() -> None:
    from triage.export.names import artifact_id, bundle_name

    assert artifact_id(500, len("1000")) == "A0500"
    assert artifact_id(10_000, len("10000")) == "A10000"
    assert artifact_id(1, len("10000")) == "A00001"
    assert bundle_name(10_000, 5, "f09999.txt") == "A10000_f09999.txt"
