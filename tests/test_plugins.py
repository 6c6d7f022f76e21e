"""The public plugin API (triage.plugin) and the registry: versions, filters, requirements,
isolation, strict typing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from triage.plugin import API_VERSION, Analyzer, FileFilter, FileInfo, Option, api_compatible, hookimpl
from triage.scan.registry import PluginConfig, Registry

REPO = Path(__file__).resolve().parents[1]


def info(
    path: str = "/Users/a/x.KDBX", size: int = 10, deleted: bool = False, mime: str | None = None
) -> FileInfo:
    return FileInfo(1, path, path.rsplit("/", 1)[-1], size, deleted, 0, mime=mime)


def test_api_version_semver() -> None:
    major, minor, _ = (int(p) for p in API_VERSION.split("."))
    assert (
        api_compatible(str(major)) and api_compatible(f"{major}.{minor}") and api_compatible(f"{major}.0.0")
    )
    assert not api_compatible(f"{major}.{minor + 1}") and not api_compatible(str(major + 1))
    assert not api_compatible("x")


def test_file_filter() -> None:
    f = FileFilter(
        name_patterns=("*.kdbx",), path_patterns=("/users/*",), min_size=5, max_size=20, deleted=False
    )
    assert f.accepts_metadata(info())
    assert not f.accepts_metadata(info(size=4)) and not f.accepts_metadata(info(size=21))
    assert not f.accepts_metadata(info(deleted=True))
    assert not f.accepts_metadata(info("/Windows/x.kdbx"))
    assert not f.accepts_metadata(info("/Users/a/x.txt"))
    t = FileFilter(mime_types=("text/*",))
    assert t.accepts_type(info(mime="text/plain")) and not t.accepts_type(info(mime="image/png"))
    assert not t.accepts_type(info(mime=None))


def test_option_parsing() -> None:
    assert Option("n", int, 1).parse("7") == 7
    assert Option("b", bool, False).parse("Yes") is True and Option("b", bool, True).parse("off") is False
    assert Option("l", list, []).parse("a, b,,c") == ["a", "b", "c"]
    with pytest.raises(ValueError, match="not one of"):
        Option("c", str, "x", choices=("x", "y")).parse("z")


class Needs(Analyzer):
    name = "aaa_needs"  # sorts before "hashes" by name; must still run after it
    requires = ("hashes",)
    needs_content = False

    def start(self, ctx):  # type: ignore[no-untyped-def]
        self.ctx = ctx

    def finish(self) -> None:
        self.ctx.set_result("seen_sha256", self.ctx.results.get("sha256"))


class Orphan(Analyzer):
    name = "orphan"
    requires = ("nope",)


class Plugin:
    @hookimpl
    def triage_analyzers(self) -> list[type[Analyzer]]:
        return [Needs, Orphan]


def test_requirements_order_and_failures() -> None:
    reg = Registry(PluginConfig(entry_points=False, include_user_dir=False))
    rec = reg.register_plugin(Plugin(), "local", "9.9")
    assert rec.status == "failed" and "orphan requires nope" in (rec.error or "")
    assert rec.analyzers == ["aaa_needs"]
    names = [c.name for c in reg.analyzer_classes(["aaa_needs"])]
    assert names == ["hashes", "aaa_needs"]  # the requirement is added and comes first
    assert [c.name for c in reg.analyzer_classes()].index("hashes") < [
        c.name for c in reg.analyzer_classes()
    ].index("aaa_needs")
    with pytest.raises(KeyError, match="orphan"):
        reg.analyzer_classes(["orphan"])


def test_results_are_readable_after_required_analyzers(run_analyzer) -> None:
    res = run_analyzer(Needs, b"x", results={"sha256": "ab" * 32})
    assert res.attributes["seen_sha256"] == "ab" * 32


def test_isolated_registry_fixture(triage_registry) -> None:
    reg = triage_registry()
    assert {r.name for r in reg.records} == {
        "hashes",
        "filetype",
        "knownfiles",
        "interesting",
        "entropy",
        "yara",
        "identifiers",
        "text",
    }
    bare = triage_registry("triage_plugins.hashes", builtins=False)
    assert [(r.name, r.status, r.origin) for r in bare.records] == [
        ("hashes", "loaded", "triage_plugins.hashes (module)")
    ]
    assert [c.name for c in bare.analyzer_classes()] == ["hashes"]


def test_duplicate_names_are_refused(tmp_path: Path) -> None:
    (tmp_path / "hashes.py").write_text("")  # same plugin name as a built-in
    (tmp_path / "dup.py").write_text(
        textwrap.dedent("""
        from triage.plugin import Analyzer, hookimpl
        class H(Analyzer):
            name = "hashes"
        @hookimpl
        def triage_analyzers():
            return [H]
    """)
    )
    (tmp_path / "exits.py").write_text("import sys\nsys.exit(3)\n")
    reg = Registry(PluginConfig(plugin_dirs=[str(tmp_path)], entry_points=False, include_user_dir=False))
    recs = {(r.name, r.origin): r for r in reg.records}
    assert recs[("hashes", str(tmp_path / "hashes.py"))].error == "a plugin with this name is already loaded"
    assert "already taken by plugin hashes" in (recs[("dup", str(tmp_path / "dup.py"))].error or "")
    assert recs[("exits", str(tmp_path / "exits.py"))].status == "failed"  # SystemExit is contained too
    assert reg.analyzer_plugin("hashes").origin == "triage-workstation (entry point)"


def test_mypy_strict_on_public_api() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "triage/plugin.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_legacy_1x_analyzer_loads_with_deprecation_warning() -> None:
    from triage.plugin import LEGACY_API_END, api_legacy
    from triage.scan.registry import PluginConfig, Registry

    class Old(Analyzer):
        name = "old_style"
        api_version = "1.1"

    class New(Analyzer):
        name = "new_style"
        api_version = "2.0"

    class Plugin:
        def __init__(self, cls: type[Analyzer]) -> None:
            self.cls = cls

        @hookimpl
        def triage_analyzers(self) -> list[type[Analyzer]]:
            return [self.cls]

    assert api_legacy("1") and api_legacy("1.2") and not api_legacy("1.3") and not api_legacy("2.0")
    reg = Registry(PluginConfig(include_user_dir=False, entry_points=False, builtins=False))
    old = reg.register_plugin(Plugin(Old), "oldplug")
    new = reg.register_plugin(Plugin(New), "newplug")
    assert (old.status, old.analyzers) == ("loaded", ["old_style"])
    assert old.warnings == [
        f"plugin oldplug targets plugin API 1.x; support ends {LEGACY_API_END}, port it to 2.0 (see docs/plugins.md)"
    ]
    assert LEGACY_API_END == "2027-12-31"
    assert (new.status, new.warnings) == ("loaded", [])


def test_removed_1x_hooks_load_through_the_adapter() -> None:
    from triage.plugin import Hookspecs
    from triage.scan.registry import PluginConfig, Registry

    class Old:
        @hookimpl
        def triage_options(self) -> list[Option]:
            return []

    assert not hasattr(Hookspecs, "triage_options") and not hasattr(Hookspecs, "triage_case_opened")
    assert not hasattr(Analyzer, "process_safe") and "extra" not in FileInfo.__dataclass_fields__
    reg = Registry(PluginConfig(include_user_dir=False, entry_points=False, builtins=False))
    rec = reg.register_plugin(Old(), "oldhooks")
    assert rec.status == "loaded", rec.error
    assert rec.warnings[1:] == ["hook triage_options was removed in plugin API 2.0 and is never called"]
    assert rec.warnings[0].startswith("plugin oldhooks targets plugin API 1.x; support ends 2027-12-31")


def test_findings_unknown_plugin_is_a_usage_error(fat_image: Any, tmp_path: Path) -> None:
    from conftest import run_triage

    case = tmp_path / "case"
    scan = run_triage(
        "scan", str(fat_image.path), "--case", str(case), "--workers", "1", "--analyzers", "hashes"
    )
    assert scan.returncode == 0, scan.stderr
    bad = run_triage("findings", str(case), "--plugin", "nosuch")
    assert bad.returncode == 2 and bad.stdout == ""
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "triage: error: --plugin nosuch: no such plugin or analyzer"
    )
    assert "hashes" in lines[0] and "yara" in lines[0]
    good = run_triage("findings", str(case), "--plugin", "hashes")
    assert good.returncode == 0, good.stderr


def test_opt_in_analyzers_run_only_when_named(triage_registry, tmp_path, triage_cli) -> None:
    """The full-text index is opt-in: left out of a default scan, added by ``--analyzers +text``."""
    reg = triage_registry()
    defaults = reg.scan_names(None)
    assert defaults is not None and "text" not in defaults and "hashes" in defaults
    assert reg.scan_names(["+text"]) == [*defaults, "text"]
    assert [c.name for c in reg.scan_classes(["hashes"])] == ["hashes"]
    proc = triage_cli("scan", "examples/demo.raw", "--case", str(tmp_path / "c"), "--analyzers", "+nope")
    assert proc.returncode == 2 and "--analyzers: unknown analyzer: nope" in proc.stderr
    assert not (tmp_path / "c").exists()
