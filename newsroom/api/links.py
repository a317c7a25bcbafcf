"""Absolute URLs of pages and API resources, from `NEWSROOM_SITE_URL` (never the Host
header), without a `reverse()` per link: a page of 100 releases names about a thousand
(each item, speaker, event and tag has a page and an API address), and `reverse()` costs
some ten microseconds each.
"""

import re
from functools import cache
from urllib.parse import quote

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import override

from articles.site_url import site_root

_SLUG = "slug-placeholder"
# What reverse() leaves unquoted in a path (django.urls.resolvers: RFC 3986 sub-delimiters
# and "/~:@"), so a slug with non-ASCII letters reads the same as in the page's own links.
_SAFE = "!$&'()*+,;=/~:@"
_PLAIN = re.compile(r"[A-Za-z0-9_-]*")  # nothing to quote: most slugs


@cache
def _route(name: str, language: str | None) -> tuple[str, str]:
    """The path of URL `name` before and after its slug (a page in `language`: /fr/…)."""
    with override(language):
        before, after = reverse(name, kwargs={"slug": _SLUG}).split(_SLUG)
    return before, after


class Links:
    """Absolute URLs for one request: `page("articles:release-detail", slug)` or
    `api("release", slug)`."""

    def __init__(self, request: HttpRequest):
        self.root = site_root(request)

    def page(self, name: str, slug: str, language: str | None = None) -> str:
        before, after = _route(name, language)
        quoted = slug if _PLAIN.fullmatch(slug) else quote(slug, safe=_SAFE)
        return f"{self.root}{before}{quoted}{after}"

    def api(self, noun: str, slug: str) -> str:
        return self.page(f"api:{noun}-detail", slug)

    def both(self, noun: str, slug: str, language: str | None = None) -> tuple[str, str]:
        """The public page (in `language`: a French release's page is under /fr/) and the
        API resource of a release, speech, speaker, event or tag."""
        return self.page(f"articles:{noun}-detail", slug, language), self.api(noun, slug)

    def absolute(self, path: str) -> str:
        return self.root + path
