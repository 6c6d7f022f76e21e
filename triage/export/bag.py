"""A BagIt 1.0 (RFC 8493) writer and checker, byte-reproducible.

bagit-python 1.9 writes ``BagIt-Version: 0.97`` and always stamps ``Bagging-Date``; we
write the bag ourselves (its validator, ``bagit.py --validate``, accepts the result):

- ``manifest-sha256.txt`` and ``manifest-sha512.txt`` list every payload file, sorted;
- ``tagmanifest-sha256.txt`` lists the tag files; ``tagmanifest-sha512.txt`` lists them
  *and* ``tagmanifest-sha256.txt``, so one signature over it covers every tag file;
- ``signatures/`` is outside the tag manifests (signing the manifest cannot change it).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from triage.format import file_kind

ALGORITHMS = ("sha256", "sha512")
PAYLOAD_DIR = "data"
SIGNATURES_DIR = "signatures"
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


def hash_file(path: Path, algorithms: Iterable[str] = ALGORITHMS) -> dict[str, str]:
    hs = {a: hashlib.new(a) for a in algorithms}
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            for h in hs.values():
                h.update(block)
    return {a: h.hexdigest() for a, h in hs.items()}


def encode_path(rel: str) -> str:
    """Percent-encode CR, LF and ``%`` as RFC 8493 section 2.1.3 asks."""
    return rel.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def decode_path(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0d", "\r")
        .replace("%0A", "\n")
        .replace("%0a", "\n")
        .replace("%25", "%")
    )


def _manifest_text(entries: dict[str, dict[str, str]], alg: str) -> str:
    lines = [f"{entries[p][alg]}  {encode_path(p)}\n" for p in sorted(entries, key=lambda s: s.encode())]
    return "".join(lines)


def payload_files(root: Path) -> list[str]:
    """Every file under ``data/`` as a bag-relative ``/`` path."""
    out = []
    for dirpath, _dirs, files in os.walk(root / PAYLOAD_DIR):
        for name in files:
            out.append((Path(dirpath) / name).relative_to(root).as_posix())
    return out


def write_payload_manifests(root: Path, payload: dict[str, dict[str, str]]) -> tuple[int, int]:
    """Write bagit.txt and the payload manifests; returns ``(octets, file count)``.

    ``payload`` maps payload paths to their hashes (hashed on the way); files under
    ``data/`` not in it are hashed here.
    """
    entries = dict(payload)
    for rel in payload_files(root):
        if rel not in entries:
            entries[rel] = hash_file(root / rel)
    missing = [p for p in entries if not (root / p).is_file()]
    if missing:
        raise FileNotFoundError(f"payload file vanished while bagging: {missing[0]}")
    (root / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8", newline="\n")
    for alg in ALGORITHMS:
        (root / f"manifest-{alg}.txt").write_text(
            _manifest_text(entries, alg), encoding="utf-8", newline="\n"
        )
    return sum((root / p).stat().st_size for p in entries), len(entries)


def write_bag_info(root: Path, bag_info: list[tuple[str, str]], octets: int, count: int) -> None:
    """bag-info.txt from ordered ``(label, value)`` pairs plus Payload-Oxum and Bag-Size."""
    info = [*bag_info, ("Payload-Oxum", f"{octets}.{count}"), ("Bag-Size", _human(octets))]
    text = "".join(f"{k}: {' '.join(str(v).split())}\n" for k, v in info if str(v).strip())
    (root / "bag-info.txt").write_text(text, encoding="utf-8", newline="\n")


def tag_files(root: Path) -> list[str]:
    """Tag files: everything outside ``data/`` and ``signatures/`` that is not a tag manifest."""
    out = []
    for dirpath, dirs, files in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root)
        if rel_dir == Path("."):
            dirs[:] = [d for d in dirs if d not in (PAYLOAD_DIR, SIGNATURES_DIR)]
        for name in files:
            rel = (rel_dir / name).as_posix()
            if not rel.startswith("tagmanifest-"):
                out.append(rel)
    return out


def write_tagmanifests(root: Path) -> None:
    entries = {rel: hash_file(root / rel) for rel in tag_files(root)}
    (root / "tagmanifest-sha256.txt").write_text(
        _manifest_text(entries, "sha256"), encoding="utf-8", newline="\n"
    )
    entries["tagmanifest-sha256.txt"] = hash_file(root / "tagmanifest-sha256.txt")
    (root / "tagmanifest-sha512.txt").write_text(
        _manifest_text(entries, "sha512"), encoding="utf-8", newline="\n"
    )


MAX_MANIFEST_LINE = 1 << 16  # a digest, two spaces and a path of at most a few KiB
MAX_TAG_FILE = 1 << 20  # bagit.txt and bag-info.txt
_DIGEST_LEN = {"sha256": 64, "sha512": 128}
_HEX = re.compile(r"[0-9a-fA-F]+")


@dataclass(frozen=True)
class BagTree:
    """What is on disk: regular files (bag-relative ``/`` paths) and everything else, named."""

    files: frozenset[str]
    problems: tuple[str, ...]


@dataclass
class BagCheck:
    """The outcome of :func:`inspect_bag`: problems, parsed manifests (``{name: {path: digest}}``), tree."""

    problems: list[str]
    manifests: dict[str, dict[str, str]]
    tree: BagTree


def scan_tree(root: Path) -> BagTree:
    """Every regular file in the bag, without following links; links, FIFOs and devices are problems.

    Nothing outside the bag and nothing but regular files is ever opened by the checker, so a
    symbolic link to ``/etc/passwd`` or a FIFO (which would block a reader) is named, not read.
    """
    files: set[str] = set()
    problems: list[str] = []
    stack = [Path(".")]
    while stack:
        rel_dir = stack.pop()
        try:
            entries = sorted(os.scandir(root / rel_dir), key=lambda e: e.name)
        except OSError as exc:
            problems.append(f"{rel_dir.as_posix()}/: cannot be listed ({exc.strerror or exc})")
            continue
        for e in entries:
            rel = (rel_dir / e.name).as_posix()
            try:
                if e.is_symlink():
                    problems.append(
                        f"{rel}: is a symbolic link (a bag holds regular files only; not followed)"
                    )
                elif e.is_dir(follow_symlinks=False):
                    stack.append(rel_dir / e.name)
                elif e.is_file(follow_symlinks=False):
                    files.add(rel)
                else:
                    problems.append(
                        f"{rel}: is {file_kind(e.stat(follow_symlinks=False).st_mode)}, not a regular file"
                    )
            except OSError as exc:
                problems.append(f"{rel}: cannot be examined ({exc.strerror or exc})")
    return BagTree(frozenset(files), tuple(problems))


def bag_path_problem(rel: str) -> str | None:
    """Why ``rel`` is not a safe bag-relative path (``None`` when it is)."""
    if not rel:
        return "empty path"
    if "\0" in rel:
        return "path holds a NUL byte"
    if "\\" in rel:
        return "path holds a backslash (a path separator on Windows)"
    if rel.startswith("/") or re.match(r"^[A-Za-z]:", rel):
        return "absolute path (escapes the bag)"
    parts = rel.split("/")
    if ".." in parts:
        return "path has a '..' component (escapes the bag)"
    if "" in parts or "." in parts:
        return "path has an empty or '.' component"
    return None


def iter_lines(path: Path, max_len: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, line without its LF)`` of a file; ``None`` for a line longer than ``max_len``.

    A huge line is skipped in chunks, never held in memory whole.
    """
    with path.open("rb") as f:
        n = 0
        while True:
            raw = f.readline(max_len + 1)
            if not raw:
                return
            n += 1
            if len(raw) > max_len and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):
                    raw = f.readline(1 << 20)
                yield n, None
                continue
            yield n, raw[:-1] if raw.endswith(b"\n") else raw


def parse_manifest(path: Path, alg: str | None = None) -> tuple[dict[str, str], list[str]]:
    """``({bag-relative path: hex digest}, problems)`` for one manifest, line by line.

    A malformed line, a digest of the wrong length, an unsafe path or a second entry for the
    same path is a problem naming the manifest and the line; the other lines still count.
    """
    name = path.name
    alg = alg or name.rsplit("-", 1)[-1].removesuffix(".txt")
    width = _DIGEST_LEN.get(alg)
    out: dict[str, str] = {}
    first: dict[str, int] = {}
    problems: list[str] = []
    for n, raw in iter_lines(path, MAX_MANIFEST_LINE):
        where = f"{name} line {n}"
        if raw is None:
            problems.append(f"{where}: longer than {MAX_MANIFEST_LINE} bytes (not a manifest line)")
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(f"{where}: not valid UTF-8 (byte {exc.start + 1})")
            continue
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        digest, _, rel = line.partition(" ")
        rel = rel.lstrip(" ").lstrip("*")
        if not digest or not rel:
            problems.append(f"{where}: malformed (expected '<digest>  <path>')")
            continue
        if not _HEX.fullmatch(digest) or (width is not None and len(digest) != width):
            problems.append(
                f"{where}: {digest[:20]!r} is not a {alg.upper()} digest"
                + (f" ({width} hex digits)" if width else "")
            )
            continue
        rel = decode_path(rel)
        bad = bag_path_problem(rel)
        if bad:
            problems.append(f"{where}: {rel[:200]!r}: {bad}; not read")
            continue
        if rel in out:
            problems.append(f"{where}: {rel} is listed twice (first on line {first[rel]})")
            continue
        out[rel], first[rel] = digest.lower(), n
    return out, problems


def read_manifest(path: Path) -> dict[str, str]:
    """``{bag-relative path: hex digest}`` from one manifest file; ValueError on its first problem."""
    entries, problems = parse_manifest(path)
    if problems:
        raise ValueError(problems[0])
    return entries


def read_small_text(path: Path, limit: int = MAX_TAG_FILE) -> str:
    """A small UTF-8 tag file; ValueError naming the file when it is too large or not UTF-8."""
    with path.open("rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{path.name}: larger than {limit} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValueError(f"{path.name} line {line}: not valid UTF-8 (byte offset {exc.start})") from exc


def check_bag(root: Path) -> list[str]:
    """Every problem found in the bag (empty when it is complete and every hash matches)."""
    return inspect_bag(root).problems


def inspect_bag(root: Path) -> BagCheck:
    """Check completeness and every hash; also return the parsed manifests for later checks."""
    tree = scan_tree(root)
    problems: list[str] = list(tree.problems)
    manifests: dict[str, dict[str, str]] = {}
    if "bagit.txt" not in tree.files:
        problems.insert(0, "bagit.txt: missing (not a bag)")
    else:
        try:
            declaration = read_small_text(root / "bagit.txt")
        except (OSError, ValueError) as exc:
            problems.append(f"bagit.txt: cannot be read ({exc})")
        else:
            if "BagIt-Version: 1.0" not in declaration.splitlines():
                problems.append("bagit.txt: not BagIt-Version 1.0")
    payload = {p for p in tree.files if p.startswith(PAYLOAD_DIR + "/")}
    outside = {p for p in tree.files if not p.startswith((PAYLOAD_DIR + "/", SIGNATURES_DIR + "/"))}
    tags = {p for p in outside if not p.startswith("tagmanifest-")}
    for rel in sorted(outside - tags - {f"tagmanifest-{alg}.txt" for alg in ALGORITHMS}):
        problems.append(f"{rel}: a tag manifest triage does not write or check (only SHA-256 and SHA-512)")
    for alg in ALGORITHMS:
        for kind, name in (("payload", f"manifest-{alg}.txt"), ("tag", f"tagmanifest-{alg}.txt")):
            if name not in tree.files:
                problems.append(f"{name}: missing")
                continue
            try:
                listed, bad = parse_manifest(root / name, alg)
            except OSError as exc:
                problems.append(f"{name}: cannot be read ({exc.strerror or exc})")
                continue
            problems += bad
            manifests[name] = listed
            for rel, digest in sorted(listed.items()):
                inside = rel.startswith(PAYLOAD_DIR + "/")
                if kind == "payload" and not inside:
                    problems.append(
                        f"{rel}: listed in {name} but outside {PAYLOAD_DIR}/ (not a payload file)"
                    )
                elif kind == "tag" and (inside or rel.startswith(SIGNATURES_DIR + "/")):
                    problems.append(f"{rel}: listed in {name} but not a tag file")
                elif rel not in tree.files:
                    problems.append(f"{rel}: listed in {name} but missing")
                else:
                    try:
                        actual = hash_file(root / rel, (alg,))[alg]
                    except OSError as exc:
                        problems.append(f"{rel}: cannot be read ({exc.strerror or exc})")
                        continue
                    if actual != digest:
                        problems.append(f"{rel}: {alg.upper()} does not match {name}")
            expected = (
                payload
                if kind == "payload"
                else tags
                | (
                    {"tagmanifest-sha256.txt"}
                    if alg == "sha512" and "tagmanifest-sha256.txt" in tree.files
                    else set()
                )
            )
            for rel in sorted(expected - set(listed)):
                problems.append(f"{rel}: {kind} file not listed in {name}")
    problems += _oxum(root, tree, payload)
    return BagCheck(problems, manifests, tree)


def _oxum(root: Path, tree: BagTree, payload: set[str]) -> list[str]:
    """bag-info.txt parses, and its Payload-Oxum (octets.files) matches the payload on disk."""
    if "bag-info.txt" not in tree.files:
        return ["bag-info.txt: missing"]
    try:
        info = read_bag_info(root / "bag-info.txt")
    except (OSError, ValueError) as exc:
        return [f"bag-info.txt: cannot be read ({exc})"]
    oxum = info.get("Payload-Oxum")
    if oxum is None:
        return ["bag-info.txt: no Payload-Oxum"]
    octets, dot, count = oxum.partition(".")
    if not (dot and octets.isdigit() and count.isdigit()):
        return [f"bag-info.txt: Payload-Oxum {oxum[:40]!r} is not <octets>.<files>"]
    size = 0
    for rel in payload:
        try:
            size += (root / rel).stat().st_size
        except OSError:
            pass
    if (int(octets), int(count)) != (size, len(payload)):
        return [
            f"bag-info.txt: Payload-Oxum {oxum} but the payload holds {size} bytes in {len(payload)} files"
        ]
    return []


def read_bag_info(path: Path) -> dict[str, str]:
    """``{label: value}`` from bag-info.txt (first value of a repeated label); ValueError on a bad line."""
    out: dict[str, str] = {}
    for n, line in enumerate(read_small_text(path).split("\n"), 1):
        if not line.strip():
            continue
        if line[0] in " \t":  # a continuation line (RFC 8493 2.2.2)
            continue
        label, sep, value = line.partition(":")
        if not sep or not label.strip():
            raise ValueError(f"{path.name} line {n}: not 'Label: value'")
        out.setdefault(label.strip(), value.strip())
    return out


def _human(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{int(size)} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{n} bytes"
