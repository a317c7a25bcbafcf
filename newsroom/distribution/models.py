"""Distribution: who hears of an item, and the record of every message owed or sent.

Exactly once is the database's job: a send record is unique per (subscription, item) and
an advance copy per (contact, item), so no number of workers, retries or reruns can make a
second one. A message is claimed (queued -> sending) in its own committed transaction
before it is handed to the mail server, and marked sent after.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class Scope(models.TextChoices):
    RELEASES = "releases", "Releases"
    SPEECHES = "speeches", "Speeches"
    ALL = "all", "Releases and speeches"


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "As soon as an item is published"
    DAILY = "daily", "One email a day (a digest)"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Subscription(models.Model):
    """A confirmed alert: an address and a list filter. Nothing else is kept about the
    reader (no name, no account, no tracking); an unconfirmed request is not stored."""

    email = models.EmailField()
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.ALL)
    tags = models.JSONField(default=list, blank=True)
    speaker = models.CharField(max_length=200, blank=True)
    event = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=30, blank=True)
    q = models.CharField("words", max_length=200, blank=True)
    # The filter in one canonical string: one subscription per address and filter.
    filter_key = models.CharField(max_length=2000, editable=False)
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    confirmed_at = models.DateTimeField(help_text="When the reader confirmed (their consent).")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email", "filter_key"], name="one_alert_per_filter")
        ]
        indexes = [
            # Matching a new item: the structured part of the filter, then tags and words.
            models.Index(fields=["scope", "kind", "speaker", "event"], name="alert_match"),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.filter_key or 'everything'}"


class ItemReference(models.Model):
    """A release or speech (content type and id)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


class Announcement(ItemReference):
    """The outbox: an item owes its alerts at `due_at` (its publication time). Written in
    the transaction that publishes or schedules it; the task that fans it out is enqueued
    on commit for that time, and the sweep picks up any that a lost task left behind."""

    due_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "due_at"], name="one_announcement_per_time"
            )
        ]
        indexes = [
            # The sweep: announcements due and not done.
            models.Index(fields=["due_at"], condition=Q(done_at=None), name="announcement_due")
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} at {self.due_at:%Y-%m-%d %H:%M}"


class Delivery(models.Model):
    """What every message record has: its state, tries and last error."""

    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class AlertSend(ItemReference, Delivery):
    """The send record of one alert: one subscription, one item, once."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="sends")
    digest = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "content_type", "object_id"], name="one_alert_per_item"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="alert_pending")]

    def __str__(self) -> str:
        return f"Alert to {self.subscription.email} ({self.get_status_display()})"


class Contact(models.Model):
    """A journalist the press office sends to."""

    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    outlet = models.CharField(max_length=200, blank=True, help_text="Newspaper, agency, channel.")
    language = models.CharField(max_length=10, blank=True, help_text="e.g. en, fr.")
    accreditation = models.CharField(
        max_length=200, blank=True, help_text="Press accreditation (number or body), if any."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.outlet})" if self.outlet else self.name


class DistributionList(models.Model):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    contacts = models.ManyToManyField(Contact, related_name="lists", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "distribution list"

    def __str__(self) -> str:
        return self.name


class AdvanceCopy(ItemReference, Delivery):
    """An embargoed item sent ahead to one contact, with a personal link.

    The link's token is an HMAC of the row's id and `nonce` (newsroom/distribution/links.py);
    only its SHA-256 digest is stored, so the table alone opens nothing. Resending draws a
    new nonce (the old link stops working); revoking stamps `revoked_at`.
    """

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="advance_copies")
    nonce = models.CharField(max_length=32, editable=False)
    # NULL until the link is made (it needs the row's id); unique among made links.
    token_digest = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, editable=False
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "advance copy"
        verbose_name_plural = "advance copies"
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "content_type", "object_id"], name="one_copy_per_contact"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="copy_pending")]

    def __str__(self) -> str:
        return f"Advance copy for {self.contact}"


class AdvanceCopyAccess(models.Model):
    """One opening of an advance copy's link: when, and with which browser."""

    copy = models.ForeignKey(AdvanceCopy, on_delete=models.CASCADE, related_name="accesses")
    at = models.DateTimeField(auto_now_add=True)
    user_agent = models.CharField(max_length=300, blank=True)
    granted = models.BooleanField(help_text="Shown the item (not revoked, not yet public).")

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "advance copy accesses"

    def __str__(self) -> str:
        return f"Opened {self.at:%Y-%m-%d %H:%M:%S}"


class Schedule(models.Model):
    """When a recurring job (the sweep, the daily digest) next runs; the conditional update
    of `next_run_at` decides which worker runs it, so it runs once whatever the workers."""

    name = models.CharField(max_length=50, unique=True)
    next_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
