"""Embargo-safe caching of derived public data.

Everything cached here is built from `public()` querysets, keyed by a content version
that every save or delete of newsroom content bumps, and expires no later than the
next embargo lift, so a cached value can neither leak an item nor hide one that has
just become due.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Min
from django.utils import timezone

VERSION_KEY = "newsroom:content-version"
MAX_TIMEOUT = 300  # seconds; a ceiling even when no embargo is pending


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = int(timezone.now().timestamp() * 1000)
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version(**_kwargs: Any) -> None:
    """Signal receiver: any change to content makes every cached value stale at once."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, int(timezone.now().timestamp() * 1000), timeout=None)


def next_embargo_lift() -> datetime | None:
    from articles.models import Release, Speech

    times = [
        model.objects.embargoed().aggregate(first=Min("published_at"))["first"]
        for model in (Release, Speech)
    ]
    pending = [moment for moment in times if moment is not None]
    return min(pending) if pending else None


def safe_timeout() -> int:
    """Seconds a public value may live: never past the next embargo lift."""
    lift = next_embargo_lift()
    if lift is None:
        return MAX_TIMEOUT
    remaining = (lift - timezone.now()).total_seconds()
    return max(0, min(MAX_TIMEOUT, int(remaining)))


def cached_public(key: str, build: Callable[[], Any]) -> Any:
    """Return the cached value for `key`, building it from public data when missing."""
    versioned = f"newsroom:{key}:{content_version()}"
    value = cache.get(versioned)
    if value is None:
        value = build()
        timeout = safe_timeout()
        if timeout > 0:
            cache.set(versioned, value, timeout=timeout)
    return value
