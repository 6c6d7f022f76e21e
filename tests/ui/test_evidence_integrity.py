"""The GUI shows the evidence hashes a scan computed and the damage it located."""

from __future__ import annotations

import struct
from pathlib import Path

from casedb import one, sql
from fixtures import build_e01, build_ext4
from PySide6.QtCore import QSettings
from triage_ui.main_window import MainWindow

from tests.conftest import require_tools, run_triage


def test_evidence_properties_and_detail_show_hashes_and_damage(
    qtbot, settings: QSettings, tmp_path: Path
) -> None:
    require_tools("ewfacquire")
    raw = build_ext4(tmp_path / "src", name="src.img")
    e01 = build_e01(tmp_path / "e01", raw, compression="none", name="img")
    first = e01.segments[1]  # a chunk in the middle of /data/big.bin (blocks from 1139 on, 1 KiB each)
    data = bytearray(first.read_bytes())
    off = 13
    while True:  # find this segment's table and flip a byte in its 14th chunk
        kind, nxt, _ = struct.unpack_from("<16sQQ", data, off)
        if kind.rstrip(b"\0") == b"table":
            _, base = struct.unpack_from("<I4xQ", data, off + 76)
            entry = struct.unpack_from("<14I", data, off + 100)[13]
            data[base + (entry & 0x7FFFFFFF) + 100] ^= 0xFF
            break
        off = nxt
    first.write_bytes(bytes(data))
    case = tmp_path / "case"
    assert run_triage("scan", str(e01.path), "--case", str(case), "--workers", "1").returncode == 1
    sha256 = one(case, "SELECT sha256 FROM evidence_hashes")[0]
    damaged = sql(case, "SELECT id FROM files WHERE status='damaged'")
    assert sha256 and len(damaged) == 1

    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.open_case(case)
    dlg = win.evidence_properties()
    text = dlg.text.toPlainText()
    assert f"Computed SHA256: {sha256}" in text
    assert "DIFFER from the stored hashes" in text and "DAMAGED media bytes" in text
    dlg.close()
    win.detail.show_file(int(damaged[0][0]))
    assert "DAMAGED: content bytes" in win.detail.meta.toPlainText()
    win.close()
