"""Bundle export on the demo image, checked with independent tools: bagit.py, case_validate,
sha256sum/sha512sum, openssl cms, ssh-keygen, icat."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from triage.case.store import Case
from triage.export import ExportCancelled, export_bundle, load_request, parse_selection, verify_bundle
from triage.export.keys import issue_examiner_cert, make_ca
from triage.progress import Progress

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo.raw"
REQUEST = ROOT / "examples" / "request.toml"
VENV_BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = shutil.which(name) or (str(VENV_BIN / name) if (VENV_BIN / name).exists() else None)
    if path is None:
        pytest.skip(f"{name} not installed")
    return path


def triage(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "triage", *args], capture_output=True, text=True, timeout=300
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"triage {' '.join(args)} -> {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def inventory(bag: Path) -> list[dict[str, str]]:
    return list(
        csv.DictReader(io.StringIO((bag / "data/inventory/artifacts.csv").read_text(encoding="utf-8")))
    )


@pytest.fixture(scope="module")
def demo_image() -> Path:
    if not DEMO.is_file():
        pytest.skip("examples/demo.raw is missing")
    return DEMO


@pytest.fixture(scope="module")
def image_hash(demo_image: Path) -> str:
    return sha256(demo_image)


@pytest.fixture(scope="module")
def demo_case(tmp_path_factory: pytest.TempPathFactory, demo_image: Path, image_hash: str) -> Path:
    case_dir = tmp_path_factory.mktemp("case") / "demo"
    triage("scan", str(demo_image), "--case", str(case_dir))
    with Case.open(case_dir) as case:
        for row in case.iter_files("f.type='r' AND f.name IN ('brief.txt', 'invoice.pdf', 'plans.txt')"):
            case.add_tag(row["id"], "relevant")
    return case_dir


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A lab CA issuing the examiner's certificate, plus an SSH Ed25519 key from `triage keys new`."""
    d = tmp_path_factory.mktemp("keys")
    ca_key, ca_cert = make_ca(d, "Test Lab CA")
    ex = issue_examiner_cert(
        d, "ana", ca_key, ca_cert, common_name="Ana Examiner", email="ana@police.example"
    )
    triage(
        "keys",
        "new",
        "--out",
        str(d),
        "--name",
        "ana_ssh",
        "--type",
        "ed25519",
        "--cn",
        "Ana Examiner",
        "--email",
        "ana@police.example",
    )
    triage("keys", "new", "--out", str(d), "--name", "self", "--cn", "Ana Examiner")
    return {
        "ca": d / "ca.pem",
        "key": ex.key,
        "cert": ex.cert,
        "ssh": d / "ana_ssh",
        "allowed": d / "ana_ssh.allowed_signers",
        "self_key": d / "self.key.pem",
        "self_cert": d / "self.cert.pem",
    }


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory, demo_case: Path, keys: dict[str, Path]) -> Path:
    """The acceptance command on the demo case."""
    out = tmp_path_factory.mktemp("out") / "MLA-2026-0042_EXH-001"
    proc = triage(
        "export",
        str(demo_case),
        "--out",
        str(out),
        "--select",
        "all",
        "--request",
        str(REQUEST),
        "--sign-key",
        str(keys["key"]),
        "--sign-cert",
        str(keys["cert"]),
    )
    assert "exporting 28/28 files" in proc.stderr  # 22 file-system files and 6 container members
    assert "exported 28 files" in proc.stdout
    return out


@pytest.fixture
def copy(bundle: Path, tmp_path: Path) -> Path:
    dest = tmp_path / bundle.name
    shutil.copytree(bundle, dest)
    return dest


def test_acceptance_bag_is_valid_with_independent_tools(bundle: Path, keys: dict[str, Path]) -> None:
    assert (bundle / "bagit.txt").read_text().startswith("BagIt-Version: 1.0\n")
    proc = subprocess.run([tool("bagit.py"), "--validate", str(bundle)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "is valid" in proc.stderr
    for cmd in (
        ["sha256sum", "-c", "manifest-sha256.txt"],
        ["sha512sum", "-c", "tagmanifest-sha512.txt"],
        ["sha512sum", "-c", "manifest-sha512.txt"],
    ):
        proc = subprocess.run(cmd, cwd=bundle, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (
        proc.stdout.count(": OK") == 28 + 11
    )  # 28 artifacts + README, CASE, 3 inventory, custody, tool, 3 cover (pdf, html, json), completeness
    proc = subprocess.run(
        [
            tool("openssl"),
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            "signatures/tagmanifest-sha512.txt.p7s",
            "-content",
            "tagmanifest-sha512.txt",
            "-CAfile",
            str(keys["ca"]),
            "-out",
            "/dev/null",
        ],
        cwd=bundle,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    proc = triage("verify", str(bundle), "--ca", str(keys["ca"]))
    assert "VERIFIED" in proc.stdout and "FAIL" not in proc.stdout


def test_case_graph_ids_hashes_and_request(bundle: Path) -> None:
    graph = json.loads((bundle / "data/case/bundle.jsonld").read_text())
    nodes = graph["@graph"]
    ids = [n["@id"] for n in nodes]
    assert len(ids) == len(set(ids))
    uuid_tail = r"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
    text = json.dumps(graph)
    import re

    for node_id in re.findall(r'"@id": "(kb:[^"]+)"', text):
        assert re.search(uuid_tail, node_id), node_id
    auth = next(n for n in nodes if n["@type"] == "case-investigation:Authorization")
    assert auth["case-investigation:authorizationIdentifier"] == "MLA-2026-0042"
    assert auth["case-investigation:authorizationType"].startswith("Budapest Convention")
    inv = {r["bundle_path"]: r for r in inventory(bundle)}
    sha256s = {
        h["uco-types:hashValue"]["@value"]
        for n in nodes
        for f in n.get("uco-core:hasFacet", [])
        for h in f.get("uco-observable:hash", [])
        if h["uco-types:hashMethod"] == "SHA256"
    }
    assert {r["sha256"] for r in inv.values()} <= sha256s
    assert all(
        h["uco-types:hashValue"]["@type"] == "xsd:hexBinary"
        for n in nodes
        for f in n.get("uco-core:hasFacet", [])
        for h in f.get("uco-observable:hash", [])
    )


def test_every_artifact_equals_icat_from_the_evidence(
    bundle: Path, demo_case: Path, demo_image: Path
) -> None:
    icat = tool("icat")
    rows = inventory(bundle)
    assert len(rows) == 28
    members = [r for r in rows if r["origin"] == "member"]  # checked with unzip/tar in test_export_members
    assert len(members) == 6 and all(r["container_artifact_id"] for r in members)
    rows = [r for r in rows if r["origin"] == "fs"]
    assert len(rows) == 22
    for r in rows:
        data = subprocess.run(
            [icat, "-o", str(int(r["partition_offset"]) // 512), str(demo_image), r["inode"]],
            capture_output=True,
            check=True,
        ).stdout
        assert hashlib.sha256(data).hexdigest() == r["sha256"] == sha256(bundle / r["bundle_path"]), r[
            "original_path"
        ]
        assert hashlib.md5(data).hexdigest() == r["md5"]
    brief = next(r for r in rows if r["original_path"] == "/home/alice/projects/nightjar/brief.txt")
    assert b"CONFIDENTIAL-PROJECT-NIGHTJAR" in (bundle / brief["bundle_path"]).read_bytes()
    deleted = {r["original_path"] for r in rows if r["deleted"] == "1"}
    assert "/Documents/Deleted Meeting Minutes.txt" in deleted


def test_export_twice_is_byte_identical(
    bundle: Path, demo_case: Path, tmp_path: Path, keys: dict[str, Path]
) -> None:
    again = tmp_path / "again"
    triage(
        "export",
        str(demo_case),
        "--out",
        str(again),
        "--select",
        "all",
        "--request",
        str(REQUEST),
        "--ssh-key",
        str(keys["ssh"]),
    )
    for rel in (
        "manifest-sha256.txt",
        "manifest-sha512.txt",
        "data/case/bundle.jsonld",
        "data/cover-sheet/cover-sheet.pdf",
        "data/custody/custody-log.jsonl",
    ):
        assert (again / rel).read_bytes() == (bundle / rel).read_bytes(), rel
    # the real export time lives in the tag files only
    assert (again / "export-log.jsonl").read_bytes() != (bundle / "export-log.jsonl").read_bytes()
    with Case.open(demo_case, readonly=True) as case:
        assert [a.action for a in case.audit_log()].count("export.created") >= 2


def test_ssh_signature_verifies_with_ssh_keygen(
    demo_case: Path, tmp_path: Path, keys: dict[str, Path]
) -> None:
    out = tmp_path / "ssh"
    with Case.open(demo_case) as case:
        export_bundle(case, out, "tagged:relevant", REQUEST, ssh_key=keys["ssh"])
    with (out / "tagmanifest-sha512.txt").open("rb") as f:
        proc = subprocess.run(
            [
                tool("ssh-keygen"),
                "-Y",
                "verify",
                "-f",
                str(keys["allowed"]),
                "-I",
                "ana@police.example",
                "-n",
                "triage-bundle",
                "-s",
                str(out / "signatures/tagmanifest-sha512.txt.sig"),
            ],
            stdin=f,
            capture_output=True,
            text=True,
        )
    assert proc.returncode == 0, proc.stderr
    assert 'Good "triage-bundle" signature for ana@police.example' in proc.stdout
    assert len(inventory(out)) == 3
    assert verify_bundle(out, allowed_signers=keys["allowed"], principal="ana@police.example").ok
    # a byte flip in the signed tag manifest breaks the SSH signature for ssh-keygen and for us
    signed = out / "tagmanifest-sha512.txt"
    raw = bytearray(signed.read_bytes())
    raw[5] ^= 0x01
    signed.write_bytes(bytes(raw))
    with signed.open("rb") as f:
        bad = subprocess.run(
            [
                tool("ssh-keygen"),
                "-Y",
                "verify",
                "-f",
                str(keys["allowed"]),
                "-I",
                "ana@police.example",
                "-n",
                "triage-bundle",
                "-s",
                str(out / "signatures/tagmanifest-sha512.txt.sig"),
            ],
            stdin=f,
            capture_output=True,
        )
    assert bad.returncode != 0
    proc = triage("verify", str(out), "--allowed-signers", str(keys["allowed"]), check=False)
    assert proc.returncode == 1 and "FAIL signature signatures/tagmanifest-sha512.txt.sig" in proc.stdout


@pytest.mark.parametrize(
    "victim",
    [
        "data/artifacts/A0021_brief.txt",
        "data/case/bundle.jsonld",
        "bag-info.txt",
        "tagmanifest-sha256.txt",
        "tagmanifest-sha512.txt",
    ],
)
def test_one_flipped_byte_fails_every_check(copy: Path, keys: dict[str, Path], victim: str) -> None:
    path = copy / victim
    raw = bytearray(path.read_bytes())
    raw[10] ^= 0x01  # inside the first hash of a manifest; inside the text elsewhere
    path.write_bytes(bytes(raw))
    proc = triage("verify", str(copy), "--ca", str(keys["ca"]), check=False)
    assert proc.returncode == 1
    assert "NOT VERIFIED" in proc.stdout
    assert f"FAIL bag: {victim}" in proc.stdout or "FAIL signature" in proc.stdout
    bagit = subprocess.run([tool("bagit.py"), "--validate", str(copy)], capture_output=True, text=True)
    assert bagit.returncode != 0
    # the recipient's chain: signature over tagmanifest-sha512 -> tag files -> payload manifest -> payload
    cms = subprocess.run(
        [
            tool("openssl"),
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            "signatures/tagmanifest-sha512.txt.p7s",
            "-content",
            "tagmanifest-sha512.txt",
            "-CAfile",
            str(keys["ca"]),
            "-out",
            "/dev/null",
        ],
        cwd=copy,
        capture_output=True,
    )
    tags = subprocess.run(
        ["sha512sum", "-c", "--quiet", "tagmanifest-sha512.txt"], cwd=copy, capture_output=True
    )
    payload = subprocess.run(
        ["sha256sum", "-c", "--quiet", "manifest-sha256.txt"], cwd=copy, capture_output=True
    )
    assert cms.returncode != 0 or tags.returncode != 0 or payload.returncode != 0
    if victim == "tagmanifest-sha512.txt":
        assert cms.returncode != 0
        assert "FAIL signature signatures/tagmanifest-sha512.txt.p7s" in proc.stdout
    else:
        assert f"FAIL bag: {victim}" in proc.stdout


def test_encrypted_archive_and_unpack(demo_case: Path, tmp_path: Path, keys: dict[str, Path]) -> None:
    pyrage = pytest.importorskip("pyrage")
    ident = pyrage.x25519.Identity.generate()
    (tmp_path / "id.txt").write_text(str(ident) + "\n")
    out = tmp_path / "sealed"
    proc = triage(
        "export",
        str(demo_case),
        "--out",
        str(out),
        "--select",
        "tagged",
        "--request",
        str(REQUEST),
        "--sign-key",
        str(keys["key"]),
        "--sign-cert",
        str(keys["cert"]),
        "--encrypt-to",
        str(ident.to_public()),
    )
    archive = tmp_path / "sealed.tar.age"
    assert archive.is_file() and not out.exists()
    assert list(tmp_path.iterdir()) == [archive] or set(tmp_path.iterdir()) == {archive, tmp_path / "id.txt"}
    assert f"archive SHA-256 (for the covering letter): {sha256(archive)}" in proc.stdout
    unpacked = triage(
        "unpack", str(archive), "--out", str(tmp_path / "recv"), "--identity", str(tmp_path / "id.txt")
    )
    assert "VERIFIED" in unpacked.stdout
    bag = tmp_path / "recv" / "sealed"
    assert subprocess.run([tool("bagit.py"), "--validate", str(bag)], capture_output=True).returncode == 0
    assert len(inventory(bag)) == 3
    wrong = pyrage.x25519.Identity.generate()
    (tmp_path / "wrong.txt").write_text(str(wrong) + "\n")
    bad = triage(
        "unpack",
        str(archive),
        "--out",
        str(tmp_path / "x"),
        "--identity",
        str(tmp_path / "wrong.txt"),
        check=False,
    )
    assert bad.returncode == 2 and "cannot decrypt" in bad.stderr


def test_passphrase_archive(demo_case: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyrage")
    (tmp_path / "pw").write_text("correct horse battery staple\n")
    with Case.open(demo_case) as case:
        export_bundle(
            case,
            tmp_path / "pw-bundle.tar.age",
            "ids:4",
            REQUEST,
            passphrase=(tmp_path / "pw").read_text().strip(),
        )
    report = verify_bundle(tmp_path / "pw-bundle.tar.age", passphrase="correct horse battery staple")
    assert report.ok, report.report
    assert report.warnings == ["the bundle is not signed"]


def test_missing_required_request_field_is_named(demo_case: Path, tmp_path: Path) -> None:
    text = REQUEST.read_text().replace("legal_basis =", "# legal_basis =")
    (tmp_path / "r.toml").write_text(text)
    proc = triage(
        "export",
        str(demo_case),
        "--out",
        str(tmp_path / "o"),
        "--request",
        str(tmp_path / "r.toml"),
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == "triage: error: request: missing required field request.legal_basis"
    assert not (tmp_path / "o").exists()
    req = load_request(tmp_path / "r.toml", {"request.legal_basis": "EIO Directive 2014/41/EU"})
    assert req.legal_basis == "EIO Directive 2014/41/EU"


def test_bad_selection_and_existing_target(demo_case: Path, tmp_path: Path) -> None:
    proc = triage(
        "export",
        str(demo_case),
        "--out",
        str(tmp_path / "o"),
        "--request",
        str(REQUEST),
        "--select",
        "query:colour=blue",
        check=False,
    )
    assert proc.returncode == 2 and "unknown query key 'colour'" in proc.stderr
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("keep me")
    proc = triage(
        "export", str(demo_case), "--out", str(tmp_path / "full"), "--request", str(REQUEST), check=False
    )
    assert proc.returncode == 2 and "refusing to overwrite" in proc.stderr
    assert (tmp_path / "full" / "x").read_text() == "keep me"


def test_selection_grammar_exclusions_and_metadata_only(demo_case: Path, tmp_path: Path) -> None:
    with Case.open(demo_case) as case:
        images = export_bundle(
            case,
            tmp_path / "img",
            "query:mime=image/*;deleted=no",
            REQUEST,
            exclude=["query:name=*.png::contains a third party's picture"],
        )
        rows = inventory(images.bag)
        assert {r["original_name"] for r in rows} == {"IMG_0001.JPG", "IMG_0002.JPG", "sunset.jpg"}
        left = list(csv.DictReader(io.StringIO((images.bag / "data/inventory/left-out.csv").read_text())))
        assert {r["original_path"].rsplit("/", 1)[-1] for r in left} == {"diagram.png", "cat.png"}
        assert all(r["reason"] == "contains a third party's picture (query:name=*.png)" for r in left)
        # holiday.jpg is a ZIP (the lying extension): not image/*, but the filetype plugin flags it
        meta = export_bundle(case, tmp_path / "meta", "plugin:filetype + ids:4", REQUEST, metadata_only=True)
    assert not (meta.bag / "data/artifacts").exists()
    rows = inventory(meta.bag)
    assert rows and all(r["bundle_path"] == "" and len(r["sha256"]) == 64 for r in rows)
    assert {r["case_file_id"] for r in rows} == {"4", "7"}
    assert verify_bundle(meta.bag).ok
    with pytest.raises(Exception, match="bad file id"):
        parse_selection("ids:1,x")


def test_hash_mismatch_stops_the_export(
    demo_case: Path, tmp_path: Path, image_hash: str, demo_image: Path
) -> None:
    bad_case = tmp_path / "case"
    shutil.copytree(demo_case, bad_case)
    with sqlite3.connect(bad_case / "case.sqlite") as db:
        db.execute("UPDATE files SET sha256=? WHERE name='contacts.txt'", ("0" * 64,))
    proc = triage(
        "export", str(bad_case), "--out", str(tmp_path / "o"), "--request", str(REQUEST), check=False
    )
    assert proc.returncode == 3
    assert "contacts.txt" in proc.stderr and "differs from the case" in proc.stderr
    assert "no bundle written" in proc.stderr
    assert not (tmp_path / "o").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["case"]  # the temporary folder is gone too
    assert sha256(demo_image) == image_hash  # the evidence was never written


def test_unhashed_files_stop_unless_told(demo_case: Path, tmp_path: Path) -> None:
    c2 = tmp_path / "case"
    shutil.copytree(demo_case, c2)
    with sqlite3.connect(c2 / "case.sqlite") as db:
        db.execute("UPDATE files SET sha256=NULL, status='failed', error='read error' WHERE name='notes.txt'")
    proc = triage("export", str(c2), "--out", str(tmp_path / "o"), "--request", str(REQUEST), check=False)
    assert (
        proc.returncode == 2 and "have no SHA-256 in the case" in proc.stderr and "notes.txt" in proc.stderr
    )
    with Case.open(c2) as case:
        export_bundle(case, tmp_path / "skip", "all", REQUEST, unhashed="skip")
        export_bundle(case, tmp_path / "inc", "all", REQUEST, unhashed="include")
    left = (tmp_path / "skip/data/inventory/left-out.csv").read_text()
    assert "/home/alice/notes.txt" in left and "no SHA-256 in the case (status failed: read error)" in left
    row = next(r for r in inventory(tmp_path / "inc") if r["original_name"] == "notes.txt")
    assert "hashed at export" in row["note"] and len(row["sha256"]) == 64


def test_python_api_gui_style_call_progress_and_cancel(demo_case: Path, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    flat = {
        "reference": "MLA-2024-0042",
        "requesting_authority": "Public Prosecutor, Example",
        "legal_basis": "MLAT art. 3",
        "examiner": "Ana Examiner",
    }
    with Case.open(demo_case) as case:
        result = export_bundle(
            case,
            tmp_path / "gui",
            selection=[4, 5],
            request=flat,
            progress=lambda p: seen.append((p.done, p.total)),
        )
        assert seen == [(1, 2), (2, 2)]
        report = verify_bundle(result.path)
        assert report.ok and "the bundle is not signed" in report.warnings
        cancel = threading.Event()

        def stop(p: Progress) -> None:
            cancel.set()

        with pytest.raises(ExportCancelled):
            export_bundle(case, tmp_path / "cancelled", "all", REQUEST, progress=stop, cancel=cancel)
    assert not (tmp_path / "cancelled").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gui"]
    with pytest.raises(Exception, match="missing required field examiner.name"):
        load_request({"reference": "X", "legal_basis": "Y", "requesting_authority": "Z"})


def test_readme_and_cover_sheet_name_the_sender(demo_case: Path, tmp_path: Path) -> None:
    """The request as the GUI wizard sends it (one table per cover-sheet section): every section
    reaches the cover sheet, and the README says who sent the bundle."""
    from triage.export.cover import sent_by

    request = {
        "request": {"reference": "EIO-2026-7", "legal_basis": "Directive 2014/41/EU", "case_number": "NAT-1"},
        "requesting_authority": {
            "name": "Parquet de Lyon",
            "country": "FR",
            "address": "67 rue Servient, Lyon",
            "contact": "Claire Martin",
        },
        "requested_authority": {"name": "Openbaar Ministerie", "country": "NL"},
        "organisation": {"name": "Digital Forensics Unit", "address": "Forensic Lane 1"},
        "examiner": {
            "name": "Ana Examiner",
            "role": "examiner",
            "email": "ana@dfu.example",
            "phone": "+31 70",
        },
    }
    with Case.open(demo_case) as case:
        result = export_bundle(case, tmp_path / "b", selection=[4], request=request)
    lines = (result.path / "data/README.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "EVIDENCE TRANSFER BUNDLE - request EIO-2026-7"
    assert lines[3:8] == [
        "Requesting authority: Parquet de Lyon (FR)",
        "Requested authority: Openbaar Ministerie (NL)",
        "Sent by: Ana Examiner, Digital Forensics Unit",
        "Contact: ana@dfu.example, +31 70",
        "Examiner: Ana Examiner, examiner",
    ]
    sheet = json.loads((result.path / "data/cover-sheet/cover-sheet.json").read_text(encoding="utf-8"))
    for section in ("requesting_authority", "requested_authority", "organisation", "examiner"):
        assert sheet[section] == request[section]
    assert sheet["request"]["reference"] == "EIO-2026-7"
    assert sheet["sent_by"] == "Ana Examiner, Digital Forensics Unit"
    info = (result.path / "bag-info.txt").read_text(encoding="utf-8").splitlines()
    assert "Source-Organization: Openbaar Ministerie" in info
    assert not [ln for ln in info if "Forensic Lane" in ln]  # the unit's address is not the ministry's
    if shutil.which("pdftotext"):  # poppler-utils: the PDF says the same
        pdf = subprocess.run(
            ["pdftotext", str(result.path / "data/cover-sheet/cover-sheet.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert re.search(r"Sent by\s+Ana Examiner, Digital Forensics Unit", pdf) and "Parquet de Lyon" in pdf
    # no organisation: the requested authority sends; no examiner either: only what is known
    base = {"organisation": {}, "examiner": {"name": "Ana Examiner"}, "requested_authority": {}}
    assert sent_by({**base, "requested_authority": {"name": "Openbaar Ministerie"}}) == (
        "Ana Examiner, Openbaar Ministerie"
    )
    assert sent_by(base) == "Ana Examiner"


def test_cancel_through_the_progress_protocol_stops_midway_and_is_recorded(
    demo_case: Path, tmp_path: Path
) -> None:
    """A :class:`triage.progress.Cancel` set from the progress callback after the second file stops
    the export there: no third file is read, nothing is left at the target, the audit log says so."""
    from triage.progress import Cancel

    cancel = Cancel()
    seen: list[Progress] = []

    def on_progress(p: Progress) -> None:
        seen.append(p)
        if p.done == 2:
            cancel.cancel("test")

    with Case.open(demo_case) as case:
        total = len([r for r in case.iter_files() if r["type"] == "r" and r["sha256"]])
        assert total > 3
        with pytest.raises(ExportCancelled):
            export_bundle(case, tmp_path / "midway", "all", REQUEST, progress=on_progress, cancel=cancel)
        assert [(p.task, p.done, p.unit) for p in seen] == [("export", 1, "files"), ("export", 2, "files")]
        assert all(p.total == seen[0].total and p.total > 2 for p in seen)
        actions = [a for a in case.audit_log() if a.action == "export.cancelled"]
        assert actions and actions[-1].details["path"] == str(tmp_path / "midway")
    assert list(tmp_path.iterdir()) == []


def test_completeness_csv_is_in_the_bag(bundle: Path, demo_case: Path, demo_image: Path) -> None:
    """data/completeness.csv is a payload file (sha256sum checks it) and lists each file system's
    unallocated space with the bytes blkls -A gives."""
    manifest = (bundle / "manifest-sha256.txt").read_text(encoding="utf-8")
    line = next(x for x in manifest.splitlines() if x.endswith("  data/completeness.csv"))
    digest = hashlib.sha256((bundle / "data/completeness.csv").read_bytes()).hexdigest()
    assert line.split()[0] == digest
    rows = list(csv.DictReader(io.StringIO((bundle / "data/completeness.csv").read_text(encoding="utf-8"))))
    unalloc = {int(r["partition"]): int(r["size"]) for r in rows if r["kind"] == "not-scanned"}
    if shutil.which("blkls") is None:
        pytest.skip("blkls not installed")
    with Case.open(demo_case, readonly=True) as case:
        offsets = {int(p["idx"]): int(p["offset"]) for p in case.partitions() if p["fs_type"]}
    for idx, offset in offsets.items():
        blocks = subprocess.run(
            ["blkls", "-A", "-o", str(offset // 512), str(demo_image)], capture_output=True, check=True
        ).stdout
        assert unalloc[idx] == len(blocks) > 0
