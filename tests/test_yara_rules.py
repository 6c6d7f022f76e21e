"""Rule library: diagnostics as one line ``file:line: level: message``, namespaces, cache, externals,
``triage rules check`` exit codes, and the real public rule sets in ../shared/testdata/yara."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from triage_plugins.yara_rules import discover, load_library

from triage.cli import main

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "testdata" / "yara"
LINE_RE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<level>error|warning): (?P<msg>\S.*)$")


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("TRIAGE_YARA_CACHE", str(cache))
    return cache


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "lib"
    (root / "sub").mkdir(parents=True)
    (root / "good.yar").write_text('rule good { strings: $a = "NIGHTJAR" condition: $a }\n')
    (root / "syntax.yar").write_text('rule bad {\n  strings: $a = "x"\n  condition: $a and\n}\n')
    (root / "undef.yar").write_text("rule u {\n condition: nosuch > 1\n}\n")
    (root / "sub" / "escape.yar").write_text('\ninclude "../../outside.yar"\nrule i { condition: true }\n')
    (root / "inc_missing.yar").write_text('rule before { condition: true }\ninclude "missing.yar"\n')
    (tmp_path / "outside.yar").write_text("rule outside { condition: true }\n")
    monkeypatch.chdir(tmp_path)
    return root


EXPECTED = {
    "lib/syntax.yar:4: error: syntax error, unexpected '}'",
    'lib/undef.yar:2: error: undefined identifier "nosuch"',
    'lib/inc_missing.yar:2: error: include "missing.yar": no such file',
    'lib/sub/escape.yar:2: error: include "../../outside.yar" resolves outside the rule library root',
}


def test_check_reports_each_error_on_one_line_with_file_and_line(
    broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["rules", "check", "lib"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    diag = [line for line in out if LINE_RE.match(line)]
    assert len(diag) == 4
    for want in EXPECTED:
        assert sum(1 for line in diag if line.startswith(want)) == 1, (want, diag)
    assert "1 rules compiled from 1 of 5 files; 4 files failed; 0 warnings (yara)" in out


@pytest.mark.parametrize("engine", ["yara", "yara-x"])
def test_both_engines_name_file_and_line(broken: Path, engine: str) -> None:
    if engine == "yara-x":
        pytest.importorskip("yara_x")
    rep = load_library(["lib"], engine).report
    lines = {(d.file, d.line) for d in rep.errors}
    assert lines == {
        ("lib/syntax.yar", 4),
        ("lib/undef.yar", 2),
        ("lib/inc_missing.yar", 2),
        ("lib/sub/escape.yar", 2),
    }
    assert [f.path for f in rep.files if f.status == "ok"] == ["lib/good.yar"]


def test_missing_path_and_empty_folder_exit_2(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (broken.parent / "empty").mkdir()
    (broken.parent / "empty" / "notes.txt").write_text("not a rule")
    assert main(["rules", "check", "empty", "nothere.yar"]) == 2
    out = capsys.readouterr().out.splitlines()
    assert "empty: error: no rule files (.yar, .yara, .rule, .rules) in this folder" in out
    assert "nothere.yar: error: no such file or directory" in out
    assert main(["rules", "check", "lib/good.yar"]) == 0
    assert "1 rules compiled from 1 of 1 files; 0 files failed" in capsys.readouterr().out


def test_include_inside_root_and_namespaces(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    (root / "a").mkdir(parents=True)
    (root / "common.yar").write_text("private rule is_text { condition: true }\n")
    (root / "a" / "one.yar").write_text('include "../common.yar"\nrule same { condition: is_text }\n')
    (root / "two.yar").write_text("rule same { condition: true }\n")  # same name, other namespace
    lib = load_library([root])
    assert [(f.namespace, f.status, f.rules) for f in lib.report.files] == [
        ("a/one.yar", "ok", 2),
        ("common.yar", "ok", 1),
        ("two.yar", "ok", 1),
    ]
    hits = sorted((m.namespace, m.rule) for m, _ in lib.scan(b"x", {}, timeout=5))
    assert hits == [("a/one.yar", "same"), ("two.yar", "same")]


def test_cache_keyed_by_sources_includes_too(tmp_path: Path, _cache: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "inc.yar").write_text('private rule p { strings: $a = "AAA" condition: $a }\n')
    (root / "main.yar").write_text('include "inc.yar"\nrule m { condition: p }\n')
    first = load_library([root / "main.yar"])
    assert not first.report.cached and len(list(_cache.glob("*.bin"))) == 1
    again = load_library([root / "main.yar"])
    assert again.report.cached and again.report.key == first.report.key
    assert [m.rule for m, _ in again.scan(b"xAAAx", {}, timeout=5)] == ["m"]
    (root / "inc.yar").write_text('private rule p { strings: $a = "BBB" condition: $a }\n')
    changed = load_library([root / "main.yar"])
    assert not changed.report.cached and changed.report.key != first.report.key
    assert [m.rule for m, _ in changed.scan(b"xBBBx", {}, timeout=5)] == ["m"]


def test_standard_externals_are_defined(tmp_path: Path) -> None:
    f = tmp_path / "ext.yar"
    f.write_text(
        'rule e { condition: filename == "a.txt" and extension == ".txt" and filepath == "/d/a.txt" '
        'and filetype contains "text" and owner == "" and filesize == 3 }\n'
    )
    lib = load_library([f])
    assert lib.report.errors == []
    ext = {
        "filename": "a.txt",
        "extension": ".txt",
        "filepath": "/d/a.txt",
        "filetype": "ASCII text",
        "owner": "",
        "filesize": 3,
    }
    assert [m.rule for m, _ in lib.scan(b"abc", ext, timeout=5)] == ["e"]
    assert lib.scan(b"abc", {**ext, "filename": "b.txt"}, timeout=5) == []


def test_precompiled_rules(tmp_path: Path) -> None:
    import yara

    yara.compile(source='rule pre { strings: $a = "ZZZ" condition: $a }').save(str(tmp_path / "pre.yarc"))
    files, _ = discover([tmp_path])
    assert [(Path(f.path).name, f.precompiled) for f in files] == [("pre.yarc", True)]
    lib = load_library([tmp_path])
    [(m, rf)] = lib.scan(b"..ZZZ..", {}, timeout=5)
    assert (m.rule, m.strings[0].offset, Path(rf.path).name) == ("pre", 2, "pre.yarc")


# -- real public rule sets ------------------------------------------------------------------------
SETS = {  # folder: (files, files failed) from ../shared/testdata/MANIFEST.md with yara-python 4.5
    "signature-base": (742, 0),
    "Yara-Rules-rules": (
        566,
        58,
    ),  # 51 (androguard, cuckoo, index files) + 7 ELF rules needing 000_common_rules
    "InQuest-yara-rules": (38, 11),  # 10 VirusTotal externals + GlowSpark_Downloader.rule:15
}


@pytest.mark.shared
@pytest.mark.parametrize("name", list(SETS))
def test_public_rule_sets(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    folder = SHARED / name
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    files, failed = SETS[name]
    code = main(["rules", "check", "--no-warnings", str(folder)])
    out = capsys.readouterr().out.splitlines()
    assert code == (1 if failed else 0)
    summary = next(line for line in out if " rules compiled from " in line)
    m = re.match(r"(\d+) rules compiled from (\d+) of (\d+) files; (\d+) files failed", summary)
    assert m and (int(m[3]), int(m[4])) == (files, failed) and int(m[2]) == files - failed and int(m[1]) > 0
    errors = [line for line in out if ": error: " in line]
    assert len(errors) == failed
    for line in errors:
        d = LINE_RE.match(line)
        assert d, line
        assert Path(d["file"]).is_file() and int(d["line"]) >= 1
    if name == "InQuest-yara-rules":
        assert any(
            line.startswith(f"{folder}/GlowSpark_Downloader.rule:15: error: unterminated string")
            for line in errors
        )
    if name == "signature-base":  # the 13 files that need filename/filepath/extension/filetype/owner compile
        uses = [
            p
            for p in folder.rglob("*.yar")
            if re.search(r"\b(filepath|extension|filetype|owner)\b", p.read_text(errors="replace"))
        ]
        assert len(uses) >= 10
