"""Batch input discovery (folders, globs, manifests), cluster addresses, the export policy
when no exporter is installed, and the state file rules. Real files, no cluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from triage.batch import BatchOptions, BatchRunner, discover, parse_cluster
from triage.batch.export import make_bundle, select_files
from triage.batch.inputs import ExportPolicy
from triage.batch.state import BatchState, EventLog, read_events
from triage.case.store import Case
from triage.errors import UsageError

MBR = b"\0" * 510 + b"\x55\xaa"


def _touch(path: Path, data: bytes = MBR) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_folder_groups_segment_sets_and_lists_the_rest(tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    # EWF signatures without segment headers: they look like images, so they are damage, not noise
    for seg in ("disk1.E01", "disk1.E02", "disk1.E03"):
        _touch(ev / seg, b"EVF\x09\x0d\x0a\xff\x00" + b"\0" * 504)
    for seg in ("disk2.001", "disk2.002", "disk2.003"):
        _touch(ev / seg)
    for seg in ("phone.aa", "phone.ab"):
        _touch(ev / "sub" / seg)
    _touch(ev / "usb.dd")
    _touch(ev / "orphan.005")
    _touch(ev / "notes.txt", b"chain of custody\n")
    found = discover([str(ev)])
    by_name = {j.name: j for j in found.jobs}
    assert sorted(by_name) == ["disk2", "phone", "usb"]
    assert by_name["disk2"].source.format == "split"
    assert [p.name for p in by_name["disk2"].source.segments] == ["disk2.001", "disk2.002", "disk2.003"]
    assert [p.name for p in by_name["phone"].source.segments] == ["phone.aa", "phone.ab"]
    assert by_name["usb"].source.format == "raw"
    reasons = {Path(i["path"]).name: i["reason"] for i in found.ignored}
    assert reasons == {"notes.txt": "ASCII text, no image signature"}
    damaged = {Path(i["path"]).name: i["reason"] for i in found.damaged}
    header = "EWF segment: damaged EWF segment header (no segment number)"
    assert damaged == {
        "disk1.E01": header,
        "disk1.E02": header,
        "disk1.E03": header,
        "orphan.005": "split segment without the first segment (.001) of its set",
    }


def test_glob_and_duplicate_names(tmp_path: Path) -> None:
    _touch(tmp_path / "a" / "disk.dd")
    _touch(tmp_path / "b" / "disk.dd")
    found = discover([str(tmp_path / "*" / "disk.dd")])
    assert [j.name for j in found.jobs] == ["disk", "disk-2"]
    with pytest.raises(UsageError, match="matches no file"):
        discover([str(tmp_path / "*.E01")])
    with pytest.raises(UsageError, match="listed twice"):
        discover([str(tmp_path / "a" / "disk.dd"), str(tmp_path / "a")])
    with pytest.raises(UsageError, match="no such file"):
        discover([str(tmp_path / "missing")])


def test_csv_manifest(tmp_path: Path) -> None:
    _touch(tmp_path / "img" / "one.dd")
    _touch(tmp_path / "img" / "two.dd")
    _touch(tmp_path / "req.json", b'{"reference": "MLA-2024-17"}')
    (tmp_path / "batch.csv").write_text(
        "image,exhibit,case,export_selection,export_request\n"
        "img/one.dd,EX-001,,findings,req.json\n"
        "img/two.dd,EX-002,nightjar two,,\n"
    )
    jobs = discover([str(tmp_path / "batch.csv")]).jobs
    assert [(j.name, j.exhibit) for j in jobs] == [("EX-001", "EX-001"), ("nightjar_two", "EX-002")]
    assert jobs[0].export == ExportPolicy("findings", str(tmp_path / "req.json"), None)
    assert jobs[1].export is None and jobs[0].path == tmp_path / "img" / "one.dd"


def test_toml_manifest_defaults_and_errors(tmp_path: Path) -> None:
    _touch(tmp_path / "one.dd")
    _touch(tmp_path / "hs.sqlite", b"")
    (tmp_path / "m.toml").write_text(
        '[defaults]\nhashsets = ["hs.sqlite"]\n[defaults.export]\nselection = "alerts"\n'
        '[[image]]\nimage = "one.dd"\nexhibit = "EX-9"\ncase = "op-x"\n'
    )
    job = discover([str(tmp_path / "m.toml")]).jobs[0]
    assert (job.name, job.exhibit, job.hashsets) == ("op-x", "EX-9", [(tmp_path / "hs.sqlite").as_posix()])
    assert job.export == ExportPolicy("alerts", None, None)
    (tmp_path / "bad.toml").write_text('[[image]]\nimage = "one.dd"\ncolour = "red"\n')
    with pytest.raises(UsageError, match="unknown key"):
        discover([str(tmp_path / "bad.toml")])
    (tmp_path / "gone.toml").write_text('[[image]]\nimage = "one.dd"\nrules = ["missing.yar"]\n')
    with pytest.raises(UsageError, match="missing.yar: no such file"):
        discover([str(tmp_path / "gone.toml")])
    (tmp_path / "broken.toml").write_text("[[image]\n")
    with pytest.raises(UsageError, match="cannot read manifest"):
        discover([str(tmp_path / "broken.toml")])


def test_rule_sets_need_a_yara_analyzer(tmp_path: Path) -> None:
    from triage.scan.registry import Registry

    if "yara" in {c.name for c in Registry().analyzer_classes()}:
        pytest.skip("a YARA analyzer is installed")
    _touch(tmp_path / "one.dd")
    (tmp_path / "r.yar").write_text("rule x { condition: true }\n")
    (tmp_path / "m.toml").write_text('[[image]]\nimage = "one.dd"\nrules = ["r.yar"]\n')
    with pytest.raises(UsageError, match="no YARA analyzer"):
        BatchRunner(discover([str(tmp_path / "m.toml")]), BatchOptions(out=tmp_path / "out"))


def test_parse_cluster() -> None:
    assert parse_cluster("local:3") == ("local", 3)
    assert parse_cluster("tcp://10.0.0.5:8786") == ("dask", "tcp://10.0.0.5:8786")
    for bad in ("local:0", "local:x", "http://x", "tcp://"):
        with pytest.raises(UsageError):
            parse_cluster(bad)


def test_export_skipped_with_a_reason_when_no_exporter(tmp_path: Path) -> None:
    from triage.batch.export import exporter

    if exporter()[0] is not None:
        pytest.skip("triage.export.export_bundle is installed")
    with Case.create(tmp_path / "case") as case:
        result = make_bundle(case, ExportPolicy(), tmp_path / "bundle")
        assert result["status"] == "skipped" and "not available" in result["reason"]
        assert select_files(case, "findings") == []
        with pytest.raises(UsageError, match="unknown export selection"):
            select_files(case, "everything")


def test_state_and_events(tmp_path: Path) -> None:
    state = BatchState.new(tmp_path / "s.json", {"cluster": "local:1"})
    state.set_image("a", status="done", evidence_id=1)
    again = BatchState.load(tmp_path / "s.json")
    assert again is not None and again.image("a") == {"status": "done", "evidence_id": 1}
    assert again.image("b") == {"status": "pending"}
    log = EventLog(tmp_path / "e.jsonl")
    log.emit("image_started", image="a")
    log.close()
    with open(tmp_path / "e.jsonl", "a") as fh:
        fh.write('{"torn')  # a batch killed mid-write
    assert [e["event"] for e in read_events(tmp_path / "e.jsonl")] == ["image_started"]
    assert json.loads((tmp_path / "s.json").read_text())["format"] == "triage-batch-1"


def test_out_folder_rules(tmp_path: Path, triage_cli) -> None:  # type: ignore[no-untyped-def]
    _touch(tmp_path / "ev" / "blank.dd")
    out = tmp_path / "out"
    proc = triage_cli("batch", str(tmp_path / "ev"), "--out", str(out), "--resume", "--cluster", "local:1")
    assert proc.returncode == 2 and "no batch to resume" in proc.stderr
    proc = triage_cli(
        "batch", str(tmp_path / "ev"), "--out", str(out), "--cluster", "local:1", "--progress", "none"
    )
    # a blank MBR-signed file is no disk image: the image fails with its reason, the batch says so
    assert proc.returncode == 1, proc.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["images"][0]["status"] == "failed"
    assert "not a disk image" in summary["images"][0]["reason"]
    assert "FAILED" in (out / "summary.txt").read_text()
    proc = triage_cli("batch", str(tmp_path / "ev"), "--out", str(out), "--cluster", "local:1")
    assert proc.returncode == 2 and "already holds a batch" in proc.stderr
    proc = triage_cli("batch", str(tmp_path / "ev"), "--out", str(out), "--cluster", "bogus")
    assert proc.returncode == 2 and "expected local:N" in proc.stderr


def test_case_folder_that_is_not_a_case_fails_that_image_only(tmp_path: Path) -> None:
    _touch(tmp_path / "ev" / "blank.dd")
    _touch(tmp_path / "out" / "cases" / "blank" / "someone-elses.txt", b"keep me\n")
    result = BatchRunner(
        discover([str(tmp_path / "ev")]), BatchOptions(out=tmp_path / "out", cluster="local:1")
    ).run()
    image = result.summary["images"][0]
    assert (result.exit_code, image["status"]) == (1, "failed")
    assert "folder is not empty and is not a case" in image["reason"]
    assert (tmp_path / "out" / "cases" / "blank" / "someone-elses.txt").read_bytes() == b"keep me\n"
