"""The deterministic synthetic archive for scale tests that `manage.py generate_archive` loads.

Contract (PRODUCT.md, "Operations"): `--releases N --speeches N [--seed S]` fills the
database with that many releases and speeches, plus ~300 tags (used with a Zipf-like
skew), ~500 speakers and ~2,000 events, dated over the 25 years before today, with a
few percent drafts, items in review and embargoed items (published, due in the future).

- Deterministic: the same seed gives the same titles, slugs, dates, bodies and
  relations. Dates count back from today (midnight UTC), so two runs on the same day
  are identical; each part (vocabulary, releases, speeches) draws from its own
  `random.Random` stream, so the speeches do not change when only `--releases` does.
- Fast and flat: items are generated and inserted in chunks with `bulk_create`
  (through tables too), all inside one transaction, so an interrupted run leaves
  nothing behind and memory does not grow with N. A thread writes the next chunk
  while the database stores the current one. 100,000 items: about 1.5 minutes on
  SQLite, 2.5 on PostgreSQL on a busy 2-core machine (docs/benchmarks.md).
- Marked: every generated speaker, event, release, speech and tag has a slug starting
  with `gen-`, so it never collides with the seed archive. A second run refuses to mix
  archives unless `--replace` is given, which first deletes the previous generated
  data (and only that). Tags whose name already exists (e.g. the seed's "Ukraine")
  are reused rather than duplicated, and are never deleted.
- Bulk inserts skip `save()` and signals, so bodies are built from escaped text (safe
  HTML within the sanitiser's allow-list), no revisions are written, and the content
  version is bumped at the end so every cache drops. Search needs no refresh: on
  PostgreSQL a database trigger fills each row's `search_document` as it is inserted
  (migration 0004), and SQLite's development search reads the text itself. Planner
  statistics are refreshed (`ANALYZE`, and on PostgreSQL `VACUUM`, so counts are
  index-only scans from the first request).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import transaction

from articles.cache import bump_content_version
from articles.generator.items import insert_releases, insert_speeches
from articles.generator.previous import delete_generated, generated_counts
from articles.generator.tuning import bigger_sqlite_cache, no_statement_timeout, refresh_statistics
from articles.generator.vocabulary import make_vocabulary

__all__ = ["ArchiveExists", "Summary", "generate"]


class ArchiveExists(Exception):
    """A generated archive is already loaded and `replace` was not asked for."""

    def __init__(self, counts: dict[str, int]):
        super().__init__(counts)
        self.counts = counts  # generated rows found, by kind ("releases", ..., "tags")


@dataclass(frozen=True)
class Summary:
    """What `generate` made."""

    releases: int
    speeches: int
    drafts: int
    in_review: int
    embargoed: int
    speakers: int
    events: int
    tags: int
    created_tags: int  # the other tags already existed by name (e.g. the seed's)
    tag_links: int


def generate(
    *,
    releases: int = 0,
    speeches: int = 0,
    seed: int = 1,
    replace: bool = False,
    progress_callback: Callable[..., None] | None = None,
) -> Summary:
    """Load a generated archive of `releases` releases and `speeches` speeches from `seed`.

    Raises `ArchiveExists` when a generated archive is loaded, unless `replace` is true:
    then that archive (and only it) is deleted first. `progress_callback(action, count=0)`,
    like the one Django's migration executor takes, hears "delete_success" once the
    previous archive is gone, "insert_start" with the number of items to insert,
    "insert_progress" with the number of items just inserted, and "insert_success".
    """
    report = progress_callback or (lambda action, count=0: None)
    anchor = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    counts = {"draft": 0, "review": 0, "embargoed": 0, "tag links": 0}
    with transaction.atomic(), bigger_sqlite_cache():
        no_statement_timeout()
        existing = generated_counts()
        if any(existing.values()):
            if not replace:
                raise ArchiveExists(existing)
            delete_generated()
            report("delete_success")
        vocabulary = make_vocabulary(random.Random(f"{seed}:vocabulary"), anchor)
        report("insert_start", releases + speeches)
        insert_releases(seed, releases, vocabulary, anchor, report, counts)
        insert_speeches(seed, speeches, vocabulary, anchor, report, counts)
        report("insert_success")
    refresh_statistics()
    bump_content_version()  # bulk inserts send no signals: drop every cached page
    return Summary(
        releases=releases,
        speeches=speeches,
        drafts=counts["draft"],
        in_review=counts["review"],
        embargoed=counts["embargoed"],
        speakers=len(vocabulary.speakers),
        events=len(vocabulary.events),
        tags=len(vocabulary.tags),
        created_tags=vocabulary.created_tags,
        tag_links=counts["tag links"],
    )
