"""The admin's search box: the public search's engine, plus speakers' names and tags.

Title, summary and body are matched by the same full-text engine as `/search/` (FTS5 on
SQLite, the GIN-indexed `tsvector` columns on PostgreSQL), so the admin finds what the
public search finds, case- and accent-insensitively ("geoana" finds "Geoană"). Items
naming a speaker or carrying a tag whose name holds every typed word (folded the same
way) are added, and an exact slug finds its item.
"""

from django.db.models import CharField, Q, QuerySet, Value
from taggit.models import Tag

from articles.models import Speaker
from articles.names import fold
from articles.search import search


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


def admin_search(queryset: QuerySet, term: str) -> QuerySet:
    """Items of `queryset` that the admin's search `term` finds (in the list's order)."""
    term = term.strip()
    if not term:
        return queryset
    model = queryset.model
    found = Q(pk__in=search(model.objects.all(), term).values("pk")) | Q(slug=term)
    for key, ids in names_matching(term).items():
        if ids:
            link = model.links(key)
            linked = link.rows.filter(**{f"{link.target}_id__in": ids}).values(link.item)
            found |= Q(pk__in=linked)
    return queryset.filter(found)
