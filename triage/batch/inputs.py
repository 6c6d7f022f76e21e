"""What a batch runs over: a folder of images, a glob, or a manifest (CSV or TOML).

Every file of a folder or glob is probed by its content (:mod:`triage.evidence.signatures`),
whatever its name: EWF segments are grouped into sets by their headers (segment number, set
identity), split raw sets by their numbering (``.001 .002 …``, ``.aa .ab …``), and anything
holding a partition table, a file system or a VMDK/VHD/QCOW header is an image. Files that are
not images are listed as ignored with the probe's reason; files that look like images but
cannot be used (a truncated E01, a set with a gap) are listed as damaged and make the batch
exit 1. Nothing is dropped silently.
"""

from __future__ import annotations

import csv
import glob
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triage.errors import TriageError, UsageError
from triage.evidence.fve import UnlockSpec, parse_unlock
from triage.evidence.image import EvidenceSource, resolve_source
from triage.evidence.signatures import EWF_SIGNATURES, Probe, ewf_sets, probe

# First segments / single-file images, by extension (case-insensitive).
IMAGE_SUFFIXES = (
    ".e01",
    ".ex01",
    ".raw",
    ".dd",
    ".img",
    ".bin",
    ".iso",
    ".001",
    ".000",
    ".aa",
    ".vmdk",
    ".vhd",
    ".vhdx",
    ".qcow",
    ".qcow2",
)
_NUM_LATER = re.compile(r"\.(\d{3})$")
_VMDK_EXTENT = re.compile(r"-(flat|s\d{3}|f\d{3})\.vmdk$", re.IGNORECASE)
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class ExportPolicy:
    """What bundle to make for an image once it is scanned."""

    selection: str = "findings"
    request: str | None = None
    signing_key: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"selection": self.selection, "request": self.request, "signing_key": self.signing_key}


@dataclass
class ImageJob:
    """One image of the batch and what to do with it."""

    name: str
    source: EvidenceSource
    exhibit: str | None = None
    rules: list[str] = field(default_factory=list)
    hashsets: list[str] = field(default_factory=list)
    export: ExportPolicy | None = None
    unlock: list[UnlockSpec] = field(default_factory=list, repr=False)
    """``unlock`` of the manifest (``[N=]password:…``, ``keyfile:FILE`` …); only the protector
    types are written to the batch state, never the secrets."""

    @property
    def path(self) -> Path:
        return self.source.path

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "image": str(self.source.path),
            "format": self.source.format,
            "segments": [str(s) for s in self.source.segments],
            "exhibit": self.exhibit,
            "rules": self.rules,
            "hashsets": self.hashsets,
            "export": self.export.to_json() if self.export else None,
            "unlock": [s.kind for s in self.unlock],
        }


@dataclass
class BatchInput:
    """The images found; the files looked at but not taken as images (with why); the files that
    look like images but cannot be used (``damaged``, with why: the batch exits 1)."""

    jobs: list[ImageJob]
    ignored: list[dict[str, str]] = field(default_factory=list)
    damaged: list[dict[str, str]] = field(default_factory=list)


def discover(inputs: list[str]) -> BatchInput:
    """Turn folders, globs, image paths and manifests into image jobs with unique case names.

    Raises:
        UsageError: nothing usable was given, or a manifest is malformed.
    """
    jobs: list[ImageJob] = []
    ignored: list[dict[str, str]] = []
    damaged: list[dict[str, str]] = []
    for text in inputs:
        p = Path(text)
        if p.is_file() and p.suffix.lower() in (".csv", ".toml"):
            jobs += read_manifest(p)
        elif p.is_dir():
            grouped = group_images(sorted(q for q in p.rglob("*") if q.is_file()))
            jobs += grouped.jobs
            ignored += grouped.ignored
            damaged += grouped.damaged
        elif p.is_file():
            jobs.append(_job(p))
        elif glob.has_magic(text):
            matches = sorted(Path(m) for m in glob.glob(text, recursive=True) if Path(m).is_file())
            if not matches:
                raise UsageError(f"{text}: the pattern matches no file")
            grouped = group_images(matches, only_images=False)
            jobs += grouped.jobs
            ignored += grouped.ignored
            damaged += grouped.damaged
        else:
            raise UsageError(f"{text}: no such file, folder or manifest")
    if not jobs and not damaged:
        raise UsageError("no images found in " + ", ".join(inputs))
    _unique_names(jobs)
    seen: dict[Path, str] = {}
    for j in jobs:
        key = j.path.resolve()
        if key in seen:
            raise UsageError(f"{j.path}: listed twice (as {seen[key]} and {j.name})")
        seen[key] = j.name
    return BatchInput(jobs, ignored, damaged)


def group_images(files: list[Path], *, only_images: bool = True) -> BatchInput:
    """Group files into images by their content; list the rest as ignored or damaged, with why.

    An image file name (``.dd``, ``.E01`` …) without any image signature is still taken as an
    image (its scan says why it cannot be read); with ``only_images=False`` (a glob) every file
    that is no segment of another image is.
    """
    probes = {f: probe(f) for f in files}
    out = BatchInput([])
    taken: set[Path] = set()
    _ewf_jobs(files, probes, out, taken)
    _split_jobs(files, out, taken)
    for f in files:
        if f in taken:
            continue
        pr = probes[f]
        low = f.name.lower()
        if _VMDK_EXTENT.search(low):
            continue  # an extent of a VMDK descriptor: read through the descriptor
        if pr.damage:
            out.damaged.append({"path": str(f), "reason": f"{pr.what}: {pr.damage}"})
            continue
        if not pr.is_image and only_images and not low.endswith(IMAGE_SUFFIXES):
            out.ignored.append({"path": str(f), "reason": pr.what})
            continue
        try:
            out.jobs.append(_job(f))
        except TriageError as exc:
            (out.damaged if pr.is_image else out.ignored).append({"path": str(f), "reason": _reason(f, exc)})
    return out


def _reason(path: Path, exc: BaseException) -> str:
    text = str(exc)
    return text.removeprefix(f"{path}: ")


def _ewf_jobs(files: list[Path], probes: dict[Path, Probe], out: BatchInput, taken: set[Path]) -> None:
    """EWF sets by their segment headers; segments not listed beside a listed one (a glob) join too."""
    given = {f for f, pr in probes.items() if pr.kind == "ewf"}
    if not given:
        return
    pool = dict(probes)
    for folder in {f.parent for f in given}:
        for cand in folder.iterdir():
            if cand not in pool and cand.is_file() and not cand.is_symlink() and _ewf_signed(cand):
                pool[cand] = probe(cand)
    for found in ewf_sets(pr for pr in pool.values() if pr.kind == "ewf"):
        if not given.intersection(found.segments):
            continue
        taken.update(found.segments)
        first = found.segments[0]
        if found.damage:
            out.damaged.append({"path": str(first), "reason": _reason(first, ValueError(found.damage))})
        else:
            source = EvidenceSource(first, "ewf", found.segments)
            out.jobs.append(ImageJob(name=_default_name(first), source=source))
    taken.update(f for f in given if probes[f].ewf is not None)


def _ewf_signed(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(8).startswith(EWF_SIGNATURES)
    except OSError:
        return False


def _split_jobs(files: list[Path], out: BatchInput, taken: set[Path]) -> None:
    """Split raw sets by their numbering; a gap or a missing first segment is damage."""
    names = {f.name.lower() for f in files}
    for f in files:
        if f in taken:
            continue
        low = f.name.lower()
        m = _NUM_LATER.search(low)
        head = (
            m and m.group(1) in ("000", "001") and not (m.group(1) == "001" and f"{low[:-4]}.000" in names)
        ) or (low.endswith(".aa") and f"{low[:-3]}.ab" in names)
        if not head:
            continue
        try:
            source = resolve_source(f)
        except TriageError as exc:
            out.damaged.append({"path": str(f), "reason": _reason(f, exc)})
            taken.add(f)
            taken.update(g for g in files if _same_set(f, g))
            continue
        taken.update(source.segments)
        sizes = [p.stat().st_size for p in source.segments]
        short = [p for p, n in zip(source.segments[:-1], sizes[:-1], strict=True) if n != sizes[0]]
        if short:
            out.damaged.append(
                {
                    "path": str(f),
                    "reason": f"split segment {short[0].name} is {short[0].stat().st_size} bytes, the first "
                    f"is {sizes[0]}: a segment is truncated",
                }
            )
            continue
        out.jobs.append(ImageJob(name=_default_name(source.path), source=source))
    for f in files:
        if f in taken:
            continue
        m = _NUM_LATER.search(f.name.lower())
        if m and int(m.group(1)) > 1:
            out.damaged.append(
                {"path": str(f), "reason": "split segment without the first segment (.001) of its set"}
            )
            taken.add(f)


def _same_set(first: Path, other: Path) -> bool:
    """``other`` is numbered like a later segment of the split set ``first`` starts."""
    stem, style = first.name.rsplit(".", 1)
    if other.parent != first.parent or other == first or "." not in other.name:
        return False
    o_stem, suffix = other.name.rsplit(".", 1)
    same_style = (
        suffix.isdigit() and len(suffix) == 3 if style.isdigit() else len(suffix) == 2 and suffix.isalpha()
    )
    return o_stem == stem and same_style


def _job(path: Path, **kw: Any) -> ImageJob:
    source = resolve_source(path)
    return ImageJob(name=kw.pop("name", None) or _default_name(source.path), source=source, **kw)


def _default_name(path: Path) -> str:
    name = path.name
    for suffix in IMAGE_SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return safe_name(name)


def safe_name(text: str) -> str:
    """A folder name made only of letters, digits, ``.``, ``_`` and ``-``."""
    return _SAFE.sub("_", text).strip("._") or "image"


def _unique_names(jobs: list[ImageJob]) -> None:
    taken: dict[str, int] = {}
    for j in jobs:
        base = j.name
        n = taken.get(base.lower(), 0)
        taken[base.lower()] = n + 1
        if n:
            while f"{base}-{n + 1}".lower() in taken:
                n += 1
            j.name = f"{base}-{n + 1}"
            taken[j.name.lower()] = 1


# -- manifests -------------------------------------------------------------------------------
def read_manifest(path: Path) -> list[ImageJob]:
    """Read a CSV or TOML manifest; relative paths are relative to the manifest's folder.

    CSV columns: ``image`` (required), ``exhibit``, ``case``, ``rules`` and ``hashsets``
    (``;``-separated), ``export_selection``, ``export_request``, ``export_key``.
    TOML: optional ``[defaults]`` (same keys, ``export`` as a table) and ``[[image]]`` tables.
    """
    base = path.parent
    try:
        if path.suffix.lower() == ".csv":
            with open(path, newline="", encoding="utf-8-sig") as fh:
                records = [_from_csv(r) for r in csv.DictReader(fh)]
            defaults: dict[str, Any] = {}
        else:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            defaults = data.get("defaults", {})
            records = data.get("image", [])
    except (OSError, UnicodeDecodeError, csv.Error, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: cannot read manifest: {exc}") from exc
    if not isinstance(records, list) or not records:
        raise UsageError(f"{path}: the manifest lists no image")
    jobs = []
    for n, rec in enumerate(records, 1):
        where = f"{path}: image {n}"
        if not isinstance(rec, dict) or not rec.get("image") and not rec.get("path"):
            raise UsageError(f"{where}: needs an 'image' path")
        merged = {**defaults, **{k: v for k, v in rec.items() if v not in (None, "")}}
        unknown = set(merged) - {"image", "path", "exhibit", "case", "rules", "hashsets", "export", "unlock"}
        if unknown:
            raise UsageError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        image = _resolve(base, str(merged.get("image") or merged.get("path")))
        export = merged.get("export")
        policy = None
        if export:
            if not isinstance(export, dict):
                raise UsageError(f"{where}: 'export' must be a table (selection, request, signing_key)")
            extra = set(export) - {"selection", "request", "signing_key"}
            if extra:
                raise UsageError(f"{where}: unknown export key(s) {', '.join(sorted(extra))}")
            policy = ExportPolicy(
                selection=str(export.get("selection") or "findings"),
                request=_resolve_opt(base, export.get("request")),
                signing_key=_resolve_opt(base, export.get("signing_key")),
            )
        try:
            job = _job(
                image,
                name=safe_name(str(merged["case"])) if merged.get("case") else None,
                exhibit=str(merged["exhibit"]) if merged.get("exhibit") else None,
                rules=[_resolve(base, r).as_posix() for r in _listed(merged.get("rules"))],
                hashsets=[_resolve(base, h).as_posix() for h in _listed(merged.get("hashsets"))],
                export=policy,
            )
        except TriageError as exc:
            raise UsageError(f"{where}: {exc}") from exc
        job.unlock = _unlocks(base, merged.get("unlock"), where)
        if job.exhibit and not merged.get("case"):
            job.name = safe_name(job.exhibit)
        named = [
            *job.rules,
            *job.hashsets,
            *([x for x in (policy.request, policy.signing_key) if x] if policy else []),
        ]
        for f in named:
            if not Path(f).exists():
                raise UsageError(f"{where}: {f}: no such file")
        jobs.append(job)
    return jobs


def _from_csv(row: dict[str, Any]) -> dict[str, Any]:
    rec: dict[str, Any] = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
    export = {
        k: rec.pop(f"export_{k2}")
        for k, k2 in (("selection", "selection"), ("request", "request"), ("signing_key", "key"))
        if rec.get(f"export_{k2}")
    }
    for k in ("export_selection", "export_request", "export_key"):
        rec.pop(k, None)
    if export:
        rec["export"] = export
    return rec


def _unlocks(base: Path, value: Any, where: str) -> list[UnlockSpec]:
    """The manifest's ``unlock`` entries (a file is relative to the manifest; no terminal prompt in a batch)."""
    specs = []
    for text in _listed(value):
        kind, _, rest = text.partition(":")
        if kind.split("=")[-1] in ("bek", "keyfile") and rest and not Path(rest).is_absolute():
            text = f"{kind}:{_resolve(base, rest)}"
        if rest == "-":
            raise UsageError(f"{where}: unlock {kind}:-: a batch cannot ask on the terminal")
        try:
            specs.append(parse_unlock(text))
        except UsageError as exc:
            raise UsageError(f"{where}: {exc}") from None
    return specs


def _listed(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    return [str(v) for v in value]


def _resolve(base: Path, text: str) -> Path:
    p = Path(text).expanduser()
    return p if p.is_absolute() else base / p


def _resolve_opt(base: Path, text: Any) -> str | None:
    return str(_resolve(base, str(text))) if text else None
