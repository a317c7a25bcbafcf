"""Embargo-safe caching of public data and public pages.

Everything cached here is built from `public()` querysets or rendered for anonymous
readers, keyed by a content version that every save or delete of newsroom content
raises, and expires no later than the first embargo lift that was still to come when
its data was read. So a cached value can neither leak an item nor hide one that has
just become due.

The content version is a row in the database (`ContentVersion`), raised in the same
transaction as the change: every app server and worker sees it when the change commits,
whether or not its cache is reachable, and each reads it at most once every
`NEWSROOM_VERSION_CHECK_SECONDS` (default 1). If the cache backend fails (Redis down),
values are computed uncached and a warning is logged, at most once a minute.
"""

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F, Min, Value
from django.db.models.functions import Greatest
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from articles.middleware import database_unavailable
from articles.models import ContentVersion, Release, Speech

logger = logging.getLogger(__name__)

MAX_TIMEOUT = 300  # seconds; a ceiling even when no embargo is pending
WARNING_INTERVAL = 60  # seconds between two "cache unavailable" warnings of a process


class _Warnings:
    """A cache outage logs one warning a minute per process, with the number it held back
    (each request used to log about eight)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.last = -WARNING_INTERVAL
        self.held_back = 0

    def warn(self, message: str, error: Exception) -> None:
        with self.lock:
            now = time.monotonic()
            if now - self.last < WARNING_INTERVAL:
                self.held_back += 1
                return
            held_back, self.held_back, self.last = self.held_back, 0, now
        suffix = f" ({held_back} more in the last minute)" if held_back else ""
        logger.warning("%s: %s%s", message, error, suffix)


_warnings = _Warnings()


def _cache_call(method: str, *args, default: Any = None, **kwargs) -> Any:
    """Call the cache, treating an unreachable backend as a miss (and saying so)."""
    try:
        return getattr(cache, method)(*args, **kwargs)
    except Exception as error:
        _warnings.warn("cache unavailable, serving uncached", error)
        return default


class _VersionMemo:
    """This process's last reading of the content version and when it was read."""

    value: int | None = None
    read_at = 0.0

    @classmethod
    def forget(cls, **_kwargs: Any) -> None:
        cls.value = None


def content_version() -> int:
    """The content version, read from the database at most once a check interval.

    Raises DatabaseError when the database is unreachable.
    """
    interval = getattr(settings, "NEWSROOM_VERSION_CHECK_SECONDS", 1.0)
    now = time.monotonic()
    value = _VersionMemo.value
    if value is not None and now - _VersionMemo.read_at < interval:
        return value
    value = ContentVersion.objects.filter(pk=1).values_list("value", flat=True).first()
    if value is None:  # a database emptied by `flush` (tests) or made without migrations
        row, _ = ContentVersion.objects.get_or_create(pk=1, defaults={"value": _clock_ms()})
        value = row.value
    _VersionMemo.value, _VersionMemo.read_at = value, now
    return value


def _clock_ms() -> int:
    return int(timezone.now().timestamp() * 1000)


def bump_content_version(**_kwargs: Any) -> None:
    """Signal receiver: any change to content makes every cached value stale at once.

    The row is raised inside the change's own transaction, so the new version becomes
    visible to other servers exactly when the change does (and not at all if it rolls
    back). This process forgets its reading now and again at commit, so a request of
    its own never serves a page of the old version after the change.
    """
    # Never below the clock in milliseconds: a database restored from a backup, or
    # recreated, cannot reach a version an earlier database left pages under in Redis.
    raised = Greatest(F("value") + 1, Value(_clock_ms()))
    if not ContentVersion.objects.filter(pk=1).update(value=raised):
        ContentVersion.objects.get_or_create(pk=1, defaults={"value": _clock_ms()})
    _VersionMemo.forget()
    transaction.on_commit(_VersionMemo.forget, robust=True)


def next_embargo_lift() -> datetime | None:
    times = [
        model.objects.embargoed().aggregate(first=Min("published_at"))["first"]
        for model in (Release, Speech)
    ]
    pending = [moment for moment in times if moment is not None]
    return min(pending) if pending else None


def fresh_until(version: int | None = None) -> float:
    """Until when (a timestamp) a public value read from the database *now* may be kept:
    at most MAX_TIMEOUT from now, and never past the next embargo lift.

    Ask before reading the data the value is built from: a lift that happens while the
    value is built then ends its life, instead of the one after it.
    """
    version = content_version() if version is None else version
    key = f"newsroom:next-lift:{version}"
    entry = _fresh(_cache_call("get", key))
    if entry is None:
        lift = next_embargo_lift()
        # The lift itself may be cached until it passes: any edit raises the version.
        until = MAX_TIMEOUT if lift is None else (lift - timezone.now()).total_seconds()
        _store(key, {"lift": lift}, timezone.now().timestamp() + min(MAX_TIMEOUT, until))
    else:
        lift = entry["lift"]
    ceiling = timezone.now().timestamp() + MAX_TIMEOUT
    return ceiling if lift is None else min(ceiling, lift.timestamp())


def safe_timeout(version: int | None = None) -> int:
    """Seconds a public value read now may live: never past the next embargo lift."""
    return max(0, int(fresh_until(version) - timezone.now().timestamp()))


def cached_public(key: str, build: Callable[[], Any]) -> Any:
    """Return the cached value for `key`, building it from public data when missing."""
    version = content_version()
    versioned = f"newsroom:{key}:{version}"
    value = _fresh(_cache_call("get", versioned))
    if value is None:
        until = fresh_until(version)  # before the data is read
        value = build()
        _store(versioned, value, until)
    return value


def _store(key: str, value: Any, until: float) -> None:
    """Keep `value` until the timestamp `until`, checked on read against this server's
    clock, so an entry never outlives an embargo even if the cache server's clock differs.
    Nothing is kept when that moment has already come."""
    timeout = int(until - timezone.now().timestamp())
    if timeout > 0:
        _cache_call("set", key, (until, value), timeout=timeout)


def _fresh(entry: tuple[float, Any] | None) -> Any:
    if entry is None:
        return None
    expires, value = entry
    return value if timezone.now().timestamp() < expires else None


class PublicPageCacheMiddleware:
    """Serve anonymous GET requests for public pages from the shared cache.

    Never for signed-in staff, the admin, previews, or responses that are not a plain
    200; keyed by content version and full path; expiring no later than the first
    embargo lift still to come when the page began to be built. Sits after Django's
    authentication middleware: a stray session cookie does not make a reader uncached.
    """

    SKIP_PREFIXES = ("/admin/", "/healthz", "/static/", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def _cacheable_request(self, request: HttpRequest) -> bool:
        return (
            getattr(settings, "NEWSROOM_PAGE_CACHE", True)
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(self.SKIP_PREFIXES)
            # Read only when a session cookie came (one query): no cookie, no session.
            and (
                settings.SESSION_COOKIE_NAME not in request.COOKIES
                or not request.user.is_authenticated
            )
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            if not self._cacheable_request(request):
                return self.get_response(request)
            version = content_version()
        except DatabaseError as error:
            return database_unavailable(error)
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(address.encode()).hexdigest()
        key = f"newsroom:page:{version}:{digest}"
        cached = _fresh(_cache_call("get", key))
        if cached is not None:
            cached["X-Newsroom-Cache"] = "hit"
            return cached
        try:
            until = fresh_until(version)  # before the view reads anything
        except DatabaseError as error:
            return database_unavailable(error)
        response = self.get_response(request)
        if self._cacheable_response(response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            _store(key, response, until)
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
