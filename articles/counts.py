"""Public counts and indexes: derived from `public()`, kept per content version.

How many public items each tag, speaker and event has; which tags, speakers and events
the public may see, by slug; and the filter form's suggestions. Lists, directories,
filters, feeds and sitemaps all read them from here.
"""

from django.db import connections
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import format_html_join
from taggit.models import Tag

from articles.cache import cached_public
from articles.directory_language import localise, name_in_language
from articles.models import Event, Publication, Release, Speaker, Speech


def public_count(queryset: QuerySet, lookup: str) -> Coalesce:
    """Count of `queryset` rows whose `lookup` is the outer row: for per-row public counts."""
    counted = (
        queryset.filter(**{lookup: OuterRef("pk")})
        .order_by()
        .values(lookup)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def public_links(model: type[Publication], key: str) -> tuple[QuerySet, str]:
    """Links from public items of `model` to their tags, speakers or events (`key`), and
    the name of the linked column."""
    link = model.links(key)
    if link.item == "pk":  # a column of the item's own row (a speech's event)
        return model.objects.public().in_language(), link.target
    return link.rows.filter(
        **{f"{link.item}__in": model.objects.public().in_language()}
    ), link.target


def public_counts(model: type[Publication], key: str) -> dict[int, int]:
    """Public items of `model` per tag, speaker or event id: one grouped query, cached.

    The directories and the filter form need every count at once; asking per row (a
    correlated COUNT for each of 300 tags) took 5.6 s on PostgreSQL at 100,000 items.
    """

    def build() -> dict[int, int]:
        links, target = public_links(model, key)
        links = links.exclude(**{target: None}).order_by()
        return dict(links.values_list(target).annotate(n=Count("pk")).values_list(target, "n"))

    return cached_public(f"public-counts:{model._meta.model_name}:{key}", build)


def public_total(model: type[Publication]) -> int:
    """How many public items of `model` there are, cached per content version."""
    return cached_public(
        f"public-total:{model._meta.model_name}", model.objects.public().in_language().count
    )


def walks_the_order(model: type[Publication], key: str, target_id: int) -> bool:
    """Whether a list of `model` narrowed to one tag, speaker or event (`key`) is best
    read by walking the public order and checking each item's link (a correlated
    EXISTS), rather than by collecting the linked items and sorting them (an IN).

    SQLite cannot choose between the two by itself: it always collects and sorts. For a
    tag on a third of the archive that sorts 20,000 rows to show 20 (57 ms at 100,000
    items), where the walk finds its 20 in the first 60 rows (0.2 ms); for a tag on a
    hundred items the walk reads thousands of rows to find them (15 ms) and the IN 1 ms.
    A page of `PAGE` items is found after about PAGE × total / n rows of the walk, so
    the walk wins once n² > PAGE × total. PostgreSQL plans both shapes as the same
    semi-join from its own statistics; it keeps the IN.
    """
    if connections[model.objects.db].vendor != "sqlite":
        return False
    linked = public_counts(model, key).get(target_id, 0)
    return linked * linked > WALK_PAGE * public_total(model)


WALK_PAGE = 20  # the lists' page size


def public_tags(queryset: QuerySet | None = None) -> QuerySet:
    """Tags carried by public releases or speeches."""

    def carried_by(model: type[Publication]):
        return Exists(
            model.objects.public().in_language().filter(**{model.naming("tag"): OuterRef("pk")})
        )

    source = Tag.objects.all() if queryset is None else queryset
    return source.filter(carried_by(Release) | carried_by(Speech))


def public_tag_index() -> dict[str, tuple[int, str]]:
    """Slug -> (id, name) of every tag that a public item carries, cached per content version."""

    def build() -> dict[str, tuple[int, str]]:
        return {
            slug: (pk, name) for slug, pk, name in public_tags().values_list("slug", "pk", "name")
        }

    return cached_public("public-tag-index", build)


def visible_index(model: type[Speaker] | type[Event]) -> dict[str, tuple[int, str]]:
    """Slug -> (id, name) of every visible speaker or event, cached per content version."""

    def build() -> dict[str, tuple[int, str]]:
        rows = model.objects.visible().order_by().values_list("slug", "pk", "name")
        return {slug: (pk, name) for slug, pk, name in rows}

    return cached_public(f"visible-index:{model._meta.model_name}", build)


def visible_ids(model: type[Speaker] | type[Event]) -> list[int]:
    """Ids of every visible speaker or event in the directory's order (the model's),
    from `visible_index()`, cached per content version.

    A directory page reads its own rows by these ids instead of asking `visible()` on
    every page: its OR of EXISTS is planned on PostgreSQL as hashed subplans over every
    public link (about 100 ms a page at 100,000 items).
    """

    def build() -> list[int]:
        ids = [pk for pk, _name in visible_index(model).values()]
        return list(model.objects.filter(pk__in=ids).values_list("pk", flat=True))

    return cached_public(f"visible-ids:{model._meta.model_name}", build)


# The filter form suggests the most used tags and speakers and the latest events, not
# all of them: at 100,000 items that is 300 tags, 500 speakers and 2,000 events, which
# made every list page 290 KB. Any other slug still filters; the tag, speaker and event
# directories link to every one.
SUGGESTED_TAGS = 100
SUGGESTED_SPEAKERS = 100
SUGGESTED_EVENTS = 50


def filter_options(model: type[Publication]) -> dict[str, list[tuple[str, str]]]:
    """Suggestions for the filter form, from public items of `model` only (cached)."""

    def most_used(named: type[Tag] | type[Speaker], key: str, limit: int) -> list[tuple[str, str]]:
        """The `limit` most linked tags or speakers, by name, labelled with their count."""
        counts = public_counts(model, key)
        top = sorted(counts, key=lambda pk: -counts[pk])[:limit]
        rows = named.objects.filter(pk__in=top).order_by().values_list("pk", "slug", "name")
        if named is Speaker:
            rows = [(pk, slug, name_in_language("speaker", pk, name)) for pk, slug, name in rows]
        ordered = sorted(rows, key=lambda row: row[2].casefold())
        return [(slug, f"{name} ({counts[pk]})") for pk, slug, name in ordered]

    def build() -> dict[str, list[tuple[str, str]]]:
        reported = Exists(
            model.objects.public().in_language().filter(**{model.naming("event"): OuterRef("pk")})
        )
        events = Event.objects.filter(reported).order_by("-start_on", "name")[:SUGGESTED_EVENTS]
        options = {
            "tags": most_used(Tag, "tag", SUGGESTED_TAGS),
            "speakers": most_used(Speaker, "speaker", SUGGESTED_SPEAKERS),
            "events": [(event.slug, event.name) for event in localise(events.only("slug", "name"))],
        }
        # Rendered once here and kept with the data, by filter name: 250 <option>s were
        # half of the template's work on every list page.
        options["datalists"] = {
            name[:-1]: format_html_join("", '<option value="{}">{}</option>', choices)
            for name, choices in options.items()
        }
        return options

    return cached_public(f"filter-options:{model._meta.model_name}", build)
