"""Acceptance (issue 19, "Drafts"): mixed identifiers planted in ONE line of a file on a real
ext4 image, scanned for real; every draft follows the instrument rules for the States given,
holds only its own provider's identifiers, cites the source file's SHA-256 (checked with
sha256sum on the icat output), python-docx reads every DOCX, every JSON validates against
the documented schema, and no draft is made for an address that is not publicly routable.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_triage
from triage.case.store import Case
from triage.errors import UsageError
from triage.testing.images import MiB, ToolMissing, make_ext4

GMAIL, OUTLOOK, WEBDE = "someone@gmail.com", "x@outlook.com", "kontakt@web.de"
PRIVATE, CGNAT, DOC = "10.0.0.5", "100.64.1.2", "198.51.100.7"
BTC, PHONE = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "+44 20 7946 0000"
LINE = (
    f"mail {GMAIL} or {OUTLOOK} or {WEBDE}, box {PRIVATE} via {CGNAT} and {DOC}, pay {BTC}, call {PHONE} ;\n"
)
ALL = {
    "google": {GMAIL},
    "microsoft": {OUTLOOK},
    "gmx-webde": {WEBDE},
    "currency:Bitcoin": {BTC},
    "phone:GB": {PHONE, "+442079460000"},
}
NOT_ROUTABLE = {PRIVATE, CGNAT, DOC}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    d = tmp_path_factory.mktemp("mixed-idents")
    content = b"Notes from the seized laptop.\n" + LINE.encode()
    try:
        img = make_ext4(d / "mixed.img", {"/notes.txt": content}, size=2 * MiB, label="mixed")
    except ToolMissing as exc:
        pytest.skip(f"cannot build ext4 fixture: {exc}")
    before = hashlib.sha256(img.path.read_bytes()).hexdigest()
    from triage.scan.engine import ScanEngine, ScanOptions
    from triage.testing.plugin import isolated_config

    with Case.create(d / "case") as writer:
        ScanEngine(writer, [img.path], ScanOptions(workers=1, plugins=isolated_config())).run()
    assert hashlib.sha256(img.path.read_bytes()).hexdigest() == before  # evidence untouched
    case = Case.open(d / "case", readonly=True)
    row = next(case.iter_files("f.path=?", ("/notes.txt",)))
    sha = None
    if shutil.which("icat") and shutil.which("sha256sum"):  # the file's SHA-256 by other tools
        raw = subprocess.run(
            ["icat", str(img.path), str(row["inode"])], capture_output=True, check=True
        ).stdout
        sha = (
            subprocess.run(["sha256sum"], input=raw, capture_output=True, check=True)
            .stdout.split()[0]
            .decode()
        )
    yield {"case": case, "dir": d, "sha": sha or row["sha256"], "row": row}
    case.close()


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    return (
        "\n".join(p.text for p in document.paragraphs)
        + "\n"
        + "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    )


def _check_drafts(paths: list[Path], sha: str) -> dict[str, dict[str, Any]]:
    """Every draft validates, is readable, cites ``sha`` and holds nobody else's identifier."""
    import jsonschema

    schema = json.loads((resources.files("triage.data") / "request-draft.schema.json").read_text())
    out: dict[str, dict[str, Any]] = {}
    for js_path in (p for p in paths if p.suffix == ".json"):
        js = json.loads(js_path.read_text())
        jsonschema.validate(js, schema)
        group = js["addressee"]["group"]
        out[group] = js
        docx_text = _docx_text(js_path.with_suffix(".docx"))
        text = js_path.read_text() + docx_text
        assert sha in docx_text and [e["sha256"] for e in js["evidence"]] == [sha]
        own = ALL[group]
        assert {i["identifier"] for i in js["data_to_preserve"]["identifiers"]} <= own | {"+442079460000"}
        for other in set().union(*ALL.values()) - own:
            assert other not in text, f"{group}'s draft names {other}"
        for ip in NOT_ROUTABLE:
            assert ip not in text, f"{group}'s draft names {ip}"
    return out


def test_eu_state_to_providers_in_the_union_gives_epoc_pr(mixed: dict[str, Any], tmp_path: Path) -> None:
    from triage.requests.draft import draft_requests

    res = draft_requests(mixed["case"], tmp_path, provider="all", requesting_state="DE", language="fr")
    drafts = _check_drafts(res.paths, mixed["sha"])
    assert set(drafts) == set(ALL)  # no draft for the private, CGNAT and documentation addresses
    got = {g: js["instrument"]["id"] for g, js in drafts.items()}
    assert got == {
        "google": "epoc-pr",  # US seat, offers services in the EU
        "microsoft": "epoc-pr",
        "gmx-webde": "epoc-pr",  # seated in DE, a bound Member State
        "phone:GB": "budapest-art29",  # no provider: DE and GB are Parties to ETS 185
        "currency:Bitcoin": "budapest-art29",  # no jurisdiction at all: marked [check]
    }
    assert "[check" in drafts["currency:Bitcoin"]["instrument"]["rule"]
    assert {(s.identifier, s.reason) for s in res.skipped} == {
        (ip, "no provider: not publicly routable") for ip in NOT_ROUTABLE
    }
    g = drafts["google"]
    assert (
        g["language"] == "fr" and g["title"] == "Certificat d'injonction européenne de conservation (EPOC-PR)"
    )
    deadlines = " ".join(g["instrument"]["deadlines"])
    assert "60 jours" in deadlines and "30 jours" in deadlines and "annexe VI" in deadlines
    # context is the identifier alone unless asked for
    assert [f["context"] for i in g["data_to_preserve"]["identifiers"] for f in i["found_in"]] == [GMAIL]
    assert "Issuing/validating" not in _docx_text(tmp_path / "preservation-google.docx")  # labels in French
    assert "Section A : Autorité d'émission/de validation" in _docx_text(
        tmp_path / "preservation-google.docx"
    )


def test_protocol_party_gives_art7_and_otherwise_art29(mixed: dict[str, Any], tmp_path: Path) -> None:
    from triage.requests.draft import draft_requests
    from triage.requests.instruments import Parties

    parties_file = tmp_path / "parties.toml"
    parties_file.write_text(
        'version = "test"\n[protocol2]\nsource = "test data"\nas_of = "2026-12-02"\nmembers = ["JP", "DE"]\n'
        '[budapest]\nsource = "test data"\nas_of = "2026-12-02"\nmembers = ["JP"]\n'
    )
    parties = Parties.load([parties_file])
    res = draft_requests(
        mixed["case"], tmp_path / "d", provider="all", requesting_state="JP", parties=parties, language="zh"
    )
    drafts = _check_drafts(res.paths, mixed["sha"])
    got = {g: js["instrument"]["id"] for g, js in drafts.items()}
    assert got["gmx-webde"] == "sap-art7"  # JP and DE Parties to CETS 224 (per the test data)
    assert got["google"] == got["microsoft"] == "budapest-art29"  # US not a Party to CETS 224 here
    assert (tmp_path / "d" / "sap-art7-gmx-webde.docx").is_file()
    assert drafts["gmx-webde"]["title"] == "披露用户信息令"
    # the override wins, and is said to
    one = draft_requests(
        mixed["case"],
        tmp_path / "e",
        provider="google",
        requesting_state="DE",
        instrument="epoc",
        formats=("json",),
    )
    js = json.loads(one.paths[0].read_text())
    assert one.paths[0].name == "epoc-google.json" and js["instrument"]["override"] is True
    assert any("8" in d for d in js["instrument"]["deadlines"])


def test_included_context_has_other_identifiers_redacted(mixed: dict[str, Any], tmp_path: Path) -> None:
    from triage.requests.draft import draft_requests

    res = draft_requests(
        mixed["case"], tmp_path, provider="all", requesting_state="DE", include_context=True, language="ar"
    )
    drafts = _check_drafts(res.paths, mixed["sha"])  # still nobody else's identifier, in any form
    ctx = drafts["google"]["data_to_preserve"]["identifiers"][0]["found_in"][0]["context"]
    assert GMAIL in ctx and "[redacted]" in ctx and "mail " in ctx
    import docx

    body = docx.Document(str(tmp_path / "preservation-google.docx")).element.body.xml
    assert "w:bidi" in body  # Arabic paragraphs run right to left


def test_cli_summary_and_bad_options(
    mixed: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from triage.cli import main

    case = str(mixed["case"].path)
    out = run_triage("requests", "draft", case, "--provider", "all", "--out", str(tmp_path), "--from", "DE")
    assert out.returncode == 0, out.stderr
    assert f"no provider: not publicly routable: {PRIVATE} (ip)" in out.stdout
    assert "draft: google: epoc-pr" in out.stdout
    capsys.readouterr()
    for bad, msg in (
        (["--provider", "ip:private"], "not publicly routable"),
        (["--language", "de"], "--language: unknown language 'de'"),
        (["--language", "en,fr"], "--language: one language per draft"),
        (["--from", "ZZ"], "--from: 'ZZ' is not an ISO 3166-1 alpha-2 country code"),
    ):
        args = ["requests", "draft", case, "--provider", "all", "--out", str(tmp_path / "x"), *bad]
        assert main(args) == 2
        err = capsys.readouterr().err
        assert msg in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "x").exists()


def test_every_label_is_translated() -> None:
    from triage.i18n import untranslated
    from triage.requests import docx_render, draft
    from triage.requests.instruments import INSTRUMENTS

    msgids = [*docx_render.LABELS, *draft._CHANNELS.values(), *draft._FOLLOW_UP.values(), draft._NECESSITY]
    msgids.append("DRAFT - to be completed, checked and signed by the requesting authority")
    for i in INSTRUMENTS.values():
        msgids += [i.title, *(label for _, label in i.sections), *i.deadlines, *i.categories]
    assert untranslated("requests", msgids, ["fr", "es", "ru", "zh", "ar"]) == {}


def test_rule_table_without_a_case(tmp_path: Path) -> None:
    """The rows of docs/identifiers.md's table that the scanned fixture does not reach."""
    from triage.requests.instruments import Parties, choose, publicly_routable
    from triage.requests.providers import ProviderMap

    pm = ProviderMap.load()
    f = tmp_path / "p.toml"
    f.write_text(
        '[protocol2]\nmembers = ["JP", "CL"]\n[uncc]\nmembers = ["VN", "NG"]\n[budapest]\nmembers = ["JP", "CL"]\n'
    )
    parties = Parties.load([f])
    google, gmx = pm.provider("google"), pm.provider("gmx-webde")

    def pick(
        frm: str | None, to: str | None, prov: Any = None, kinds: tuple[str, ...] = ("email",), **kw: Any
    ) -> str:
        return choose(
            requesting=frm, requested=to, provider=prov, kinds=kinds, parties=parties, pm=pm, **kw
        ).instrument.id

    assert pick("FR", "US", google) == "epoc-pr" and pick("FR", "US", google, purpose="production") == "epoc"
    assert pick("DK", "DE", gmx) != "epoc-pr"  # Denmark is not bound by the Regulation
    assert pick("JP", "CL", None, ("domain",)) == "sap-art6"  # a domain without a provider: the registrar
    assert pick("JP", "CL", None, ("phone",)) == "budapest-art29"  # art. 7 needs a provider
    assert pick("VN", "NG") == "uncc-preservation"  # UN Convention Parties, not Budapest Parties
    assert pick(None, "US", google) == "budapest-art29"
    assert pick("FR", "US", google, override="sap-art6") == "sap-art6"
    bad = tmp_path / "bad.toml"
    bad.write_text('[eu]\nmembers = ["XX1"]\n')
    with pytest.raises(UsageError, match=r"\[eu\] member 'XX1' is not an ISO 3166 alpha-2 code"):
        Parties.load([bad])
    for ip in (
        "10.0.0.5",
        "100.64.1.2",
        "192.0.2.1",
        "198.51.100.7",
        "203.0.113.9",
        "2001:db8::1",
        "127.0.0.1",
        "169.254.1.1",
        "fe80::1",
        "240.0.0.1",
    ):
        assert not publicly_routable("ip", ip, {}), ip
    assert publicly_routable("ip", "8.8.8.8", {}) and publicly_routable("email", "a@b.de", {})
    assert not publicly_routable("url", "http://10.0.0.5/x", {"ip": True})


def test_redaction_also_cuts_identifiers_at_the_window_edges() -> None:
    from triage.requests.draft import redact_context

    ctx = BTC[-7:] + ", mail someone@gmail.com, call " + PHONE[:9]  # both cut by the ±64-byte window
    out = redact_context(ctx, [GMAIL], [GMAIL, BTC, PHONE, "+442079460000"])
    assert out == "[redacted], mail someone@gmail.com, call [redacted]"
