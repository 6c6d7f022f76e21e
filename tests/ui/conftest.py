"""GUI test fixtures: offscreen Qt, isolated settings, a guard that fails any test leaving a
QThread running (as napari's does), the demo image and a YARA rule folder."""

from __future__ import annotations

import hashlib
import os
import shutil
import traceback
import weakref
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, QThread  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "demo.raw"
NIGHTJAR_RULE = """rule Nightjar_Project : confidential
{
    meta:
        description = "Project NIGHTJAR marker"
    strings:
        $marker = "CONFIDENTIAL-PROJECT-NIGHTJAR"
    condition:
        $marker
}
"""
FALLBACK_PLUGIN = Path(__file__).with_name("yara_fallback_plugin.py")


@pytest.fixture(autouse=True)
def _dangling_qthreads(monkeypatch: pytest.MonkeyPatch):
    """Fail a test that leaves a QThread running; the message says where it was started."""
    started: weakref.WeakKeyDictionary[QThread, str] = weakref.WeakKeyDictionary()
    base_start = QThread.start

    def start(self: QThread, *args: object) -> None:
        started[self] = "".join(traceback.format_stack(limit=6)[:-1])
        base_start(self, *args)

    monkeypatch.setattr(QThread, "start", start)
    yield
    running = [(t, where) for t, where in list(started.items()) if t.isRunning()]
    if running:
        for t, _ in running:
            t.quit()
            t.wait(10000)
        details = "\n".join(f"thread {t.objectName() or t!r} started at:\n{where}" for t, where in running)
        pytest.fail(f"{len(running)} QThread(s) still running after the test:\n{details}")


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture(scope="session")
def demo_image() -> Path:
    if not DEMO.is_file():
        pytest.skip(f"{DEMO} not generated (python examples/make_demo.py)")
    return DEMO


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def rule_folder(tmp_path: Path) -> Path:
    d = tmp_path / "rules"
    d.mkdir()
    (d / "nightjar.yar").write_text(NIGHTJAR_RULE)
    return d


@pytest.fixture
def yara_plugins(tmp_path: Path):
    """Plugin configuration with a ``yara`` analyzer: the built-in one when installed, else a
    minimal real-YARA plugin from a test plugin folder (nothing global is changed)."""
    from triage.scan.registry import PluginConfig, Registry

    if any(c.name == "yara" for c in Registry().analyzer_classes()):
        return PluginConfig()
    d = tmp_path / "plugins"
    d.mkdir()
    shutil.copy(FALLBACK_PLUGIN, d / "yara_fallback.py")
    config = PluginConfig(plugin_dirs=[str(d)])
    assert any(c.name == "yara" for c in Registry(config).analyzer_classes())
    return config


@pytest.fixture(scope="session")
def scanned_demo(tmp_path_factory: pytest.TempPathFactory, demo_image: Path) -> Path:
    """A case with the demo image scanned by the core engine (hashes, file types …)."""
    from triage.case.store import Case
    from triage.scan.engine import ScanEngine, ScanOptions

    d = tmp_path_factory.mktemp("demo-case") / "case"
    with Case.create(d) as case:
        summary = ScanEngine(case, [demo_image], ScanOptions(workers=1)).run()
    assert summary.status == "completed"
    return d


@pytest.fixture
def xserver():
    """An Xvfb server (1366x768) for one test; its display name (``:N``)."""
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        pytest.skip("Xvfb and xdotool are needed (apt line in README)")
    from triage_ui.screenshots import start_xvfb

    proc, display = start_xvfb("1366x768")
    yield display
    proc.terminate()
    proc.wait(10)
