"""Tests of the example plugin, with the fixtures of triage's pytest plugin (triage.testing)."""

from __future__ import annotations

from triage_example_plugin import EmailAnalyzer

LETTER = b"From: Alice <alice@example.org>\nTo: bob@example.com\nCc: ALICE@example.org\n\nSee you.\n"


def test_addresses_split_across_chunks(run_analyzer) -> None:
    result = run_analyzer(EmailAnalyzer, LETTER, name="letter.txt", mime="text/plain", chunk_size=7)
    [finding] = result.findings
    assert finding["details"]["addresses"] == ["alice@example.org", "bob@example.com"]
    assert (finding["plugin"], finding["plugin_version"]) == ("emails", "0.1.0")
    assert result.attributes["emails"] == 2


def test_binary_files_are_skipped(run_analyzer) -> None:
    result = run_analyzer(EmailAnalyzer, LETTER, mime="application/octet-stream")
    assert result.findings == []


def test_plugin_loads(triage_registry) -> None:
    registry = triage_registry("example=triage_example_plugin")
    record = next(r for r in registry.records if r.name == "example")
    assert (record.status, record.analyzers) == ("loaded", ["emails"])


def test_scan_finds_addresses_in_an_image(make_image, scan_image) -> None:
    image = make_image(
        {"/mail/letter.txt": LETTER, "/photo.jpg": b"\xff\xd8\xff\xe0 not@text.org"},
        deleted=["/mail/letter.txt"],
    )
    result = scan_image(
        image, plugins=["example=triage_example_plugin"], options={"emails": {"max_addresses": 1}}
    )
    [finding] = result.findings(plugin="emails")
    assert finding["path"] == "/mail/letter.txt"
    assert finding["details"] == {"addresses": ["alice@example.org"], "count": 2, "truncated": True}
    assert result.scan()["versions"]["plugins"]["example"] == "0.1.0"
