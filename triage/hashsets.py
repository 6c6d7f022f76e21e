"""Known-file hash sets: import NSRL RDSv3, ``md5sum``/``sha1sum``/``sha256sum`` lists and
hashdeep CSV into one indexed SQLite file, and look files up by SHA-256, SHA-1 or MD5.

Every set has a name, a version and a category: ``known`` (ignorable, e.g. NSRL operating
system files; views can hide them) or ``notable`` (alert the examiner). Hashes are stored as
binary in one ``WITHOUT ROWID`` table per algorithm keyed ``(hash, set_id)``, so a lookup is
one B-tree probe per algorithm and an import is a single bulk transaction.
The SQL (and the NSRL RDS reader) lives in :mod:`triage.case.hashsets`; this module parses and
validates the inputs and offers the public :class:`HashDB` API.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from triage.case.hashsets import ALGORITHMS, BATCH, HashSet, HashSetStore, NewSet, nsrl_digests, nsrl_version
from triage.errors import UsageError

__all__ = [
    "ALGORITHMS",
    "BATCH",
    "CATEGORIES",
    "DB_ENV",
    "FORMATS",
    "HEX_LENGTHS",
    "HashDB",
    "HashSet",
    "Hit",
    "ImportReport",
    "default_db_path",
    "detect_format",
]
HEX_LENGTHS = {32: "md5", 40: "sha1", 64: "sha256"}
CATEGORIES = ("known", "notable")
FORMATS = ("auto", "nsrl", "hashlist", "hashdeep")
DB_ENV = "TRIAGE_HASHSETS_DB"


def default_db_path() -> Path:
    """``$TRIAGE_HASHSETS_DB``, else ``hashsets.sqlite`` in the user data folder."""
    env = os.environ.get(DB_ENV)
    return Path(env) if env else Path(platformdirs.user_data_dir("triage")) / "hashsets.sqlite"


@dataclass(frozen=True)
class Hit:
    """A file's hash found in a set; ``algorithms`` lists which of its hashes matched."""

    set: str
    version: str
    category: str
    algorithms: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "set": self.set,
            "version": self.version,
            "category": self.category,
            "algorithms": list(self.algorithms),
        }


@dataclass
class ImportReport:
    """What one import did; ``skipped`` lines were not hashes (the first few are quoted)."""

    set: HashSet
    lines: int
    skipped: int
    skipped_examples: list[str]
    seconds: float


class HashDB:
    """The hash-set database file; open read-only for lookups (scan workers)."""

    def __init__(self, path: str | Path | None = None, *, readonly: bool = False) -> None:
        self.path = Path(path) if path else default_db_path()
        self.readonly = readonly
        if readonly and not self.path.is_file():
            raise UsageError(f"{self.path}: no hash set database (import one with 'triage hashsets import')")
        self._store = HashSetStore(self.path, readonly=readonly)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> HashDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries ---------------------------------------------------------------------------
    def sets(self) -> list[HashSet]:
        return self._store.sets()

    def lookup(
        self, *, md5: str | None = None, sha1: str | None = None, sha256: str | None = None
    ) -> list[Hit]:
        """Sets holding any of the given hex digests (case-insensitive), one :class:`Hit` per set."""
        found: dict[int, list[str]] = {}
        for algo, value in (("sha256", sha256), ("sha1", sha1), ("md5", md5)):
            if not value:
                continue
            try:
                key = bytes.fromhex(value)
            except ValueError:
                continue
            for set_id in self._store.set_ids_with(algo, key):
                found.setdefault(set_id, []).append(algo)
        if not found:
            return []
        info = {s.id: s for s in self.sets()}
        return [
            Hit(info[i].name, info[i].version, info[i].category, tuple(a))
            for i, a in sorted(found.items())
            if i in info
        ]

    # -- changes ---------------------------------------------------------------------------
    def remove(self, name: str, version: str | None = None) -> int:
        """Delete a set (every version unless ``version``); returns how many sets went."""
        return self._store.remove(name, version)

    def import_file(
        self,
        source: str | Path,
        *,
        name: str | None = None,
        version: str | None = None,
        category: str = "known",
        fmt: str = "auto",
        replace: bool = False,
    ) -> ImportReport:
        """Import one hash list or NSRL RDSv3 database as a new set."""
        t0 = datetime.now(UTC)
        src = Path(source)
        if not src.is_file():
            raise UsageError(f"{src}: no such file")
        if category not in CATEGORIES:
            raise UsageError(f"category must be one of {', '.join(CATEGORIES)}, not {category!r}")
        fmt = detect_format(src) if fmt == "auto" else fmt
        if fmt not in FORMATS:
            raise UsageError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        if fmt == "nsrl":
            rds_version = nsrl_version(src)
            name = name or "NSRL RDS"
            version = version or rds_version
        name = name or src.stem
        version = version or datetime.fromtimestamp(src.stat().st_mtime, UTC).strftime("%Y-%m-%d")
        existing = self._store.find_set(name, version)
        if existing is not None and not replace:
            raise UsageError(f"hash set {name!r} version {version!r} is already imported (use --replace)")
        digest = _file_sha256(src)
        skipped: list[str] = []
        if fmt == "nsrl":
            rows: Iterable[tuple[str, bytes]] = _nsrl_rows(src)
        elif fmt == "hashdeep":
            rows = _hashdeep_rows(src, skipped)
        else:
            rows = _hashlist_rows(src, skipped)

        def finish(counts: Mapping[str, int]) -> int:
            if not any(counts.values()):
                raise UsageError(
                    f"{src}: no hashes found (format {fmt}"
                    + (f"; first bad line: {skipped[0]}" if skipped else "")
                    + ")"
                )
            return len(skipped)

        new = NewSet(
            name, version, category, fmt, str(src.resolve()), digest, t0.strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        set_id, lines = self._store.import_rows(new, rows, replace_id=existing, finish=finish)
        hs = next(s for s in self.sets() if s.id == set_id)
        seconds = (datetime.now(UTC) - t0).total_seconds()
        return ImportReport(hs, lines, len(skipped), skipped[:5], seconds)


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def detect_format(path: Path) -> str:
    """``nsrl`` (SQLite with an RDSv3 ``FILE`` table), ``hashdeep`` (``%%%% HASHDEEP`` header) or ``hashlist``."""
    with path.open("rb") as f:
        head = f.read(64)
    if head.startswith(b"SQLite format 3\x00"):
        return "nsrl"
    if head.lstrip(b"\xef\xbb\xbf").startswith(b"%%%% HASHDEEP"):
        return "hashdeep"
    return "hashlist"


def _nsrl_rows(path: Path) -> Iterator[tuple[str, bytes]]:
    for row in nsrl_digests(path):
        for algo, value in zip(("sha256", "sha1", "md5"), row, strict=True):
            if value:
                key = _hex(value)
                if key is not None and len(key) * 2 == _LEN[algo]:
                    yield algo, key


_LEN = {"md5": 32, "sha1": 40, "sha256": 64}
_BSD = re.compile(rb"^(MD5|SHA1|SHA256|SHA-1|SHA-256)\s*\(.*\)\s*=\s*([0-9A-Fa-f]+)$")


def _hex(text: str | bytes) -> bytes | None:
    try:
        return bytes.fromhex(text.decode("ascii") if isinstance(text, bytes) else text)
    except (ValueError, UnicodeDecodeError):
        return None


def _hashlist_rows(path: Path, skipped: list[str]) -> Iterator[tuple[str, bytes]]:
    """``md5sum``/``sha1sum``/``sha256sum`` output (``HEX  name`` or ``HEX *name``), bare hashes,
    or BSD-style ``SHA256 (name) = HEX``; the algorithm follows from the digest length."""
    with path.open("rb") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith((b"#", b";")):
                continue
            token = line.split(None, 1)[0]
            if token.startswith(b"\\"):  # GNU coreutils escapes names with a leading backslash
                token = token[1:]
            algo = HEX_LENGTHS.get(len(token))
            key = _hex(token) if algo else None
            if key is None:
                m = _BSD.match(line)
                key = _hex(m.group(2)) if m else None
                algo = HEX_LENGTHS.get(len(m.group(2))) if m else None
            if key is None or algo is None:
                if len(skipped) < 5:
                    skipped.append(f"line {number}: {line[:80].decode('utf-8', 'replace')}")
                else:
                    skipped.append("")
                continue
            yield algo, key


def _hashdeep_rows(path: Path, skipped: list[str]) -> Iterator[tuple[str, bytes]]:
    """hashdeep CSV: ``%%%% size,md5,sha256,filename`` header, ``##`` comments, one file a line."""
    columns: list[str] = []
    with path.open("rb") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip(b"\r\n")
            if line.startswith(b"%%%%"):
                body = line[4:].strip().decode("ascii", "replace")
                if not body.upper().startswith("HASHDEEP"):
                    columns = [c.strip().lower() for c in body.split(",")]
                continue
            if not line.strip() or line.startswith(b"#"):
                continue
            if not columns:
                raise UsageError(f"{path}: hashdeep file without a '%%%% size,md5,...' column header")
            fields = line.split(b",", len(columns) - 1)
            good = False
            for col, value in zip(columns, fields, strict=False):
                if col in _LEN and len(value) == _LEN[col]:
                    key = _hex(value)
                    if key is not None:
                        good = True
                        yield col, key
            if not good:
                if len(skipped) < 5:
                    skipped.append(f"line {number}: {line[:80].decode('utf-8', 'replace')}")
                else:
                    skipped.append("")
