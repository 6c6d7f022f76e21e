"""Translation catalogues for the documents triage writes (cover sheet, report, request drafts).

The Qt workstation has its own catalogues (Qt Linguist, ``ui/triage_ui/i18n``); the core cannot
import Qt, so documents use gettext ``.po`` files read with Babel:
``triage/data/locale/<lang>/<domain>.po``, one domain per document kind (``cover``, ``report``,
``requests``), so that each document's labels are reviewed on their own. A label missing from a
catalogue falls back to its English msgid, and ``python -m triage.i18n`` lists every gap.

User content (names, paths, notes, descriptions) is never passed through a translator.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from babel.messages.pofile import read_po

from triage.errors import UsageError

#: The six official languages of the United Nations, in the order documents list them.
LANGUAGES: tuple[str, ...] = ("ar", "zh", "en", "fr", "ru", "es")
RIGHT_TO_LEFT = frozenset({"ar"})
NATIVE_NAMES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}


def direction(lang: str) -> str:
    """``rtl`` or ``ltr``, as HTML's ``dir`` attribute wants it."""
    return "rtl" if lang in RIGHT_TO_LEFT else "ltr"


def parse_languages(value: str | Sequence[str], *, option: str = "--language") -> tuple[str, ...]:
    """``"en,fr"`` (or a list) as a tuple of known language codes, in the order given; anything
    else is a usage error naming the option and the code."""
    items = value.split(",") if isinstance(value, str) else list(value)
    codes = tuple(dict.fromkeys(c.strip().lower() for c in items if c.strip()))
    if not codes:
        raise UsageError(f"{option}: no language given (choose from {', '.join(LANGUAGES)})")
    for code in codes:
        if code not in LANGUAGES:
            raise UsageError(f"{option}: unknown language {code!r} (choose from {', '.join(LANGUAGES)})")
    return codes


@dataclass(frozen=True)
class Translator:
    """Labels of one domain in one language; calling it with an English msgid gives the label."""

    lang: str
    domain: str
    messages: dict[str, str]

    def __call__(self, msgid: str, **values: object) -> str:
        text = self.messages.get(msgid) or msgid
        return text.format(**values) if values else text

    @property
    def direction(self) -> str:
        return direction(self.lang)


@cache
def _catalogue(lang: str, domain: str) -> dict[str, str]:
    path = resources.files("triage.data") / "locale" / lang / f"{domain}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang.replace("zh", "zh_Hans"), domain=domain)
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.string, str) and m.string}


def translator(lang: str, domain: str) -> Translator:
    """The ``domain`` labels in ``lang`` (English is the msgid itself)."""
    if lang not in LANGUAGES:
        raise UsageError(f"unknown language {lang!r} (choose from {', '.join(LANGUAGES)})")
    return Translator(lang, domain, {} if lang == "en" else _catalogue(lang, domain))


def untranslated(
    domain: str, msgids: Iterable[str], langs: Iterable[str] = LANGUAGES
) -> dict[str, list[str]]:
    """Per language, the msgids of ``msgids`` its ``domain`` catalogue does not translate."""
    wanted = list(dict.fromkeys(msgids))
    return {
        lang: missing
        for lang in langs
        if lang != "en" and (missing := [m for m in wanted if m not in _catalogue(lang, domain)])
    }


def catalogue_ids(domain: str) -> list[str]:
    """Every msgid of ``domain``'s French catalogue (the reference list of labels)."""
    return list(_catalogue("fr", domain))


Labels = Callable[..., str]


def main(argv: Sequence[str] | None = None) -> int:
    """List, per domain and language, the labels the French catalogue has and another lacks."""
    base = resources.files("triage.data") / "locale"
    domains = sorted(
        {
            p.name[:-3]
            for lang in LANGUAGES
            if (base / lang).is_dir()
            for p in (base / lang).iterdir()
            if p.name.endswith(".po")
        }
    )
    gaps = 0
    for domain in domains:
        for lang, missing in untranslated(domain, catalogue_ids(domain)).items():
            gaps += len(missing)
            for msgid in missing:
                print(f"{lang}/{domain}.po: untranslated: {msgid}")
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
