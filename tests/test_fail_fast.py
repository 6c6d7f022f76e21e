"""Fail fast: every bad option, rule file, rule set (yara-python and YARA-X), hash name, analyzer
name and ``--set`` value stops ``triage scan`` and ``triage batch`` with exit 2 and one line
(``file:line: reason`` or ``option: reason``) before anything is created, changed or opened:
no case folder appears, an existing case stays byte-identical, and (checked with strace) the
evidence file is never opened."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_triage

FILES = {"/a.txt": b"hello NIGHTJAR world\n", "/docs/b.bin": bytes(range(256)) * 20}
YARA_SYNTAX = 'rule broken {\n  strings: $a = "x"\n  condition: $b\n}\n'


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from triage.testing.images import ToolMissing, make_ext4

    try:
        return make_ext4(tmp_path_factory.mktemp("ff") / "img.raw", FILES).path
    except ToolMissing as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("inputs")
    (d / "good.yar").write_text('rule nightjar { strings: $a = "NIGHTJAR" condition: $a }\n')
    (d / "syntax.yar").write_text(YARA_SYNTAX)
    (d / "bad_utf8.yar").write_bytes(b'rule raw_bytes { strings: $a = "\xff\xfe" condition: $a }\n')
    (d / "severity.toml").write_text(
        'version = "1"\n[[rule]]\nid = "x"\nnames = ["*.txt"]\nseverity = "urgent"\n'
    )
    (d / "broken.toml").write_text('version = "1"\n[[rule]\nid = "x"\n')
    return d


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def one_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("triage: error: "), proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    return lines[0].removeprefix("triage: error: ")


def bad_options(inputs: Path) -> list[tuple[list[str], str]]:
    """(extra arguments, a regex the one error line must match)."""
    d = str(inputs)
    return [
        (["--hash", "md4"], r"^--hash: 'md4' is not one of md5, sha1, sha256"),
        (["--hash", "md5,sha1,whirlpool"], r"^--hash: 'whirlpool' is not one of"),
        (["--yara-rules", "/nope.yar"], r"^/nope\.yar: error: no such file or directory$"),
        (["--yara-rules", f"{d}/syntax.yar"], rf"^{re.escape(d)}/syntax\.yar:\d+: error: undefined string"),
        (["--yara-rules", f"{d}/good.yar,{d}/syntax.yar"], rf"^{re.escape(d)}/syntax\.yar:\d+: error: "),
        (
            ["--yara-rules", f"{d}/good.yar", "--yara-engine", "yara-9"],
            r"^--yara-engine: 'yara-9' is not one of",
        ),
        (["--set", "yara.fast=maybe"], r"^--set yara\.fast: 'maybe' is not a yes/no value"),
        (["--set", "yara.timeout=soon"], r"^--set yara\.timeout: 'soon' is not a valid int"),
        (["--set", "yara.nope=1"], r"^--set yara\.nope: yara has no option 'nope' \(options: rules, engine"),
        (["--set", "nope.x=1"], r"^--set nope\.x: unknown analyzer: nope \(loaded: "),
        (["--set", "hashes"], r"^--set hashes: expected ANALYZER\.OPTION=VALUE$"),
        (["--analyzers", "hashes,nope"], r"^--analyzers: unknown analyzer: nope "),
        (["--set", "entropy.threshold=9"], r"^entropy\.threshold: must be in \(0, 8\]"),
        (["--set", "filetype.head_bytes=0"], r"^filetype\.head_bytes: must be at least 1"),
        (["--set", "identifiers.kinds=email,fax"], r"^--set identifiers\.kinds: 'fax' is not one of email"),
        (["--set", "interesting.rules=/nope.toml"], r"^/nope\.toml: cannot read rule file"),
        (
            ["--set", f"interesting.rules={d}/severity.toml"],
            rf"^{re.escape(d)}/severity\.toml:3: rule x: severity must be one of",
        ),
        (["--set", f"interesting.rules={d}/broken.toml"], rf"^{re.escape(d)}/broken\.toml:2: "),
        (
            ["--set", "knownfiles.db=/nope.sqlite"],
            r"^/nope\.sqlite: knownfiles\.db: no such hash set database",
        ),
        (["--workers", "0"], r"^--workers: must be at least 1, not 0$"),
        (["--plugin-dir", "/nope"], r"^--plugin-dir /nope: no such folder$"),
        (
            ["--disable-plugin", "nope"],
            r"^--disable-plugin nope: no plugin or analyzer of this name \(valid: entropy, filetype, hashes, .*yara\)$",
        ),
        (["--file-timeout", "0"], r"^--file-timeout: must be more than 0 seconds"),
        (["--resume", "--rescan"], r"^--resume and --rescan exclude each other$"),
    ]


def test_bad_options_exit_2_and_create_nothing(tmp_path: Path, image: Path, inputs: Path) -> None:
    before = sha256(image)
    for extra, pattern in bad_options(inputs):
        case = tmp_path / "case"
        line = one_line(run_triage("scan", str(image), "--case", str(case), "--workers", "1", *extra))
        assert re.search(pattern, line), (extra, line)
        assert not case.exists(), extra
    assert sha256(image) == before


def test_yarax_raw_bytes_in_a_string_literal(tmp_path: Path, image: Path, inputs: Path) -> None:
    pytest.importorskip("yara_x")
    d = inputs
    # rules check: a file:line diagnostic, not "internal error: UnicodeEncodeError"; the good file compiles
    check = run_triage("rules", "check", "--engine", "yara-x", str(d / "bad_utf8.yar"), str(d / "good.yar"))
    assert check.returncode == 1, check.stderr
    assert "internal error" not in check.stderr
    assert f"{d}/bad_utf8.yar:1: error: byte 0xff at column 33 is not UTF-8" in check.stdout
    assert "1 rules compiled from 1 of 2 files; 1 files failed" in check.stdout
    # scan: refused before anything is created
    case = tmp_path / "case"
    line = one_line(
        run_triage(
            "scan",
            str(image),
            "--case",
            str(case),
            "--yara-engine",
            "yara-x",
            "--yara-rules",
            f"{d}/bad_utf8.yar,{d}/good.yar",
        )
    )
    assert line.startswith(f"{d}/bad_utf8.yar:1: error: byte 0xff at column 33 is not UTF-8")
    assert not case.exists()
    # asked to skip broken rule files, the scan runs the rules that compile and records the one left out
    out = run_triage(
        "scan",
        str(image),
        "--case",
        str(case),
        "--workers",
        "1",
        "--analyzers",
        "yara",
        "--yara-engine",
        "yara-x",
        "--yara-rules",
        f"{d}/bad_utf8.yar,{d}/good.yar",
        "--set",
        "yara.skip_broken=true",
    )
    assert out.returncode == 1, out.stderr  # completed, with the left-out file recorded
    findings = [json.loads(x) for x in run_triage("findings", str(case), "--json").stdout.splitlines()]
    assert [(f["path"], f["name"]) for f in findings] == [("/a.txt", "nightjar")]
    errors = run_triage("errors", str(case)).stdout
    assert f"rule file left out of the scan: {d}/bad_utf8.yar:1: error: byte 0xff" in errors


def test_existing_case_stays_byte_identical(tmp_path: Path, image: Path, inputs: Path) -> None:
    case = tmp_path / "case"
    assert run_triage("scan", str(image), "--case", str(case), "--workers", "1").returncode == 0
    before = snapshot(case)
    assert "case.sqlite" in before
    for extra, pattern in [(["--rescan", *e], p) for e, p in bad_options(inputs)[:6]] + [
        (["--resume", "--hash", "md4"], r"^--hash: "),
        (["--resume", "--rescan"], r"^--resume and --rescan"),
    ]:
        line = one_line(run_triage("scan", str(image), "--case", str(case), "--workers", "1", *extra))
        assert re.search(pattern, line), (extra, line)
        assert snapshot(case) == before, extra


def test_missing_evidence_creates_no_case(tmp_path: Path) -> None:
    case = tmp_path / "case"
    line = one_line(run_triage("scan", str(tmp_path / "nope.raw"), "--case", str(case)))
    assert line == f"{tmp_path / 'nope.raw'}: no such file"
    assert not case.exists()


def test_evidence_is_never_opened(tmp_path: Path, image: Path, inputs: Path) -> None:
    """strace: no process of a refused scan opens the image (or creates the case)."""
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed")
    probe = subprocess.run([strace, "-f", "-qq", "-e", "trace=none", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"strace cannot trace here: {probe.stderr.strip()}")
    import os
    import sys

    for extra in (
        ["--hash", "md4"],
        ["--yara-rules", f"{inputs}/syntax.yar"],
        ["--set", "entropy.threshold=9"],
    ):
        log = tmp_path / "strace.log"
        proc = subprocess.run(
            [
                strace,
                "-f",
                "-qq",
                "-o",
                str(log),
                "-e",
                "trace=open,openat,openat2,mkdir,mkdirat",
                sys.executable,
                "-m",
                "triage",
                "scan",
                str(image),
                "--case",
                str(tmp_path / "case"),
                "--workers",
                "1",
                *extra,
            ],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "TZ": "UTC"},
        )
        assert proc.returncode == 2, proc.stderr
        trace = log.read_text()
        assert "openat(" in trace or "open(" in trace, "strace recorded no open calls"
        assert str(image) not in trace, extra
        assert str(tmp_path / "case") not in trace, extra


def test_batch_validates_every_image_before_creating_anything(
    tmp_path: Path, image: Path, inputs: Path
) -> None:
    second = tmp_path / "img2.raw"
    shutil.copyfile(image, second)
    manifest = tmp_path / "batch.toml"
    manifest.write_text(
        f'[[image]]\nimage = "{image}"\nexhibit = "EX-1"\nrules = ["{inputs}/good.yar"]\n'
        f'[[image]]\nimage = "{second}"\nexhibit = "EX-2"\nrules = ["{inputs}/syntax.yar"]\n'
    )
    out = tmp_path / "out"
    line = one_line(run_triage("batch", str(manifest), "--out", str(out), "--cluster", "local:1"))
    assert re.search(rf"^EX-2: {re.escape(str(inputs))}/syntax\.yar:\d+: error: undefined string", line), line
    assert not out.exists()
    line = one_line(
        run_triage("batch", str(image), "--out", str(out), "--cluster", "local:1", "--hash", "md4")
    )
    assert line.startswith("--hash: 'md4' is not one of")
    assert not out.exists()
    manifest.write_text(
        f'[[image]]\nimage = "{image}"\nexhibit = "EX-1"\nhashsets = ["{tmp_path}/nope.sqlite"]\n'
    )
    line = one_line(run_triage("batch", str(manifest), "--out", str(out), "--cluster", "local:1"))
    assert line == f"{manifest}: image 1: {tmp_path}/nope.sqlite: no such file"  # the manifest's own check
    assert not out.exists()


def test_validate_scan_is_the_one_check(tmp_path: Path, inputs: Path) -> None:
    """GUI and batch pass typed values: the same function refuses them with the same reasons."""
    from triage.scan.engine import ScanOptions
    from triage.scan.validate import OptionError, validate_scan
    from triage.testing.plugin import isolated_config

    cfg = isolated_config()
    validate_scan(
        ScanOptions(workers=1, plugins=cfg, options={"yara": {"rules": [str(inputs / "good.yar")]}})
    )
    cases = [
        ({"hashes": {"algorithms": ["md4"]}}, "hashes.algorithms: 'md4' is not one of"),
        ({"yara": {"rules": "good.yar"}}, "yara.rules: expected list, not str"),
        ({"yara": {"timeout": True}}, "yara.timeout: expected int, not bool"),
        ({"yara": {"rules": [str(inputs / "syntax.yar")]}}, f"{inputs}/syntax.yar:"),
        ({"entropy": {"threshold": 0}}, "entropy.threshold: must be in (0, 8]"),
    ]
    for options, needle in cases:
        with pytest.raises(OptionError) as err:
            validate_scan(ScanOptions(workers=1, plugins=cfg, options=options))
        assert len(err.value.problems) == 1 and err.value.problems[0].startswith(needle), err.value.problems
        assert err.value.exit_code == 2
    # every problem is reported, not only the first
    with pytest.raises(OptionError) as err:
        validate_scan(ScanOptions(workers=0, plugins=cfg, analyzers=["nope"], options={"x": {"y": 1}}))
    assert [p.split(":")[0] for p in err.value.problems] == ["--workers", "--analyzers", "x"]


def test_resume_checks_the_interrupted_scans_options_again(tmp_path: Path, image: Path, inputs: Path) -> None:
    rules = tmp_path / "lab.yar"
    shutil.copyfile(inputs / "good.yar", rules)
    case = tmp_path / "case"
    assert (
        run_triage(
            "scan", str(image), "--case", str(case), "--workers", "1", "--yara-rules", str(rules)
        ).returncode
        == 0
    )
    before = snapshot(case)
    rules.write_text(YARA_SYNTAX)  # the rule file changed since
    line = one_line(run_triage("scan", str(image), "--case", str(case), "--workers", "1", "--resume"))
    assert re.match(
        rf"^--resume \(options of the interrupted scan\): {re.escape(str(rules))}:\d+: error: ", line
    ), line
    assert snapshot(case) == before
