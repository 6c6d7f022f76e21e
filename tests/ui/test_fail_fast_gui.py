"""The GUI's scan dock refuses bad options with the same validation as ``triage scan``: before
the case is opened for writing, so the case folder stays byte-identical and no scan starts."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLineEdit
from triage_ui.main_window import MainWindow

from triage.scan.validate import OptionError

pytestmark = pytest.mark.gui


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_scan_dock_refuses_a_broken_rule_file(
    qtbot, settings: QSettings, tmp_path: Path, demo_image: Path
) -> None:
    broken = tmp_path / "broken.yar"
    broken.write_text('rule broken {\n  strings: $a = "x"\n  condition: $b\n}\n')
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.new_case(tmp_path / "case")
    win.add_evidence([demo_image])
    dock = win.scan_dock
    if "yara" not in dock.editors:
        pytest.skip("the YARA plugin is not installed")
    _, editor = dock.editors["yara"]["rules"]
    assert isinstance(editor, QLineEdit)
    editor.setText(str(broken))
    before = snapshot(tmp_path / "case")
    with pytest.raises(OptionError) as err:
        dock.start()
    assert len(err.value.problems) == 1 and err.value.problems[0].startswith(f"{broken}:")
    assert "undefined string" in err.value.problems[0]
    assert dock.job is None and dock.engine is None and dock.start_btn.isEnabled()
    assert snapshot(tmp_path / "case") == before
    assert win.session is not None and win.session.ro.scans() == []


def test_scan_dock_refuses_a_value_outside_the_choices(
    qtbot, settings: QSettings, tmp_path: Path, demo_image: Path
) -> None:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.new_case(tmp_path / "case")
    win.add_evidence([demo_image])
    dock = win.scan_dock
    _, editor = dock.editors["hashes"]["algorithms"]
    assert isinstance(editor, QLineEdit)
    editor.setText("md5, md4")
    before = snapshot(tmp_path / "case")
    with pytest.raises(OptionError) as err:
        dock.start()
    assert err.value.problems == [
        "hashes.algorithms: 'md4' is not one of md5, sha1, sha256, sha512, sha3_256, blake2b"
    ]
    assert dock.job is None and snapshot(tmp_path / "case") == before


def test_add_evidence_refuses_a_text_file_with_the_clis_message(
    qtbot, settings: QSettings, tmp_path: Path
) -> None:
    """The GUI's *Add evidence* runs the check ``triage scan`` runs first and says the same line."""
    import os
    import subprocess
    import sys

    from triage.errors import EvidenceError

    text = tmp_path / "notes.txt"
    text.write_text("this is not a disk image\n" * 200)
    cli = subprocess.run(
        [sys.executable, "-m", "triage", "scan", str(text), "--case", str(tmp_path / "cli-case")],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TZ": "UTC"},
    )
    assert cli.returncode == 3 and not (tmp_path / "cli-case").exists(), cli.stderr
    lines = cli.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("triage: error: "), cli.stderr
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.new_case(tmp_path / "case")
    before = snapshot(tmp_path / "case")
    with pytest.raises(EvidenceError) as err:
        win.add_evidence([text])
    assert str(err.value) == lines[0].removeprefix("triage: error: ")
    assert str(err.value) == f"{text}: not a disk image: no partition table or file system recognised"
    assert win.session is not None and win.session.ro.evidence() == []
    assert snapshot(tmp_path / "case") == before
