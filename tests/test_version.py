"""One version source: triage/__init__.py; pyproject reads it, the CLI and the metadata agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from conftest import run_triage

import triage

REPO = Path(__file__).resolve().parents[1]


def test_pyproject_takes_the_version_from_the_package() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "triage.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", triage.__version__)


def test_cli_prints_the_package_version() -> None:
    proc = run_triage("--version", check=True)
    assert triage.__version__ in proc.stdout + proc.stderr


def test_appstream_release_is_the_package_version() -> None:
    xml = (REPO / "packaging" / "org.triage.Workstation.metainfo.xml").read_text()
    assert re.findall(r'<release version="([^"]+)"', xml)[0] == triage.__version__
