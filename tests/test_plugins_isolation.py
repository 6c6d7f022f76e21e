"""Deliberately broken plugins in a --plugin-dir: an import error, an exception on every third
file, one too slow on one file, a hook typo and an API mismatch. The scan completes, every
other analyzer's results are intact, and each problem is visible in the case
(``triage errors --json``) and in ``triage plugins list``."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

FILES = {f"/docs/file{i}.txt": f"content of file {i}\n".encode() * (i + 1) for i in range(8)}
FILES["/docs/slow.txt"] = b"this one takes too long\n"

PLUGINS = {
    "broken_import.py": """
        import does_not_exist_module_xyz  # noqa
    """,
    "flaky.py": """
        from triage.plugin import Analyzer, Option, hookimpl
        __version__ = "0.3.0"

        class Flaky(Analyzer):
            name = "flaky"
            version = "0.3.1"
            options = (Option("every", int, 5, "fail on every Nth file"),)

            def setup(self):
                self.n = 0

            def start(self, ctx):
                self.n += 1
                self.ctx = ctx

            def update(self, chunk):
                if self.n % self.config["every"] == 0:
                    raise RuntimeError(f"flaky fails on file number {self.n}")

            def finish(self):
                self.ctx.set_result("flaky_seen", self.n)

        @hookimpl
        def triage_analyzers():
            return [Flaky]
    """,
    "slow.py": """
        import time
        from triage.plugin import Analyzer, hookimpl
        __version__ = "0.1.0"

        class Slow(Analyzer):
            name = "slow"
            version = "0.1.0"
            time_budget = 0.3
            needs_content = False

            def start(self, ctx):
                self.ctx = ctx

            def finish(self):
                if self.ctx.file.name == "slow.txt":
                    time.sleep(0.8)

        @hookimpl
        def triage_analyzers():
            return [Slow]
    """,
    "typo.py": """
        from triage.plugin import hookimpl

        @hookimpl
        def triage_analyzer():  # missing "s"
            return []
    """,
    "future.py": """
        from triage.plugin import Analyzer, hookimpl

        class Future(Analyzer):
            name = "future"
            api_version = "3"

        @hookimpl
        def triage_analyzers():
            return [Future]
    """,
}


def triage(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "triage", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TZ": "UTC", **(env or {})},
    )


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("plugins")
    for name, text in PLUGINS.items():
        (d / name).write_text(textwrap.dedent(text))
    return d


@pytest.fixture(scope="module")
def scanned(plugin_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, Path]:
    from triage.testing.images import ToolMissing, make_ext4

    work = tmp_path_factory.mktemp("iso")
    try:
        img = make_ext4(work / "img.raw", FILES)
    except ToolMissing as exc:
        pytest.skip(str(exc))
    case = work / "case"
    out = triage(
        "scan",
        str(img.path),
        "--case",
        str(case),
        "--plugin-dir",
        str(plugin_dir),
        "--workers",
        "1",
        "--set",
        "flaky.every=3",
        "--json",
    )
    assert out.returncode == 1, out.stderr  # 1: completed, with recorded errors
    return case, json.loads(out.stdout), img.path


def errors(case: Path) -> list[dict]:
    out = triage("errors", str(case), "--json")
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def test_scan_completes_with_everything_else_intact(scanned) -> None:
    case, summary, _ = scanned
    assert (
        summary["status"] == "completed" and summary["files"] == len(FILES) and summary["failed_files"] == 0
    )
    rows = [
        json.loads(line) for line in triage("files", str(case), "--json", "--regular").stdout.splitlines()
    ]
    assert {r["path"]: r["sha256"] for r in rows} == {
        p: hashlib.sha256(d).hexdigest() for p, d in FILES.items()
    }
    assert all(r["status"] == "done" for r in rows)


def test_import_error_recorded(scanned) -> None:
    errs = [e for e in errors(scanned[0]) if e["source"] == "plugin:broken_import"]
    assert len(errs) == 1
    assert (
        "plugin failed to load: ModuleNotFoundError: No module named 'does_not_exist_module_xyz'"
        in errs[0]["message"]
    )


def test_exception_every_third_file_recorded_per_file(scanned) -> None:
    errs = [e for e in errors(scanned[0]) if e["source"] == "flaky"]
    # one worker, files in inventory order: the 3rd, 6th and 9th file fail
    assert len(errs) == len(FILES) // 3
    assert all(e["file_id"] is not None and e["path"] in FILES for e in errs)
    assert sorted(e["message"] for e in errs) == [
        f"update raised RuntimeError: flaky fails on file number {n}" for n in (3, 6, 9)
    ]
    rows = [
        json.loads(line)
        for line in triage("files", str(scanned[0]), "--json", "--regular").stdout.splitlines()
    ]
    seen = sorted(r["attributes"].get("flaky_seen", 0) for r in rows)
    assert seen == [0, 0, 0, 1, 2, 4, 5, 7, 8]  # finish() ran on the others


def test_time_budget_overrun_recorded(scanned) -> None:
    errs = [e for e in errors(scanned[0]) if e["source"] == "slow"]
    assert [e["path"] for e in errs] == ["/docs/slow.txt"]
    assert errs[0]["severity"] == "warning"
    assert errs[0]["message"].startswith("over its time budget (") and "> 0.3 s)" in errs[0]["message"]


def test_plugins_list_shows_failures_and_case_problems(scanned, plugin_dir: Path) -> None:
    out = triage("plugins", "list", "--plugin-dir", str(plugin_dir), "--case", str(scanned[0]), "--json")
    assert out.returncode == 0, out.stderr
    recs = {r["name"]: r for r in json.loads(out.stdout)["plugins"]}
    assert recs["broken_import"]["status"] == "failed"
    assert "No module named 'does_not_exist_module_xyz'" in recs["broken_import"]["error"]
    assert recs["broken_import"]["origin"] == str(plugin_dir / "broken_import.py")
    assert recs["typo"]["status"] == "failed" and "unknown hook(s) triage_analyzer" in recs["typo"]["error"]
    assert recs["future"]["status"] == "failed" and "needs plugin API 3" in recs["future"]["error"]
    assert (recs["flaky"]["status"], recs["flaky"]["version"]) == ("loaded", "0.3.0")
    assert recs["flaky"]["case"] == {"errors": 3, "warnings": 0}
    assert recs["slow"]["case"] == {"errors": 0, "warnings": 1}
    assert recs["broken_import"]["case"] == {"errors": 1, "warnings": 0}
    assert recs["hashes"]["case"] == {"errors": 0, "warnings": 0}
    text = triage("plugins", "list", "--plugin-dir", str(plugin_dir), "--case", str(scanned[0])).stdout
    assert "error: ModuleNotFoundError" in text and "3 errors, 0 warnings" in text


def test_scan_records_versions_and_options(scanned) -> None:
    from triage.case.store import Case

    with Case.open(scanned[0], readonly=True) as case:
        scan = case.scans()[-1]
    assert scan["settings"]["options"] == {"flaky": {"every": 3}}
    assert {"flaky", "slow", "hashes", "filetype", "knownfiles", "interesting", "entropy"} <= set(
        scan["settings"]["analyzers"]
    )
    assert scan["versions"]["plugins"]["flaky"] == "0.3.0"
    assert scan["versions"]["analyzers"]["flaky"] == "0.3.1"
    assert scan["versions"]["analyzers"]["hashes"] == "1.0.0"
    assert "broken_import" not in scan["versions"]["plugins"]


def test_disable_plugin_and_autoload(scanned, plugin_dir: Path, tmp_path: Path) -> None:
    img = scanned[2]
    case = tmp_path / "case"
    out = triage(
        "scan",
        str(img),
        "--case",
        str(case),
        "--plugin-dir",
        str(plugin_dir),
        "--workers",
        "1",
        "--disable-plugin",
        "flaky",
        "--disable-plugin",
        "broken_import",
        "--analyzers",
        "hashes,flaky,slow",
    )
    assert out.returncode == 2 and "unknown analyzer: flaky" in out.stderr
    out = triage(
        "scan",
        str(img),
        "--case",
        str(case),
        "--plugin-dir",
        str(plugin_dir),
        "--workers",
        "1",
        "--disable-plugin",
        "flaky",
        "--disable-plugin",
        "broken_import",
        "--disable-plugin",
        "typo",
        "--disable-plugin",
        "future",
        "--analyzers",
        "hashes,slow",
        "--json",
    )
    assert out.returncode == 0, out.stderr  # the slow warning alone does not fail the run
    assert {e["source"] for e in errors(case)} == {"slow"}
    recs = {
        r["name"]: r
        for r in json.loads(
            triage(
                "plugins", "list", "--plugin-dir", str(plugin_dir), "--disable-plugin", "flaky", "--json"
            ).stdout
        )["plugins"]
    }
    assert recs["flaky"]["status"] == "disabled" and recs["flaky"]["error"] == "disabled by --disable-plugin"
    # the user plugin folder is skipped (and listed as disabled) with TRIAGE_DISABLE_PLUGIN_AUTOLOAD
    data = tmp_path / "xdg"
    user_dir = data / "triage" / "plugins"
    user_dir.mkdir(parents=True)
    (user_dir / "mine.py").write_text(textwrap.dedent(PLUGINS["slow.py"]).replace('"slow"', '"mine"'))
    on = json.loads(triage("plugins", "list", "--json", env={"XDG_DATA_HOME": str(data)}).stdout)["plugins"]
    off = json.loads(
        triage(
            "plugins",
            "list",
            "--json",
            env={"XDG_DATA_HOME": str(data), "TRIAGE_DISABLE_PLUGIN_AUTOLOAD": "1"},
        ).stdout
    )["plugins"]
    assert {r["name"]: r["status"] for r in on}["mine"] == "loaded"
    off_status = {r["name"]: r["status"] for r in off}
    assert off_status["mine"] == "disabled" and off_status["hashes"] == "loaded"


MALFORMED = {
    "intver.py": """
        from triage.plugin import Analyzer, hookimpl

        class IntVer(Analyzer):
            name = "intver"
            api_version = 1  # an int, not "1"

        @hookimpl
        def triage_analyzers():
            return [IntVer]
    """,
    "badname.py": """
        from triage.plugin import Analyzer, Option, hookimpl

        class Good(Analyzer):
            name = "goodpart"

        class Bad(Analyzer):
            name = "Bad Name"
            time_budget = "60"
            options = (Option("level", int, "high"),)

        @hookimpl
        def triage_analyzers():
            return [Good, Bad]
    """,
}


@pytest.fixture(scope="module")
def malformed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("malformed")
    for name, text in MALFORMED.items():
        (d / name).write_text(textwrap.dedent(text))
    (d / "flaky.py").write_text(textwrap.dedent(PLUGINS["flaky.py"]))
    return d


def test_malformed_declaration_disables_only_that_plugin(
    malformed_dir: Path, scanned, tmp_path: Path
) -> None:
    # in the user plugin folder it used to make every command exit 4 (AttributeError)
    data = tmp_path / "xdg"
    (data / "triage").mkdir(parents=True)
    shutil.copytree(malformed_dir, data / "triage" / "plugins")
    env = {"XDG_DATA_HOME": str(data)}
    for args in (
        ["plugins", "list"],
        ["--help"],
        ["files", str(scanned[0]), "--json"],
        ["findings", str(scanned[0])],
    ):
        out = triage(*args, env=env)
        assert out.returncode == 0 and "internal error" not in out.stderr, (args, out.stderr)
    recs = {r["name"]: r for r in json.loads(triage("plugins", "list", "--json", env=env).stdout)["plugins"]}
    assert (recs["intver"]["status"], recs["intver"]["analyzers"]) == ("failed", [])
    user = data / "triage" / "plugins"
    assert recs["intver"]["error"] == (
        f"{user}/intver.py:6: analyzer 'intver': api_version must be a string such as \"1.1\", not int 1"
    )
    assert recs["badname"]["status"] == "failed" and recs["badname"]["analyzers"] == []  # goodpart too
    assert recs["badname"]["problems"] == [
        f"{user}/badname.py:8: analyzer 'Bad Name': name must be lower-case letters, digits and _ (starting with a "
        f"letter, at most 40)",
        f"{user}/badname.py:9: analyzer 'Bad Name': time_budget must be a number of seconds > 0, not '60'",
        f"{user}/badname.py:10: analyzer 'Bad Name': option 'level': default 'high': expected int, not str 'high'",
    ]
    assert (recs["flaky"]["status"], recs["hashes"]["status"]) == ("loaded", "loaded")
    text = triage("plugins", "list", env=env).stdout
    assert f"error: {user}/badname.py:9: analyzer 'Bad Name': time_budget must be" in text
    doctor = triage("doctor", "--json", env=env)
    assert doctor.returncode == 1 and "internal error" not in doctor.stderr  # 1: a plugin failed
    plugins = {p["name"]: p for p in json.loads(doctor.stdout)["plugins"]}
    assert (
        plugins["intver"]["status"] == "failed"
        and "api_version must be a string" in plugins["intver"]["error"]
    )
    # a scan runs without it and records why it did not run; asking for it is refused up front
    case = tmp_path / "case"
    out = triage("scan", str(scanned[2]), "--case", str(case), "--workers", "1", "--json", env=env)
    assert out.returncode == 1, out.stderr
    assert json.loads(out.stdout)["failed_files"] == 0
    errs = {e["source"]: e["message"] for e in errors(case) if e["source"].startswith("plugin:")}
    assert errs["plugin:intver"] == (
        f"plugin failed to load: {user}/intver.py:6: analyzer 'intver': api_version "
        f'must be a string such as "1.1", not int 1'
    )
    assert errs["plugin:badname"].startswith(
        f"plugin failed to load: {user}/badname.py:8: analyzer 'Bad Name': name must be"
    )
    refused = triage(
        "scan", str(scanned[2]), "--case", str(tmp_path / "c2"), "--analyzers", "hashes,intver", env=env
    )
    assert refused.returncode == 2 and not (tmp_path / "c2").exists()
    assert refused.stderr.strip() == (
        f"triage: error: --analyzers: unknown analyzer: intver (plugin intver failed "
        f"to load: {user}/intver.py:6: analyzer 'intver': api_version must be a string "
        f"such as \"1.1\", not int 1; see 'triage plugins list')"
    )


def test_plugins_check(malformed_dir: Path, plugin_dir: Path) -> None:
    good = triage("plugins", "check", str(malformed_dir / "flaky.py"))
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout == (  # flaky declares no api_version: the default "1" loads through the 1.x adapter
        f"{malformed_dir / 'flaky.py'}: warning: plugin flaky targets plugin API 1.x; support ends "
        "2027-12-31, port it to 2.0 (see docs/plugins.md)\n"
        "plugin flaky 0.3.0 (loaded): ok; analyzers: flaky\n"
    )
    bad = triage("plugins", "check", str(malformed_dir / "badname.py"))
    assert bad.returncode == 1
    origin = malformed_dir / "badname.py"
    assert bad.stdout.splitlines() == [  # file:line of each offending declaration
        f"{origin}:8: analyzer 'Bad Name': name must be lower-case letters, digits and _ (starting with a letter, "
        f"at most 40)",
        f"{origin}:9: analyzer 'Bad Name': time_budget must be a number of seconds > 0, not '60'",
        f"{origin}:10: analyzer 'Bad Name': option 'level': default 'high': expected int, not str 'high'",
        "plugin badname ? (failed): 3 problem(s); analyzers: -",
    ]
    assert triage("plugins", "check", str(malformed_dir / "intver.py")).returncode == 1
    typo = triage("plugins", "check", str(plugin_dir / "typo.py"))
    assert typo.returncode == 1 and "unknown hook(s) triage_analyzer" in typo.stdout
    broken = triage("plugins", "check", str(plugin_dir / "broken_import.py"), "--json")
    assert broken.returncode == 1
    assert json.loads(broken.stdout)["problems"] == [
        "ModuleNotFoundError: No module named 'does_not_exist_module_xyz'"
    ]
    assert triage("plugins", "check", "hashes").returncode == 0  # an installed plugin, by name
    missing = triage("plugins", "check", "no_such_plugin")
    assert missing.returncode == 2 and "no installed plugin of this name" in missing.stderr
    assert triage("plugins", "check", str(plugin_dir / "nope.py")).returncode == 2
