"""VMDK and QCOW through the optional libyal bindings, checked against TSK's published body files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SHARED, run_triage


def _body_md5(body: Path) -> dict[str, str]:
    """path → MD5 from a ``fls -r -m / -h`` body file (regular files only)."""
    out = {}
    for line in body.read_text().splitlines():
        md5, name, _addr, mode = line.split("|")[:4]
        if mode.startswith("r/r") and " ($FILE_NAME)" not in name:
            out[name.split(" -> ")[0]] = md5
    return out


@pytest.mark.shared
@pytest.mark.parametrize(("image", "module"), [("image.vmdk", "pyvmdk"), ("image.qcow", "pyqcow")])
def test_libyal_format_matches_tsk_body(image: str, module: str, tmp_path: Path) -> None:
    pytest.importorskip(module, reason=f"{module} (the 'formats' extra) is not installed")
    src = SHARED / "images" / image
    if not src.exists():
        pytest.skip(f"{src} absent")
    expected = _body_md5(SHARED / "expected" / "image.dd.body.txt")  # the same ext2 file system
    case = tmp_path / "case"
    proc = run_triage("scan", str(src), "--case", str(case))
    assert proc.returncode == 0, proc.stderr
    recs = {
        r["path"]: r for r in map(json.loads, run_triage("files", str(case), "--json").stdout.splitlines())
    }
    assert next(iter(recs.values()))["evidence"].endswith(image)
    compared = 0
    for path, md5 in expected.items():
        if md5 == "0" or path not in recs or recs[path]["inode"] == 0:
            continue
        assert recs[path]["md5"] == md5, path
        compared += 1
    assert compared >= 3


def test_damaged_vmdk_gives_clear_error(tmp_path: Path) -> None:
    """A VMDK header with nothing behind it is refused in one line (exit 3), whether or not pyvmdk is installed."""
    fake = tmp_path / "disk.vmdk"
    fake.write_bytes(b"KDMV" + b"\0" * 1020)
    proc = run_triage("info", str(fake))
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    assert "VMDK" in proc.stderr
