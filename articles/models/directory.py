"""The people who speak or are quoted, and the events content is about."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from articles.addresses import slug_address
from articles.html import clean_text
from articles.models.common import SlugManager, TaggedBase
from articles.querysets import EventQuerySet, SpeakerQuerySet

# A speaker or event a press officer creates is not public by itself: an editor
# publishes it, or publishes an item that names it (SpeakerQuerySet.visible()).
LISTED_HELP = (
    "Shown on the public site even before a public item names it. Only editors can set "
    "this; a speaker or event named by a public release or speech is shown anyway."
)


class Speaker(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    role = models.CharField(
        max_length=200,
        blank=True,
        help_text='As held when speaking, e.g. "NATO Secretary General".',
    )
    organisation = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=100, blank=True)
    bio = models.TextField("short biography", blank=True)
    photo = models.ImageField(upload_to="speakers/", blank=True)
    portrait = models.ForeignKey(
        "media_library.Image",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portrait_of_speakers",
        limit_choices_to=models.Q(decorative=False) & ~models.Q(alt_text=""),
        help_text="A portrait from the media library, shown on the speaker's page with its credit.",
    )
    listed = models.BooleanField("published by an editor", default=False, help_text=LISTED_HELP)

    objects = SlugManager.from_queryset(SpeakerQuerySet)()

    class Meta:
        ordering = ["name"]
        permissions = [("publish_speaker", "Can publish speakers on their own")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        for field in ("name", "role", "organisation", "country", "bio"):
            setattr(self, field, clean_text(getattr(self, field)))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_address("articles:speaker-detail", self.slug)

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Event(models.Model):
    class Kind(models.TextChoices):
        SUMMIT = "summit", _("Summit")
        MINISTERIAL = "ministerial", _("Ministerial meeting")
        COUNCIL = "council", _("Council meeting")
        EXERCISE = "exercise", _("Exercise")
        CEREMONY = "ceremony", _("Ceremony")
        VISIT = "visit", _("Visit")
        PRESS = "press-event", _("Press event")
        TALKS = "talks", _("Talks")
        CONFERENCE = "conference", _("Conference")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    start_on = models.DateField("starts on")
    end_on = models.DateField(
        "ends on", null=True, blank=True, help_text="Leave empty for one day."
    )
    location = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    tags = TaggableManager(through="TaggedEvent", blank=True)
    lead_image = models.ForeignKey(
        "media_library.Image",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_of_events",
        limit_choices_to=models.Q(decorative=True) | ~models.Q(alt_text=""),
        help_text="Shown at the top of the event's page with its caption and credit.",
    )
    listed = models.BooleanField("published by an editor", default=False, help_text=LISTED_HELP)

    objects = SlugManager.from_queryset(EventQuerySet)()

    class Meta:
        ordering = ["-start_on", "name"]
        permissions = [("publish_event", "Can publish events on their own")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")),
                name="event_ends_after_it_starts",
                violation_error_message="An event cannot end before it starts.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        for field in ("name", "location", "description"):
            setattr(self, field, clean_text(getattr(self, field)))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_address("articles:event-detail", self.slug)

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class TaggedEvent(TaggedBase):
    content_object = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tagged")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="event_tag_once")
        ]
