"""Encrypted volumes: the BitLocker/LUKS test vectors of ../shared/testdata and LUKS2 fixtures built
here (cryptsetup header, data encrypted in Python from an ext4 image made with mke2fs -d).

The vectors' expected SHA-256 values come from MANIFEST.md (computed with dissect.fve; libbde
agrees); the fixture oracle is fls/icat on the plaintext ext4 that went into the LUKS2 volume.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from conftest import SHARED, require_tools, run_triage
from fixtures.luks import DELETED_SECRET, KEYFILE, PASSPHRASE, VOLUME_KEY, build_luks_disk
from oracle import check_against_tsk

FVE = SHARED / "images" / "fve"
BEK = FVE / "bde-startup_key.bek"
# file, --unlock value, N bytes present, SHA-256 of the first N decrypted bytes (MANIFEST.md)
VECTORS = {
    "bde-aes_128.bin": (
        "password:password12!@",
        51032064,
        "d90b6e46f837d9b2f25c7ebca4cf42d6c17dbd08fc7f2ef1a8aed7d149becf75",
    ),
    "bde-aes-xts_128.bin": (
        "password:@",  # the password read from a file (@FILE), off the command line
        51032064,
        "2765001e256eb8ca9a38db007225706d9ec3228ba56bdace3642fd5280f2543d",
    ),
    "bde-recovery_password.bin": (
        "recovery:284867-596541-514998-422114-660297-261613-215424-199408",
        51032064,
        "f97cc63acafc01b818a72240219fe8212ed249995c017c3d97334dde0fc59c65",
    ),
    "bde-startup_key.bin": (
        f"bek:{BEK}",
        51032064,
        "2b03452675750d10795cdb2048ee9a501f6475347e4bceb0cb2960b88453af48",
    ),
    "luks1-aes-ecb.bin": (
        "password:password",
        2048,
        "9a62d6c7b90b4ff89818c67f5b5fb93f6b11d80a26b64cb04d4c33309c63025d",
    ),
    "luks2-aes-xts-plain64.bin": (
        "password:password",
        2048,
        "9a62d6c7b90b4ff89818c67f5b5fb93f6b11d80a26b64cb04d4c33309c63025d",
    ),
}
VISTA = ("recovery:517506-503998-044583-576191-587004-635965-501270-087802", 22511616)
SLOW_KDF = {"luks1-aes-ecb.bin", "luks2-aes-xts-plain64.bin"}
"""Their key slots cost ~11 s each to open (LUKS1: 3.6 M PBKDF2 rounds in libluksde; LUKS2: Argon2id, 780 MiB)."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@pytest.fixture(scope="session")
def vectors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every vector decompressed once into tmp, read-only, with its SHA-256 taken before any test."""
    if not FVE.is_dir():
        pytest.skip(f"reference test data not present at {FVE}")
    d = tmp_path_factory.mktemp("fve-vectors")
    out = {}
    for gz in sorted(FVE.glob("*.bin.gz")):
        dest = d / gz.name.removesuffix(".gz")
        with gzip.open(gz) as src, open(dest, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        dest.chmod(0o444)
        out[dest.name] = dest
    return out


@pytest.fixture(scope="session")
def vector_hashes(vectors: dict[str, Path]) -> dict[str, str]:
    return {name: _sha256(p) for name, p in vectors.items()}


class Ran(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Ran]:
    """The real CLI entry point in this process (``triage.cli.main``: same parser, same error lines),
    without a process start per call; the volumes it unlocked are forgotten after each call."""
    from triage.cli import main
    from triage.evidence import fve

    def run(*args: str) -> Ran:
        capsys.readouterr()
        try:
            rc = main(list(args))
        finally:
            fve.forget()
        out = capsys.readouterr()
        return Ran(rc, out.out, out.err)

    return run


def _info_json(cli: Callable[..., Ran], image: Path, *unlock: str) -> dict[str, Any]:
    proc = cli("info", str(image), "--json", "--hash-volumes", *(a for u in unlock for a in ("--unlock", u)))
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


@pytest.mark.shared
@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW_KDF else n for n in VECTORS]
)
def test_vector_detected_unlocked_and_hashed(
    cli: Callable[..., Ran], vectors: dict[str, Path], name: str, tmp_path: Path
) -> None:
    """triage info --unlock … --hash-volumes: the published SHA-256 of the bytes present, and the
    shortfall against the declared size reported as a short volume (not a read error)."""
    unlock, present, expected = VECTORS[name]
    if unlock.endswith(":@"):
        (tmp_path / "pw").write_text("password12!@\n")
        unlock += str(tmp_path / "pw")
    info = _info_json(cli, vectors[name], unlock)
    (part,) = info["partitions"]
    enc = part["encryption"]
    assert enc["scheme"] == ("bitlocker" if name.startswith("bde") else name[:5])
    assert enc["unlocked"] is True and enc["protector_used"] == unlock.split(":")[0]
    assert enc["available"] == present
    assert enc["sha256"] == expected
    if name.startswith("bde"):
        assert enc["declared_size"] == 65994752 > present  # a short volume
        kind = {"password": "password", "recovery": "recovery password", "bek": "startup key (.bek)"}
        assert kind[unlock.split(":")[0]] in {p["kind"] for p in enc["protectors"]}


@pytest.mark.shared
def test_locked_vectors_list_protectors_in_text(cli: Callable[..., Ran], vectors: dict[str, Path]) -> None:
    """Without a key, info shows each volume and its protectors (locked), exit 0."""
    proc = cli("info", str(vectors["bde-recovery_password.bin"]))
    assert proc.returncode == 0, proc.stderr
    assert "Encrypted volume: BitLocker 2 (Windows 7 and later), AES-XTS 128 (locked)" in proc.stdout
    assert "protector: recovery password {3c116b76-c67b-484e-b439-ce2ed68b561e}" in proc.stdout
    assert "protector: password {6dd54bcd-633d-4836-9ebc-44fa02f1776d}" in proc.stdout
    proc = cli("info", str(vectors["bde-startup_key.bin"]))
    assert "protector: startup key (.bek) {b3411a58-3400-420a-8b7e-9b5f706425c0}" in proc.stdout
    proc = cli("info", str(vectors["luks2-aes-xts-plain64.bin"]))
    assert "Encrypted volume: LUKS2, aes-xts-plain64 (locked)" in proc.stdout
    assert "key slot 0, argon2id" in proc.stdout


@pytest.mark.shared
def test_vista_detected_and_gap_reported(cli: Callable[..., Ran], vectors: dict[str, Path]) -> None:
    """libbde cannot open the Vista vector: detected as BitLocker 1, and unlocking names why (exit 2)."""
    proc = cli("info", str(vectors["bde-vista.bin"]))
    assert "BitLocker 1 (Windows Vista)" in proc.stdout
    assert "libbde cannot open it: unable to read secondary metadata block" in proc.stdout
    proc = cli("info", str(vectors["bde-vista.bin"]), "--unlock", VISTA[0])
    assert proc.returncode == 2
    line = proc.stderr.strip()
    assert "\n" not in line and "volume 0 (BitLocker 1 (Windows Vista) at byte 0)" in line
    assert "517506" not in line


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "unlock", "expected"),
    [
        ("bde-aes_128.bin", "password:not-the-password", "wrong password: the BitLocker volume stays locked"),
        (
            "bde-recovery_password.bin",
            "recovery:111111-222222-333333-444444-555555-666666-777777-888888",
            "wrong recovery password: the BitLocker volume stays locked",
        ),
        (
            "bde-startup_key.bin",
            "bek:/nonexistent/startup.bek",
            "--unlock bek:/nonexistent/startup.bek: no such file",
        ),
    ],
)
def test_wrong_keys_are_one_line_errors(
    cli: Callable[..., Ran], vectors: dict[str, Path], name: str, unlock: str, expected: str
) -> None:
    proc = cli("info", str(vectors[name]), "--unlock", unlock)
    assert proc.returncode == 2, proc.stderr
    line = proc.stderr.strip()
    assert "\n" not in line and expected in line, line
    if not unlock.startswith("bek"):
        assert f"{vectors[name]}: volume 0" in line  # names the volume
        assert unlock.split(":", 1)[1] not in line  # never the secret


@pytest.mark.shared
def test_vectors_unchanged(vectors: dict[str, Path], vector_hashes: dict[str, str]) -> None:
    """Evidence is read-only: every vector hashes as before (runs after the others in this file)."""
    assert {n: _sha256(p) for n, p in vectors.items()} == vector_hashes


# -- LUKS2 fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def luks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    require_tools("cryptsetup", "mke2fs", "debugfs", "sfdisk", "fls", "icat")
    d = tmp_path_factory.mktemp("luks")
    disk, plain, bare = build_luks_disk(d)
    keyfile = d / "volume.keyfile"
    keyfile.write_bytes(KEYFILE)
    return {
        "disk": disk.path,
        "plain": plain,
        "bare": bare,
        "keyfile": keyfile,
        "dir": d,
        "sha_disk": _sha256(disk.path),
        "sha_bare": _sha256(bare),
    }


def _records(case: Path) -> list[dict]:
    from triage.case.store import Case

    with Case.open(case, readonly=True) as c:
        return [dict(r) for r in c.iter_files()]


SCAN = ("--no-evidence-hash", "--analyzers", "hashes")


def test_locked_partition_resume_unlock_export_mount_no_secret(luks: dict[str, Any], tmp_path: Path) -> None:
    """A disk whose second partition is a locked LUKS2 volume: the first partition is inventoried, the
    locked one is an encrypted gap (exit 1); --resume --unlock walks only the locked one, whose
    inventory and hashes equal fls/icat on the plaintext; export and mount read through the layer;
    the case folder, the log folder and the bundle hold no passphrase, key file bytes or volume key."""
    from triage.case.records import GapKind
    from triage.case.store import Case

    case, bundle = tmp_path / "case", tmp_path / "bundle"
    proc = run_triage("scan", str(luks["disk"]), "--case", str(case), *SCAN)
    assert proc.returncode == 1, proc.stderr
    with Case.open(case, readonly=True) as c:
        (gap,) = c.gaps()
        parts = c.partitions()
    assert gap.kind == GapKind.ENCRYPTED and gap.size == 4 * 1024 * 1024
    assert "LUKS2 at byte 3145728 is locked" in gap.reason
    assert gap.partition_id == parts[1]["id"] and parts[1]["fs_type"] is None
    before = _records(case)
    first = {r["id"]: (r["path"], r["sha256"]) for r in before}
    assert {r["partition_offset"] for r in before} == {1048576} and "/plain/readme.txt" in {
        r["path"] for r in before
    }

    unlock = ("--unlock", f"1=keyfile:{luks['keyfile']}")
    proc = run_triage("scan", str(luks["disk"]), "--case", str(case), "--resume", *SCAN, *unlock)
    assert proc.returncode == 0, proc.stderr
    records = _records(case)
    assert {r["id"]: (r["path"], r["sha256"]) for r in records if r["id"] in first} == first  # not redone
    with Case.open(case, readonly=True) as c:
        assert c.gaps() == []
        audit = [e for e in c.audit_log() if e.action == "volume.unlocked"]
        inventoried = [e.details for e in c.audit_log() if e.action == "evidence.inventoried"]
    assert inventoried[-1]["partitions"] == [1]
    with Case.open(case, readonly=True) as c:
        chain = c.partitions()[1]["volume"]  # the volume chain: disk -> partition 1 -> LUKS2 -> ext4
    assert chain["scheme"] == "luks2" and chain["unlocked"] and chain["protector_used"] == "keyfile"
    assert chain["declared_size"] == chain["available"] == 3 * 1024 * 1024
    assert audit[0].details["protector"] == "keyfile" and audit[0].details["scheme"] == "luks2"
    assert audit[0].actor
    secret = [dict(r, partition_offset=0) for r in records if r["partition_offset"] == 3145728]
    counts = check_against_tsk(luks["plain"], secret)
    assert counts["deleted"] == len(DELETED_SECRET) and counts["hashed"] >= 4

    proc = run_triage(
        "export", str(case), "--out", str(bundle), "--reference", "R-1", "--legal-basis", "test",
        "--requesting-authority", "A", "--examiner", "E", "--unlock", f"password:{PASSPHRASE}",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    plan = next(bundle.glob("data/artifacts/*_plan.txt"))
    assert plan.read_bytes() == b"the plan, inside LUKS2\n" * 50
    removed = next(bundle.glob("data/artifacts/*_removed.txt"))
    assert removed.read_bytes() == b"deleted inside the encrypted volume\n" * 40
    graph = json.loads((bundle / "data" / "case" / "bundle.jsonld").read_text())["@graph"]
    (step,) = [n for n in graph if str(n.get("uco-core:name", "")).startswith("decrypt the LUKS2 volume")]
    assert "keyfile protector (the key is not recorded)" in step["uco-core:description"]
    (lib,) = [n for n in graph if n["@id"] == step["uco-action:instrument"]["@id"]]
    assert "cryptography " in lib["uco-core:description"] and "argon2-cffi " in lib["uco-core:description"]
    _mount_flat_file(luks, tmp_path)

    secrets = [PASSPHRASE.encode(), KEYFILE, VOLUME_KEY, VOLUME_KEY.hex().encode()]
    logs = Path(os.environ["TRIAGE_LOG_DIR"])
    for folder in (case, bundle, logs):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                for s in secrets:
                    assert s not in data, f"{s[:8]!r}… found in {path}"
    with sqlite3.connect(case / "case.sqlite") as db:  # the database's text, WAL merged
        dump = "\n".join(db.iterdump()).encode()
    assert not any(s in dump for s in secrets)
    assert _sha256(luks["disk"]) == luks["sha_disk"]


def _mount_flat_file(luks: dict[str, Any], tmp_path: Path) -> None:
    """triage mount --foreground --unlock: p1_…_luks2_decrypted.raw equals the plaintext ext4."""
    if not Path("/dev/fuse").exists():
        return
    mp = tmp_path / "mnt"
    mp.mkdir()
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "triage", "mount", str(luks["disk"]), str(mp), "--foreground",
         "--ready-fd", str(write_fd), "--unlock", f"1=password:{PASSPHRASE}"],
        pass_fds=(write_fd,), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    os.close(write_fd)
    try:
        with os.fdopen(read_fd, "rb") as r:
            assert r.readline() == b"ready\n", proc.stderr.read() if proc.stderr else ""
        flat = mp / "p1_3145728_luks2_decrypted.raw"
        assert _sha256(flat) == _sha256(luks["plain"])
        assert (
            mp / "p1_3145728_ext4" / "secret" / "notes" / "plan.txt"
        ).read_bytes() == b"the plan, inside LUKS2\n" * 50
    finally:
        subprocess.run([sys.executable, "-m", "triage", "mount", "--unmount", str(mp)], capture_output=True)
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if proc.poll() is None:
            proc.kill()


def test_bare_luks2_image_whole_volume(cli: Callable[..., Ran], luks: dict[str, Any]) -> None:
    """A LUKS2 volume as the whole image: the decrypted stream's SHA-256 equals the plaintext's; a wrong
    passphrase is a one-line error naming the volume."""
    info = _info_json(cli, luks["bare"], f"password:{PASSPHRASE}")
    (part,) = info["partitions"]
    assert part["fs_type"] == "ext4" and part["encryption"]["sha256"] == _sha256(luks["plain"])
    proc = cli("info", str(luks["bare"]), "--unlock", "password:wrong horse")
    assert proc.returncode == 2
    assert "volume 0 (LUKS2 at byte 0): wrong passphrase or key file" in proc.stderr
    assert "wrong horse" not in proc.stderr
    assert _sha256(luks["bare"]) == luks["sha_bare"]


def test_manifest_unlock_kept_out_of_batch_state(luks: dict[str, Any], tmp_path: Path) -> None:
    """A batch manifest's unlock entries are parsed up front (a missing key file is exit 2 naming the
    image), key files resolve beside the manifest, and the job's JSON (the batch state) has only
    the protector types."""
    from triage.batch.inputs import read_manifest
    from triage.errors import UsageError

    shutil.copyfile(luks["keyfile"], tmp_path / "k.bin")
    manifest = tmp_path / "m.toml"
    manifest.write_text(
        f'[[image]]\nimage = "{luks["disk"]}"\nunlock = ["1=keyfile:k.bin", "0=password:{PASSPHRASE}"]\n'
    )
    (job,) = read_manifest(manifest)
    assert [(s.volume, s.kind) for s in job.unlock] == [(1, "keyfile"), (0, "password")]
    assert job.unlock[0].secret == str(tmp_path / "k.bin")
    text = json.dumps(job.to_json()) + repr(job)
    assert PASSPHRASE not in text and '"unlock": ["keyfile", "password"]' in text
    manifest.write_text(f'[[image]]\nimage = "{luks["disk"]}"\nunlock = "bek:missing.bek"\n')
    with pytest.raises(UsageError, match=r"image 1: --unlock bek:.*missing.bek: no such file"):
        read_manifest(manifest)


def test_bulk_xts_equals_cryptography_per_sector() -> None:
    """Our bulk AES-XTS (plain64) decryption equals cryptography's XTS, one decryptor per sector,
    for AES-128/256 keys, 512- and 4096-byte sectors and a sector number past 2**32."""
    from triage.evidence.luks2 import decrypt_xts, decrypt_xts_reference

    data = hashlib.shake_256(b"xts").digest(64 * 1024)
    for key in (VOLUME_KEY, VOLUME_KEY[:32]):
        for sector, first in ((512, 0), (4096, 7), (512, 2**32 + 5)):
            assert decrypt_xts(key, data, first, sector) == decrypt_xts_reference(key, data, first, sector)
