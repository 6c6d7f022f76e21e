"""The detail panel shows an escaped name's bytes and why it is escaped (lossless names)."""

from __future__ import annotations

import html
import subprocess
import sys
from pathlib import Path

import fixtures as images
import pytest
from fixtures import LOSSLESS_NAMES
from triage_ui.views.detail import DetailPane

from triage.case import Case


def test_detail_panel_names_the_bytes(qtbot, tmp_path: Path) -> None:
    try:
        img = images.build_lossless_names(tmp_path / "img")
    except images.ToolMissing as exc:
        pytest.skip(str(exc))
    proc = subprocess.run(
        [sys.executable, "-m", "triage", "scan", str(img.path), "--case", str(tmp_path / "case")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    with Case.open(tmp_path / "case", readonly=True) as case:
        rows = {bytes(r["name_raw"]): case.file(r["id"]) for r in case.iter_files()}
    pane = DetailPane()  # no case session: the panel renders the row it is given
    qtbot.addWidget(pane)
    for raw, reason in (
        (LOSSLESS_NAMES["raw_ff"], "not valid UTF-8"),
        (LOSSLESS_NAMES["escaped_text"], "contains a backslash"),
    ):
        text = html.unescape(pane._metadata_html(rows[raw], [], None))
        assert f"Name bytes (hex)</th><td>{raw.hex()} ({reason}" in text
    plain = html.unescape(pane._metadata_html(rows[LOSSLESS_NAMES["utf8"]], [], None))
    assert "Name bytes" not in plain and "café.txt" in plain
