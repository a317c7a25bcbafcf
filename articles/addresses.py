"""Addresses of pages named by a slug, without a full `reverse()` for each.

A list page links every item, its speakers and its tags: about 60 `reverse()` calls, a
fifth of a worker's time on `/releases/` (py-spy); its pictures add six file addresses
each (120 a page). Each route's address around its one argument is the same for every
value, so it is reversed once (per route, script prefix and language) and the value,
quoted as `reverse()` quotes it, is put in its place.
"""

from functools import cache
from urllib.parse import quote

from django.urls import get_script_prefix, reverse
from django.urls.resolvers import RFC3986_SUBDELIMS
from django.utils.translation import get_language, override

_MARKER = "value-goes-here"


@cache
def _around(name: str, argument: str, script_prefix: str, language: str | None) -> tuple[str, str]:
    """The route's address before and after its one argument (the arguments key the cache)."""
    with override(language):
        address = reverse(name, kwargs={argument: _MARKER})
    before, _, after = address.partition(_MARKER)
    return before, after


def slug_address(name: str, slug: str, language: str | None = None) -> str:
    """`reverse(name, kwargs={"slug": slug})` for a route whose one argument is a slug, in
    `language` (a page of the public site: /fr/… for French) or else the active one."""
    language = language or get_language()
    if not slug or "/" in slug:
        with override(language):
            return reverse(name, kwargs={"slug": slug})  # let reverse() refuse it as it does
    before, after = _around(name, "slug", get_script_prefix(), language)
    return before + quote(slug, safe=RFC3986_SUBDELIMS + "/~:@") + after


def path_address(name: str, argument: str, value: str) -> str:
    """`reverse(name, kwargs={argument: value})` for a route whose one argument is a
    `<path:…>` (any non-empty text, slashes included): a media file's name."""
    if not value:
        return reverse(name, kwargs={argument: value})  # let reverse() refuse it
    before, after = _around(name, argument, get_script_prefix(), get_language())
    return before + quote(value, safe=RFC3986_SUBDELIMS + "/~:@") + after
