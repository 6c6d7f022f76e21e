"""Transport encryption: one deterministic tar of the finished bag, encrypted with age
(``pyrage``) to recipients or a passphrase. The bag inside is never changed."""

from __future__ import annotations

import hashlib
import os
import tarfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from triage.errors import UsageError

SUFFIX = ".tar.age"


def _pyrage() -> Any:
    try:
        import pyrage
    except ImportError as exc:  # the "encrypt" extra
        raise UsageError("encryption needs pyrage (pip install 'triage-workstation[encrypt]')") from exc
    return pyrage


def parse_recipients(values: Sequence[str]) -> list[Any]:
    """age (``age1...``) or SSH (``ssh-ed25519 ...``) public keys, or files holding them one per line."""
    pyrage = _pyrage()
    out = []
    for value in values:
        lines = [value]
        p = Path(value)
        if not value.startswith(("age1", "ssh-")) and p.is_file():
            lines = [
                ln.strip()
                for ln in p.read_text(encoding="utf-8").splitlines()
                if ln.strip() and not ln.startswith("#")
            ]
        for ln in lines:
            try:
                out.append(
                    pyrage.ssh.Recipient.from_str(ln)
                    if ln.startswith("ssh-")
                    else pyrage.x25519.Recipient.from_str(ln)
                )
            except Exception as exc:  # pyrage.RecipientError and friends
                raise UsageError(f"not an age or SSH recipient: {ln[:40]!r} ({exc})") from exc
    if not out:
        raise UsageError("no encryption recipient given")
    return out


def parse_identities(path: Path) -> list[Any]:
    pyrage = _pyrage()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the identity: {exc.strerror or exc}") from exc
    if b"PRIVATE KEY" in data:
        return [pyrage.ssh.Identity.from_buffer(data)]
    ids = [
        pyrage.x25519.Identity.from_str(ln.strip())
        for ln in data.decode("utf-8", "replace").splitlines()
        if ln.strip().startswith("AGE-SECRET-KEY-")
    ]
    if not ids:
        raise UsageError(f"{path}: no age identity (AGE-SECRET-KEY-...) or SSH private key")
    return ids


def make_tar(bag: Path, tar_path: Path, arcname: str) -> None:
    """A reproducible tar: sorted names, owner 0, mtime 0, modes 0644/0755."""

    def norm(ti: tarfile.TarInfo) -> tarfile.TarInfo:
        ti.uid = ti.gid = 0
        ti.uname = ti.gname = ""
        ti.mtime = 0
        ti.mode = 0o755 if ti.isdir() else 0o644
        return ti

    with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as tar:
        tar.add(bag, arcname=arcname, recursive=False, filter=norm)
        for dirpath, dirs, files in os.walk(bag):
            dirs.sort()
            for name in sorted(dirs) + sorted(files):
                p = Path(dirpath) / name
                if p.is_dir() and name not in dirs:
                    continue
                tar.add(p, arcname=f"{arcname}/{p.relative_to(bag).as_posix()}", recursive=False, filter=norm)


def encrypt(
    tar_path: Path, archive: Path, recipients: Sequence[str] = (), passphrase: str | None = None
) -> None:
    pyrage = _pyrage()
    if passphrase:
        archive.write_bytes(pyrage.passphrase.encrypt(tar_path.read_bytes(), passphrase))
    else:
        pyrage.encrypt_file(str(tar_path), str(archive), parse_recipients(recipients))


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def unpack(archive: Path, out: Path, identity: Path | None = None, passphrase: str | None = None) -> Path:
    """Decrypt and extract an archive into ``out``; returns the bag folder inside it."""
    pyrage = _pyrage()
    if not archive.is_file():
        raise UsageError(f"{archive}: no such archive")
    out.mkdir(parents=True, exist_ok=True)
    tar_path = out / (archive.name.removesuffix(".age") + ".partial")
    try:
        if passphrase:
            tar_path.write_bytes(pyrage.passphrase.decrypt(archive.read_bytes(), passphrase))
        elif identity:
            pyrage.decrypt_file(str(archive), str(tar_path), parse_identities(identity))
        else:
            raise UsageError("give --identity FILE or a passphrase to decrypt")
    except pyrage.DecryptError as exc:
        tar_path.unlink(missing_ok=True)
        raise UsageError(f"{archive}: cannot decrypt: {exc}") from exc
    try:
        with tarfile.open(tar_path) as tar:
            tops = {m.name.split("/", 1)[0] for m in tar.getmembers()}
            if len(tops) != 1:
                raise UsageError(f"{archive}: expected one bag folder in the archive, found {len(tops)}")
            top = tops.pop()
            if (out / top).exists():
                raise UsageError(f"{out / top}: exists (refusing to overwrite)")
            tar.extractall(out, filter="data")
    except tarfile.TarError as exc:
        raise UsageError(f"{archive}: not a bundle archive: {exc}") from exc
    finally:
        tar_path.unlink(missing_ok=True)
    return out / top


RECIPIENTS_ENV = "TRIAGE_ENCRYPT_TO"
"""Recipients (comma separated: age or SSH public keys, or files of them) every bundle is encrypted to."""
PASSPHRASE_FILE_ENV = "TRIAGE_PASSPHRASE_FILE"
"""A file whose passphrase every bundle is encrypted with."""


def configured() -> tuple[list[str], Path | None]:
    """The transport encryption configured for this workstation (environment): recipients and a
    passphrase file; a bundle is then encrypted unless the examiner says ``--no-encrypt``."""
    recipients = [r.strip() for r in os.environ.get(RECIPIENTS_ENV, "").split(",") if r.strip()]
    passphrase = os.environ.get(PASSPHRASE_FILE_ENV) or None
    return recipients, Path(passphrase) if passphrase else None
