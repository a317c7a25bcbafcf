"""The site's own address: every absolute URL the newsroom prints is made here.

Canonical and OpenGraph URLs, JSON-LD, feed links, sitemap `<loc>`s and robots.txt's
`Sitemap:` line all come from `absolute_url()`. They are built from the configured
`NEWSROOM_SITE_URL` (e.g. `https://news.example.org`), never from the request's `Host`
header, whose port or alias would otherwise reach search engines and feed readers.
Only when no address is configured (development: `DEBUG=1` and the variable unset) is
the request's own scheme and host used.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


def site_root(request: HttpRequest | None = None) -> str:
    """`scheme://host[:port]` of the site, without a trailing slash."""
    configured = settings.NEWSROOM_SITE_URL
    if configured:
        return configured
    if request is None:
        raise ImproperlyConfigured("NEWSROOM_SITE_URL is unset and there is no request.")
    return f"{request.scheme}://{request.get_host()}"


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """The absolute URL of a site path such as `reverse(...)` or `get_absolute_url()`."""
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"Not a path on this site: {path!r}")
    return site_root(request) + path


def rebased(url: str, request: HttpRequest) -> str:
    """`url`, made by Django from the request's scheme and host, on the site's address.

    For the views of Django's own that build absolute URLs from the request (the
    sitemaps framework): their path and query are kept, the scheme and host replaced.
    """
    own = f"{request.scheme}://{request.get_host()}"
    if url.startswith(own + "/"):
        return absolute_url(url[len(own) :], request)
    return url
