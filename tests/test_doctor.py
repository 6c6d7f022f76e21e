"""``triage doctor`` reports the real versions of the native parts and the plugin status."""

from __future__ import annotations

import json

import magic
import pytsk3
import yara
from conftest import run_triage


def test_doctor_json_reports_real_versions() -> None:
    proc = run_triage("doctor", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    versions = report["versions"]
    assert versions["tsk"] == pytsk3.TSK_VERSION_STR
    assert versions["yara"] == yara.YARA_VERSION
    assert versions["libmagic"] == str(magic.version())
    assert versions["libewf"]
    names = {p["name"]: p for p in report["plugins"]}
    assert names["hashes"]["status"] == "loaded"
    assert names["filetype"]["analyzers"] == ["filetype"]
    assert report["formats"]["E01 (pyewf)"] is True
    assert report["paths"]["logs"]


def test_doctor_text_names_failed_plugins(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    user_plugins = tmp_path / "data" / "triage" / "plugins"
    user_plugins.mkdir(parents=True)
    (user_plugins / "broken.py").write_text("import does_not_exist_anywhere\n")
    proc = run_triage("doctor")
    assert proc.returncode == 1
    assert "broken" in proc.stdout
    assert "does_not_exist_anywhere" in proc.stdout
    assert "Traceback" not in proc.stderr
