"""Search oracle (docs/search.md): words planted in ext4, FAT and NTFS images are found by
``triage search`` where they are, each raw-string offset checked against the bytes ``icat``,
``icat -s`` and ``blkcat`` give; unplanted words give no hit; keyword lists, bad queries and
resumed writes behave as documented."""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import require_tools
from fixtures.search import SearchImage, build
from triage_plugins.text_index import TextAnalyzer
from triage_plugins.text_strings import StringsCollector

from triage.case.store import Case, FileResult
from triage.cli import main
from triage.plugin import TextPiece
from triage.scan.engine import ScanEngine, ScanOptions
from triage.scan.registry import PluginConfig
from triage.search import search
from triage.search.query import QueryError, parse

FS = ("ext4", "fat", "ntfs")


def text_plugin_config() -> PluginConfig:
    """The built-ins, plus the text analyzer by module while its entry point is not installed."""
    names = {e.name for e in importlib.metadata.entry_points(group="triage.plugins")}
    modules = [] if "text" in names else ["text=triage_plugins.text_index"]
    return PluginConfig(modules=modules, entry_points=False, include_user_dir=False)


@pytest.fixture(scope="session")
def searched(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, SearchImage]]:
    """One case, one scan, the three images."""
    require_tools(
        "mke2fs", "debugfs", "mkfs.fat", "mcopy", "mkntfs", "ntfscp", "blkls", "blkcat", "icat", "ifind"
    )
    d = tmp_path_factory.mktemp("search")
    images = {fs: build(d, fs, seed=20 + i) for i, fs in enumerate(FS)}
    case_dir = d / "case"
    case = Case.create(case_dir)
    try:
        ScanEngine(
            case,
            [images[fs].path for fs in FS],
            ScanOptions(workers=2, plugins=text_plugin_config(), evidence_hash=False, analyzers=["+text"]),
        ).run()
        assert [p for p in case.problems() if p.severity == "error"] == []
    finally:
        case.close()
    return case_dir, images


EXPECTED = {
    "plain": {("/notes/plain.txt", "text"), ("/notes/plain.txt", "strings")},
    "latin1": {("/notes/latin1.txt", "text"), ("/notes/latin1.txt", "strings")},
    "utf16": {("/notes/wide.txt", "text"), ("/notes/wide.txt", "strings")},
    "docx": {("/docs/report.docx", "text")},
    "pdf": {("/docs/paper.pdf", "text")},
    "deleted": {("/old/gone-for-good.txt", "text"), ("/old/gone-for-good.txt", "strings")},
    "slack": {("/notes/slacky.bin", "slack")},
    "unalloc": {("<unallocated: partition 0>", "unallocated")},
    "unalloc16": {("<unallocated: partition 0>", "unallocated")},
}
ALSO = {
    "deleted": {("<unallocated: partition 0>", "unallocated"), ("/$MFT", "strings")},
    "plain": {("/$MFT", "strings")},  # small NTFS files are resident: their bytes are in $MFT
    "utf16": {("/$MFT", "strings")},
    "latin1": {("/$MFT", "strings")},
}


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """``triage ARGS`` in this process (a subprocess costs seconds of start-up): (code, out, err)."""

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _cli_hits(cli, case_dir: Path, query: str, *extra: str) -> list[dict]:
    code, out, err = cli("search", str(case_dir), query, "--json", *extra)
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


@pytest.mark.parametrize("fs", FS)
def test_planted_words_found_where_they_are(searched, cli, fs: str) -> None:
    case_dir, images = searched
    img = images[fs]
    evidence = FS.index(fs) + 1
    for kind, word in img.words.items():
        hits = _cli_hits(cli, case_dir, word)
        assert {h["evidence_id"] for h in hits} == {evidence}, (fs, kind)  # no other image holds it
        got = {(h["path"], h["source"]) for h in hits}
        assert EXPECTED[kind] <= got, (fs, kind, got)
        assert got - EXPECTED[kind] <= ALSO.get(kind, set()), (fs, kind, got)
        for h in hits:
            raw = (
                word.encode("utf-16-le")
                if kind == "unalloc16" or (h["source"] == "strings" and kind == "utf16")
                else word.encode()
            )
            if h["source"] in ("strings", "slack"):
                flags = ["-s"] if h["source"] == "slack" else []
                data = subprocess.run(
                    ["icat", *flags, str(img.path), str(h["inode"])], capture_output=True, check=True
                ).stdout
                assert data[h["offset"] : h["offset"] + len(raw)] == raw, (fs, kind, h)
                assert h["length"] == len(raw)
            elif h["source"] == "unallocated":
                block, within = divmod(h["offset"], img.block_size)
                data = subprocess.run(
                    ["blkcat", str(img.path), str(block), "2"], capture_output=True, check=True
                ).stdout
                assert data[within : within + len(raw)] == raw, (fs, kind, h)
            elif kind in ("plain", "deleted", "latin1"):  # one byte a character: offsets agree
                data = subprocess.run(
                    ["icat", str(img.path), str(h["inode"])], capture_output=True, check=True
                ).stdout
                assert data[h["offset"] : h["offset"] + len(raw)] == raw
            elif kind == "utf16":  # the text after its BOM, two bytes a character
                data = subprocess.run(
                    ["icat", str(img.path), str(h["inode"])], capture_output=True, check=True
                ).stdout
                assert data[2 + 2 * h["offset"] :][: 2 * len(word)] == word.encode("utf-16-le")
            else:
                assert h["member"] == ("word/document.xml" if kind == "docx" else "page 1")
                assert f"[{word}]" in h["snippet"]
        if kind == "unalloc":
            assert any(h["offset"] // img.block_size == img.unalloc_blocks[kind] for h in hits)


def test_unplanted_words_and_regex(searched, cli) -> None:
    case_dir, images = searched
    for img in images.values():
        for word in img.unplanted:
            assert _cli_hits(cli, case_dir, word) == []
    planted = {w for img in images.values() for w in img.words.values()}
    hits = _cli_hits(cli, case_dir, r"(?<![a-z])zq[a-z]{12}(?![a-z])", "--regex")
    assert {h["match"] for h in hits} >= planted
    inside = {w for img in images.values() for w in img.contained.values()}  # once containers land
    assert {h["path"][:2] for h in hits if h["match"] not in planted | inside} <= {"/$"}  # NTFS system tables
    # plain text line output: path, inode, offset, snippet, source
    word = images["ext4"].words["slack"]
    code, out, _ = cli("search", str(case_dir), word)
    [line] = out.splitlines()
    path, inode, offset, snippet, source = line.split("\t")
    assert (path, source) == ("/notes/slacky.bin", "slack") and f"[{word}]" in snippet
    assert int(inode) > 0 and int(offset) > 3000


def test_query_forms(searched, cli) -> None:
    case_dir, images = searched
    w = images["ext4"].words
    with Case.open(case_dir, readonly=True) as case:
        assert {h.path for h in search(case, w["docx"][:8] + "*").hits} == {"/docs/report.docx"}
        fuzzy = w["pdf"][:-1] + ("a" if w["pdf"][-1] != "a" else "b") + "~"
        assert {h.path for h in search(case, fuzzy).hits} == {"/docs/paper.pdf"}
        assert {h.path for h in search(case, f'"contact is {w["docx"]}"').hits} == {"/docs/report.docx"}
        both = search(case, f"{w['plain']} OR {w['pdf']}").hits
        assert {h.match for h in both} == {w["plain"], w["pdf"]}
        assert search(case, f"{w['plain']} AND {w['pdf']}").hits == ()
        none = search(case, f"{w['plain']} NOT invoice").hits
        assert all(h.source != "text" for h in none)  # the text piece holds "invoice"
    for bad in ('"open', "a AND", "(a", "NOT a", "OR", "***"):
        with pytest.raises(QueryError):
            parse(bad)
    code, _, err = cli("search", str(case_dir), '"open')
    assert code == 2 and "double quote" in err and len(err.splitlines()) == 1


def test_keyword_lists(searched, cli, tmp_path: Path) -> None:
    case_dir, images = searched
    w = images["fat"].words
    bad = tmp_path / "bad.txt"
    bad.write_text(f"# list\n{w['plain']}\n/zq[/\n")
    code, _, err = cli("search", str(case_dir), "--keywords", str(bad), "--save", "bad")
    assert code == 2 and f"{bad}:3:" in err and len(err.splitlines()) == 1
    good = tmp_path / "good.txt"
    good.write_text(f"{w['plain']}\n/{w['unalloc']}/\n")
    for _ in range(2):  # saved again: findings replaced, not added
        code, _, err = cli("search", str(case_dir), "--keywords", str(good), "--save", "lab")
        assert code == 0, err
    findings = [
        f
        for f in map(json.loads, cli("findings", str(case_dir), "--json")[1].splitlines())
        if f["kind"] == "keyword"
    ]
    assert {(f["name"], f["path"]) for f in findings} >= {
        (w["plain"], "/notes/plain.txt"),
    }
    assert sum(1 for f in findings if f["name"] == w["unalloc"]) == 1
    with Case.open(case_dir, readonly=True) as case:
        assert case.saved_searches()["lab"] == [w["plain"], f"/{w['unalloc']}/"]


def test_pieces_replaced_on_resume(searched, tmp_path: Path) -> None:
    """A file whose results are stored again (a resumed scan) keeps one copy of its text."""
    case_dir, images = searched
    copy = tmp_path / "case"
    shutil.copytree(case_dir, copy, ignore=shutil.ignore_patterns("case.lock"))
    case = Case.open(copy)
    try:
        [hit] = [h for h in search(case, images["ext4"].words["slack"]).hits]
        assert hit.file_id is not None and hit.evidence_id is not None
        r = FileResult(file_id=hit.file_id, text=[TextPiece("text", "uniqueresumeword here")])
        case.store_results(1, hit.evidence_id, [r])
        case.store_results(1, hit.evidence_id, [r])
        assert len(search(case, "uniqueresumeword").hits) == 1
        assert search(case, images["ext4"].words["slack"]).hits == ()  # replaced, not added to
    finally:
        case.close()


def test_strings_across_chunks_and_limits(run_analyzer) -> None:
    data = (
        b"\x00\x01" * 3000
        + b"split across chunks here"
        + b"\x02"
        + "wide one".encode("utf-16-le")
        + b"\x00\x03"
    )
    for size in (1, 7, 4096):
        c = StringsCollector("strings", min_length=5)
        for i in range(0, len(data), size):
            c.feed(data[i : i + size])
        [piece] = c.close()
        assert piece.text == "split across chunks here\nwide one"
        assert [s[1:] for s in piece.spans] == [(6000, 1), (6025, 2)]
    doc = b"word " * 1000
    result = run_analyzer(
        TextAnalyzer, doc, name="a.txt", mime="text/plain", options={"max_bytes": 100, "slack": False}
    )
    kinds = sorted(g[0] for g in result.gaps)
    assert kinds == ["truncated"] and result.gaps[0][3] == len(doc) - 100
    assert sum(len(p.text) for p in result.text if p.source == "text") == 100


def test_damaged_document_is_a_ledger_entry(run_analyzer) -> None:
    result = run_analyzer(
        TextAnalyzer,
        b"%PDF-1.4\n garbage zqbrokenpdfword \n",
        name="x.pdf",
        mime="application/pdf",
        options={"slack": False},
    )
    assert [g[0] for g in result.gaps] == ["failed"] and "pdf text not extracted" in result.gaps[0][1]
    assert result.errors == []
    assert any("zqbrokenpdfword" in p.text for p in result.text if p.source == "strings")


CONTAINED = {
    # kind: (container path, member path under it, what ``unzip -p``/the MIME part gives)
    "zipzip": ("/archives/outer.zip", "inner.zip//secret.txt"),
    "attachment": ("/mail/message.eml", "notes.txt"),
}


def _member_bytes(kind: str, container: bytes) -> bytes:
    """The member's bytes from an independent reader (zipfile twice; the e-mail's MIME part)."""
    import email
    import email.policy
    import io
    import zipfile

    if kind == "zipzip":
        inner = zipfile.ZipFile(io.BytesIO(container)).read("inner.zip")
        return zipfile.ZipFile(io.BytesIO(inner)).read("secret.txt")
    msg = email.message_from_bytes(container, policy=email.policy.default)
    [att] = list(msg.iter_attachments())  # type: ignore[attr-defined]
    return bytes(att.get_payload(decode=True))


@pytest.mark.parametrize("kind", sorted(CONTAINED))
@pytest.mark.parametrize("fs", FS)
def test_words_inside_containers(searched, cli, fs: str, kind: str) -> None:
    """Once container members are inventory entries (issue 20 part 3), a word inside a zip inside
    a zip, or inside an e-mail attachment, is found in the member, at its byte offset there."""
    case_dir, images = searched
    img = images[fs]
    word = img.contained[kind]
    container, member = CONTAINED[kind]
    hits = _cli_hits(cli, case_dir, word)
    assert hits, (fs, kind, "no hit")
    assert {h["evidence_id"] for h in hits} == {FS.index(fs) + 1}
    assert {h["path"] for h in hits} == {f"{container}//{member}"}, hits
    inode = subprocess.run(
        ["ifind", "-n", container.lstrip("/"), str(img.path)], capture_output=True, text=True, check=True
    ).stdout.split()[0]
    outer = subprocess.run(["icat", str(img.path), inode], capture_output=True, check=True).stdout
    data = _member_bytes(kind, outer)
    for h in hits:
        if h["source"] == "strings":
            assert data[h["offset"] : h["offset"] + len(word)] == word.encode()
        else:
            assert h["source"] == "text" and data.decode()[h["offset"] :].startswith(word)
