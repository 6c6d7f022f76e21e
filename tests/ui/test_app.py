"""``triage-gui --smoke-test`` (what the wheel check runs) and the package data it needs."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "ui" / "triage_ui"


def test_smoke_test_command_runs_offscreen(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("triage-gui")
    if not exe.is_file():
        pytest.skip(f"{exe} is not installed (pip install -e .)")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "TRIAGE_LOG_DIR": str(tmp_path / "logs"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path),
    }
    proc = subprocess.run(
        [str(exe), "--smoke-test"], capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    from PySide6.QtCore import qVersion

    assert proc.stdout.startswith("triage-gui smoke test ok (Qt ")
    assert f"Qt {qVersion()}" in proc.stdout and "platform offscreen" in proc.stdout
    assert not (tmp_path / "config" / "triage").exists()  # the user's settings were not touched


def test_smoke_test_fails_loudly_without_its_icon(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    import triage_ui.app as app

    monkeypatch.setattr(app, "resource_path", lambda name: tmp_path / "missing.svg")
    assert app.smoke_test(msecs=10) == 1
    err = capsys.readouterr().err
    assert err.startswith("triage-gui smoke test FAILED: RuntimeError: the application icon cannot be loaded")
    assert str(tmp_path / "missing.svg") in err
    monkeypatch.undo()
    assert not app.create_app().windowIcon().isNull()  # later tests get the real icon back


def test_every_resource_is_package_data() -> None:
    """The wheel holds every non-Python file of the UI package (check_wheel.sh runs from it)."""
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["*"]
    shipped = [
        p
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert (PACKAGE / "resources" / "triage.svg") in shipped
    for f in shipped:
        assert any(fnmatch(f.name, pat) for pat in patterns), f"{f} is not package data"
        assert (f.parent / "__init__.py").is_file(), f"{f.parent} is not a package: its data is not shipped"
    assert (PACKAGE / "resources" / "triage.svg").read_bytes() == (
        REPO / "packaging/icons/triage.svg"
    ).read_bytes()


def test_ui_never_imports_from_tests_or_the_repo() -> None:
    for py in PACKAGE.rglob("*.py"):
        text = py.read_text()
        assert "from tests" not in text and "import tests" not in text, py
