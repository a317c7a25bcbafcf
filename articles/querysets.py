"""Who may see a release or speech: the only code that states the rule.

Every public surface (lists, details, speaker/event/tag pages, home, counts)
starts from `public()`. Nothing else tests `status` or `published_at` to decide
visibility.
"""

from typing import Self

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"


class PublicationQuerySet(models.QuerySet):
    def public(self) -> Self:
        """Published, and its publication time has come (not embargoed)."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def embargoed(self) -> Self:
        """Published but not yet due; for the admin and cache expiry, never for display."""
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())

    def with_visibility(self) -> Self:
        """Annotate `is_public` for the admin by asking `public()` itself."""
        visible = self.model._default_manager.public().filter(pk=OuterRef("pk"))
        return self.annotate(is_public=Exists(visible))


class ReleaseQuerySet(PublicationQuerySet):
    def for_listing(self) -> Self:
        """What a list row shows: kind, date, summary and the people quoted (not the body)."""
        return self.defer("body").prefetch_related("speakers")

    def for_detail(self) -> Self:
        return self.prefetch_related("speakers", "events", "tags")


class SpeechQuerySet(PublicationQuerySet):
    def _speaker_links(self) -> Prefetch:
        from articles.models import SpeechSpeaker

        ordered = SpeechSpeaker.objects.select_related("speaker").order_by("position")
        return Prefetch("speaker_links", queryset=ordered)

    def for_listing(self) -> Self:
        return self.defer("body").select_related("event").prefetch_related(self._speaker_links())

    def for_detail(self) -> Self:
        return self.select_related("event").prefetch_related(self._speaker_links(), "tags")


# Speakers and events are public on their own (a directory of people, a calendar of
# events), except one named only by drafts or embargoed items (a new appointee, an
# unannounced summit): that one stays hidden until one of its items is public.


class SpeakerQuerySet(models.QuerySet):
    def visible(self) -> Self:
        """With a public item, or with no item at all; never one named only by hidden items."""
        from articles.models import Release, Speech

        def named_by(queryset):
            return Exists(queryset.filter(speakers=OuterRef("pk")))

        public = named_by(Speech.objects.public()) | named_by(Release.objects.public())
        unused = ~named_by(Speech.objects.all()) & ~named_by(Release.objects.all())
        return self.filter(public | unused)


class EventQuerySet(models.QuerySet):
    def visible(self) -> Self:
        """With a public item, or with no item at all; never one named only by hidden items."""
        from articles.models import Release, Speech

        def reported_by(speeches, releases):
            return Exists(speeches.filter(event=OuterRef("pk"))) | Exists(
                releases.filter(events=OuterRef("pk"))
            )

        public = reported_by(Speech.objects.public(), Release.objects.public())
        unused = ~reported_by(Speech.objects.all(), Release.objects.all())
        return self.filter(public | unused)


def public_tags(queryset: models.QuerySet | None = None) -> models.QuerySet:
    """Tags carried by public releases or speeches."""
    from taggit.models import Tag

    from articles.models import Release, Speech, TaggedRelease, TaggedSpeech

    releases = TaggedRelease.objects.filter(
        tag=OuterRef("pk"), content_object__in=Release.objects.public()
    )
    speeches = TaggedSpeech.objects.filter(
        tag=OuterRef("pk"), content_object__in=Speech.objects.public()
    )
    source = Tag.objects.all() if queryset is None else queryset
    return source.filter(Q(Exists(releases)) | Q(Exists(speeches)))
