"""Addresses of pages named by a slug, without a full `reverse()` for each.

A list page links every item, its speakers and its tags: about 60 `reverse()` calls, a
fifth of a worker's time on `/releases/` (py-spy). Each route's address around its slug
is the same for every slug, so it is reversed once (per route, script prefix and
language) and the slug, quoted as `reverse()` quotes it, is put in its place.
"""

from functools import cache
from urllib.parse import quote

from django.urls import get_script_prefix, reverse
from django.urls.resolvers import RFC3986_SUBDELIMS
from django.utils.translation import get_language

_MARKER = "slug-goes-here"


@cache
def _around_slug(name: str, script_prefix: str, language: str | None) -> tuple[str, str]:
    """The route's address before and after its slug (the arguments key the cache)."""
    address = reverse(name, kwargs={"slug": _MARKER})
    before, _, after = address.partition(_MARKER)
    return before, after


def slug_address(name: str, slug: str) -> str:
    """`reverse(name, kwargs={"slug": slug})` for a route whose one argument is a slug."""
    if not slug or "/" in slug:
        return reverse(name, kwargs={"slug": slug})  # let reverse() refuse it as it does
    before, after = _around_slug(name, get_script_prefix(), get_language())
    return before + quote(slug, safe=RFC3986_SUBDELIMS + "/~:@") + after
