"""``mypy --strict`` on the example plugin against an editable install of triage.

setuptools' default ("lenient") editable install of this three-root layout (triage/, ui/, plugins/)
is an import hook that mypy cannot follow: ``triage.plugin`` is not found and the plugin's analyzer
subclasses ``Any``. The strict editable mode links the wheel's layout, ``py.typed`` files included
(package-data), into a folder on ``sys.path``, which mypy reads: docs/plugins.md tells plugin authors
to install a triage checkout with ``--config-settings editable_mode=strict``. This test does exactly
that in a fresh venv (a copy of the source, so the checkout gets no build/ folder).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "triage-example-plugin"

pytestmark = pytest.mark.slow


def run(*cmd: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Without PYTHONPATH/MYPYPATH: only what the venv installed may be found."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    return subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, cwd=cwd, env=env, timeout=600
    )


def test_mypy_strict_passes_on_the_example_against_a_strict_editable_install(tmp_path: Path) -> None:
    import pluggy

    mypy = shutil.which("mypy", path=str(Path(sys.executable).parent))
    if mypy is None:
        pytest.skip("mypy is not installed in this environment")
    src = tmp_path / "triage-src"
    src.mkdir()
    for name in ("triage", "ui", "plugins"):
        shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    install = run(
        py, "-m", "pip", "install", "-q", "--no-deps", "-e", src, "--config-settings", "editable_mode=strict"
    )
    assert install.returncode == 0, install.stderr
    # triage.plugin's one import that types the API (hookimpl); the rest of triage's dependencies are not needed
    deps = run(py, "-m", "pip", "install", "-q", f"pluggy=={pluggy.__version__}")
    assert deps.returncode == 0, deps.stderr
    tree = next((src / "build").glob("__editable__.*"))
    assert sorted(p.parent.name for p in tree.glob("*/py.typed")) == ["triage", "triage_plugins", "triage_ui"]
    example = tmp_path / "example"
    shutil.copytree(EXAMPLE / "src", example / "src")
    checked = run(mypy, "--strict", "--no-incremental", "--python-executable", py, "src", cwd=example)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Success: no issues found in 1 source file" in checked.stdout
    # and the installed triage is the copy, found by a path (not by an import hook)
    where = run(py, "-c", "import triage.plugin as p; print(p.__file__)", cwd=tmp_path)
    assert where.stdout.strip().startswith(str(tree)), where
