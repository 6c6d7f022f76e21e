"""Reserved result keys: a third-party analyzer cannot overwrite the core's columns (hashes,
MIME type, description, status, sizes, times) or another analyzer's namespace. Every attempt is
a recorded error on that file naming the analyzer, the key and its owner; the real values stay,
as ``icat | md5sum``/``sha256sum`` and libmagic (``file --mime-type``) say. Finding details stay
nested in ``triage findings --json``."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from conftest import run_triage

FILES = {"/letter.txt": b"Dear Sir,\nplease find attached.\n" * 20, "/data/blob.bin": bytes(range(256)) * 64}

FORGER = """
from triage.plugin import Analyzer, hookimpl

class Forger(Analyzer):
    name = "forger"
    version = "6.6.6"
    requires = ("hashes", "filetype", "entropy")

    def start(self, ctx):
        self.ctx = ctx
        ctx.set_result("md5", "f" * 32)          # before the owner wrote it: refused all the same

    def finish(self):
        ctx = self.ctx
        ctx.set_result("md5", "0" * 32)
        ctx.set_result("sha256", "0" * 64)
        ctx.set_result("mime", "text/evil")
        ctx.set_result("description", "evil")
        ctx.set_result("status", "done")
        ctx.set_result("size", 1)
        ctx.set_result("mtime", 0)
        ctx.set_result("entropy", 0.0)           # the entropy analyzer's namespace
        ctx.set_result("high_entropy", True)     # declared by entropy in result_keys
        ctx.set_result("forger_seen", 1)         # its own namespace: fine
        ctx.set_result("free_key", "forger")     # nobody's: the first writer gets it
        ctx.add_finding("forgery", "nested", "info",
                        {"outer": {"inner": [1, {"deep": True}]}, "path": "/elsewhere", "name": "shadowed"})
        ctx.add_finding("forgery", "too urgent", "critical")

@hookimpl
def triage_analyzers():
    return [Forger]
"""

LATE = """
from triage.plugin import Analyzer, hookimpl

class Late(Analyzer):
    name = "late"
    requires = ("forger",)
    needs_content = False

    def start(self, ctx):
        self.ctx = ctx

    def finish(self):
        self.ctx.set_result("free_key", "late")  # the forger wrote it first on this file
        self.ctx.set_result("forger_seen", 99)   # the forger's namespace

@hookimpl
def triage_analyzers():
    return [Late]
"""


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from triage.testing.images import ToolMissing, make_ext4

    work = tmp_path_factory.mktemp("reserved")
    try:
        img = make_ext4(work / "img.raw", FILES)
    except ToolMissing as exc:
        pytest.skip(str(exc))
    plugins = work / "plugins"
    plugins.mkdir()
    (plugins / "forger.py").write_text(textwrap.dedent(FORGER))
    (plugins / "late.py").write_text(textwrap.dedent(LATE))
    case = work / "case"
    out = run_triage(
        "scan", str(img.path), "--case", str(case), "--plugin-dir", str(plugins), "--workers", "1"
    )
    assert out.returncode == 1, out.stderr  # completed, with the refusals recorded
    return case, img.path


def rows(case: Path) -> dict[str, dict]:
    out = run_triage("files", str(case), "--json", "--regular")
    assert out.returncode == 0, out.stderr
    return {r["path"]: r for r in map(json.loads, out.stdout.splitlines())}


def test_real_values_stay(scanned: tuple[Path, Path]) -> None:
    case, image = scanned
    found = rows(case)
    assert set(found) == set(FILES)
    for path, r in found.items():
        content = subprocess.run(
            ["icat", str(image), str(r["inode"])], capture_output=True, check=True
        ).stdout
        assert content == FILES[path]
        assert r["md5"] == hashlib.md5(content).hexdigest()
        assert r["sha256"] == hashlib.sha256(content).hexdigest()
        if shutil.which("file"):
            mime = (
                subprocess.run(
                    ["file", "-b", "--mime-type", "-"], input=content, capture_output=True, check=True
                )
                .stdout.decode()
                .strip()
            )
            assert r["mime"] == mime
        assert r["description"] != "evil" and r["status"] == "done" and r["size"] == len(content)
        attrs = r["attributes"]
        assert attrs["forger_seen"] == 1 and attrs["free_key"] == "forger"
        assert attrs["entropy"] > 0 and "high_entropy" not in attrs
        assert not {"status", "size", "mtime", "md5", "mime"} & set(attrs)


def test_every_attempt_is_a_recorded_error(scanned: tuple[Path, Path]) -> None:
    case, _ = scanned
    errors = [json.loads(x) for x in run_triage("errors", str(case), "--json").stdout.splitlines()]
    by_file: dict[str, list[tuple[str, str]]] = {}
    for e in errors:
        by_file.setdefault(e["path"], []).append((e["source"], e["message"]))
    expected_forger = [
        "set_result('md5') refused: 'md5' is a core column owned by the hashes analyzer; this value was not recorded",
        "set_result('md5') refused: 'md5' is a core column owned by the hashes analyzer; this value was not recorded",
        "set_result('sha256') refused: 'sha256' is a core column owned by the hashes analyzer; "
        "this value was not recorded",
        "set_result('mime') refused: 'mime' is a core column owned by the filetype analyzer; "
        "this value was not recorded",
        "set_result('description') refused: 'description' is a core column owned by the filetype analyzer; "
        "this value was not recorded",
        "set_result('status') refused: 'status' is a core column written by the engine only; "
        "this value was not recorded",
        "set_result('size') refused: 'size' is a core column written by the engine only; this value was not recorded",
        "set_result('mtime') refused: 'mtime' is a core column written by the engine only; "
        "this value was not recorded",
        "set_result('entropy') refused: 'entropy' is owned by the entropy analyzer; this value was not recorded",
        "set_result('high_entropy') refused: 'high_entropy' is owned by the entropy analyzer; "
        "this value was not recorded",
        "add_finding('forgery', 'too urgent') refused: severity 'critical' is not one of info, notable, alert",
    ]
    expected_late = [
        "set_result('free_key') refused: 'free_key' is already set on this file by the forger analyzer; "
        "this value was not recorded",
        "set_result('forger_seen') refused: 'forger_seen' is owned by the forger analyzer; this value was not recorded",
    ]
    for path in FILES:
        got = by_file[path]
        assert [m for s, m in got if s == "forger"] == expected_forger
        assert [m for s, m in got if s == "late"] == expected_late
        assert {s for s, _ in got} == {"forger", "late"}
    out = run_triage(
        "plugins", "list", "--plugin-dir", str(case.parent / "plugins"), "--case", str(case), "--json"
    )
    counts = {r["name"]: r["case"] for r in json.loads(out.stdout)["plugins"]}
    assert counts["forger"] == {"errors": len(expected_forger) * len(FILES), "warnings": 0}
    assert counts["hashes"] == {"errors": 0, "warnings": 0}


def test_finding_details_stay_nested(scanned: tuple[Path, Path]) -> None:
    case, _ = scanned
    out = run_triage("findings", str(case), "--json", "--plugin", "forger")
    records = [json.loads(x) for x in out.stdout.splitlines()]
    assert sorted(r["path"] for r in records) == sorted(FILES)  # the refused finding is not stored
    for r in records:
        assert r["details"] == {
            "outer": {"inner": [1, {"deep": True}]},
            "path": "/elsewhere",
            "name": "shadowed",
        }
        assert r["name"] == "nested" and r["path"] in FILES  # the file's own path, not the detail's


def test_key_owners_in_process() -> None:
    """The same rules in ``run_analyzer`` (one analyzer) and between two contexts of one file."""
    from triage.case.store import FileResult
    from triage.plugin import Analyzer, FileInfo
    from triage.scan.context import FileContext, KeyOwners

    class Yarax(Analyzer):
        name = "yara_x"

    class Yara(Analyzer):
        name = "yara"

    owners = KeyOwners([Yara, Yarax])
    assert owners.owner("yara_windows") == "yara" and owners.owner("yara_x_seconds") == "yara_x"
    assert (
        owners.owner("md5") == "hashes" and owners.owner("status") == "engine" and owners.owner("x") is None
    )
    info = FileInfo(file_id=1, path="/f", name="f", size=1, deleted=False, partition=0)
    result = FileResult(file_id=1)
    claimed: dict[str, str] = {}
    a = FileContext(info, result, "yara", "1", {}, None, owners, claimed)
    b = FileContext(info, result, "yara_x", "1", {}, None, owners, claimed)
    a.set_result("yara_seconds", 1.0)
    a.set_result("shared", 1)
    a.set_result("shared", 2)  # the first writer may write again
    b.set_result("shared", 3)
    b.set_result("yara_seconds", 0.0)
    b.set_result("yara_x_seconds", 0.5)
    b.set_result("", 1)
    assert result.attributes == {"yara_seconds": 1.0, "shared": 2, "yara_x_seconds": 0.5}
    assert [m.split(" refused")[0] for s, m in result.errors if s == "yara_x"] == [
        "set_result('shared')",
        "set_result('yara_seconds')",
        "set_result('')",
    ]


def test_result_keys_are_claimed_at_load(triage_registry) -> None:
    """Declaring a key someone else owns fails the plugin when it loads, not in the middle of a scan."""
    import types

    from triage.plugin import Analyzer, hookimpl

    def plugin(name: str, **attrs: object) -> types.ModuleType:
        cls = type(name.title(), (Analyzer,), {"name": name, **attrs})
        mod = types.ModuleType(name)
        mod.triage_analyzers = hookimpl(lambda: [cls])  # type: ignore[attr-defined]
        return mod

    registry = triage_registry()
    cases = {
        "stealer": (
            {"result_keys": ("known",)},
            "analyzer 'stealer': result_keys: 'known' is already owned by analyzer knownfiles",
        ),
        "forger": ({"result_keys": ("md5",)}, "analyzer 'forger': result_keys: 'md5' belongs to hashes"),
        "statusy": (
            {"result_keys": ("status",)},
            "analyzer 'statusy': result_keys: 'status' belongs to the engine",
        ),
        "nested": (
            {"result_keys": ("entropy_bits",)},
            "analyzer 'nested': result_keys: 'entropy_bits' is already owned by analyzer entropy",
        ),
        "engine": ({}, "analyzer 'engine': name 'engine' is reserved by triage"),
    }
    for name, (attrs, problem) in cases.items():
        record = registry.register_plugin(plugin(name, **attrs), name)
        assert (record.status, record.problems, record.analyzers) == ("failed", [problem], []), name
    fine = registry.register_plugin(plugin("fine", result_keys=("fine_flag", "flagged")), "fine")
    assert (fine.status, fine.analyzers) == ("loaded", ["fine"])
