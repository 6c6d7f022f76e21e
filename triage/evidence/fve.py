"""Encrypted volumes (BitLocker, LUKS, FileVault 2/APFS): detection, protectors, unlocking.

- :func:`detect` recognises an encrypted volume by its signature at a partition's (or the whole
  image's) offset and lists its protectors, without any key.
- :func:`parse_unlock` reads one ``--unlock [VOLUME=]password:…|recovery:…|bek:FILE|keyfile:FILE``
  option; :func:`prepare` matches the options to the volumes of an image, unlocks each (a wrong key
  is a :class:`~triage.errors.UsageError` naming the volume) and registers the decrypted stream
  for this process. :func:`open_filesystem <triage.evidence.volumes.open_filesystem>` then opens
  the file system *inside* the decrypted stream whenever it is asked for the volume's offset, so
  the walk, the one content reader, export and the mount need no other change.
- Spawned processes (scan workers) get the registered options with :func:`state` /
  :func:`install`; the secrets travel only inside the pickled spawn arguments, never through an
  environment variable, a command line, the log or the case.
- Decryption: BitLocker through libbde (pybde), LUKS1 through libluksde (pyluksde), LUKS2 through
  our own reader (:mod:`triage.evidence.luks2`; libluksde cannot open LUKS2). FileVault 2
  (CoreStorage) through libfvde (present, not tested against real data); APFS containers are listed
through libfsapfs; the volumes of a container without a locked one are walked
  (:mod:`triage.evidence.apfs`), encrypted APFS volumes are reported locked (see docs/formats.md).
"""

from __future__ import annotations

import getpass
import io
import os
import re
import struct
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pytsk3

from triage.errors import EvidenceError, UsageError

UNLOCK_KINDS = ("password", "recovery", "bek", "keyfile")
"""Protector types an ``--unlock`` option names."""
VOLUME_KEY_KIND = "volume-key"
"""Internal only (never parsed from an option): a LUKS2 volume key derived in the parent, handed to
spawned workers so that each does not derive it again (Argon2 costs seconds and hundreds of MiB)."""
_UNLOCK = re.compile(r"^(?:(?P<volume>\d+)=)?(?P<kind>password|recovery|bek|keyfile):(?P<value>.*)$", re.S)
_BDE_TYPES = {
    0: "clear key (suspended)",
    256: "TPM",
    512: "startup key (.bek)",
    1280: "TPM and PIN",
    2048: "recovery password",
    8192: "password",
}


@dataclass(frozen=True)
class Protector:
    """One way to unlock a volume: its type and (BitLocker) identifier, or (LUKS) key slot."""

    kind: str
    identifier: str = ""


@dataclass(frozen=True)
class EncryptedVolume:
    """An encrypted volume found at ``offset`` of an image, as seen without a key."""

    scheme: str
    """``bitlocker``, ``luks1``, ``luks2``, ``filevault2`` or ``apfs``."""
    description: str
    offset: int
    length: int
    protectors: tuple[Protector, ...] = ()
    cipher: str = ""
    note: str = ""
    """Why it cannot be unlocked here (library limits), or empty."""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["protectors"] = [asdict(p) for p in self.protectors]
        return data


@dataclass(frozen=True)
class UnlockSpec:
    """One ``--unlock`` option. ``secret`` is never shown: not in ``repr``, not in JSON."""

    volume: int | None
    kind: str
    secret: str = field(repr=False)
    protector: str = ""
    """The protector type the user gave, when ``kind`` is the internal volume key handed to workers."""

    def label(self) -> str:
        return f"{self.kind}" + (f" for volume {self.volume}" if self.volume is not None else "")


def parse_unlock(text: str) -> UnlockSpec:
    """Parse ``[VOLUME=]password:…|recovery:…|bek:FILE|keyfile:FILE``.

    A value ``-`` for a password or recovery password is asked for on the terminal, ``@FILE`` reads
    the first line of FILE (either way the secret never appears on a command line, which other
    local users can read in the process list). A .bek or key file must exist and be readable; it is read, never copied.

    Raises:
        UsageError: the option is malformed or names a missing file (one line, without the secret).
    """
    m = _UNLOCK.match(text)
    if not m:
        raise UsageError(
            "--unlock: expected [VOLUME=]password:TEXT, recovery:TEXT, bek:FILE or keyfile:FILE "
            f"(got {text.split(':', 1)[0]!r}…)"
        )
    volume = int(m["volume"]) if m["volume"] is not None else None
    kind, value = m["kind"], m["value"]
    if kind in ("bek", "keyfile"):
        path = Path(value)
        if not path.is_file():
            raise UsageError(f"--unlock {kind}:{value}: no such file")
        if not os.access(path, os.R_OK):
            raise UsageError(f"--unlock {kind}:{value}: permission denied")
        value = str(path.resolve())
    elif value == "-":
        value = getpass.getpass(f"{'Recovery password' if kind == 'recovery' else 'Password'}: ")
    elif value.startswith("@"):  # the first line of a file: keeps the secret off the command line
        try:
            value = (
                Path(value[1:]).read_text(encoding="utf-8").splitlines()[0]
                if Path(value[1:]).stat().st_size
                else ""
            )
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(
                f"--unlock {kind}:{value}: cannot read: {getattr(exc, 'strerror', None) or exc}"
            ) from None
    if not value:
        raise UsageError(f"--unlock {kind}: empty {kind}")
    return UnlockSpec(volume, kind, value)


# -- detection ------------------------------------------------------------------------------------
def detect(read: Any, offset: int, length: int) -> EncryptedVolume | None:
    """The encrypted volume at ``offset`` (``read(offset, n)`` reads the image), or None."""
    try:
        head = read(offset, 4096)
    except OSError:  # a partition past the end of a short image: the layout records that
        return None
    if len(head) < 512:
        return None
    if head[3:11] == b"-FVE-FS-":
        return _detect_bitlocker(read, offset, length, head)
    if head[:6] == b"LUKS\xba\xbe":
        return _detect_luks(read, offset, length, head)
    if head[88:90] == b"CS" and struct.unpack_from("<H", head, 90)[0] == 1:
        return EncryptedVolume(
            "filevault2",
            "FileVault 2 (Core Storage)",
            offset,
            length,
            (Protector("password"), Protector("recovery")),
            note="not tested against real data (docs/formats.md)",
        )
    if head[32:36] == b"NXSB":
        return _detect_apfs(read, offset, length)
    return None


def _detect_bitlocker(read: Any, offset: int, length: int, head: bytes) -> EncryptedVolume:
    version = (
        "BitLocker 1 (Windows Vista)" if head[:3] == b"\xeb\x52\x90" else "BitLocker 2 (Windows 7 and later)"
    )
    try:
        import pybde
    except ImportError:
        return EncryptedVolume("bitlocker", version, offset, length, note="needs libbde-python")
    volume = pybde.volume()
    try:
        volume.open_file_object(ImageFile(read, offset, length))
        protectors = tuple(
            Protector(_BDE_TYPES.get(int(kp.get_type()), f"type {kp.get_type()}"), kp.get_identifier() or "")
            for kp in volume.key_protectors
        )
        method = int(volume.get_encryption_method())
        volume.close()
    except OSError as exc:
        m = re.search(r"libbde_internal_volume_open_read: ([^.]*)", str(exc))
        why = m.group(1) if m else last_line(exc)
        hint = (
            " (a known gap, not closed: libbde needs the secondary metadata block, which a truncated "
            "Vista volume may lack; see docs/formats.md)"
            if "Vista" in version and "secondary metadata" in why
            else ""
        )
        return EncryptedVolume(
            "bitlocker", version, offset, length, note=f"libbde cannot open it: {why}{hint}"
        )
    return EncryptedVolume(
        "bitlocker", version, offset, length, protectors, _BDE_METHODS.get(method, hex(method))
    )


_BDE_METHODS = {
    0x8000: "AES-CBC 128 with diffuser",
    0x8001: "AES-CBC 256 with diffuser",
    0x8002: "AES-CBC 128",
    0x8003: "AES-CBC 256",
    0x8004: "AES-XTS 128",
    0x8005: "AES-XTS 256",
}


def _detect_luks(read: Any, offset: int, length: int, head: bytes) -> EncryptedVolume:
    version = struct.unpack_from(">H", head, 6)[0]
    if version == 2:
        from triage.evidence.luks2 import Luks2Header

        try:
            header = Luks2Header.read(read, offset)
        except EvidenceError as exc:
            return EncryptedVolume("luks2", "LUKS2", offset, length, note=str(exc))
        return EncryptedVolume(
            "luks2",
            "LUKS2",
            offset,
            length,
            tuple(
                Protector(f"passphrase or key file (key slot {s.name}, {s.kdf_type})")
                for s in header.keyslots
            ),
            header.segment.encryption,
        )
    cipher = (
        head[8:40].rstrip(b"\0").decode("ascii", "replace")
        + "-"
        + head[40:72].rstrip(b"\0").decode("ascii", "replace")
    )
    slots = []
    for i in range(8):
        active = struct.unpack_from(">I", head, 208 + i * 48)[0]
        if active == 0x00AC71F3:
            slots.append(Protector(f"passphrase or key file (key slot {i}, pbkdf2)"))
    return EncryptedVolume("luks1", "LUKS1", offset, length, tuple(slots), cipher)


def apfs_volumes(read: Any, offset: int, length: int) -> list[tuple[str, bool]]:
    """``(name, locked)`` of each volume of the APFS container at ``offset`` (libfsapfs).

    Raises:
        EvidenceError: libfsapfs is missing or cannot open the container (the message says why).
    """
    try:
        import pyfsapfs
    except ImportError:
        raise EvidenceError("APFS container: needs libfsapfs-python") from None
    container = pyfsapfs.container()
    try:
        container.open_file_object(ImageFile(read, offset, length))
        out = [(str(v.name), bool(v.is_locked())) for v in container.volumes]
        container.close()
    except OSError as exc:
        raise EvidenceError(f"APFS container: libfsapfs cannot open it: {last_line(exc)}") from None
    return out


def _detect_apfs(read: Any, offset: int, length: int) -> EncryptedVolume | None:
    """An APFS container counts as encrypted when one of its volumes is locked (libfsapfs reads that)."""
    try:
        volumes = apfs_volumes(read, offset, length)
    except EvidenceError as exc:
        return EncryptedVolume("apfs", "APFS container", offset, length, note=str(exc))
    locked = [name for name, is_locked in volumes if is_locked]
    if not locked:
        return None  # not encrypted: volumes.read_layout makes each volume a partition (apfsN)
    return EncryptedVolume(
        "apfs",
        f"APFS container (encrypted volumes: {', '.join(locked)})",
        offset,
        length,
        (Protector("password"), Protector("recovery")),
        note="unlocking APFS volumes is not offered here, so none of its volumes is walked (docs/formats.md)",
    )


# -- decrypted streams ----------------------------------------------------------------------------
class DecryptedReader(Protocol):
    """Random access to a decrypted volume. ``size``: what its metadata declares; ``available``:
    the bytes the image actually holds (less for a truncated image: a *short volume*)."""

    size: int
    available: int

    def read_at(self, offset: int, length: int) -> bytes: ...

    def close(self) -> None: ...


class ImageFile(io.RawIOBase):
    """A read-only file object over ``length`` bytes of an image from ``offset`` (for libyal)."""

    def __init__(self, read: Any, offset: int, length: int) -> None:
        super().__init__()
        self._read, self._base, self._size, self._pos = read, offset, length, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        self._pos = {0: offset, 1: self._pos + offset, 2: self._size + offset}[whence]
        return self._pos

    def tell(self) -> int:
        return self._pos

    def get_size(self) -> int:
        return self._size

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            size = self._size - self._pos
        n = max(0, min(size, self._size - self._pos))
        data: bytes = self._read(self._base + self._pos, n) if n else b""
        self._pos += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class LibyalVolume:
    """A libyal handle with ``get_size``/``read_buffer_at_offset`` (pybde, pyluksde, pyfvde volumes;
    pyvshadow stores) as a :class:`DecryptedReader` (reads clipped to what is present)."""

    def __init__(self, handle: Any, raw_available: int, data_offset: int = 0) -> None:
        self._handle = handle
        self._lock = threading.Lock()
        self.size = int(handle.get_size())
        self.available = max(0, min(self.size, raw_available - data_offset))

    def read_at(self, offset: int, length: int) -> bytes:
        n = min(length, self.available - offset)
        if n <= 0:
            return b""
        with self._lock:
            data: bytes = self._handle.read_buffer_at_offset(n, offset)
        return data

    def close(self) -> None:
        self._handle.close()


def unlock_volume(
    read: Any, raw_size: int, volume: EncryptedVolume, spec: UnlockSpec, name: str
) -> DecryptedReader:
    """Open the decrypted stream of ``volume`` with ``spec``.

    Raises:
        UsageError: wrong key, wrong protector type, unsupported format (one line naming ``name``).
    """
    fobj = ImageFile(read, volume.offset, volume.length)
    present = max(0, min(volume.length, raw_size - volume.offset))
    if volume.note and volume.scheme not in ("luks2", "filevault2"):
        raise UsageError(f"{name}: {volume.description} cannot be unlocked here: {volume.note}")
    if volume.scheme == "bitlocker":
        import pybde

        handle = pybde.volume()
        if spec.kind == "bek":
            try:
                handle.read_startup_key(spec.secret)
            except OSError as exc:
                raise UsageError(f"{name}: cannot read the startup key file: {last_line(exc)}") from None
        elif spec.kind == "password":
            handle.set_password(spec.secret)
        elif spec.kind == "recovery":
            if not re.fullmatch(r"(\d{6}-){7}\d{6}", spec.secret):
                raise UsageError(f"{name}: a BitLocker recovery password is 8 groups of 6 digits")
            handle.set_recovery_password(spec.secret)
        else:
            raise UsageError(
                f"{name}: BitLocker has no {spec.kind} protector (use password, recovery or bek)"
            )
        try:
            handle.open_file_object(fobj)
            ok = handle.unlock() and not handle.is_locked()
        except OSError as exc:
            raise UsageError(f"{name}: libbde cannot open the volume: {last_line(exc)}") from None
        if not ok:
            raise UsageError(f"{name}: wrong {_what(spec)}: the BitLocker volume stays locked")
        return LibyalVolume(handle, present)
    if volume.scheme == "luks1":
        import pyluksde

        handle = pyluksde.volume()
        secret = _luks_secret(spec, name)
        try:
            handle.open_file_object(fobj)
            handle.set_password(secret.decode("latin-1") if spec.kind == "keyfile" else spec.secret)
            ok = handle.unlock() and not handle.is_locked()
        except OSError as exc:
            raise UsageError(f"{name}: libluksde cannot open the volume: {last_line(exc)}") from None
        if not ok:
            raise UsageError(f"{name}: wrong {_what(spec)}: the LUKS1 volume stays locked")
        return LibyalVolume(handle, present, int(handle.get_offset()))
    if volume.scheme == "luks2":
        from triage.evidence.luks2 import Luks2Volume

        if spec.kind == VOLUME_KEY_KIND:
            return Luks2Volume.with_key(
                read, volume.offset, volume.length, present, bytes.fromhex(spec.secret), name
            )
        return Luks2Volume.unlock(read, volume.offset, volume.length, present, _luks_secret(spec, name), name)
    if volume.scheme == "filevault2":  # libfvde: the code path is present, no real test image (docs)
        import pyfvde

        handle = pyfvde.volume()
        if spec.kind == "password":
            handle.set_password(spec.secret)
        elif spec.kind == "recovery":
            handle.set_recovery_password(spec.secret)
        else:
            raise UsageError(f"{name}: FileVault 2 has no {spec.kind} protector (use password or recovery)")
        try:
            handle.open_file_object(fobj)
            ok = not handle.is_locked() or bool(handle.unlock())
        except OSError as exc:
            raise UsageError(f"{name}: libfvde cannot open the volume: {last_line(exc)}") from None
        if not ok or handle.is_locked():
            raise UsageError(f"{name}: wrong {_what(spec)}: the FileVault 2 volume stays locked")
        return LibyalVolume(handle, present)
    raise UsageError(
        f"{name}: {volume.description} cannot be unlocked here: {volume.note or 'not supported'}"
    )


def _luks_secret(spec: UnlockSpec, name: str) -> bytes:
    if spec.kind == VOLUME_KEY_KIND:
        raise UsageError(f"{name}: a volume key is for LUKS2 only")
    if spec.kind == "keyfile":
        return Path(spec.secret).read_bytes()
    if spec.kind == "password":
        return spec.secret.encode("utf-8")
    raise UsageError(f"{name}: LUKS has no {spec.kind} protector (use password or keyfile)")


def _what(spec: UnlockSpec) -> str:
    return {"password": "password", "recovery": "recovery password", "bek": "startup key (.bek)"}.get(
        spec.kind, "key file"
    )


def last_line(exc: BaseException) -> str:
    text = [t.strip() for t in str(exc).strip().splitlines() if t.strip()]
    return text[-1] if text else type(exc).__name__


class VolumeImage(pytsk3.Img_Info):  # type: ignore[misc]
    """``Img_Info`` over a decrypted stream (the dfvfs pattern), for libtsk."""

    def __init__(self, reader: DecryptedReader) -> None:
        self._reader = reader
        super().__init__(url="", type=pytsk3.TSK_IMG_TYPE_EXTERNAL)

    def close(self) -> None:
        pass

    def read(self, offset: int, size: int) -> bytes:
        return self._reader.read_at(offset, size)

    def get_size(self) -> int:
        return self._reader.available


# -- this process's unlocked volumes --------------------------------------------------------------
@dataclass
class _Unlocked:
    volume: EncryptedVolume
    kind: str
    reader: DecryptedReader
    img: VolumeImage
    raw: Any  # the ImageInfo the reader reads through (owned here)


_SPECS: dict[str, dict[int, UnlockSpec]] = {}
"""Evidence path → volume offset → the option that unlocks it (resolved by :func:`prepare`)."""
_OPEN: dict[tuple[str, int], _Unlocked] = {}
_GUARD = threading.Lock()


def evidence_key(path: str | os.PathLike[str]) -> str:
    return os.path.realpath(path)


def state() -> dict[str, dict[int, UnlockSpec]]:
    """The resolved options, to hand to a spawned process (:func:`install`)."""
    return {k: dict(v) for k, v in _SPECS.items()}


def install(resolved: dict[str, dict[int, UnlockSpec]]) -> None:
    """Use options resolved in the parent (a spawned worker calls this first)."""
    for key, by_offset in resolved.items():
        _SPECS.setdefault(key, {}).update(by_offset)


def forget() -> None:
    """Drop every option and close every decrypted stream (tests; the end of a GUI session)."""
    with _GUARD:
        for entry in _OPEN.values():
            entry.reader.close()
            entry.raw.close()
        _OPEN.clear()
        _SPECS.clear()


def unlocked(path: str | os.PathLike[str], offset: int) -> _Unlocked | None:
    """The decrypted volume at ``offset`` of the evidence, opened on first use, or None."""
    key = (evidence_key(path), offset)
    entry = _OPEN.get(key)
    if entry is not None:
        return entry
    spec = _SPECS.get(key[0], {}).get(offset)
    if spec is None:
        return None
    with _GUARD:
        entry = _OPEN.get(key)
        if entry is None:
            entry = _OPEN[key] = _open_unlocked(Path(path), offset, spec)
    return entry


def _open_unlocked(path: Path, offset: int, spec: UnlockSpec) -> _Unlocked:
    from triage.evidence.image import open_image

    raw = open_image(path)
    volume = detect(raw.read, offset, raw.size - offset)
    if volume is None:
        raw.close()
        raise EvidenceError(f"{path}: no encrypted volume at byte {offset} any more")
    reader = unlock_volume(raw.read, raw.size, volume, spec, f"{path}: volume at byte {offset}")
    return _Unlocked(volume, spec.protector or spec.kind, reader, VolumeImage(reader), raw)


@dataclass(frozen=True)
class Candidate:
    """A place an encrypted volume may be: a partition index and its byte range."""

    index: int
    offset: int
    length: int


def prepare(
    image: Any, candidates: list[Candidate], specs: list[UnlockSpec]
) -> list[tuple[int, EncryptedVolume, str]]:
    """Match ``specs`` to the encrypted volumes among ``candidates`` and unlock each now.

    ``VOLUME`` in an option is the partition index ``triage info`` shows; it may be left out when
    the image holds one encrypted volume. Returns ``(index, volume, protector type)`` of each
    volume unlocked (for the audit).

    Raises:
        UsageError: an option matches no volume, or its key is wrong (names the volume).
    """
    if not specs:
        return []
    found = [(c, v) for c in candidates if (v := detect(image.read, c.offset, c.length)) is not None]
    name = str(image.source.path)
    if not found:
        raise UsageError(f"{name}: --unlock given but the image holds no encrypted volume")
    done: list[tuple[int, EncryptedVolume, str]] = []
    for spec in specs:
        if spec.volume is None:
            if len(found) > 1:
                raise UsageError(
                    f"{name}: {len(found)} encrypted volumes (partitions "
                    f"{', '.join(str(c.index) for c, _ in found)}): say which, as --unlock N={spec.kind}:…"
                )
            cand, volume = found[0]
        else:
            match = [(c, v) for c, v in found if c.index == spec.volume]
            if not match:
                raise UsageError(
                    f"{name}: --unlock {spec.volume}=…: partition {spec.volume} is not an encrypted volume"
                )
            cand, volume = match[0]
        label = f"{name}: volume {cand.index} ({volume.description} at byte {cand.offset})"
        from triage.evidence.image import open_image

        raw = open_image(image.source)  # the decrypted stream reads through its own handle
        try:
            reader = unlock_volume(raw.read, raw.size, volume, spec, label)  # raises on a wrong key
        except BaseException:
            raw.close()
            raise
        key = evidence_key(image.source.path)
        # a worker process gets the volume key where we hold it (LUKS2: no second key derivation)
        held = getattr(reader, "volume_key", None)
        _SPECS.setdefault(key, {})[cand.offset] = (
            UnlockSpec(spec.volume, VOLUME_KEY_KIND, held.hex(), spec.kind) if held else spec
        )
        with _GUARD:
            old = _OPEN.pop((key, cand.offset), None)
            if old is not None:
                old.reader.close()
                old.raw.close()
            _OPEN[(key, cand.offset)] = _Unlocked(volume, spec.kind, reader, VolumeImage(reader), raw)
        done.append((cand.index, volume, spec.kind))
    return done


def volume_sha256(image: Any, offset: int, chunk: int = 1 << 20) -> str:
    """SHA-256 of the decrypted bytes present of the unlocked volume at ``offset``."""
    import hashlib

    entry = unlocked(image.source.path, offset)
    if entry is None:
        raise EvidenceError(f"{image.source.path}: no unlocked volume at byte {offset}")
    h = hashlib.sha256()
    pos = 0
    while pos < entry.reader.available:
        data = entry.reader.read_at(pos, chunk)
        if not data:
            raise EvidenceError(
                f"{image.source.path}: decrypted volume at byte {offset}: read stopped at {pos}"
            )
        h.update(data)
        pos += len(data)
    return h.hexdigest()


def resolved(path: str | os.PathLike[str], offset: int) -> bool:
    """Whether an option unlocks the volume at ``offset`` of the evidence in this process."""
    return offset in _SPECS.get(evidence_key(path), {})


def library_versions() -> dict[str, str]:
    """Versions of the decryption libraries present (for the scan record and the CASE export)."""
    out: dict[str, str] = {}
    for name, module in (
        ("libbde", "pybde"),
        ("libluksde", "pyluksde"),
        ("libfvde", "pyfvde"),
        ("libfsapfs", "pyfsapfs"),
    ):
        try:
            out[name] = __import__(module).get_version()
        except (ImportError, AttributeError):
            pass
    try:
        import cryptography

        out["cryptography"] = cryptography.__version__
    except ImportError:
        pass
    try:
        from importlib.metadata import version

        out["argon2-cffi"] = version("argon2-cffi")
    except Exception:
        pass
    return out


def unlock_image(image: Any, specs: list[UnlockSpec]) -> list[tuple[int, EncryptedVolume, str]]:
    """Unlock the volumes of an open image the options name (raises UsageError on a wrong key)."""
    from triage.evidence.volumes import read_layout

    if not specs:
        return []
    return prepare(
        image, [Candidate(p.index, p.offset, p.length) for p in read_layout(image).partitions], specs
    )


def _has_encrypted(image: Any) -> bool:
    from triage.evidence.volumes import read_layout

    return any(p.encryption for p in read_layout(image).partitions)


Unlocked = tuple[str, int, EncryptedVolume, str]
"""Evidence path, partition index, the volume, the protector type used."""


def unlock_paths(
    paths: Iterable[str], specs: list[UnlockSpec], *, skip_plain: bool = False
) -> list[Unlocked]:
    """Unlock the named volumes of each evidence file (raises UsageError naming a volume whose key is wrong).

    ``skip_plain``: evidence without an encrypted volume is passed over (a case with several images)."""
    from triage.evidence.image import open_image

    out: list[Unlocked] = []
    if not specs:
        return out
    for path in paths:
        image = open_image(path)
        try:
            if skip_plain and not _has_encrypted(image):
                continue
            out += [(str(image.source.path.resolve()), i, v, k) for i, v, k in unlock_image(image, specs)]
        finally:
            image.close()
    return out


def audit_unlocks(case: Any, unlocked: list[Unlocked]) -> None:
    """One audit event per volume unlocked: which, by whom (the case's actor), with which protector
    type and decryption library versions; never the key."""
    for path, index, volume, kind in unlocked:
        case.append_audit(
            "volume.unlocked",
            {
                "evidence": path,
                "partition": index,
                "offset": volume.offset,
                "scheme": volume.scheme,
                "description": volume.description,
                "protector": kind,
                "libraries": library_versions(),
            },
        )
