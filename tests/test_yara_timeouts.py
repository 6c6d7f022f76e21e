"""YARA time limits on a real ext4 fixture: a rule that takes minutes on a 3 MiB file (the regular
expression ``/a.{0,3000}c/s`` over ``abab…``: every ``a`` starts a 3000-byte search) costs only its
own matches. With ``--yara-timeout 2`` the YARA work on that file ends within twice the timeout, the
cheap rules' matches equal ``icat | yara -s`` (string offsets included), the slow rule is named in
the file's errors and in ``yara_incomplete``, and the hashes equal icat's. Both engines.

A plugin that hangs is stopped by ``--file-timeout``: the error names it and the method that was
running, and the file is scanned again without it, so its hashes are still recorded."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import run_triage

from triage.testing.images import MiB, ToolMissing, make_ext4, tsk_cat

TIMEOUT = 2
WINDOWED_TIMEOUT = 3  # room for the later windows after one spent on isolating the slow rule
SLOW_RULE = "rule m_slow { strings: $a = /a.{0,3000}c/s condition: $a }\n"
MIXED = (
    'import "math"\n'
    'rule m_two { strings: $t = "MARKER-TWO" condition: $t }\n'
    + SLOW_RULE
    + "private rule m_priv { strings: $h = { 4D 41 52 4B 45 52 2D 54 } condition: $h }\n"
    "rule m_uses { condition: m_priv and math.entropy(0, 64) < 2 }\n"
)
CHEAP = (
    'rule cheap_marker { strings: $m = "MARKER-ONE" condition: $m }\n'
    "rule cheap_hex { strings: $h = { 4D 41 52 4B ?? 52 2D 54 57 4F } condition: $h }\n"
)


def _slow_content() -> bytes:
    data = bytearray(b"ab" * (3 * MiB // 2))
    for off, s in (
        (1000, b"MARKER-ONE"),
        (5000, b"MARKER-TWO"),
        (2_000_001, b"MARKER-ONE"),
        (3 * MiB - 40, b"MARKER-TWO"),
    ):
        data[off : off + len(s)] = s
    return bytes(data)


TREE = {"/data/slow.bin": _slow_content(), "/data/note.txt": b"a note with MARKER-ONE in it\n"}


@pytest.fixture(scope="module")
def fixture(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if shutil.which("yara") is None or shutil.which("icat") is None:
        pytest.skip("needs the yara CLI and icat")
    root = tmp_path_factory.mktemp("yara-timeouts")
    try:
        built = make_ext4(root / "slow.img", dict(TREE), size=16 * MiB)
    except ToolMissing as exc:
        pytest.skip(f"cannot build fixture image: {exc}")
    rules = root / "rules"
    rules.mkdir()
    (rules / "mixed.yar").write_text(MIXED)
    (rules / "cheap.yar").write_text(CHEAP)
    oracle = root / "oracle"  # the same rules without the slow one, for the yara CLI
    oracle.mkdir()
    (oracle / "mixed.yar").write_text(MIXED.replace(SLOW_RULE, ""))
    (oracle / "cheap.yar").write_text(CHEAP)
    return {"image": built.path, "rules": rules, "oracle": oracle, "root": root}


def _yara_cli(rules: Path, target: Path) -> set[tuple[str, str, int]]:
    """``yara -s`` over ``target`` with each rule file of ``rules``: {(rule, identifier, offset)}."""
    found: set[tuple[str, str, int]] = set()
    for rule_file in sorted(rules.iterdir()):
        out = subprocess.run(
            ["yara", "-s", str(rule_file), str(target)], capture_output=True, text=True, check=True
        ).stdout
        rule = ""
        for line in out.splitlines():
            m = re.match(r"^0x([0-9a-f]+):(\$\w+): ", line)
            if m:
                found.add((rule, m[2], int(m[1], 16)))
            else:
                rule = line.split(" ", 1)[0]
                found.add((rule, "", -1))
    return found


def _scan(fx: dict[str, Path], case: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], float]:
    t0 = time.monotonic()
    proc = run_triage(
        "scan", str(fx["image"]), "--case", str(case), "--workers", "1", "--json", *extra, timeout=120
    )
    return proc, time.monotonic() - t0


def _rows(case: Path) -> dict[str, dict[str, Any]]:
    out = run_triage("files", str(case), "--json", "--regular", check=True).stdout
    return {r["path"]: r for r in map(json.loads, out.splitlines())}


def _errors(case: Path) -> list[dict[str, Any]]:
    out = run_triage("errors", str(case), "--json").stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def _icat(fx: dict[str, Path], row: dict[str, Any]) -> bytes:
    data = tsk_cat(fx["image"], str(row["inode"]))
    assert data == TREE[row["path"]]
    return data


@pytest.mark.parametrize("engine", ["yara", "yara-x"])
def test_slow_rule_costs_only_its_own_matches(tmp_path: Path, fixture: dict[str, Path], engine: str) -> None:
    pytest.importorskip("yara_x" if engine == "yara-x" else "yara")
    before = hashlib.sha256(fixture["image"].read_bytes()).hexdigest()
    case = tmp_path / "case"
    proc, wall = _scan(
        fixture,
        case,
        "--analyzers",
        "hashes,filetype,yara",
        "--yara-rules",
        str(fixture["rules"]),
        "--yara-engine",
        engine,
        "--yara-timeout",
        str(TIMEOUT),
        "--yara-profile-seconds",
        "1",
    )
    assert proc.returncode == 1, proc.stderr  # completed, with the timed-out rule recorded as an error
    summary = json.loads(proc.stdout)
    assert summary["status"] == "completed" and summary["failed_files"] == 0
    rows = _rows(case)
    slow = rows["/data/slow.bin"]
    # the time limit: the YARA work on the file within twice the timeout (+ the 1 s grace in which the
    # rules after a late slow one still run, not used here, and Python's own work)
    assert slow["attributes"]["yara_seconds"] <= 2 * TIMEOUT + 1.5, slow["attributes"]
    assert summary["seconds"] <= 2 * TIMEOUT + 20, summary  # + process start-up and the other analyzers
    # + the 1 s rule-cost profile (one call may round up to 2 s) and start-up
    assert wall <= 2 * TIMEOUT + 1 + 2 + 30, wall
    # hashes equal icat's, and the file is done
    data = _icat(fixture, slow)
    assert slow["status"] == "done"
    assert slow["md5"] == hashlib.md5(data).hexdigest() and slow["sha256"] == hashlib.sha256(data).hexdigest()
    assert slow["mime"] == "text/plain"
    # the slow rule is named, once, and the file says its YARA result is incomplete for that rule
    errs = [e for e in _errors(case) if e.get("path") == "/data/slow.bin" and e["severity"] == "error"]
    assert len(errs) == 1, errs
    assert errs[0]["source"] == "yara"
    assert errs[0]["message"].startswith(
        f"YARA rule mixed.yar:m_slow timed out (yara.timeout {TIMEOUT} s;"
    ), errs
    assert slow["attributes"]["yara_incomplete"] == ["mixed.yar:m_slow"]
    # the cheap rules' matches equal the yara CLI's over the icat-extracted file
    extracted = tmp_path / "slow.bin"
    extracted.write_bytes(data)
    expected = _yara_cli(fixture["oracle"], extracted)
    ours: set[tuple[str, str, int]] = set()
    findings = run_triage("findings", str(case), "--json", check=True).stdout
    for f in map(json.loads, findings.splitlines()):
        d = f.get("details", f)  # flat or nested, whichever way findings --json prints them
        if f["path"] == "/data/slow.bin":
            assert d["engine"] == engine
            ours.add((d["rule"], "", -1))
            ours.update((d["rule"], s["identifier"], s["offset"]) for s in d["strings"])
    assert {r for r, _, _ in expected} == {"cheap_marker", "cheap_hex", "m_two", "m_uses"}
    assert ours == expected
    # the other file is untouched by the timeout
    note = rows["/data/note.txt"]
    assert "yara_incomplete" not in note["attributes"] and note["status"] == "done"
    assert hashlib.sha256(fixture["image"].read_bytes()).hexdigest() == before  # evidence read-only


def test_windows_share_one_budget(tmp_path: Path) -> None:
    """A file scanned in 512 KiB windows: the slow rule times out once for the whole file, not once per
    window; every window's cheap matches stay, at their absolute offsets."""
    from triage_plugins.yara_scan import YaraAnalyzer

    from triage.testing.plugin import run_analyzer_on

    (tmp_path / "mixed.yar").write_text(MIXED)
    (tmp_path / "cheap.yar").write_text(CHEAP)
    data = _slow_content()
    t0 = time.monotonic()
    res = run_analyzer_on(
        YaraAnalyzer,
        data,
        chunk_size=MiB,
        options={
            "rules": [str(tmp_path)],
            "timeout": WINDOWED_TIMEOUT,
            "max_in_memory": 512 * 1024,
            "overlap": 4096,
        },
    )
    spent = time.monotonic() - t0
    assert spent <= 2 * WINDOWED_TIMEOUT + 1.5, spent
    assert res.attributes["yara_windows"] == 7
    slow = [m for _, m in res.errors if "m_slow" in m]
    assert len(slow) == 1, res.errors
    assert slow[0].startswith(f"YARA rule mixed.yar:m_slow timed out (yara.timeout {WINDOWED_TIMEOUT} s;"), (
        res.errors
    )
    assert "on bytes 0-524288:" in slow[0]
    assert res.attributes["yara_incomplete"] == ["mixed.yar:m_slow"]
    hits = {(f["details"]["rule"], s["offset"]) for f in res.findings for s in f["details"]["strings"]}
    want = {
        ("cheap_marker", 1000),
        ("cheap_marker", 2_000_001),
        ("m_two", 5000),
        ("m_two", 3 * MiB - 40),
        ("cheap_hex", 5000),
        ("cheap_hex", 3 * MiB - 40),
    }
    assert want <= hits, sorted(hits)
    assert {f["details"]["rule"] for f in res.findings} == {"cheap_marker", "cheap_hex", "m_two", "m_uses"}


HANGER = """
import time
from triage.plugin import Analyzer, hookimpl

class Hanger(Analyzer):
    name = "hanger"
    version = "1.0.0"

    def start(self, ctx):
        self.ctx = ctx
        self.seen = 0

    def update(self, chunk):
        self.seen += len(chunk)
        if self.ctx.file.name == "slow.bin" and self.seen > 2 * 1024 * 1024:
            time.sleep(600)

    def finish(self):
        self.ctx.set_result("hanger_bytes", self.seen)

@hookimpl
def triage_analyzers():
    return [Hanger]
"""


def test_file_timeout_names_the_analyzer_and_keeps_the_hashes(
    tmp_path: Path, fixture: dict[str, Path]
) -> None:
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "hanger.py").write_text(textwrap.dedent(HANGER))
    case = tmp_path / "case"
    proc, wall = _scan(
        fixture,
        case,
        "--plugin-dir",
        str(plugins),
        "--analyzers",
        "hashes,filetype,hanger",
        "--file-timeout",
        "2",
    )
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["failed_files"] == 0
    rows = _rows(case)
    slow = rows["/data/slow.bin"]
    data = _icat(fixture, slow)
    assert slow["status"] == "done"
    assert slow["md5"] == hashlib.md5(data).hexdigest() and slow["sha256"] == hashlib.sha256(data).hexdigest()
    assert slow["mime"] == "text/plain"
    assert "hanger_bytes" not in slow["attributes"]
    assert rows["/data/note.txt"]["attributes"]["hanger_bytes"] == len(TREE["/data/note.txt"])
    [err] = [e for e in _errors(case) if e.get("path") == "/data/slow.bin"]
    assert err["source"] == "hanger"
    assert err["message"].startswith(
        "hanger.update was running when the worker stopped: still reading after 2 s (file timeout)"
    ), err
    assert "scanned again without hanger" in err["message"]


def test_rule_files_are_cut_into_rules_only_when_safe() -> None:
    from triage_plugins.yara_isolate import split_rules

    text = textwrap.dedent(r"""
        import "pe"  // a comment with rule fake { }
        /* rule hidden { condition: true } */
        rule a : tag1 tag2 { meta: s = "}{" strings: $r = /x\/\}{2}/ $h = { 41 [2-4] 42 } condition: any of them }
        private rule b { strings: $s = "a \"}\" b" condition: $s and filesize / 2 > 1 }
        rule c { condition: b }
    """)
    parsed = split_rules(text)
    assert parsed is not None
    preamble, rules = parsed
    assert preamble == 'import "pe"'
    assert [name for name, _, _ in rules] == ["a", "b", "c"]
    assert rules[0][1].endswith("condition: any of them }") and rules[2][1] == "rule c { condition: b }"
    assert split_rules('include "other.yar"\nrule a { condition: true }') is None
    assert split_rules("global rule g { condition: filesize > 0 }\nrule a { condition: true }") is None
    assert split_rules('rule a { strings: $s = "unterminated condition: $s }') is None
    assert split_rules("rule a { condition: true }\nrule a { condition: false }") is None  # duplicate names


@pytest.mark.parametrize("engine", ["yara", "yara-x"])
def test_rule_sets_share_one_budget(tmp_path: Path, engine: str) -> None:
    """A slow rule in the source rules and another in a precompiled rule set: one budget for both
    (each set used to get the whole timeout), both named, every cheap rule's matches kept."""
    from triage_plugins.yara_scan import YaraAnalyzer

    from triage.testing.plugin import run_analyzer_on

    src = "rule p_slow { strings: $a = /b.{0,3000}d/s condition: $a }\n"
    if engine == "yara-x":
        yara_x = pytest.importorskip("yara_x")
        with open(tmp_path / "pre.yarc", "wb") as fh:
            yara_x.compile(src).serialize_into(fh)
    else:
        yara = pytest.importorskip("yara")
        yara.compile(source=src).save(str(tmp_path / "pre.yarc"))
    (tmp_path / "mixed.yar").write_text(MIXED)
    (tmp_path / "cheap.yar").write_text(CHEAP)
    t0 = time.monotonic()
    res = run_analyzer_on(
        YaraAnalyzer,
        _slow_content(),
        options={"rules": [str(tmp_path)], "timeout": WINDOWED_TIMEOUT, "engine": engine},
    )
    spent = time.monotonic() - t0
    assert spent <= 2 * WINDOWED_TIMEOUT + 1.5, (spent, res.errors)
    # yara-python does not say the namespaces of a .yarc's rules; YARA-X does
    pre = "default:p_slow" if engine == "yara-x" else "p_slow"
    assert sorted(res.attributes["yara_incomplete"]) == sorted(["mixed.yar:m_slow", pre]), res.errors
    errors = [m for _, m in res.errors]
    assert any(m.startswith("YARA rule mixed.yar:m_slow timed out") for m in errors), errors
    assert any(m.startswith(f"YARA rule {pre} timed out") for m in errors), errors
    assert {f["details"]["rule"] for f in res.findings} == {"cheap_marker", "cheap_hex", "m_two", "m_uses"}


@pytest.mark.shared
def test_public_rule_files_cut_into_rules_that_compile() -> None:
    """signature-base (742 files, ~5600 rules): every file is cut into exactly the rules yara-python
    compiles from it, and the units (a rule, the file's imports, the rules it uses) compile alone."""
    yara = pytest.importorskip("yara")
    from triage_plugins.yara_isolate import _closure, split_rules
    from triage_plugins.yara_rules import EXTERNALS

    folder = Path(__file__).resolve().parents[1] / ".." / "shared" / "testdata" / "yara" / "signature-base"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    files = sorted(p for p in folder.rglob("*.yar"))
    assert len(files) > 700
    units = 0
    for i, path in enumerate(files):
        parsed = split_rules(path.read_text(encoding="utf-8", errors="surrogateescape"))
        assert parsed is not None, path  # no includes, no global rules in this set
        preamble, chunks = parsed
        if i % 3 == 0:  # a third of the files against the compiler's own rule list
            compiled = yara.compile(filepath=str(path), externals=EXTERNALS, error_on_warning=False)
            assert [n for n, _, _ in chunks] == [r.identifier for r in compiled], path
        bodies = {n: b for n, b, _ in chunks}
        order = {n: k for k, (n, _, _) in enumerate(chunks)}
        for name, _, _ in chunks[:: 7 if len(chunks) > 7 else 1][:3]:
            deps = sorted(_closure(name, bodies), key=order.__getitem__)
            yara.compile(
                sources={"ns": preamble + "\n" + "\n".join(bodies[d] for d in deps)},
                externals=EXTERNALS,
                error_on_warning=False,
            )
            units += 1
    assert units > 1000
