"""Acceptance: the example plugin, installed with pip, is listed by ``triage plugins list``
and its findings appear after a scan with its name and version; it can be switched off."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "triage-example-plugin"
LETTER = b"Subject: transfer\nTo: courier@example.net\nFrom: boss@example.org\n\nUsual place.\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the example's wheel and ``pip install --target`` it (the shared venv stays untouched)."""
    tmp = tmp_path_factory.mktemp("example")
    src = tmp / "src"
    shutil.copytree(EXAMPLE, src, ignore=shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    out = subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp / "dist"), str(src)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    [wheel] = (tmp / "dist").glob("triage_example_plugin-0.1.0-*.whl")
    out = subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", "--target", str(tmp / "site"), str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    return tmp / "site"


def triage(site: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "triage", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TZ": "UTC", "PYTHONPATH": str(site), **env},
    )


def plugins(site: Path, *args: str, **env: str) -> dict[str, dict]:
    out = triage(site, "plugins", "list", "--json", *args, **env)
    assert out.returncode == 0, out.stderr
    return {r["name"]: r for r in json.loads(out.stdout)["plugins"]}


def test_listed_after_pip_install(site: Path) -> None:
    rec = plugins(site)["example"]
    assert rec == {
        "name": "example",
        "version": "0.1.0",
        "origin": "triage-example-plugin (entry point)",
        "status": "loaded",
        "error": None,
        "analyzers": ["emails"],
        "problems": [],
        "warnings": [],
    }
    text = triage(site, "plugins", "list").stdout
    assert any(line.split()[:4] == ["example", "0.1.0", "loaded", "emails"] for line in text.splitlines())
    # not installed: not listed
    assert "example" not in plugins(Path("/nonexistent"))


def test_findings_after_scan(site: Path, make_image, tmp_path: Path) -> None:
    img = make_image({"/outbox/letter.txt": LETTER, "/notes.txt": b"no address here\n"})
    case = tmp_path / "case"
    out = triage(
        site,
        "scan",
        str(img.path),
        "--case",
        str(case),
        "--workers",
        "1",
        "--json",
        "--emails-max-addresses",
        "5",
    )
    assert out.returncode == 0, out.stderr
    rows = [
        json.loads(line)
        for line in triage(site, "findings", str(case), "--json", "--plugin", "emails").stdout.splitlines()
    ]
    assert [(r["path"], r["plugin"], r["plugin_version"], r["kind"], r["addresses"]) for r in rows] == [
        (
            "/outbox/letter.txt",
            "emails",
            "0.1.0",
            "email-addresses",
            ["boss@example.org", "courier@example.net"],
        )
    ]
    from triage.case.store import Case

    with Case.open(case, readonly=True) as c:
        scan = c.scans()[-1]
    assert scan["versions"]["plugins"]["example"] == "0.1.0"
    assert scan["versions"]["analyzers"]["emails"] == "0.1.0"
    assert scan["settings"]["options"] == {"emails": {"max_addresses": 5}}


def test_switched_off(site: Path, make_image, tmp_path: Path) -> None:
    assert plugins(site, "--disable-plugin", "example")["example"]["status"] == "disabled"
    off = plugins(site, TRIAGE_DISABLE_PLUGIN_AUTOLOAD="1")
    assert off["example"]["status"] == "disabled" and off["hashes"]["status"] == "loaded"
    img = make_image({"/letter.txt": LETTER})
    case = tmp_path / "case"
    out = triage(
        site,
        "scan",
        str(img.path),
        "--case",
        str(case),
        "--workers",
        "1",
        "--json",
        TRIAGE_DISABLE_PLUGIN_AUTOLOAD="1",
    )
    assert out.returncode == 0, out.stderr
    assert triage(site, "findings", str(case), "--json", "--plugin", "emails").stdout == ""
    # the built-ins still ran (the identifiers analyzer finds the two addresses); the example did not
    seen = {
        json.loads(line)["plugin"]
        for line in triage(site, "findings", str(case), "--json").stdout.splitlines()
    }
    assert json.loads(out.stdout)["findings"] == 2 and seen == {"identifiers"}
