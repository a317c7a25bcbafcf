"""The newsroom's languages (settings.LANGUAGES): which one a reader is reading, and
what each is called.

An item is written in one of them (`Publication.language`); its translations are other
items sharing its `translation_key`. The default language (settings.LANGUAGE_CODE, English)
is read at the unprefixed addresses and is the one translations are made from.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext_lazy

# A language as an adjective in running text ("the English version", "la version en
# anglais"): Django's own language names are capitalised nouns ("Anglais").
ADJECTIVES = {
    "en": pgettext_lazy("language as an adjective", "English"),
    "fr": pgettext_lazy("language as an adjective", "French"),
}


def choices() -> list[tuple[str, str]]:
    """The languages an item can be written in (the model field's choices)."""
    return list(settings.LANGUAGES)


def code(language: str | None) -> str:
    """One of settings.LANGUAGES for a Django language code ("en-gb" is "en")."""
    try:
        return translation.get_supported_language_variant(language or settings.LANGUAGE_CODE)
    except LookupError:
        return default()


def codes() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def default() -> str:
    """The newsroom's first language: unprefixed addresses, the source of translations."""
    return translation.get_supported_language_variant(settings.LANGUAGE_CODE)


def current() -> str:
    """The language being read: from the address (/fr/…) on the public site."""
    return code(translation.get_language())


def name(language: str) -> str:
    """What the language calls itself ("Français")."""
    return dict(settings.LANGUAGES).get(language, language)


def others(language: str) -> list[str]:
    """Every language but `language`, in the settings' order."""
    return [other for other, _ in settings.LANGUAGES if other != language]


def adjective(language: str) -> str:
    """The language in running text, in the language being read ("anglais" in French)."""
    return str(ADJECTIVES.get(language, name(language)))
