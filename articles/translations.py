"""This page in the other languages: the language switch and the `hreflang` alternates.

A release or speech is translated by another item (its public `translations`); every
other page of the public site is the same page in each language (/releases/ and
/fr/releases/). A language with no public version of the page gets a link to its home
page instead, and the switch says so; `hreflang` names only versions that exist.
"""

from typing import NamedTuple

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import override

from articles import languages
from articles.models import Publication


class PageVersion(NamedTuple):
    language: str
    name: str  # what the language calls itself: "Français"
    url: str  # a path, with the page's query string
    current: bool  # the page being read
    translated: bool  # False: the language's home page (this page has no version in it)


def _has_topic(kwargs: dict) -> bool:
    from articles.counts import public_tag_index

    return kwargs.get("slug") in public_tag_index()


def _has_year(kwargs: dict) -> bool:
    from articles.archive import archive_years

    return any(period["year"] == kwargs.get("year") for period in archive_years())


# Pages that exist in a language only when it has public items for them (asked in that
# language, from the indexes kept per content version): a topic, an archive year.
EXISTS_IF = {"articles:tag-detail": _has_topic, "articles:archive-year": _has_year}


def home(language: str) -> str:
    with override(language):
        return reverse("articles:home")


def page_versions(request: HttpRequest, item: object = None) -> list[PageVersion]:
    """The page in every language of the newsroom, in the settings' order; [] off the
    public site (the admin, the API, an error page)."""
    match = request.resolver_match
    if match is None or match.namespace != "articles":
        return []
    current = languages.current()
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    translations = {}
    if isinstance(item, Publication):
        translations = {version.language: version.url for version in item.translations}
    versions = []
    for code, name in settings.LANGUAGES:
        url, translated = request.path + query, True
        if code != current and isinstance(item, Publication):
            url = translations.get(code) or home(code)
            translated = code in translations
        elif code != current:
            exists = EXISTS_IF.get(match.view_name, lambda kwargs: True)
            try:
                with override(code):
                    url = reverse(match.view_name, args=match.args, kwargs=match.kwargs) + query
                    translated = exists(match.kwargs)
            except NoReverseMatch:
                translated = False
            if not translated:
                url = home(code)
        versions.append(PageVersion(code, name, url, code == current, translated))
    return versions


def alternates(versions: list[PageVersion], item: object = None) -> list[PageVersion]:
    """The versions `hreflang` announces: those that exist, when there is more than one,
    and none for a withdrawn item (it is no longer public)."""
    if getattr(item, "is_withdrawn", False):
        return []
    found = [version for version in versions if version.translated]
    return found if len(found) > 1 else []


def og_locale(language: str) -> str:
    """OpenGraph's locale for a language ("en_GB", "fr_FR")."""
    return settings.NEWSROOM_OG_LOCALES.get(language, language)
