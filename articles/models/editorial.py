"""The editorial day around the items: preview links for approvers without an account,
and the tag vocabulary's notes and redirects (issue 22)."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

# How long a preview link works unless the editor chooses otherwise.
PREVIEW_LINK_DAYS = 7


def new_preview_token() -> str:
    """43 URL-safe characters from 32 random bytes: not guessable, not derived from ids."""
    return secrets.token_urlsafe(32)


class PreviewLinkQuerySet(models.QuerySet):
    def usable(self):
        """Links that open their preview now: not revoked and not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    """A read-only, expiring, revocable address of a draft's preview (`/preview/<token>/`),
    for an approver who has no admin account. Each opening is counted and logged."""

    token = models.CharField(max_length=64, unique=True, default=new_preview_token, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    note = models.CharField(
        "shared with",
        max_length=200,
        blank=True,
        help_text="Who the link is for, e.g. “Spokesperson’s office”: for your records.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    views = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="previewlink_item")]

    def __str__(self) -> str:
        return f"Preview link {self.token[:6]}…"

    def save(self, *args, **kwargs) -> None:
        if self.expires_at is None:
            self.expires_at = self.created_at + timedelta(days=PREVIEW_LINK_DAYS)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:preview-link", args=[self.token])

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class TagNote(models.Model):
    """A tag's description, shown on its public page (`/tags/<slug>/`)."""

    tag = models.OneToOneField(Tag, on_delete=models.CASCADE, related_name="note")
    description = models.TextField(
        blank=True, help_text="One or two sentences shown on the topic's public page."
    )

    def __str__(self) -> str:
        return f"Note on {self.tag}"


class TagRedirect(models.Model):
    """The address of a tag merged into another: `/tags/<old_slug>/` and `?tag=<old_slug>`
    answer a permanent redirect to the tag that absorbed it."""

    old_slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    old_name = models.CharField(max_length=100)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="redirects")
    merged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["old_slug"]

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.tag.slug}"
