"""Speeches and transcripts, with their speakers in order and their tags (the
publication interface they share with releases: `publications.py`)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from articles.addresses import slug_address
from articles.models.common import SlugManager, TaggedBase, choice_label, revisions
from articles.models.directory import Event, Speaker
from articles.models.publications import Link, Publication, lead_image_field
from articles.querysets import SpeechQuerySet


class Speech(Publication):
    class Kind(models.TextChoices):
        SPEECH = "speech", _("Speech")
        REMARKS = "remarks", _("Remarks")
        PRESS_CONFERENCE = "press-conference", _("Press conference")
        JOINT_PRESS_CONFERENCE = "joint-press-conference", _("Joint press conference")
        DOORSTEP = "doorstep", _("Doorstep statement")
        STATEMENT = "statement", _("Statement")
        INTERVIEW = "interview", _("Interview")

    class Delivery(models.TextChoices):
        AS_DELIVERED = "as-delivered", _("As delivered")
        CHECK_AGAINST_DELIVERY = "check-against-delivery", _("Check against delivery")

    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.SPEECH)
    delivered_on = models.DateField("delivered on")
    delivered_time = models.TimeField(
        "time of delivery", null=True, blank=True, help_text="Local time in the newsroom's zone."
    )
    location = models.CharField(max_length=200, blank=True)
    delivery_status = models.CharField(max_length=30, choices=Delivery.choices, blank=True)
    speakers = models.ManyToManyField(
        Speaker, through="SpeechSpeaker", related_name="speeches", blank=True
    )
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="speeches"
    )
    tags = TaggableManager(through="TaggedSpeech", blank=True)
    lead_image = lead_image_field("lead_of_speeches")

    objects = SlugManager.from_queryset(SpeechQuerySet)()
    history = revisions()

    PUBLIC_DATE_FIELD = "delivered_on"
    EVENTS_FIELD = "event"
    SPEAKER_POSITION = "position"
    SEARCH_TAB = "Speeches"
    REVISED_FIELDS = [
        "title", "kind", "summary", "body", "delivered_on", "delivered_time", "location",
        "delivery_status", "event_id", "source",
    ]  # fmt: skip

    class Meta:
        ordering = ["-delivered_on", "-published_at", "-id"]
        permissions = [("publish_speech", "Can publish, schedule, withdraw and restore speeches")]
        verbose_name_plural = "speeches"
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "language"], name="speech_one_per_language"
            )
        ]
        indexes = [
            models.Index(
                fields=["language", "status", "-delivered_on", "-published_at", "-id"],
                name="speech_language_order_idx",
            ),
            models.Index(fields=["status", "-delivered_on"], name="speech_public_idx"),
            models.Index(fields=["kind", "-delivered_on"], name="speech_kind_idx"),
            # public() (which tests published_at) in list order, covering: index-only COUNT(*)
            # for the speech list (85 -> 5 ms at 100,000 items on PostgreSQL) and tag pages.
            models.Index(
                fields=["status", "-delivered_on", "-published_at", "-id"],
                name="speech_public_order_idx",
            ),
            # The admin changelist: every status in list order (list query 74 -> 14 ms).
            models.Index(fields=["-delivered_on", "-published_at", "-id"], name="speech_order_idx"),
        ]

    def get_absolute_url(self) -> str:
        return slug_address("articles:speech-detail", self.slug, self.language)

    def get_kind_display(self) -> str:
        return choice_label(self.Kind, self.kind)

    @property
    def script_comparison_url(self) -> str | None:
        """ "Compare with the script as released": for a text as delivered whose script
        ("Check against delivery") was public before it (`for_detail()` finds it)."""
        if self.delivery_status != self.Delivery.AS_DELIVERED:
            return None
        if not self.__dict__.get("script_version"):
            return None
        return reverse("articles:speech-script-changes", kwargs={"slug": self.slug})

    @classmethod
    def links(cls, key: str) -> Link:
        if key == "tag":
            return Link(TaggedSpeech.objects.all(), "content_object", "tag")
        if key == "speaker":
            return Link(SpeechSpeaker.objects.all(), "speech", "speaker")
        return Link(cls.objects.all(), "pk", "event")  # one event, on the speech's own row

    @property
    def event_list(self) -> list[Event]:
        """Its event, if any, named in the language being read."""
        from articles.directory_language import localise

        return localise([self.event]) if self.event_id else []

    def set_speakers(self, speakers: list[Speaker]) -> None:
        """In order: the first is the main speaker."""
        SpeechSpeaker.objects.filter(speech=self).delete()
        SpeechSpeaker.objects.bulk_create(
            SpeechSpeaker(speech=self, speaker=speaker, position=position)
            for position, speaker in enumerate(speakers)
        )

    def article_schema(self, people: list[dict], events: list[dict], publisher: dict) -> dict:
        data = {
            "genre": "Speech transcript",
            "dateCreated": self.delivered_on.isoformat(),
            "author": people or publisher,
        }
        if people:
            data["about"] = people[0]
        if self.location:
            data["contentLocation"] = {"@type": "Place", "name": self.location}
        if events:
            data["recordedAt"] = events[0]
        return data

    @property
    def speaker_list(self) -> list[Speaker]:
        """Speakers in order, the main speaker first: from the `speaker_rows` column of
        `for_detail()` or `for_listing()`, else a query."""
        from articles.directory_language import localise

        rows = self._column("speaker_rows")
        if rows is not None:
            return localise(self._people(rows))
        return localise(link.speaker for link in self.speaker_links.all())


class SpeechSpeakerManager(models.Manager):
    def get_by_natural_key(self, speech_slug: str, speaker_slug: str):
        return self.get(speech__slug=speech_slug, speaker__slug=speaker_slug)


class SpeechSpeaker(models.Model):
    """A speaker's place in a speech: the first is the main speaker."""

    speech = models.ForeignKey(Speech, on_delete=models.CASCADE, related_name="speaker_links")
    speaker = models.ForeignKey(Speaker, on_delete=models.PROTECT, related_name="speech_links")
    position = models.PositiveSmallIntegerField(default=0)

    objects = SpeechSpeakerManager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "speaker"
        constraints = [
            models.UniqueConstraint(fields=["speech", "speaker"], name="speaker_once_per_speech")
        ]

    def __str__(self) -> str:
        return f"{self.speaker} in {self.speech}"

    def natural_key(self) -> tuple[str, str]:
        return (self.speech.slug, self.speaker.slug)

    natural_key.dependencies = ["articles.speech", "articles.speaker"]


class TaggedSpeech(TaggedBase):
    content_object = models.ForeignKey(Speech, on_delete=models.CASCADE, related_name="tagged")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="speech_tag_once")
        ]
