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

The cards of items in lists are kept in each process (`fragments`): a card does not change
when an embargo lifts, and which items a page lists is decided before, by `public()`.
"""

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Min, Value
from django.db.models.functions import Greatest
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.translation import get_language

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
    """This process's last reading of the content version and when it was read.

    `generation` counts the times it was forgotten: a reading that began before a change
    of this process forgot it is not kept (another thread's slow read, say).
    """

    value: int | None = None
    read_at = 0.0
    generation = 0

    @classmethod
    def forget(cls, **_kwargs: Any) -> None:
        cls.value = None
        cls.generation += 1


def content_version() -> int:
    """The content version, read from the database at most once a check interval.

    Raises DatabaseError when the database is unreachable.
    """
    interval = getattr(settings, "NEWSROOM_VERSION_CHECK_SECONDS", 1.0)
    now = time.monotonic()
    value = _VersionMemo.value
    if value is not None and now - _VersionMemo.read_at < interval:
        return value
    generation = _VersionMemo.generation
    value = ContentVersion.objects.filter(pk=1).values_list("value", flat=True).first()
    if value is None:  # a database emptied by `flush` (tests) or made without migrations
        row, _ = ContentVersion.objects.get_or_create(pk=1, defaults={"value": _clock_ms()})
        value = row.value
    # Never backwards: a thread whose read began before another thread read a newer
    # version (raised on another server) does not put the older one back.
    if _VersionMemo.generation == generation and value >= (_VersionMemo.value or 0):
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


# When the request being served began: the earliest moment its data can have been read
# at (a list's queryset compares with the time it was built, before its count is kept).
_request_began: ContextVar[datetime | None] = ContextVar("request_began", default=None)


# The content version a public page read before its view read any data (noted by the
# page cache's middleware): the version the fragments it renders are kept under.
_page_version: ContextVar[int | None] = ContextVar("page_version", default=None)


def note_request_start(**_kwargs: Any) -> None:
    """`request_started` receiver: the moment this request's values are judged from; no
    page version until the middleware reads one."""
    _request_began.set(timezone.now())
    _page_version.set(None)


def note_page_version(version: int) -> None:
    """Called before the view reads anything: `version` keys the page's fragments."""
    _page_version.set(version)


def forget_page_version(**_kwargs: Any) -> None:
    """`request_finished` receiver: nothing rendered after the request (in the same
    thread) is kept under its version."""
    _page_version.set(None)


class _Fragments:
    """Rendered HTML of an item's card in lists, kept in this process for the content
    version, the language and the address prefix of the page that rendered it.

    Any change to content raises the version, and a newer version empties the memo, so a
    card never outlives its item's words, its speakers' names or its picture's credit. A
    card is kept only under the version read *before* its page's data was read
    (`note_page_version()`): data read before a change is never kept under the version
    after it. Which items a page shows is never decided here: only pages that already
    chose their items through `public()` ask for their cards. Outside a page request
    (no page version), and with `DEBUG` on (templates being edited), cards are rendered
    and not kept. A card is kept at most `MAX_TIMEOUT`, as every cached value, so a
    change made without the signals (an SQL `UPDATE`) shows within that; at most `size`
    cards (about 1.5 KB each), the least recently used dropped first.
    """

    def __init__(self, size: int):
        self.size = size
        self.lock = threading.Lock()
        self.version = 0
        self.held: OrderedDict[tuple, tuple[str, float]] = OrderedDict()  # (html, until)

    def get(self, key: tuple, render: Callable[[], str]) -> str:
        version = _page_version.get()
        if version is None or settings.DEBUG:
            return render()
        key = (get_language(), get_script_prefix(), *key)
        now = time.monotonic()
        with self.lock:
            if version > self.version:
                self.held.clear()
                self.version = version
            current = version == self.version  # not a page that began before a change
            html, until = self.held.get(key, (None, 0.0)) if current else (None, 0.0)
            if html is not None and now < until:
                self.held.move_to_end(key)
                return html
        html = render()
        if current:
            with self.lock:
                if version == self.version:
                    self.held[key] = (html, now + MAX_TIMEOUT)
                    self.held.move_to_end(key)
                    while len(self.held) > self.size:
                        self.held.popitem(last=False)
        return html

    def clear(self) -> None:
        with self.lock:
            self.held.clear()
            self.version = 0


fragments = _Fragments(size=600)


def next_embargo_lift(after: datetime | None = None) -> datetime | None:
    """The first embargo lift after `after` (by default now)."""
    times = [
        model.objects.embargoed(at=after).aggregate(first=Min("published_at"))["first"]
        for model in (Release, Speech)
    ]
    pending = [moment for moment in times if moment is not None]
    return min(pending) if pending else None


def fresh_until(version: int | None = None) -> float:
    """Until when (a timestamp) a public value read from the database during this request
    may be kept: at most MAX_TIMEOUT from now, and never past the first embargo lift
    after the request began.

    Ask before reading the data the value is built from: a lift that happens while the
    value is built then ends its life, instead of the one after it. The lift is judged
    from the request's start, not from now: a list fixes its moment when its queryset is
    built, and another server may have found "no lift pending" just after a lift that
    came between that moment and this call. Kept with the moment it was judged from, an
    answer serves only requests that began after that moment.
    """
    version = content_version() if version is None else version
    now = timezone.now()
    began = min(_request_began.get() or now, now)
    key = f"newsroom:next-lift:{version}"
    entry = read(key)
    if entry is None or entry.get("after") is None or entry["after"] > began:
        lift = next_embargo_lift(after=began)
        # The lift itself may be cached until it passes: any edit raises the version.
        until = MAX_TIMEOUT if lift is None else (lift - timezone.now()).total_seconds()
        entry = {"lift": lift, "after": began}
        store(key, entry, timezone.now().timestamp() + min(MAX_TIMEOUT, until))
    lift = entry["lift"]
    ceiling = timezone.now().timestamp() + MAX_TIMEOUT
    return ceiling if lift is None else min(ceiling, lift.timestamp())


def safe_timeout(version: int | None = None) -> int:
    """Seconds a public value read now may live: never past the next embargo lift."""
    return max(0, int(fresh_until(version) - timezone.now().timestamp()))


def cached_public(key: str, build: Callable[[], Any]) -> Any:
    """Return the cached value for `key`, building it from public data when missing.

    Kept per language too: a list, count or index of the French site is built from
    French items (`in_language()`)."""
    version = content_version()
    versioned = f"newsroom:{key}:{get_language()}:{version}"
    value = read(versioned)
    if value is None:
        until = fresh_until(version)  # before the data is read
        value = build()
        store(versioned, value, until)
    return value


def read(key: str) -> Any:
    """The value kept under `key` if it is still fresh, else None (also when the cache
    cannot be reached)."""
    return _fresh(_cache_call("get", key))


def store(key: str, value: Any, until: float) -> None:
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
