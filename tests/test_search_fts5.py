"""SQLite's FTS5 index (migration 0009, `articles/search/fts5.py`): kept in step by every
way rows are written, healed after a table rebuild, and refused clearly where missing."""

import pytest
from django.db import DatabaseError, connection
from django.utils import timezone

from articles.models import Release
from articles.querysets import Status
from articles.search import fts5, search
from tests.factories import make_release
from tests.support import ON_POSTGRESQL

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite's FTS5 index (PostgreSQL: GIN)"),
]


def found(query: str) -> list[str]:
    return sorted(item.title for item in search(Release.objects.public(), query))


def test_bulk_inserts_updates_and_deletes_keep_the_index_right():
    Release.objects.bulk_create(
        [
            Release(
                title=f"Okapi {n}",
                slug=f"okapi-{n}",
                status=Status.PUBLISHED,
                published_at=timezone.now(),
            )
            for n in range(3)
        ]  # fmt: skip
    )
    assert found("okapi") == ["Okapi 0", "Okapi 1", "Okapi 2"]
    Release.objects.filter(slug="okapi-0").update(title="Tapir 0")
    Release.objects.filter(slug="okapi-1").delete()
    assert found("okapi") == ["Okapi 2"]
    assert found("tapir") == ["Tapir 0"]


def test_markup_is_not_indexed_but_its_text_is():
    make_release(title="Markup", body='<p><strong>Quokka</strong> <a href="/x">link</a></p>')
    assert found("quokka") == ["Markup"]
    assert found("strong") == found("href") == []


def test_ensure_index_restores_dropped_triggers_and_rebuilds():
    make_release(title="Before the rebuild")
    with connection.cursor() as cursor:
        for trigger in fts5.triggers("articles_release"):
            cursor.execute(f"DROP TRIGGER {trigger}")
    make_release(title="Written while the triggers were gone")
    assert found("written") == []  # stale: what a table rebuild would leave
    assert fts5.ensure_index(connection) == ["articles_release"]
    assert found("written") == ["Written while the triggers were gone"]
    assert fts5.ensure_index(connection) == []  # nothing missing now


def test_a_sqlite_without_fts5_is_refused_with_a_clear_message():
    class NoFTS5:
        def execute(self, sql):
            raise DatabaseError("no such module: fts5")

    with pytest.raises(fts5.FTS5Unavailable, match="needs SQLite with the FTS5 extension"):
        fts5.require_fts5(NoFTS5())
