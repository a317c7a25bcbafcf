"""The admin's search box: the public search's engine, plus speakers' names and tags.

Title, summary and body are matched by the same full-text engine as `/search/` (FTS5 on
SQLite, the GIN-indexed `tsvector` columns on PostgreSQL), so the admin finds what the
public search finds, case- and accent-insensitively ("geoana" finds "Geoană"). Items
naming a speaker or carrying a tag whose name holds every typed word (folded the same
way) are added, and an exact slug finds its item.
"""

from contextlib import contextmanager

from django.db import connections, transaction
from django.db.models import CharField, F, Func, IntegerField, Q, QuerySet, Value
from taggit.models import Tag

from articles.models import Speaker
from articles.names import fold
from articles.search import matching


def names_matching(term: str) -> dict[str, list[int]]:
    """Ids of the speakers and tags whose folded name holds every folded word of `term`,
    by "speaker" and "tag": both read in one query (a few thousand short names)."""
    words = fold(term).split()
    found: dict[str, list[int]] = {"speaker": [], "tag": []}
    if not words:
        return found
    kind = lambda name: Value(name, output_field=CharField())  # noqa: E731
    speakers = Speaker.objects.order_by().values_list(kind("speaker"), "pk", "name")
    tags = Tag.objects.order_by().values_list(kind("tag"), "pk", "name")
    for key, pk, name in speakers.union(tags, all=True).iterator(chunk_size=2000):
        if all(word in fold(name) for word in words):
            found[key].append(pk)
    return found


class _Tested(Func):
    """`+id`: the row's id, which the database cannot look up in an index. Written `+id
    IN (…)`, each of the search box's conditions is a test of the row rather than a way
    to find rows, so the list walks its own order index and stops after a page (see
    `admin_search()`)."""

    template = "+%(expressions)s"
    output_field = IntegerField()


def admin_search(queryset: QuerySet, term: str) -> QuerySet:
    """Items of `queryset` that the admin's search `term` finds (in the list's order).

    Every part (the full-text match, the exact slug, the speakers' and tags' names) is
    a test of the row's id against a set. Left to itself, SQLite answered the OR by
    reading every row that any part matched and sorting them all ("nato" at 100,000
    items: 60,000 rows read, 1.3 s a page); tested, the page walks the list's order index
    and stops after 50 matches, and the count and the date drill-down read only the id
    and the date from an index (150 ms). PostgreSQL plans the sets as hashed subplans
    either way (`matching()`).
    """
    term = term.strip()
    if not term:
        return queryset
    model = queryset.model
    rows = model._default_manager.order_by()
    found = Q(search_row_id__in=rows.filter(slug=term).values("pk"))
    text = matching(model, term)
    if text is not None:
        found |= text
    for key, ids in names_matching(term).items():
        if ids:
            link = model.links(key)
            linked = link.rows.filter(**{f"{link.target}_id__in": ids}).values(link.item)
            found |= Q(search_row_id__in=linked)
    return queryset.alias(search_row_id=_Tested(F("pk"))).filter(found)


@contextmanager
def matches_from_the_index(queryset: QuerySet, term: str):
    """Within: PostgreSQL reads a search's matches from the full-text index.

    Its planner prices `@@` like any comparison, so for a few thousand matches it
    prefers reading the whole table and testing every row's document, which PostgreSQL
    must fetch and decompress: "cyber defence" (24,000 of 60,000 releases) took 220 ms a
    query that way and 14 ms from the GIN index. A changelist's count, page and date
    drill-down each read the matches, so for a search they run in one transaction that
    takes sequential scans off the table (`set_config(…, true)`, as `SET LOCAL`), and puts
    them back after.
    """
    connection = connections[queryset.db]
    if connection.vendor != "postgresql" or not term.strip():
        yield
        return
    with transaction.atomic(using=queryset.db), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)"
        )
        before = cursor.fetchone()[0]
        try:
            yield
        finally:  # back as it was, even inside a longer transaction (ATOMIC_REQUESTS)
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [before])
