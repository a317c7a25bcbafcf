"""Database tuning for the bulk load: SQLite's page cache, PostgreSQL's timeout, ANALYZE."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from taggit.models import Tag

from articles.models import (
    Event,
    Release,
    Speaker,
    Speech,
    SpeechSpeaker,
    TaggedEvent,
    TaggedRelease,
    TaggedSpeech,
)

SQLITE_CACHE_KIB = -128 * 1024  # negative: KiB, as SQLite's cache_size pragma reads it


def no_statement_timeout() -> None:
    """Bulk deletes and inserts may take longer than a web request's statement timeout
    (settings: DATABASE_STATEMENT_TIMEOUT_MS); lift it for this transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")


@contextmanager
def bigger_sqlite_cache() -> Iterator[None]:
    """On SQLite, a 128 MB page cache while loading: the indexes then stay in memory
    (inserts in random date order touch every page of them), which halves load time."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


# --- after loading -------------------------------------------------------------


def refresh_statistics() -> None:
    """Fresh planner statistics, so the first queries on the new archive plan well.

    On PostgreSQL also VACUUM (unless a caller's transaction is open, as in tests):
    it marks the new pages all-visible, so counts are index-only scans at once
    rather than after autovacuum's next visit, and reclaims a replaced archive.
    Search needs nothing more: migration 0004's trigger filled `search_document`
    row by row as the archive was inserted.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            models = [
                Release, Speech, Speaker, Event, Tag, TaggedRelease, TaggedSpeech,
                TaggedEvent, SpeechSpeaker, Release.speakers.through, Release.events.through,
            ]  # fmt: skip
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
            if connection.in_atomic_block:
                cursor.execute(f"ANALYZE {tables}")
            else:
                cursor.execute("SET statement_timeout = 0")  # see no_statement_timeout
                cursor.execute(f"VACUUM (ANALYZE) {tables}")
                cursor.execute("RESET statement_timeout")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
