"""The examination report: what was examined, how, what was found and what could not be examined.

``triage report CASE --out DIR`` and the workstation's File → Examination report… both call
:func:`write_report`. One document per language: ``report-<lang>.html`` (self-contained, opens
offline) and ``report-<lang>.pdf`` (paginated, with a table of contents), rendered by
:mod:`triage.document`. See docs/report.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from triage.case.records import Thumbnail
from triage.case.store import Case
from triage.errors import TriageError, UsageError
from triage.i18n import parse_languages
from triage.progress import CancelToken, Progress, ProgressCallback
from triage.report.content import ReportData, gather

FORMATS = ("html", "pdf")


class ReportCancelled(TriageError):
    """The report was cancelled; the documents already written stay (each is complete)."""

    exit_code = 130


__all__ = [
    "FORMATS",
    "ReportCancelled",
    "ReportData",
    "ReportOptions",
    "gather",
    "parse_formats",
    "write_report",
]


def parse_formats(value: str | Sequence[str], *, option: str = "--format") -> tuple[str, ...]:
    """``"html,pdf"`` (or a list) as a tuple of known formats; anything else is a usage error."""
    items = value.split(",") if isinstance(value, str) else list(value)
    codes = tuple(dict.fromkeys(c.strip().lower() for c in items if c.strip()))
    if not codes:
        raise UsageError(f"{option}: no format given (choose from {', '.join(FORMATS)})")
    for code in codes:
        if code not in FORMATS:
            raise UsageError(f"{option}: unknown format {code!r} (choose from {', '.join(FORMATS)})")
    return codes


@dataclass(frozen=True)
class ReportOptions:
    """Where and how to write the report; checked by :meth:`check` before any work."""

    out: Path
    formats: tuple[str, ...] = FORMATS
    languages: tuple[str, ...] = ("en",)
    thumbnails: bool = True  # make missing thumbnails of tagged pictures (decoded in a child)

    def check(self) -> None:
        parse_formats(self.formats)
        parse_languages(self.languages)
        if self.out.exists() and not self.out.is_dir():
            raise UsageError(f"--out {self.out}: exists and is not a folder")


def write_report(
    case_path: str | Path,
    options: ReportOptions,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> list[Path]:
    """Write the report of the case at ``case_path`` (opened read-only); returns the files written."""
    options.check()
    case = Case.open(case_path, readonly=True)
    try:
        thumbs = _thumbnails(Path(case_path), case, options) if options.thumbnails else None
        data = gather(case, thumbnails=thumbs)
    finally:
        case.close()
    from triage.document import render_html, render_pdf
    from triage.report.document import report_document

    options.out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    total = len(options.languages) * len(options.formats)
    for lang in options.languages:
        doc = report_document(data, lang)
        for fmt in options.formats:
            if cancel is not None and cancel.is_set():
                raise ReportCancelled(
                    f"report cancelled; written: {', '.join(p.name for p in written) or 'nothing'}"
                )
            target = options.out / f"report-{lang}.{fmt}"
            if progress is not None:
                progress(Progress("report", len(written), total, "files", target.name))
            if fmt == "html":
                target.write_text(render_html(doc), encoding="utf-8", newline="\n")
            else:
                target.write_bytes(render_pdf(doc, toc=True))
            written.append(target)
    if progress is not None:
        progress(Progress("report", total, total, "files", ""))
    return written


def _thumbnails(path: Path, case: Case, options: ReportOptions) -> dict[int, Thumbnail]:
    """Thumbnails of the tagged pictures: the case's cache, the others decoded now (not cached:
    the case stays read-only)."""
    ids = sorted({int(t["file_id"]) for t in case.tags()})
    pictures = set(case.picture_ids()) & set(ids)
    if not pictures:
        return {}
    from triage.media.thumbnails import ThumbnailService

    with ThumbnailService(path, writable=False) as service:
        return service.thumbnails(sorted(pictures))
