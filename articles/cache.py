"""Embargo-safe caching of public data and public pages.

Everything cached here is built from `public()` querysets or rendered for anonymous
readers, keyed by a content version that every save or delete of newsroom content
bumps, and expires no later than the next embargo lift. So a cached value can neither
leak an item nor hide one that has just become due. If the cache backend fails
(Redis down), values are computed uncached and a warning is logged.
"""

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

VERSION_KEY = "newsroom:content-version"
MAX_TIMEOUT = 300  # seconds; a ceiling even when no embargo is pending


def _cache_call(method: str, *args, default: Any = None, **kwargs) -> Any:
    """Call the cache, treating an unreachable backend as a miss (and saying so)."""
    try:
        return getattr(cache, method)(*args, **kwargs)
    except Exception as error:
        logger.warning("cache unavailable, serving uncached: %s", error)
        return default


def content_version() -> int:
    version = _cache_call("get", VERSION_KEY)
    if version is None:
        version = int(timezone.now().timestamp() * 1000)
        _cache_call("add", VERSION_KEY, version, timeout=None)
        version = _cache_call("get", VERSION_KEY, default=version) or version
    return version


def bump_content_version(**_kwargs: Any) -> None:
    """Signal receiver: any change to content makes every cached value stale at once.

    Bumped now and again when the transaction commits: a page rendered between the two
    (still from the old rows) is cached under a version that is already dead.
    """
    _bump()
    transaction.on_commit(_bump, robust=True)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        _cache_call("set", VERSION_KEY, int(timezone.now().timestamp() * 1000), timeout=None)
    except Exception as error:
        logger.warning("cache unavailable, could not bump the content version: %s", error)


def next_embargo_lift() -> datetime | None:
    from articles.models import Release, Speech

    times = [
        model.objects.embargoed().aggregate(first=Min("published_at"))["first"]
        for model in (Release, Speech)
    ]
    pending = [moment for moment in times if moment is not None]
    return min(pending) if pending else None


def safe_timeout(version: int | None = None) -> int:
    """Seconds a public value may live: never past the next embargo lift."""
    key = f"newsroom:next-lift:{version if version is not None else content_version()}"
    entry = _fresh(_cache_call("get", key))
    if entry is None:
        lift = next_embargo_lift()
        # The lift itself may be cached until it passes: any edit bumps the version.
        until = MAX_TIMEOUT if lift is None else (lift - timezone.now()).total_seconds()
        _store(key, {"lift": lift}, min(MAX_TIMEOUT, int(until)))
    else:
        lift = entry["lift"]
    if lift is None:
        return MAX_TIMEOUT
    remaining = (lift - timezone.now()).total_seconds()
    return max(0, min(MAX_TIMEOUT, int(remaining)))


def cached_public(key: str, build: Callable[[], Any]) -> Any:
    """Return the cached value for `key`, building it from public data when missing."""
    version = content_version()
    versioned = f"newsroom:{key}:{version}"
    value = _fresh(_cache_call("get", versioned))
    if value is None:
        value = build()
        _store(versioned, value, safe_timeout(version))
    return value


def _store(key: str, value: Any, timeout: int) -> None:
    """Keep `value` with its own expiry time, checked on read against this server's clock,
    so an entry never outlives an embargo even if the cache server's clock differs."""
    if timeout > 0:
        expires = timezone.now().timestamp() + timeout
        _cache_call("set", key, (expires, value), timeout=timeout)


def _fresh(entry: tuple[float, Any] | None) -> Any:
    if entry is None:
        return None
    expires, value = entry
    return value if timezone.now().timestamp() < expires else None


class PublicPageCacheMiddleware:
    """Serve anonymous GET requests for public pages from the shared cache.

    Never for staff (anyone with a session cookie), the admin, previews, or responses
    that are not a plain 200; keyed by content version and full path; expiring no
    later than the next embargo lift.
    """

    SKIP_PREFIXES = ("/admin/", "/healthz", "/static/", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def _cacheable_request(self, request: HttpRequest) -> bool:
        return (
            getattr(settings, "NEWSROOM_PAGE_CACHE", True)
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(self.SKIP_PREFIXES)
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._cacheable_request(request):
            return self.get_response(request)
        version = content_version()
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(address.encode()).hexdigest()
        key = f"newsroom:page:{version}:{digest}"
        cached = _fresh(_cache_call("get", key))
        if cached is not None:
            cached["X-Newsroom-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if self._cacheable_response(response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            _store(key, response, safe_timeout(version))
            response["X-Newsroom-Cache"] = "miss"
        return response

    @staticmethod
    def _cacheable_response(response: HttpResponse) -> bool:
        control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and "private" not in control
            and "no-cache" not in control
            and "no-store" not in control
            and not response.cookies
        )
