"""The list filters of the public contract, shared by the lists and the feeds.

Parameters: tag (repeatable, AND), speaker, event, kind, date_after, date_before, q.
Typed parameters (kind, dates) make the form invalid, which the views answer with a
400 naming the field; slugs are plain text, so an unknown one gives an empty page.
"""

from datetime import date, datetime, time

import django_filters
from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from articles.cache import cached_public
from articles.models import Event, Release, Speaker, Speech, TaggedRelease, TaggedSpeech
from articles.querysets import public_tags
from articles.search import search

MAX_TAGS = 6
MAX_SLUG_LENGTH = 200
MAX_QUERY_LENGTH = 200
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)


class TagInput(forms.Widget):
    """Reads every `tag=` value; the filter form renders its own controls."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return [value.strip() for value in values if value and value.strip()]


class SlugListField(forms.Field):
    widget = TagInput
    default_error_messages = {
        "too_many": f"Combine at most {MAX_TAGS} tags.",
        "too_long": "A tag is at most %(limit)d characters.",
    }

    def to_python(self, value) -> list[str]:
        return list(dict.fromkeys(value or []))  # keep order, drop repeats

    def validate(self, value: list[str]) -> None:
        if len(value) > MAX_TAGS:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many")
        if any(len(slug) > MAX_SLUG_LENGTH for slug in value):
            raise forms.ValidationError(
                self.error_messages["too_long"], code="too_long", params={"limit": MAX_SLUG_LENGTH}
            )


class TagFilter(django_filters.Filter):
    """`tag=a&tag=b`: items that carry every given tag."""

    field_class = SlugListField

    def __init__(self, *args, through, **kwargs):
        self.through = through
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: list[str]) -> QuerySet:
        """Filters by the tags' ids, found in `public_tag_index()`.

        Ids rather than a join on the slug: PostgreSQL then plans with the tag's own
        frequency, a tag on a third of the archive or on a hundred items (a popular tag's
        first page at 100,000 items: 73 -> 3 ms). A tag that no public item carries
        matches nothing. The names are kept for the page (the filterset's `found`).
        """
        index = public_tag_index() if value else {}
        self.parent.found["tag"] = {slug: index[slug][1] for slug in value or [] if slug in index}
        for slug in value or []:
            if slug not in index:
                return qs.none()
            links = self.through.objects.filter(tag_id=index[slug][0])
            qs = qs.filter(pk__in=links.values("content_object"))
        return qs


class IndexedSlugFilter(django_filters.CharFilter):
    """`speaker=` or `event=`: a slug, looked up in `visible_index()`, filtered by id.

    By id for the same reason as tags: one speaker is quoted in 8,000 releases, another
    in ten, and PostgreSQL plans each well only when it sees which (a popular speaker
    with a popular tag and a date range: 50 -> 6 ms of SQL).
    """

    def __init__(self, *args, named: type[models.Model], **kwargs):
        self.named = named
        kwargs.setdefault("max_length", MAX_SLUG_LENGTH)
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if not value:
            return qs
        found = visible_index(self.named).get(value)
        if found is None:
            return qs.none()
        self.parent.found[self.named._meta.model_name] = {value: found[1]}
        return qs.filter(**{self.field_name: found[0]})


def public_tag_index() -> dict[str, tuple[int, str]]:
    """Slug -> (id, name) of every tag that a public item carries, cached per content version."""

    def build() -> dict[str, tuple[int, str]]:
        return {
            slug: (pk, name) for slug, pk, name in public_tags().values_list("slug", "pk", "name")
        }

    return cached_public("public-tag-index", build)


def visible_index(model: type[Speaker] | type[Event]) -> dict[str, tuple[int, str]]:
    """Slug -> (id, name) of every visible speaker or event, cached per content version."""

    def build() -> dict[str, tuple[int, str]]:
        rows = model.objects.visible().order_by().values_list("slug", "pk", "name")
        return {slug: (pk, name) for slug, pk, name in rows}

    return cached_public(f"visible-index:{model._meta.model_name}", build)


class BoundedDateField(forms.DateField):
    """A YYYY-MM-DD date in a sane range (no year 1 or 9999 overflows downstream)."""

    input_formats = ["%Y-%m-%d"]
    default_error_messages = {
        "invalid": "Enter a date as YYYY-MM-DD, for example 2024-03-14.",
    }

    def validate(self, value) -> None:
        super().validate(value)
        if value and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise forms.ValidationError(
                f"Enter a date between {EARLIEST_DATE:%Y} and {LATEST_DATE:%Y}.", code="range"
            )


class DateFilter(django_filters.DateFilter):
    field_class = BoundedDateField


def _start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _end_of_day(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=timezone.get_current_timezone())


class PublicationFilterSet(django_filters.FilterSet):
    speaker = IndexedSlugFilter(field_name="speakers", named=Speaker, label="Speaker")
    q = django_filters.CharFilter(
        method="filter_q", max_length=MAX_QUERY_LENGTH, label="Words", strip=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The tags, speaker and event the filters found, by slug, with their names.
        self.found: dict[str, dict[str, str]] = {"tag": {}, "speaker": {}, "event": {}}

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        """The site search (articles.search): best matches first, then newest."""
        return search(qs, value).order_by("-search_rank", *qs.model._meta.ordering)


class ReleaseFilterSet(PublicationFilterSet):
    tag = TagFilter(through=TaggedRelease, label="Tags")
    event = IndexedSlugFilter(field_name="events", named=Event, label="Event")
    kind = django_filters.ChoiceFilter(choices=Release.Kind.choices, label="Kind")
    date_after = DateFilter(method="filter_after", label="From")
    date_before = DateFilter(method="filter_before", label="To")

    class Meta:
        model = Release
        fields = ["tag", "speaker", "event", "kind", "date_after", "date_before", "q"]

    def filter_after(self, qs: QuerySet, name: str, value: date) -> QuerySet:
        return qs.filter(published_at__gte=_start_of_day(value))

    def filter_before(self, qs: QuerySet, name: str, value: date) -> QuerySet:
        return qs.filter(published_at__lte=_end_of_day(value))


class SpeechFilterSet(PublicationFilterSet):
    tag = TagFilter(through=TaggedSpeech, label="Tags")
    event = IndexedSlugFilter(field_name="event", named=Event, label="Event")
    kind = django_filters.ChoiceFilter(choices=Speech.Kind.choices, label="Kind")
    date_after = DateFilter(field_name="delivered_on", lookup_expr="gte", label="From")
    date_before = DateFilter(field_name="delivered_on", lookup_expr="lte", label="To")

    class Meta:
        model = Speech
        fields = ["tag", "speaker", "event", "kind", "date_after", "date_before", "q"]
