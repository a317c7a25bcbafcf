"""The publication interface releases and speeches share, and releases with their links
to tags (speeches: `speeches.py`)."""

import uuid
from datetime import date, datetime, time
from typing import NamedTuple

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from articles import languages
from articles.addresses import slug_address
from articles.html import clean_text, sanitise
from articles.models.common import (
    CLEANED_FIELDS,
    CORRECTION_GRACE,
    SlugManager,
    TaggedBase,
    choice_label,
    json_moment,
    now_ms,
    revisions,
    rich_text_field,
)
from articles.models.directory import Event, Speaker
from articles.models.translations import TranslationsMixin
from articles.querysets import ChangeKind, ReleaseQuerySet, Status

LEAD_IMAGE_HELP = (
    "Shown at the top of the page, in lists and when the page is shared, with its caption, "
    "credit and licence. Only images with alt text (or marked decorative) can be chosen."
)


def lead_image_field(related_name: str) -> models.ForeignKey:
    """An item's lead image: PROTECT, so an image in use cannot be deleted from under a
    page (the library's delete page lists what uses it)."""
    return models.ForeignKey(
        "media_library.Image",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        limit_choices_to=models.Q(decorative=True) | ~models.Q(alt_text=""),
        help_text=LEAD_IMAGE_HELP,
    )


class Link(NamedTuple):
    """How items of a kind are linked to their tags, speakers or events: `rows` has one row
    per link, `item` names the item's column and `target` the linked object's."""

    rows: models.QuerySet
    item: str
    target: str


class ChangeNote(NamedTuple):
    """A public change note: the revision it belongs to, when, what kind, the text."""

    version: str
    at: datetime
    kind: str
    note: str

    @classmethod
    def from_row(cls, row: dict) -> "ChangeNote":
        at = json_moment(row["at"])
        # SQLite keeps a UUID as 32 hex digits: one spelling for the URLs.
        return cls(str(uuid.UUID(str(row["version"]))), at, row["kind"], row["note"])

    @property
    def label(self) -> str:
        return ChangeKind(self.kind).label

    @property
    def is_correction(self) -> bool:
        return self.kind == ChangeKind.CORRECTION


class Publication(TranslationsMixin, models.Model):
    """What releases and speeches share: a slug, a status, a publication time, tags.

    The publication interface: each kind declares what differs (the date readers see,
    how it links to tags, speakers and events, its schema.org type), and everything else
    (lists, filters, counts, related items, search results, feeds, archive, JSON-LD)
    asks it instead of telling releases and speeches apart.
    """

    PUBLIC_DATE_FIELD = ""  # the date readers see, filter by and browse the archive by
    EVENTS_FIELD = ""  # the lookup from an item to its events
    SPEAKER_POSITION = None  # the column of its speaker links that orders them, if any
    SCHEMA_TYPE = "Article"  # schema.org type of the detail page
    SEARCH_TAB = ""  # the search page's name for results of this kind
    REVISED_FIELDS: list[str] = []  # compared and restored by revisions, in reading order

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text="The last part of the page's URL.",
    )
    summary = models.TextField(blank=True, help_text="The lead: one or two sentences for lists.")
    body = rich_text_field(blank=True)
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Only published items can be seen by the public, and only from their time.",
    )
    published_at = models.DateTimeField(
        "publication time",
        default=timezone.now,
        help_text="Visible to the public from this time. A future time is an embargo.",
    )
    updated_at = models.DateTimeField(
        "last updated",
        default=timezone.now,
        help_text='Shown as "Last updated" when later than the publication time.',
    )
    revised_at = models.DateTimeField(
        "last updated for readers",
        null=True,
        blank=True,
        help_text="When readers were last told of a substantive change (an update or a "
        "correction): set by saving one with its public note, never by a minor change.",
    )
    source = models.CharField(max_length=100, default="NATO", blank=True)
    withdrawn_at = models.DateTimeField(
        "withdrawn at",
        null=True,
        blank=True,
        help_text="When an editor withdrew or removed the item (set by those actions).",
    )
    withdrawal_note = models.TextField(
        "withdrawal notice",
        blank=True,
        help_text="Why the item was withdrawn or removed, shown to the public.",
    )

    # Translations (issue 19): each language's version is an item of its own, with its own
    # status, embargo, revisions and author, linked to the others by one translation key.
    language = models.CharField(
        max_length=10,
        choices=languages.choices,
        default=languages.default,
        help_text="The language this version is written in.",
    )
    translation_key = models.UUIDField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="Shared by the versions of one item in different languages (empty: none).",
    )

    objects = SlugManager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # One Unicode form (so "Geoană" typed either way is one word), nothing XML refuses.
        self.title, self.summary = clean_text(self.title), clean_text(self.summary)
        self.source = clean_text(self.source)
        self.body = sanitise(clean_text(self.body))
        if self.status not in (Status.WITHDRAWN, Status.REMOVED):  # published again, or a draft
            self.withdrawn_at, self.withdrawal_note = None, ""
        self.updated_at = now_ms()
        if getattr(self, "_public_note", ("", ""))[0] in ChangeKind.substantive():
            self.revised_at = self.updated_at  # readers are told: "Last updated" moves
        self._history_date = self.updated_at  # the revision is stamped with the same time
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"], *CLEANED_FIELDS, "updated_at", "revised_at",
                "withdrawn_at", "withdrawal_note",
            }  # fmt: skip
        super().save(*args, **kwargs)

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    # --- the publication interface: declared by each kind ---

    @classmethod
    def links(cls, key: str) -> Link:
        """The link rows of `key`: "tag", "speaker" or "event"."""
        raise NotImplementedError

    @classmethod
    def naming(cls, key: str) -> str:
        """The lookup from an item to its tags, speakers or events (`key`), for filters
        such as `Exists(public.filter(**{naming: OuterRef("pk")}))`."""
        return {"tag": "tagged__tag", "speaker": "speakers", "event": cls.EVENTS_FIELD}[key]

    @classmethod
    def public_day(cls) -> models.Expression:
        """The date readers see, as a date (the day in the newsroom's zone)."""
        return F(cls.PUBLIC_DATE_FIELD)

    @classmethod
    def dated(cls, *, after: date | None = None, before: date | None = None) -> Q:
        """Items whose public date falls between two days, both included."""
        condition = Q()
        if after:
            condition &= Q(**{f"{cls.PUBLIC_DATE_FIELD}__gte": after})
        if before:
            condition &= Q(**{f"{cls.PUBLIC_DATE_FIELD}__lte": before})
        return condition

    @property
    def speaker_list(self) -> list["Speaker"]:
        """The speakers, in the order the page shows them."""
        raise NotImplementedError

    def set_speakers(self, speakers: list["Speaker"]) -> None:
        """Make `speakers`, in this order, the item's speakers."""
        raise NotImplementedError

    def article_schema(self, people: list[dict], events: list[dict], publisher: dict) -> dict:
        """What this kind adds to its schema.org JSON-LD: who wrote it, whom and what it
        is about (`people` and `events` already as schema.org Person and Event)."""
        raise NotImplementedError

    @property
    def last_modified(self) -> datetime:
        """When the stored item last changed, whatever the change (HTTP freshness, the
        API): never before it was published (scheduled). Readers' "Last updated" is
        `public_updated_at`."""
        return max(self.published_at, self.updated_at)

    @property
    def public_updated_at(self) -> datetime | None:
        """Readers' "Last updated": the last substantive change (an update or a
        correction, with its public note), not a minor one nor a withdrawal; None when
        there was none after publication."""
        if self.revised_at and self.revised_at > self.published_at + CORRECTION_GRACE:
            return self.revised_at
        return None

    @property
    def date_modified(self) -> datetime:
        """JSON-LD `dateModified` and a feed entry's `updated`: the last substantive
        change, else the publication time."""
        return self.public_updated_at or self.published_at

    @property
    def event_list(self) -> list["Event"]:
        """The events the item reports on or was delivered at."""
        raise NotImplementedError

    @property
    def shows_last_updated(self) -> bool:
        return self.public_updated_at is not None

    @property
    def is_withdrawn(self) -> bool:
        """Shown under its withdrawal notice (readable() decides who sees it at all)."""
        return self.status == Status.WITHDRAWN

    @cached_property
    def change_notes(self) -> list[ChangeNote]:
        """The public change notes, newest first: from `for_detail()`'s column, else
        a query."""
        rows = self._column("note_rows")
        if rows is None:
            fields = ("history_id", "history_date", "change_kind", "change_note")
            found = self.history.filter(id=self.pk).public_notes().values_list(*fields)
            rows = [dict(zip(("version", "at", "kind", "note"), row, strict=True)) for row in found]
        notes = [ChangeNote.from_row(row) for row in rows]
        return sorted(notes, key=lambda note: note.at, reverse=True)

    def _column(self, name: str) -> list[dict] | None:
        """A JSON column of `for_detail()` or `for_listing()`: its rows ([] when none), None
        when not read."""
        if name not in self.__dict__:
            return None
        return self.__dict__[name] or []

    def _people(self, rows: list[dict]) -> list["Speaker"]:
        """Speakers rebuilt from the `speaker_rows` column: id, name, slug and role only."""
        rows = sorted(rows, key=lambda row: (row.get("position", 0), row["name"], row["id"]))
        return [
            Speaker(id=row["id"], name=row["name"], slug=row["slug"], role=row["role"])
            for row in rows
        ]

    @cached_property
    def topics(self) -> list[dict]:
        """Tags as `{"id", "name", "slug"}`, by name: the public detail pages read them
        from the column `for_detail()` adds (no query of their own), anything else
        asks the database."""
        rows = self._column("topic_list")
        if rows is None:
            rows = [{"id": tag.pk, "name": tag.name, "slug": tag.slug} for tag in self.tags.all()]
        return sorted(rows, key=lambda topic: (topic["name"].casefold(), topic["slug"]))


class Release(Publication):
    class Kind(models.TextChoices):
        PRESS_RELEASE = "press-release", _("Press release")
        NEWS = "news", _("News")
        FEATURE = "feature", _("Feature story")
        PUBLICATION = "publication", _("Publication")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRESS_RELEASE)
    speakers = models.ManyToManyField(
        Speaker, related_name="releases", blank=True, help_text="People quoted in the release."
    )
    events = models.ManyToManyField(
        Event, related_name="releases", blank=True, help_text="What the release reports on."
    )
    tags = TaggableManager(through="TaggedRelease", blank=True)
    lead_image = lead_image_field("lead_of_releases")

    objects = SlugManager.from_queryset(ReleaseQuerySet)()
    history = revisions()

    PUBLIC_DATE_FIELD = "published_at"
    EVENTS_FIELD = "events"
    SCHEMA_TYPE = "NewsArticle"
    SEARCH_TAB = "Releases and news"
    REVISED_FIELDS = ["title", "kind", "summary", "body", "source"]

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [("publish_release", "Can publish, schedule, withdraw and restore releases")]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "language"], name="release_one_per_language"
            )
        ]
        indexes = [
            # A list in one language (`in_language()`), in public order.
            models.Index(
                fields=["language", "status", "-published_at", "-id"],
                name="release_language_order_idx",
            ),
            # The public list: status filter, newest first.
            models.Index(fields=["status", "-published_at"], name="release_public_idx"),
            models.Index(fields=["kind", "-published_at"], name="release_kind_idx"),
            # public() in list order, covering: index-only COUNT(*) of public releases
            # joined on id (tag pages: 106 -> 22 ms at 100,000 items on PostgreSQL), page 1
            # without a sort, and an id-only OFFSET for deep pages (docs/benchmarks.md).
            models.Index(
                fields=["status", "-published_at", "-id"], name="release_public_order_idx"
            ),
            # The admin changelist: every status in list order, 50 a page, and the
            # date_hierarchy's MIN/MAX (list query 116 -> 20 ms at 100,000 items).
            models.Index(fields=["-published_at", "-id"], name="release_order_idx"),
        ]

    def get_absolute_url(self) -> str:
        return slug_address("articles:release-detail", self.slug, self.language)

    def get_kind_display(self) -> str:
        return choice_label(self.Kind, self.kind)

    @classmethod
    def links(cls, key: str) -> Link:
        if key == "tag":
            return Link(TaggedRelease.objects.all(), "content_object", "tag")
        return Link(getattr(cls, f"{key}s").through.objects.all(), "release", key)

    @classmethod
    def public_day(cls) -> models.Expression:
        return TruncDate("published_at")

    @classmethod
    def dated(cls, *, after: date | None = None, before: date | None = None) -> Q:
        """By the publication time, from the start of `after` to the end of `before` in
        the newsroom's zone (a range on the column, so its index serves it)."""
        zone = timezone.get_current_timezone()
        condition = Q()
        if after:
            condition &= Q(published_at__gte=datetime.combine(after, time.min, tzinfo=zone))
        if before:
            condition &= Q(published_at__lte=datetime.combine(before, time.max, tzinfo=zone))
        return condition

    @property
    def speaker_list(self) -> list[Speaker]:
        """The speakers quoted, by name: from the `speaker_rows` column of `for_detail()` or
        `for_listing()`, else a query."""
        from articles.directory_language import localise

        rows = self._column("speaker_rows")
        return localise(self.speakers.all() if rows is None else self._people(rows))

    def set_speakers(self, speakers: list[Speaker]) -> None:
        self.speakers.set(speakers)

    def article_schema(self, people: list[dict], events: list[dict], publisher: dict) -> dict:
        data = {"author": {"@type": "Organization", "name": self.source or publisher["name"]}}
        if people:
            data["mentions"] = people
        if events:
            data["about"] = events
        return data

    @property
    def download_list(self) -> list:
        """ "Downloads": the release's documents in the editor's order, from
        `for_detail()`'s column, else a query."""
        from newsroom.media.models import Document

        rows = self._column("download_rows")
        if rows is None:
            return [link.document for link in self.downloads.select_related("document")]
        rows = sorted(rows, key=lambda row: (row["position"], row["id"]))
        fields = ("id", "title", "kind", "language", "file", "url", "mime_type", "file_size")
        return [Document(**{field: row[field] for field in fields}) for row in rows]

    @property
    def event_list(self) -> list[Event]:
        """The events reported on, newest first: from `for_detail()`'s column, else a query.
        Rebuilt from the column, an event has its id, name, slug and start date only."""
        from articles.directory_language import localise

        rows = self._column("event_rows")
        if rows is None:
            return localise(self.events.all())
        events = [
            Event(id=row["id"], name=row["name"], slug=row["slug"],
                  start_on=date.fromisoformat(str(row["start_on"])))
            for row in rows
        ]  # fmt: skip
        events = sorted(events, key=lambda event: (-event.start_on.toordinal(), event.name))
        return localise(events)


class TaggedRelease(TaggedBase):
    content_object = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="tagged")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="release_tag_once")
        ]
