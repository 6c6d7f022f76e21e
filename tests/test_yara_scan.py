"""The YARA analyzer in real scans: nothing skipped silently (timeouts, cut string lists, rule files
left out), unallocated space, the JSON findings format, cost records, and YARA-X parity."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from triage_plugins.yara_scan import YaraAnalyzer

from triage.cli import main
from triage.testing.images import ToolMissing, make_ext4

REQUIRED_KEYS = {
    "path",
    "partition",
    "inode",
    "rule",
    "namespace",
    "tags",
    "meta",
    "rule_file",
    "rule_file_sha256",
    "strings",
}


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_YARA_CACHE", str(tmp_path / "cache"))


@pytest.fixture
def image(tmp_path: Path) -> Any:
    try:
        return make_ext4(
            tmp_path / "y.img",
            {
                "/a.txt": b"alpha NIGHTJAR beta " + b"x" * 3000,
                "/many.txt": b"NIGHTJAR " * 5,
                "/gone.bin": b"Z" * 5000 + b"ERASED-SECRET-77" + b"Z" * 5000,
            },
            delete=["/gone.bin"],
            size=4 << 20,
        )
    except ToolMissing as exc:
        pytest.skip(str(exc))


def _rules(tmp_path: Path) -> Path:
    lib = tmp_path / "rules"
    lib.mkdir(exist_ok=True)
    (lib / "n.yar").write_text(
        'rule nightjar { strings: $a = "NIGHTJAR" condition: $a }\n'
        'rule erased { strings: $e = "ERASED-SECRET-77" condition: $e }\n'
    )
    (lib / "broken.yar").write_text("rule b {\n condition: undefined_thing\n}\n")
    return lib


def test_no_rules_no_work(run_analyzer: Callable[..., Any]) -> None:
    inst = YaraAnalyzer({})
    inst.setup()
    assert inst.needs_content is False
    res = run_analyzer(YaraAnalyzer, b"NIGHTJAR")
    assert res.findings == [] and res.errors == []


def test_timeout_is_recorded_on_the_file(tmp_path: Path, run_analyzer: Callable[..., Any]) -> None:
    slow = tmp_path / "slow.yar"
    slow.write_text(
        "rule slow { condition: for all i in (0..filesize-1) : "
        "( for all j in (0..200) : ( uint8(i) != 0x7 ) ) }\n"
    )
    res = run_analyzer(YaraAnalyzer, b"\0" * 2_000_000, options={"rules": [str(slow)], "timeout": 1})
    assert res.findings == []
    [(source, message)] = res.errors
    assert source == "yara" and message.startswith("YARA rule slow.yar:slow timed out (yara.timeout 1 s;"), (
        message
    )
    assert res.attributes["yara_incomplete"] == ["slow.yar:slow"]


def test_string_list_cut_is_recorded(tmp_path: Path, run_analyzer: Callable[..., Any]) -> None:
    res = run_analyzer(
        YaraAnalyzer, b"NIGHTJAR " * 5, options={"rules": [str(_rules(tmp_path) / "n.yar")], "max_strings": 2}
    )
    [f] = res.findings
    d = f["details"]
    assert (
        [s["offset"] for s in d["strings"]] == [0, 9] and d["strings_total"] == 5 and d["strings_truncated"]
    )
    assert any("5 string matches, the first 2 are stored" in m for _, m in res.errors)


def test_scan_records_left_out_files_unallocated_json_and_cost(
    tmp_path: Path, image: Any, scan_image: Callable[..., Any], capsys: pytest.CaptureFixture[str]
) -> None:
    lib = _rules(tmp_path)
    res = scan_image(
        image,
        analyzers=["yara"],
        options={"yara": {"rules": [str(lib)], "unallocated": True, "max_strings": 3}},
    )
    assert res.summary.status == "completed"
    left_out = [e["message"] for e in res.errors("plugin:yara")]
    assert left_out == [
        f'rule file left out of the scan: {lib}/broken.yar:2: error: undefined identifier "undefined_thing"'
    ]
    # deleted file scanned as a file, and its freed blocks scanned as unallocated space
    by_path = {(f["path"], f["name"]): f for f in res.findings(plugin="yara")}
    assert by_path[("/gone.bin", "erased")]["details"]["strings"][0]["offset"] == 5000
    unalloc = [f for f in res.findings(plugin="yara") if f["file_id"] is None]
    assert unalloc, "the deleted file's blocks are free: its string must be found in unallocated space"
    raw = image.path.read_bytes()
    for f in unalloc:
        for s in f["details"]["strings"]:
            assert raw[s["offset"] : s["offset"] + s["length"]].hex() == s["data_hex"]
    assert any(f["name"] == "erased" for f in unalloc)
    # triage findings --json: one object per match with the required keys
    assert main(["findings", str(res.case.path), "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records and all(REQUIRED_KEYS <= rec.keys() for rec in records)
    rec = next(r for r in records if r["path"] == "/a.txt")
    assert (rec["rule"], rec["namespace"], rec["partition"], rec["strings"]) == (
        "nightjar",
        "n.yar",
        0,
        [{"identifier": "$a", "offset": 6, "length": 8, "data_hex": b"NIGHTJAR".hex()}],
    )
    assert next(r for r in records if r["file_id"] is None)["path"] == "<unallocated: partition 0>"
    # cost: per rule file and slowest files
    assert main(["rules", "stats", str(res.case.path), "--json"]) == 0
    cost = json.loads(capsys.readouterr().out)
    assert cost["files_scanned"] == 3 and {f["path"] for f in cost["slowest_files"]} == {
        "/a.txt",
        "/many.txt",
        "/gone.bin",
    }
    assert [r["rule_file"] for r in cost["rule_files"]] == [f"{lib}/n.yar"] and cost["profile_complete"]
    assert main(["errors", str(res.case.path)]) == 0
    assert "broken.yar:2: error: undefined identifier" in capsys.readouterr().out


def test_yarax_gives_the_same_findings(tmp_path: Path, image: Any, scan_image: Callable[..., Any]) -> None:
    pytest.importorskip("yara_x")
    lib = tmp_path / "rules"
    lib.mkdir()
    (lib / "n.yar").write_text(
        'rule nightjar : t { meta: k = "v" strings: $a = "NIGHTJAR" condition: $a }\n'
        "rule erased { strings: $e = /ERASED-[A-Z]+-[0-9]+/ condition: $e }\n"
    )

    def run(engine: str) -> list[tuple[Any, ...]]:
        res = scan_image(image, analyzers=["yara"], options={"yara": {"rules": [str(lib)], "engine": engine}})
        return sorted(
            (
                f["path"],
                f["name"],
                json.dumps({k: v for k, v in f["details"].items() if k != "engine"}, sort_keys=True),
            )
            for f in res.findings(plugin="yara")
        )

    ours = run("yara")
    assert len(ours) == 3 and ours == run("yara-x")


def test_post_scan_work_runs_in_a_child_not_in_the_calling_process(tmp_path: Path, image: Any) -> None:
    """The GUI calls triage_scan_finished in its own process: yara's rule compile and its libtsk reads
    (unallocated space, rule cost) must run in a child. The hook is called again in a fresh process
    that never loads pytsk3 or yara itself: the work still happens (the unallocated findings double,
    a second cost record is written from Case.files_ranked_by)."""
    import subprocess
    import sys

    lib = _rules(tmp_path)
    (lib / "broken.yar").unlink()
    case = tmp_path / "case"
    from tests.conftest import run_triage

    scan = run_triage(
        "scan", str(image.path), "--case", str(case), "--workers", "1", "--analyzers", "yara",
        "--set", f"yara.rules={lib}", "--set", "yara.unallocated=true",
    )  # fmt: skip
    assert scan.returncode == 0, scan.stderr
    code = (
        "import json, sys\n"
        "from triage.case.store import Case\n"
        "from triage.scan.registry import Registry, call_scan_finished\n"
        f"case = Case.open({str(case)!r})\n"
        "scan = case.scans()[-1]\n"
        "before = [f for f in case.findings() if f['file_id'] is None]\n"
        "call_scan_finished(Registry(), case, scan['id'])\n"
        "after = [f for f in case.findings() if f['file_id'] is None]\n"
        "costs = [a.details for a in case.audit_log() if a.action == 'yara.cost']\n"
        "files = [f for f in case.iter_files() if (f['attributes'] or {}).get('yara_seconds') is not None]\n"
        "print(json.dumps({'before': len(before), 'after': len(after), 'costs': costs, 'files': len(files),\n"
        "    'loaded': sorted(m for m in ('pytsk3', 'yara', 'yara_x') if m in sys.modules)}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.splitlines()[-1])
    assert got["loaded"] == []  # neither libtsk nor YARA was loaded by the process that called the hook
    assert got["before"] > 0 and got["after"] == 2 * got["before"]
    first, second = got["costs"]
    assert first["files_scanned"] == second["files_scanned"] == got["files"] > 0
    assert [s["path"] for s in second["slowest_files"]] == [s["path"] for s in first["slowest_files"]]
