"""The document model: a document is a title, a language and a flat list of frozen blocks.

Blocks hold finished text (labels already translated, user content as given); the renderers
(:mod:`triage.document.html`, :mod:`triage.document.pdf`) only lay them out. A block may carry its
own ``lang`` (a bilingual document repeats prose once per language); ``None`` means the
document's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from triage.i18n import Translator, direction

Align = Literal["left", "right", "center"]


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 = section (in the table of contents and the PDF outline), 2, 3 = sub-sections
    lang: str | None = None


@dataclass(frozen=True)
class Paragraph:
    text: str
    lang: str | None = None
    small: bool = False
    mono: bool = False  # commands, hashes: set in a monospaced font, never re-flowed into RTL


@dataclass(frozen=True)
class KeyValues:
    """Label/value rows (``(label, value)``); values are user content or numbers."""

    rows: tuple[tuple[str, str], ...]
    mono_values: bool = False
    label_width: float = 0.3  # share of the text width given to the labels


@dataclass(frozen=True)
class Column:
    """A table column: its header, share of the width, alignment and font hints."""

    header: str
    width: float = 1.0  # relative weight; the widths are scaled to the page
    align: Align = "left"
    mono: bool = False  # hashes, paths: monospaced, small, left to right in any document


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    font_size: float = 7.5


@dataclass(frozen=True)
class Steps:
    """A numbered list; each item is a line of prose and optionally a command under it."""

    items: tuple[tuple[str, str], ...]  # (text, command or "")
    lang: str | None = None


@dataclass(frozen=True)
class Image:
    png: bytes
    caption: str = ""
    width_mm: float = 60.0


@dataclass(frozen=True)
class PageBreak:
    orientation: Literal["portrait", "landscape"] = "portrait"


Block = Heading | Paragraph | KeyValues | Table | Steps | Image | PageBreak


@dataclass(frozen=True)
class Document:
    """What the renderers lay out. ``created`` fixes the PDF's dates (reproducible output);
    ``footer`` is printed on every PDF page next to the page number."""

    title: str
    lang: str
    blocks: tuple[Block, ...]
    created: datetime
    subtitle: str = ""
    footer: str = ""
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    creator: str = "triage"
    page_label: str = "{page} / {pages}"  # translated by the caller: "Page {page} of {pages}"
    contents_label: str = "Contents"
    languages: tuple[str, ...] = field(default=())  # every language of the document, first = lang

    @property
    def direction(self) -> str:
        return direction(self.lang)


@dataclass(frozen=True)
class Labels:
    """Labels in one or several languages (a bilingual document, decided in docs/architecture.md):
    short labels (headings, keys, column headers) join the languages with `` / ``; prose is
    repeated, one paragraph per language, by :meth:`paragraphs`."""

    translators: tuple[Translator, ...]

    @property
    def lang(self) -> str:
        return self.translators[0].lang

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(t.lang for t in self.translators)

    def __call__(self, msgid: str, **values: object) -> str:
        texts = list(dict.fromkeys(t(msgid, **values) for t in self.translators))
        return " / ".join(texts)

    def first(self, msgid: str, **values: object) -> str:
        return self.translators[0](msgid, **values)

    def paragraphs(self, msgid: str, *, small: bool = False, **values: object) -> tuple[Paragraph, ...]:
        texts = {t(msgid, **values): t.lang for t in reversed(self.translators)}  # first wins
        return tuple(Paragraph(text, lang=lang, small=small) for text, lang in reversed(texts.items()))


def labels(langs: Sequence[str], domain: str) -> Labels:
    """The :class:`Labels` of ``domain`` in ``langs`` (first = the document's language)."""
    from triage.i18n import translator

    return Labels(tuple(translator(lang, domain) for lang in langs))
