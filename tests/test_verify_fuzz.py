"""`triage verify` against damaged bundles: every damage is a FAIL line and exit 1, never an internal error.

Two real bundles (CMS- and SSH-signed) are exported once from a scan of the demo image; each test
damages a copy. The fuzz test flips, deletes or adds one byte anywhere in any bundle file
(payload, tag files, manifests and signatures alike) and checks that verify notices.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from triage.case.store import Case
from triage.cli import main
from triage.export import export_bundle, verify_bundle
from triage.export.keys import issue_examiner_cert, make_ca, new_examiner_key

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo.raw"
REQUEST = ROOT / "examples" / "request.toml"
SEED = 20261201
MUTATIONS = 200


@dataclass(frozen=True)
class Bundles:
    cms: Path
    ssh: Path
    trust: dict[str, list[str]]  # the recipient's verify options for each bundle
    case: Path
    keys: Path


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> Bundles:
    if not DEMO.is_file():
        pytest.skip("examples/demo.raw is missing")
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    d = tmp_path_factory.mktemp("bundles")
    before = hashlib.sha256(DEMO.read_bytes()).hexdigest()
    proc = subprocess.run(
        [sys.executable, "-m", "triage", "scan", str(DEMO), "--case", str(d / "case")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    keys = d / "keys"
    keys.mkdir()
    ca_key, ca_cert = make_ca(keys, "Test Lab CA")
    ex = issue_examiner_cert(
        keys, "ana", ca_key, ca_cert, common_name="Ana Examiner", email="ana@police.example"
    )
    ssh = new_examiner_key(
        keys, "ana_ssh", common_name="Ana Examiner", email="ana@police.example", kind="ed25519"
    )
    with Case.open(d / "case") as case:
        export_bundle(case, d / "cms", "all", REQUEST, signing_key=ex.key, signing_cert=ex.cert)
        export_bundle(case, d / "ssh", "ids:4,5,9", REQUEST, ssh_key=ssh.key)
    assert hashlib.sha256(DEMO.read_bytes()).hexdigest() == before
    trust = {
        "cms": ["--ca", str(keys / "ca.pem")],
        "ssh": ["--allowed-signers", str(ssh.extra), "--principal", "ana@police.example"],
    }
    b = Bundles(d / "cms", d / "ssh", trust, d / "case", keys)
    for kind in ("cms", "ssh"):
        rc, out, err = run_verify(getattr(b, kind), trust[kind])
        assert rc == 0 and "FAIL" not in out and out.endswith(f"VERIFIED: {getattr(b, kind)}"), out + err
    return b


def run_verify(bundle: Path, extra: list[str]) -> tuple[int, str, str]:
    """``triage verify`` in this process (the CLI's own ``main``): exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(["verify", str(bundle), *extra])
    return rc, out.getvalue().strip(), err.getvalue()


def files_of(bundle: Path) -> list[str]:
    return sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file())


@dataclass(frozen=True)
class Mutation:
    kind: str  # which bundle: cms or ssh
    rel: str
    op: str  # flip, delete or add
    offset: int
    value: int  # the XOR mask of a flip, the byte added

    def apply(self, bag: Path) -> None:
        path = bag / self.rel
        data = bytearray(path.read_bytes())
        if self.op == "flip":
            data[self.offset] ^= self.value
        elif self.op == "delete":
            del data[self.offset]
        else:
            data.insert(self.offset, self.value)
        path.write_bytes(bytes(data))

    def __str__(self) -> str:
        return f"{self.kind}:{self.rel} {self.op} at {self.offset} ({self.value:#04x})"


def mutations(b: Bundles, n: int, seed: int = SEED) -> list[Mutation]:
    """``n`` seeded single-byte mutations; the file is chosen uniformly among every file of the bundle."""
    rng = random.Random(seed)
    listing = {kind: files_of(getattr(b, kind)) for kind in ("cms", "ssh")}
    out = []
    for _ in range(n):
        kind = rng.choice(("cms", "ssh"))
        rel = rng.choice(listing[kind])
        size = (getattr(b, kind) / rel).stat().st_size
        op = rng.choice(("flip", "delete", "add")) if size else "add"
        offset = rng.randrange(size + 1) if op == "add" else rng.randrange(size)
        value = rng.randrange(1, 256) if op == "flip" else rng.randrange(256)
        out.append(Mutation(kind, rel, op, offset, value))
    return out


def damaged_copy(b: Bundles, m: Mutation, tmp: Path) -> Path:
    dest = tmp / f"{m.kind}-copy"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(getattr(b, m.kind), dest)
    m.apply(dest)
    return dest


def assert_fails(rc: int, out: str, err: str, m: Mutation | str) -> None:
    fails = [ln for ln in out.splitlines() if ln.startswith("FAIL ")]
    assert rc == 1, f"{m}: exit {rc}\n{out}\n{err}"
    assert fails, f"{m}: no FAIL line\n{out}"
    assert out.splitlines()[-1].startswith("NOT VERIFIED: "), f"{m}\n{out}"
    assert "Traceback" not in err and "internal error" not in err, f"{m}\n{err}"
    # the safety net in verify (an unforeseen exception becomes a FAIL) must never be what caught it
    assert "could not be checked" not in out, f"{m}\n{out}"
    if isinstance(m, Mutation):
        assert any(m.rel in ln for ln in fails), f"{m}: no FAIL line names {m.rel}\n{out}"


def test_fuzz_every_single_byte_damage_fails(bundles: Bundles, tmp_path: Path) -> None:
    """200 seeded flips, deletions and additions, each in a fresh copy: exit 1 with a FAIL naming the file."""
    muts = mutations(bundles, MUTATIONS)
    assert {m.op for m in muts} == {"flip", "delete", "add"}
    assert any(m.rel.startswith("signatures/") for m in muts) and any(m.rel.startswith("data/") for m in muts)
    for m in muts:
        bag = damaged_copy(bundles, m, tmp_path)
        assert_fails(*run_verify(bag, bundles.trust[m.kind]), m)


def test_fuzz_without_trust_anchors(bundles: Bundles, tmp_path: Path) -> None:
    """Without --ca/--allowed-signers (the exporter's own check, and a recipient who skips step 2) every
    byte is still covered: the signature files are checked against each other and bag-info.txt."""
    for m in mutations(bundles, 40, seed=SEED + 2):
        bag = damaged_copy(bundles, m, tmp_path)
        assert_fails(*run_verify(bag, []), m)


def test_fuzz_through_the_real_cli(bundles: Bundles, tmp_path: Path) -> None:
    """A handful of the same kind of damage through `python -m triage verify` in a subprocess."""
    rng = random.Random(SEED + 1)
    picks = [
        ("cms", "data/inventory/artifacts.csv", "flip"),
        ("cms", "signatures/tagmanifest-sha512.txt.p7s", "delete"),
        ("ssh", "signatures/tagmanifest-sha512.txt.sig", "add"),
        ("ssh", "tagmanifest-sha512.txt", "flip"),
        ("cms", "bag-info.txt", "delete"),
        ("ssh", "signatures/allowed_signers", "flip"),
    ]
    for kind, rel, op in picks:
        size = (getattr(bundles, kind) / rel).stat().st_size
        m = Mutation(kind, rel, op, rng.randrange(size), rng.randrange(1, 256))
        bag = damaged_copy(bundles, m, tmp_path)
        proc = subprocess.run(
            [sys.executable, "-m", "triage", "verify", str(bag), *bundles.trust[kind]],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert_fails(proc.returncode, proc.stdout.strip(), proc.stderr, m)


# -- named damage: each gives its own FAIL line ------------------------------------------------------------
def _csv_header_byte(bag: Path) -> None:
    p = bag / "data/inventory/artifacts.csv"
    p.write_bytes(p.read_bytes().replace(b"bundle_path", b"bundle_pbth", 1))


def _traversal(bag: Path) -> None:
    # the target is a FIFO outside the bag: reading it would block, so a hang means verify followed the path
    os.mkfifo(bag.parent / "outside.fifo")
    with (bag / "manifest-sha256.txt").open("a") as f:
        f.write(f"{'0' * 64}  data/../../outside.fifo\n{'0' * 64}  /etc/passwd\n")


def _symlink_out(bag: Path) -> None:
    os.mkfifo(bag.parent / "outside.fifo")
    target = bag / "data/artifacts/A0021_brief.txt"
    target.unlink()
    target.symlink_to(bag.parent / "outside.fifo")


def _fifo_in(bag: Path) -> None:
    os.mkfifo(bag / "data/inventory/extra.fifo")


def _huge_line(bag: Path) -> None:
    with (bag / "manifest-sha512.txt").open("ab") as f:
        f.write(b"a" * (3 << 20))


def _huge_csv_field(bag: Path) -> None:
    with (bag / "data/inventory/artifacts.csv").open("ab") as f:
        f.write(b'A0099,"' + b"x" * 300_000 + b'"\r\n')


def _bad_utf8(bag: Path) -> None:
    p = bag / "data/inventory/artifacts.csv"
    lines = p.read_bytes().split(b"\r\n")
    lines[3] = lines[3].replace(b"/", b"/\xff", 1)
    p.write_bytes(b"\r\n".join(lines))


def _duplicate_row(bag: Path) -> None:
    p = bag / "data/inventory/artifacts.csv"
    lines = p.read_bytes().split(b"\r\n")
    p.write_bytes(b"\r\n".join([*lines[:3], lines[2], *lines[3:]]))


def _duplicate_manifest_line(bag: Path) -> None:
    p = bag / "manifest-sha256.txt"
    text = p.read_text()
    p.write_text(text + text.splitlines()[0] + "\n")


def _truncated_manifest(bag: Path) -> None:
    p = bag / "manifest-sha512.txt"
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])


def _garbled_json(bag: Path) -> None:
    p = bag / "data/case/bundle.jsonld"
    data = p.read_bytes()
    p.write_bytes(data[:500] + b"}" + data[500:])


def _custody_not_object(bag: Path) -> None:
    p = bag / "data/custody/custody-log.jsonl"
    lines = p.read_text().splitlines()
    p.write_text("\n".join([lines[0], "5", *lines[2:]]) + "\n")


def _missing(bag: Path) -> None:
    (bag / "data/case/bundle.jsonld").unlink()


def _renamed(bag: Path) -> None:
    (bag / "data/artifacts/A0021_brief.txt").rename(bag / "data/artifacts/A0021_brief.TXT")


def _extra_signature_file(bag: Path) -> None:
    (bag / "signatures/timestamp.tsr").write_bytes(b"not checked by anyone")


def _p7s_version(bag: Path) -> None:
    p = bag / "signatures/tagmanifest-sha512.txt.p7s"
    data = bytearray(p.read_bytes())
    assert data[23:26] == b"\x02\x01\x01"  # SignedData version 1, which no signature covers
    data[25] = 0
    p.write_bytes(bytes(data))


def _cert_pem_line(bag: Path) -> None:
    p = bag / "signatures/signer-cert.pem"
    p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n", 1))


def _unsigned(bag: Path) -> None:
    shutil.rmtree(bag / "signatures")


def _sig_rewrapped(bag: Path) -> None:
    p = bag / "signatures/tagmanifest-sha512.txt.sig"
    lines = p.read_text().splitlines()
    p.write_text("\n".join([lines[0], lines[1][:30], lines[1][30:], *lines[2:]]) + "\n")


def _allowed_principal(bag: Path) -> None:
    p = bag / "signatures/allowed_signers"
    p.write_text(p.read_text().replace("ana", "eve", 1))


def _no_declaration(bag: Path) -> None:
    (bag / "bagit.txt").rename(bag / "bagit.TXT")
    (bag / "tagmanifest-md5.txt").write_text("d41d8cd98f00b204e9800998ecf8427e  bagit.txt\n")


def _odd_name(bag: Path) -> None:
    # a name that is not UTF-8 and holds a newline must not break or forge a report line
    os.close(os.open(os.fsencode(bag / "data") + b"/bad\xffname\nOK   bag: forged", os.O_CREAT | os.O_WRONLY))


def _deep_json(bag: Path) -> None:
    (bag / "data/case/bundle.jsonld").write_text("[" * 200_000 + "]" * 200_000)


DAMAGE: list[tuple[str, Callable[[Path], None], list[str]]] = [
    (
        "cms",
        _csv_header_byte,
        [
            "FAIL inventory: data/inventory/artifacts.csv line 1: the header is not triage's "
            "inventory header (missing bundle_path; unexpected 'bundle_pbth')",
            "FAIL bag: data/inventory/artifacts.csv: SHA256 does not match manifest-sha256.txt",
        ],
    ),
    (
        "cms",
        _traversal,
        [
            "'data/../../outside.fifo': path has a '..' component (escapes the bag); not read",
            "'/etc/passwd': absolute path (escapes the bag); not read",
            "FAIL bag: manifest-sha256.txt line ",
        ],
    ),
    (
        "cms",
        _symlink_out,
        [
            "FAIL bag: data/artifacts/A0021_brief.txt: is a symbolic link (a bag holds regular files "
            "only; not followed)",
            "FAIL bag: data/artifacts/A0021_brief.txt: listed in manifest-sha256.txt but missing",
        ],
    ),
    ("cms", _fifo_in, ["FAIL bag: data/inventory/extra.fifo: is a FIFO (named pipe), not a regular file"]),
    # line numbers: the demo export holds 28 artifacts (22 files and 6 container members)
    (
        "cms",
        _huge_line,
        ["FAIL bag: manifest-sha512.txt line 40: longer than 65536 bytes (not a manifest line)"],
    ),
    (
        "cms",
        _huge_csv_field,
        ["FAIL inventory: data/inventory/artifacts.csv line 30: not CSV (field larger than field limit"],
    ),
    (
        "cms",
        _bad_utf8,
        ["FAIL inventory: cannot read the inventory: data/inventory/artifacts.csv line 4: not valid UTF-8"],
    ),
    (
        "cms",
        _duplicate_row,
        ["FAIL inventory: data/inventory/artifacts.csv line 4: artifact_id 'A0002' repeats line 3"],
    ),
    (
        "cms",
        _duplicate_manifest_line,
        ["FAIL bag: manifest-sha256.txt line 40: data/README.txt is listed twice (first on line 1)"],
    ),
    (
        "cms",
        _truncated_manifest,
        ["FAIL bag: manifest-sha512.txt line ", "payload file not listed in manifest-sha512.txt"],
    ),
    ("cms", _garbled_json, ["FAIL inventory: data/case/bundle.jsonld line ", ": not JSON ("]),
    (
        "cms",
        _custody_not_object,
        ["FAIL custody: data/custody/custody-log.jsonl line 2 is not a JSON object"],
    ),
    (
        "cms",
        _missing,
        [
            "FAIL bag: data/case/bundle.jsonld: listed in manifest-sha256.txt but missing",
            "FAIL inventory: cannot read the CASE graph: data/case/bundle.jsonld: missing",
        ],
    ),
    (
        "cms",
        _renamed,
        [
            "FAIL bag: data/artifacts/A0021_brief.txt: listed in manifest-sha256.txt but missing",
            "FAIL bag: data/artifacts/A0021_brief.TXT: payload file not listed in manifest-sha256.txt",
        ],
    ),
    (
        "cms",
        _odd_name,
        ["FAIL bag: data/bad\\udcffname\\nOK   bag: forged: payload file not listed in manifest-sha256.txt"],
    ),
    ("cms", _deep_json, ["FAIL inventory: cannot read the CASE graph: maximum recursion depth exceeded"]),
    (
        "cms",
        _no_declaration,
        [
            "FAIL bag: bagit.txt: missing (not a bag)",
            "FAIL bag: bagit.txt: listed in tagmanifest-sha256.txt but missing",
            "FAIL bag: bagit.TXT: tag file not listed in tagmanifest-sha512.txt",
            "FAIL bag: tagmanifest-md5.txt: a tag manifest triage does not write or check",
        ],
    ),
    ("cms", _extra_signature_file, ["FAIL signature: signatures/timestamp.tsr: not a file triage writes"]),
    (
        "cms",
        _p7s_version,
        [
            "FAIL signature signatures/tagmanifest-sha512.txt.p7s: signatures/tagmanifest-sha512.txt."
            "p7s: SignedData version is not 1"
        ],
    ),
    (
        "cms",
        _cert_pem_line,
        ["FAIL signature signatures/tagmanifest-sha512.txt.p7s: signatures/signer-cert.pem: "],
    ),
    ("cms", _unsigned, ["FAIL signature: --ca given but the bundle has no tagmanifest-sha512.txt.p7s"]),
    (
        "ssh",
        _sig_rewrapped,
        [
            "FAIL signature signatures/tagmanifest-sha512.txt.sig: signatures/tagmanifest-sha512.txt"
            ".sig: not in the canonical armor triage writes"
        ],
    ),
    (
        "ssh",
        _allowed_principal,
        [
            "FAIL signature signatures/tagmanifest-sha512.txt.sig: signatures/allowed_signers: "
            "does not list exactly the signing key"
        ],
    ),
]


@pytest.mark.parametrize(
    ("kind", "damage", "expected"), DAMAGE, ids=[d[1].__name__.strip("_") for d in DAMAGE]
)
def test_named_damage(
    bundles: Bundles, tmp_path: Path, kind: str, damage: Callable[[Path], None], expected: list[str]
) -> None:
    bag = tmp_path / kind
    shutil.copytree(getattr(bundles, kind), bag)
    damage(bag)
    rc, out, err = run_verify(bag, bundles.trust[kind])
    assert_fails(rc, out, err, damage.__name__)
    for text in expected:
        assert text in out, f"{text!r} not in\n{out}"
    assert not [
        ln for ln in out.splitlines() if not ln.startswith(("OK   ", "FAIL ", "WARN ", "NOT VERIFIED: "))
    ]


def test_artifacts_header_byte_through_the_cli(bundles: Bundles, tmp_path: Path) -> None:
    """The reported case: one byte of the artifacts.csv header used to end in exit 4 and `KeyError: 'bundle_path'`."""
    bag = tmp_path / "cms"
    shutil.copytree(bundles.cms, bag)
    _csv_header_byte(bag)
    proc = subprocess.run(
        [sys.executable, "-m", "triage", "verify", str(bag), *bundles.trust["cms"]],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert_fails(proc.returncode, proc.stdout.strip(), proc.stderr, "artifacts.csv header")
    assert "FAIL inventory: data/inventory/artifacts.csv line 1: the header is not triage's" in proc.stdout
    assert proc.stderr == ""


def test_openssl_alone_accepts_the_unsigned_version_byte(bundles: Bundles, tmp_path: Path) -> None:
    """Why verify checks the CMS structure itself: openssl cms -verify still accepts this damaged signature."""
    bag = tmp_path / "cms"
    shutil.copytree(bundles.cms, bag)
    _p7s_version(bag)
    proc = subprocess.run(
        [
            "openssl",
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
            bundles.trust["cms"][1],
            "-out",
            os.devnull,
        ],
        cwd=bag,
        capture_output=True,
    )
    assert proc.returncode == 0
    assert not verify_bundle(bag, ca=bundles.trust["cms"][1]).ok


def test_inventory_rows_are_all_checked(bundles: Bundles) -> None:
    """The inventory check reads every row (the fuzz relies on it): 28 rows for the whole demo image
    (22 file-system files and 6 container members)."""
    rows = list(csv.DictReader(io.StringIO((bundles.cms / "data/inventory/artifacts.csv").read_text())))
    rc, out, _ = run_verify(bundles.cms, bundles.trust["cms"])
    assert rc == 0 and f"OK   inventory: {len(rows)} inventory rows agree" in out and len(rows) == 28


def test_rsa_key_and_certificate_chain(bundles: Bundles, tmp_path: Path) -> None:
    """The other CMS shapes triage writes verify too: an RSA key, and a certificate file holding the CA."""
    rsa = new_examiner_key(tmp_path, "rsa", common_name="Ana Examiner", kind="rsa")
    chain = tmp_path / "chain.pem"
    chain.write_bytes((bundles.keys / "ana.cert.pem").read_bytes() + (bundles.keys / "ca.pem").read_bytes())
    with Case.open(bundles.case) as case:
        export_bundle(case, tmp_path / "rsa", "ids:4", REQUEST, signing_key=rsa.key, signing_cert=rsa.cert)
        export_bundle(
            case,
            tmp_path / "chain",
            "ids:4",
            REQUEST,
            signing_key=bundles.keys / "ana.key.pem",
            signing_cert=chain,
        )
    assert (tmp_path / "chain/signatures/signer-cert.pem").read_bytes().count(b"BEGIN CERTIFICATE") == 2
    for name, ca in (("rsa", rsa.cert), ("chain", bundles.keys / "ca.pem")):
        rc, out, err = run_verify(tmp_path / name, ["--ca", str(ca)])
        assert rc == 0 and "FAIL" not in out, out + err
    p7s = tmp_path / "rsa/signatures/tagmanifest-sha512.txt.p7s"
    der = bytearray(p7s.read_bytes())
    alg = der.rindex(bytes.fromhex("06092a864886f70d0101010500"))  # rsaEncryption, NULL: not signed
    der[alg + 11] = 0x04  # NULL -> empty OCTET STRING
    p7s.write_bytes(bytes(der))
    rc, out, err = run_verify(tmp_path / "rsa", ["--ca", str(rsa.cert)])
    assert_fails(rc, out, err, "rsa NULL parameter")
    assert "the signature algorithm is not exactly ecdsa-with-SHA256 or rsaEncryption" in out
