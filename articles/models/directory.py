"""The people who speak or are quoted, and the events content is about, and their
versions in the newsroom's other languages."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from articles import languages
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
    text_changed_at = models.DateTimeField(
        "text last changed", null=True, blank=True, editable=False,
        help_text="When the admin last saved a change to a field its versions translate.",
    )  # fmt: skip

    objects = SlugManager.from_queryset(SpeakerQuerySet)()

    # What a version in another language (SpeakerVersion) gives in its own words.
    TRANSLATED_FIELDS = ("name", "role", "organisation", "country", "bio")

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
    text_changed_at = models.DateTimeField(
        "text last changed", null=True, blank=True, editable=False,
        help_text="When the admin last saved a change to a field its versions translate.",
    )  # fmt: skip

    objects = SlugManager.from_queryset(EventQuerySet)()

    TRANSLATED_FIELDS = ("name", "location", "description")

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


VERSION_PUBLISHED_HELP = (
    "Shown to readers of this language wherever the entry itself is shown. Until then "
    "they read the entry in the newsroom's first language."
)


class LanguageVersion(models.Model):
    """A speaker's or event's text in another of the newsroom's languages.

    A speaker or event keeps one identity in every language (its address, its filter
    value, the items that name it, whether the public may see it); a version gives its
    words in one other language. It is a row of its own with its own author and its own
    published state: a draft version is never shown, and a published one is shown only
    where its entry is (`SpeakerQuerySet.visible()`), to readers of its language.
    """

    language = models.CharField(max_length=10, choices=languages.choices)
    published = models.BooleanField(
        "published by an editor", default=False, help_text=VERSION_PUBLISHED_HELP
    )
    updated_at = models.DateTimeField("last updated", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        editable=False, related_name="+",
    )  # fmt: skip

    ENTRY = ""  # the foreign key to the speaker or event

    class Meta:
        abstract = True
        verbose_name = "version in another language"
        verbose_name_plural = "versions in other languages"

    def __str__(self) -> str:
        return f"{self.name} ({languages.name(self.language)})"

    def save(self, *args, **kwargs) -> None:
        for field in type(self.entry).TRANSLATED_FIELDS:
            setattr(self, field, clean_text(getattr(self, field)))
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.language not in languages.others(languages.default()):
            raise ValidationError(
                {"language": "Choose one of the newsroom's other languages: the entry itself "
                 f"is in {languages.name(languages.default())}."}
            )  # fmt: skip

    @property
    def entry(self) -> models.Model:
        return getattr(self, self.ENTRY)

    @property
    def is_stale(self) -> bool:
        """The entry's text changed after this version was last saved."""
        changed = getattr(self.entry, "text_changed_at", None)
        return bool(changed and self.updated_at and changed > self.updated_at)

    @property
    def state(self) -> str:
        """ "draft", "stale" or "up to date", as the admin names it."""
        if not self.published:
            return "draft"
        return "stale" if self.is_stale else "up to date"


class SpeakerVersion(LanguageVersion):
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField(max_length=200, help_text="Usually as in the first language.")
    role = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=100, blank=True)
    bio = models.TextField("short biography", blank=True)

    ENTRY = "speaker"

    class Meta(LanguageVersion.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["speaker", "language"], name="speaker_one_version_per_language",
                violation_error_message="This speaker already has a version in this language.",
            )
        ]  # fmt: skip


class EventVersion(LanguageVersion):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField(max_length=200)
    location = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)

    ENTRY = "event"

    class Meta(LanguageVersion.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["event", "language"], name="event_one_version_per_language",
                violation_error_message="This event already has a version in this language.",
            )
        ]  # fmt: skip
