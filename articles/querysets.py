"""Who may see a release or speech: the only code that states the rule.

Every public surface (lists, details, speaker/event/tag pages, home, counts)
starts from `public()`. Nothing else tests `status` or `published_at` to decide
visibility.
"""

from typing import Self

from django.db import models
from django.db.models import (
    Aggregate,
    BooleanField,
    Exists,
    ExpressionWrapper,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import JSONObject
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"


def public_q() -> Q:
    """The rule itself: published, and its publication time has come (not embargoed).

    Only `public()` filters with it and only `with_visibility()` reads it as a flag, so
    the list the public sees and the admin's "Live" label cannot disagree.
    """
    return Q(status=Status.PUBLISHED, published_at__lte=timezone.now())


class PublicationQuerySet(models.QuerySet):
    def public(self) -> Self:
        """Published, and its publication time has come (not embargoed)."""
        return self.filter(public_q())

    def embargoed(self) -> Self:
        """Published but not yet due; for the admin and cache expiry, never for display."""
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())

    def with_visibility(self) -> Self:
        """Annotate `is_public` for the admin: the public rule read from the row's own
        columns (no subquery per row, which cost 20 ms a page on PostgreSQL)."""
        return self.annotate(is_public=ExpressionWrapper(public_q(), output_field=BooleanField()))


class JSONList(Aggregate):
    """A JSON array of the grouped values (json_group_array / jsonb_agg)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def json_column(links: models.QuerySet, owner: str, **fields) -> Subquery:
    """Each row's linked tags, speakers or events as a JSON list in one column.

    A detail page then reads the item and everything it names in one query, instead of
    one query per relation (each costing Django a millisecond to build and run).
    """
    linked = links.filter(**{owner: OuterRef("pk")}).values(owner).order_by()
    return Subquery(linked.annotate(rows=JSONList(JSONObject(**fields))).values("rows"))


def detail_columns(model) -> dict[str, Subquery]:
    """The JSON columns of a detail page: its tags and speakers (and a release's events)."""
    tag, speaker = model.links("tag"), model.links("speaker")
    position = {"position": model.SPEAKER_POSITION} if model.SPEAKER_POSITION else {}
    return {
        "topic_list": json_column(
            tag.rows, tag.item, id="tag_id", name="tag__name", slug="tag__slug"
        ),
        "speaker_rows": json_column(
            speaker.rows, speaker.item, id="speaker_id", name="speaker__name",
            slug="speaker__slug", role="speaker__role", **position,
        ),
    }  # fmt: skip


class ReleaseQuerySet(PublicationQuerySet):
    def for_listing(self) -> Self:
        """What a list row shows: kind, date, summary and the people quoted (not the body)."""
        return self.defer("body").prefetch_related("speakers")

    def for_detail(self) -> Self:
        """The release with its tags, speakers and events: one query."""
        event = self.model.links("event")
        return self.annotate(
            **detail_columns(self.model),
            event_rows=json_column(
                event.rows, event.item, id="event_id", name="event__name",
                slug="event__slug", start_on="event__start_on",
            ),
        )  # fmt: skip


class SpeechQuerySet(PublicationQuerySet):
    def _speaker_links(self) -> Prefetch:
        ordered = self.model.links("speaker").rows.select_related("speaker").order_by("position")
        return Prefetch("speaker_links", queryset=ordered)

    def for_listing(self) -> Self:
        return self.defer("body").select_related("event").prefetch_related(self._speaker_links())

    def for_detail(self) -> Self:
        """The speech with its event, tags and speakers in order: one query."""
        return self.select_related("event").annotate(**detail_columns(self.model))


# Speakers and events: who may see one. An editor publishes it (`listed`), or publishes
# a release or speech that names it; nothing a press officer does alone makes one public
# (a new appointee's role and biography, an unannounced summit). Named only by drafts or
# embargoed items, an unlisted one stays hidden until one of its items is public.


class SpeakerQuerySet(models.QuerySet):
    def visible(self) -> Self:
        """Published by an editor, or named by a public release or speech."""
        return self.filter(Q(listed=True) | _named_by_public(self.model, "speaker"))


class EventQuerySet(models.QuerySet):
    def visible(self) -> Self:
        """Published by an editor, or reported by a public release or speech."""
        return self.filter(Q(listed=True) | _named_by_public(self.model, "event"))


def _named_by_public(model: type[models.Model], key: str) -> Q:
    """Speakers or events (`model`, as `key`) that a public release or speech names. The
    two kinds are reached through the reverse relations both models have."""
    named = Q()
    for relation in ("releases", "speeches"):
        item = model._meta.get_field(relation).related_model
        named |= Exists(item.objects.public().filter(**{item.naming(key): OuterRef("pk")}))
    return named
