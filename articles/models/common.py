"""What every content model shares: rich text, revisions, natural keys by slug, the
tag link base, and the content version that keys the public caches."""

import uuid
from datetime import UTC, datetime, timedelta

from django.db import models
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField
from simple_history.models import HistoricalRecords
from taggit.models import TaggedItemBase

from articles.html import sanitise
from articles.querysets import ChangeKind, RevisionQuerySet

# What press officers can do in the editor; the sanitiser allows the same (figures from
# the media library, and those of imported documents).
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False},
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    # Pictures: a figure of a media library image with its caption ("Browse…" opens the
    # library's picker); the page renders it from the library with its credit.
    "Figure": {"pickerUrl": "/admin/media_library/image/picker/"},
    "Caption": True,
    "Image": True,
}

# "Last updated" is shown only for a correction made after publication, not for the
# seconds between saving and publishing.
CORRECTION_GRACE = timedelta(minutes=5)

# Text fields a publication's save() cleans (see articles.html.clean_text).
CLEANED_FIELDS = ("title", "summary", "body", "source")


def now_ms():
    """The current time to the millisecond: what JSON fixtures and backups keep exactly."""
    moment = timezone.now()
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def json_moment(value) -> datetime | None:
    """A time read from a JSON column: text in the database's format (SQLite keeps UTC
    without saying so)."""
    if value is None or isinstance(value, datetime):
        return value
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if timezone.is_naive(moment) else moment


def rich_text_field(**kwargs) -> ProseEditorField:
    return ProseEditorField(extensions=EDITOR_EXTENSIONS, sanitize=sanitise, **kwargs)


class RevisionSnapshot(models.Model):
    """Extra columns on every revision: the tags, speakers and events of that moment.

    django-simple-history copies the item's own columns; tags and many-to-many
    relations live in other tables, so each revision also keeps them by name/slug.
    """

    tag_names = models.JSONField(default=list, blank=True)
    speaker_slugs = models.JSONField(default=list, blank=True)
    event_slugs = models.JSONField(default=list, blank=True)
    # The public change note of the change this revision made to a public item (empty
    # for other saves); readers see it under "Changes to this page" and, for a
    # correction, on /corrections/ (RevisionQuerySet.public_notes()).
    change_kind = models.CharField(
        max_length=20, choices=ChangeKind.choices, blank=True, default=""
    )
    change_note = models.TextField(blank=True, default="")

    class Meta:
        abstract = True


def revisions() -> HistoricalRecords:
    """Every save of a release or speech keeps a revision (who, when, why)."""
    return HistoricalRecords(
        bases=[RevisionSnapshot],
        # A revision's own identity is a UUID, so seed revisions load idempotently.
        history_id_field=models.UUIDField(default=uuid.uuid4),
        related_name="revisions",
        excluded_fields=["updated_at", "revised_at"],
        # Deleting an item deletes its revisions (the admin log keeps who deleted what),
        # so no revision points at a missing item and backups stay loadable.
        cascade_delete_history=True,
        historical_queryset=RevisionQuerySet,
    )


class SlugManager(models.Manager):
    """Natural keys by slug, so fixtures never carry primary keys."""

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class ContentVersion(models.Model):
    """One row holding a number that every change to newsroom content raises.

    Public caches are keyed by it (articles/cache.py). It lives in the database, not in
    the cache, and is raised in the same transaction as the change: every app server
    sees a publish or a withdrawal when it commits, whether or not its cache is reachable.
    """

    value = models.BigIntegerField()

    def __str__(self) -> str:
        return str(self.value)


class TaggedManager(models.Manager):
    def get_by_natural_key(self, object_slug: str, tag_name: str):
        return self.get(content_object__slug=object_slug, tag__name=tag_name)


class TaggedBase(TaggedItemBase):
    """One row per (item, tag), with a natural key so fixtures and backups stay exact."""

    objects = TaggedManager()

    class Meta:
        abstract = True

    def natural_key(self) -> tuple[str, str]:
        return (self.content_object.slug, self.tag.name)


def choice_label(choices: type[models.Choices], value: str) -> str:
    """What `get_<field>_display()` returns, without Django's way of getting it: Django
    builds a dict of every choice, translating each label to hash it, on every call (16 µs;
    a list page asks for twenty kinds, an API page for twenty more)."""
    try:
        return str(choices(value).label)
    except ValueError:  # a value no longer among the choices: shown as stored, as Django does
        return value
