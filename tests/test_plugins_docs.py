"""docs/plugins.md is followed step by step: its code blocks are the example package's
files, and its ``sh step`` blocks (build, install, test, list, scan) run in order."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "plugins.md"
EXAMPLE = REPO / "examples" / "triage-example-plugin"
BLOCK = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```$", re.M | re.S)


def blocks() -> list[tuple[str, str]]:
    return [(m["info"].strip(), m["body"]) for m in BLOCK.finditer(DOC.read_text(encoding="utf-8"))]


def test_code_blocks_are_the_example_files() -> None:
    titled = {}
    for info, body in blocks():
        m = re.search(r'title="([^"]+)"', info)
        if m:
            titled[m.group(1)] = body
    assert set(titled) == {"src/triage_example_plugin/__init__.py", "pyproject.toml", "tests/test_emails.py"}
    for rel, body in titled.items():
        assert (EXAMPLE / rel).read_text(encoding="utf-8") == body, f"docs/plugins.md and {rel} differ"


def test_follow_the_tutorial(tmp_path: Path) -> None:
    steps = [body for info, body in blocks() if info.split() == ["sh", "step"]]
    assert len(steps) >= 4
    for tool in ("mke2fs",):
        if not (shutil.which(tool) or Path("/usr/sbin", tool).exists() or Path("/sbin", tool).exists()):
            pytest.skip(f"{tool} not installed")
    work = tmp_path / "triage-example-plugin"
    shutil.copytree(
        EXAMPLE, work, ignore=shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__")
    )
    site = tmp_path / "site"  # pip installs here, not into the shared test environment
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:/usr/sbin:/sbin:{os.environ.get('PATH', '')}",
        "PIP_TARGET": str(site),
        # the triage under test (a checkout on PYTHONPATH) stays ahead of the shared editable install
        "PYTHONPATH": os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_INDEX": "1",
        "TZ": "UTC",
    }
    for n, script in enumerate(steps, 1):
        proc = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, (
            f"step {n} failed:\n{script}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
        )
    assert (site / "triage_example_plugin" / "__init__.py").is_file()
