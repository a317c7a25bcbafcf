import sys

from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_migrate, pre_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom content"

    def ready(self) -> None:
        # Registers the search functions on every SQLite connection opened from now on: the
        # index's triggers and view call them, so every write needs them, not only search.
        import articles.search.sqlite  # noqa: F401
        from articles import signals
        from articles.cache import forget_page_version, note_request_start

        signals.connect()
        signals.connect_revisions()
        signals.connect_fixture_guards()
        # The embargo-safe cache judges the next lift from the moment a request began.
        request_started.connect(note_request_start, dispatch_uid="newsroom-request-start")
        request_finished.connect(forget_page_version, dispatch_uid="newsroom-request-end")
        pre_migrate.connect(_before_migrate, sender=self)
        post_migrate.connect(_ensure_search_index, sender=self)


def _before_migrate(*, using, **_kwargs) -> None:
    """Before every `migrate`: drop SQLite's search views (see articles/search/fts5.py)."""
    from django.db import connections

    from articles.search.fts5 import before_migrate

    before_migrate(connections[using])


def _ensure_search_index(*, using, verbosity=1, **_kwargs) -> None:
    """After every `migrate`: SQLite's search views, and triggers a table rebuild dropped."""
    from django.db import connections

    from articles.search.fts5 import ensure_index

    for table in ensure_index(connections[using]):
        if verbosity:
            sys.stdout.write(f"Rebuilt the search index of {table} (its triggers were dropped).\n")
