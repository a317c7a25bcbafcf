"""Who may see a release or speech: the only code that states the rule.

Every public surface (lists, details, speaker/event/tag pages, home, counts)
starts from `public()`. Nothing else tests `status` or `published_at` to decide
visibility.
"""

from typing import Self

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch
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
