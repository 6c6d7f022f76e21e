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
from collections.abc import Iterable
from pathlib import Path

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
    return text.replace("%0D", "\r").replace("%0d", "\r").replace("%0A", "\n").replace("%0a", "\n") \
        .replace("%25", "%")


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
        (root / f"manifest-{alg}.txt").write_text(_manifest_text(entries, alg), encoding="utf-8", newline="\n")
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
    (root / "tagmanifest-sha256.txt").write_text(_manifest_text(entries, "sha256"), encoding="utf-8", newline="\n")
    entries["tagmanifest-sha256.txt"] = hash_file(root / "tagmanifest-sha256.txt")
    (root / "tagmanifest-sha512.txt").write_text(_manifest_text(entries, "sha512"), encoding="utf-8", newline="\n")


def read_manifest(path: Path) -> dict[str, str]:
    """``{bag-relative path: hex digest}`` from one manifest file."""
    out: dict[str, str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        digest, _, rel = line.partition(" ")
        rel = rel.lstrip(" ").lstrip("*")
        if not digest or not rel:
            raise ValueError(f"{path.name} line {n}: malformed")
        out[decode_path(rel)] = digest.lower()
    return out


def check_bag(root: Path) -> list[str]:
    """Every problem found in the bag (empty when it is complete and every hash matches)."""
    problems: list[str] = []
    bagit_txt = root / "bagit.txt"
    if not bagit_txt.is_file():
        return ["bagit.txt: missing (not a bag)"]
    if "BagIt-Version: 1.0" not in bagit_txt.read_text(encoding="utf-8", errors="replace"):
        problems.append("bagit.txt: not BagIt-Version 1.0")
    payload = set(payload_files(root))
    for alg in ALGORITHMS:
        for kind, name in (("payload", f"manifest-{alg}.txt"), ("tag", f"tagmanifest-{alg}.txt")):
            mpath = root / name
            if not mpath.is_file():
                problems.append(f"{name}: missing")
                continue
            try:
                listed = read_manifest(mpath)
            except (ValueError, UnicodeDecodeError) as exc:
                problems.append(f"{name}: cannot be read ({exc})")
                continue
            for rel, digest in sorted(listed.items()):
                target = (root / rel).resolve()
                if root.resolve() not in target.parents:
                    problems.append(f"{rel}: path escapes the bag ({name})")
                elif not target.is_file():
                    problems.append(f"{rel}: listed in {name} but missing")
                elif hash_file(target, (alg,))[alg] != digest:
                    problems.append(f"{rel}: {alg.upper()} does not match {name}")
            if kind == "payload":
                for rel in sorted(payload - set(listed)):
                    problems.append(f"{rel}: payload file not listed in {name}")
            else:
                for rel in sorted(set(tag_files(root)) - set(listed)):
                    problems.append(f"{rel}: tag file not listed in {name}")
    return problems


def _human(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{int(size)} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{n} bytes"
