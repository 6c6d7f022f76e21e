"""The import contracts in pyproject.toml hold, and each one fails when it is broken."""

from __future__ import annotations

import os
import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")
PACKAGES = {
    "triage": REPO / "triage",
    "triage_ui": REPO / "ui" / "triage_ui",
    "triage_plugins": REPO / "plugins" / "triage_plugins",
}


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    if not LINT.is_file():
        pytest.skip("import-linter is not installed (test extra)")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(root / d) for d in (".", "ui", "plugins"))}
    return subprocess.run(
        [str(LINT), "--no-cache", "--config", str(REPO / "pyproject.toml")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the three packages in the repository's layout, to break on purpose."""
    root = tmp_path_factory.mktemp("contracts")
    for src in PACKAGES.values():
        dst = root / src.relative_to(REPO)
        shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_contracts_hold_on_the_repository(tree: Path) -> None:
    proc = _lint(tree)
    assert proc.returncode == 0, proc.stdout[-3000:]
    contracts = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    assert f"{len(contracts)} kept, 0 broken" in proc.stdout


@pytest.mark.parametrize(
    ("package", "module", "line", "contract"),
    [
        ("triage", "evil_qt.py", "import PySide6.QtCore\n", "The core imports neither Qt"),
        ("triage", "evil_ui.py", "import triage_ui.app\n", "The core imports neither Qt"),
        ("triage", "evil_plugins.py", "import triage_plugins.hashes\n", "The core imports neither Qt"),
        ("triage_ui", "evil_sql.py", "import sqlite3\n", "The UI never touches evidence or SQL"),
        ("triage_ui", "evil_tsk.py", "import pytsk3\n", "The UI never touches evidence or SQL"),
        ("triage_ui", "evil_ewf.py", "import pyewf\n", "The UI never touches evidence or SQL"),
        ("triage_ui", "evil_cli.py", "from triage.cli.info import run\n", "The UI never imports the CLI"),
        (
            "triage_plugins",
            "evil_core.py",
            "from triage.case.store import Case\n",
            "Built-in plugins import only",
        ),
    ],
)
def test_each_contract_fails_when_broken(
    tree: Path, package: str, module: str, line: str, contract: str
) -> None:
    target = tree / PACKAGES[package].relative_to(REPO) / module
    target.write_text(line)
    try:
        proc = _lint(tree)
    finally:
        target.unlink()
    assert proc.returncode == 1, proc.stdout[-3000:]
    assert f"{contract}" in proc.stdout and "BROKEN" in proc.stdout
    assert f"{package}.{module[:-3]}" in proc.stdout


def test_the_core_never_imports_the_cli(tree: Path) -> None:
    target = tree / "triage" / "scan" / "evil_cli.py"
    target.write_text("import triage.cli.scan\n")
    try:
        proc = _lint(tree)
    finally:
        target.unlink()
    assert proc.returncode == 1 and "The core never imports the CLI BROKEN" in proc.stdout, proc.stdout[
        -3000:
    ]
    assert "triage.scan.evil_cli" in proc.stdout


def test_module_lists_name_every_core_module() -> None:
    import triage

    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    core = {f"triage.{m.name}" for m in pkgutil.iter_modules(triage.__path__)} - {"triage.data"}
    plugins = next(c for c in config if c["source_modules"] == ["triage_plugins"])
    no_cli = next(c for c in config if c["forbidden_modules"] == ["triage.cli"])
    assert core - {"triage.plugin"} <= set(plugins["forbidden_modules"])
    assert core - {"triage.cli", "triage.__main__"} <= set(no_cli["source_modules"])
