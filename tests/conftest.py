"""Shared fixtures: paths, the CLI runner, and the reference test data (skipped when absent)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "testdata"
DEMO = REPO / "examples" / "demo.raw"

os.environ.setdefault("TZ", "UTC")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep logs, caches and user plugins of tests out of the real home folder."""
    home = tmp_path_factory.getbasetemp() / "home"
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("TRIAGE_LOG_DIR", str(home / "logs"))


def run_triage(*args: str, timeout: float = 300, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess (``python -m triage``)."""
    proc = subprocess.run(
        [sys.executable, "-m", "triage", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "TZ": "UTC"},
    )
    if check and proc.returncode not in (0, 1):
        raise AssertionError(f"triage {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
    return proc


@pytest.fixture
def triage_cli():
    return run_triage


@pytest.fixture(scope="session")
def shared_testdata() -> Path:
    if not (SHARED / "images").is_dir():
        pytest.skip(f"reference test data not present at {SHARED}")
    return SHARED


def require_tools(*tools: str) -> None:
    import shutil

    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.skip(f"tools not installed: {', '.join(missing)}")


PACE_PLUGIN = """
import time
from triage.plugin import Analyzer, hookimpl

class Pace(Analyzer):
    name = "pace"
    version = "1.0.0"
    needs_content = False

    def finish(self):
        time.sleep({seconds!r})

@hookimpl
def triage_analyzers():
    return [Pace]
"""


def write_pace_plugin(folder: Path, seconds: float) -> Path:
    """A plugin folder whose one analyzer sleeps ``seconds`` per file and records nothing:
    it slows a scan down so a test can stop it midway on any machine."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pace.py").write_text(PACE_PLUGIN.format(seconds=seconds))
    return folder
