"""Document catalogues: language codes checked up front, labels from .po files, English fallback."""

from __future__ import annotations

import pytest

from triage.errors import UsageError
from triage.i18n import LANGUAGES, direction, parse_languages, translator, untranslated


def test_six_un_languages_and_direction() -> None:
    assert sorted(LANGUAGES) == ["ar", "en", "es", "fr", "ru", "zh"]
    assert direction("ar") == "rtl" and direction("zh") == "ltr"


def test_parse_languages_keeps_order_and_refuses_unknown() -> None:
    assert parse_languages("en, FR,en") == ("en", "fr")
    with pytest.raises(UsageError, match=r"--language: unknown language 'de'"):
        parse_languages("en,de")
    with pytest.raises(UsageError, match="no language given"):
        parse_languages(" , ")


def test_labels_come_from_the_catalogue_and_fall_back_to_english() -> None:
    fr = translator("fr", "selftest")
    assert fr("Evidence items") == "Pièces à conviction"
    assert fr("Not in the catalogue") == "Not in the catalogue"
    assert translator("en", "selftest")("Evidence items") == "Evidence items"
    assert untranslated("selftest", ["Evidence items"], ["fr", "es"]) == {"es": ["Evidence items"]}
