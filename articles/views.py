"""Public pages. Every query of releases and speeches starts from `public()`."""

import hashlib
import json
import operator
from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime
from functools import reduce

from django import forms
from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from articles.cache import cached_public
from articles.filters import (
    MAX_QUERY_LENGTH,
    ReleaseFilterSet,
    SpeechFilterSet,
    public_tag_index,
)
from articles.models import (
    Event,
    Release,
    Speaker,
    Speech,
    SpeechSpeaker,
    TaggedRelease,
    TaggedSpeech,
)
from articles.querysets import json_column
from articles.search import MatchCount, count_matches, ranked_rows, union_all, with_snippets
from articles.site_url import absolute_url

RELATED_LIMIT = 10


def bad_request(request: HttpRequest, errors: dict) -> HttpResponse:
    """The contract's 400: a page that names each wrong field."""
    return render(request, "400.html", {"errors": errors}, status=400)


def public_count(queryset: QuerySet, lookup: str) -> Coalesce:
    """Count of `queryset` rows whose `lookup` is the outer row: for per-row public counts."""
    counted = (
        queryset.filter(**{lookup: OuterRef("pk")})
        .order_by()
        .values(lookup)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _public_links(model: type[Release] | type[Speech], key: str) -> QuerySet:
    """Links from public items of `model` to their tags, speakers or events (`key`)."""
    public = model.objects.public()
    if key == "tag":
        through = TaggedRelease if model is Release else TaggedSpeech
        return through.objects.filter(content_object__in=public)
    if model is Speech:
        return SpeechSpeaker.objects.filter(speech__in=public) if key == "speaker" else public
    return getattr(Release, f"{key}s").through.objects.filter(release__in=public)


def public_counts(model: type[Release] | type[Speech], key: str) -> dict[int, int]:
    """Public items of `model` per tag, speaker or event id: one grouped query, cached.

    The directories and the filter form need every count at once; asking per row (a
    correlated COUNT for each of 300 tags) took 5.6 s on PostgreSQL at 100,000 items.
    """

    def build() -> dict[int, int]:
        links = _public_links(model, key).exclude(**{key: None}).order_by()
        return dict(links.values_list(key).annotate(n=Count("pk")).values_list(key, "n"))

    return cached_public(f"public-counts:{model._meta.model_name}:{key}", build)


# The filter form suggests the most used tags and speakers and the latest events, not
# all of them: at 100,000 items that is 300 tags, 500 speakers and 2,000 events, which
# made every list page 290 KB. Any other slug still filters; the tag, speaker and event
# directories link to every one.
SUGGESTED_TAGS = 100
SUGGESTED_SPEAKERS = 100
SUGGESTED_EVENTS = 50


def filter_options(model: type[Release] | type[Speech]) -> dict[str, list[tuple[str, str]]]:
    """Suggestions for the filter form, from public items of `model` only (cached)."""

    def most_used(named: type[Tag] | type[Speaker], key: str, limit: int) -> list[tuple[str, str]]:
        """The `limit` most linked tags or speakers, by name, labelled with their count."""
        counts = public_counts(model, key)
        top = sorted(counts, key=lambda pk: -counts[pk])[:limit]
        rows = named.objects.filter(pk__in=top).order_by().values_list("pk", "slug", "name")
        ordered = sorted(rows, key=lambda row: row[2].casefold())
        return [(slug, f"{name} ({counts[pk]})") for pk, slug, name in ordered]

    def build() -> dict[str, list[tuple[str, str]]]:
        public = model.objects.public()
        if model is Release:
            reported = Exists(public.filter(events=OuterRef("pk")))
        else:
            reported = Exists(public.filter(event=OuterRef("pk")))
        events = Event.objects.filter(reported).order_by("-start_on", "name")[:SUGGESTED_EVENTS]
        options = {
            "tags": most_used(Tag, "tag", SUGGESTED_TAGS),
            "speakers": most_used(Speaker, "speaker", SUGGESTED_SPEAKERS),
            "events": [(event.slug, event.name) for event in events.only("slug", "name")],
        }
        # Rendered once here and kept with the data: 250 <option>s were half of the
        # template's work on every list page.
        options["datalists"] = {
            name: format_html_join("", '<option value="{}">{}</option>', choices)
            for name, choices in options.items()
        }
        return options

    return cached_public(f"filter-options:{model._meta.model_name}", build)


# 100,000 items at 20 a page. Deeper pages answer 404 before any query, so a crawler
# cannot make the server count and skip through an unbounded archive.
MAX_PAGE = 5_000


def refuse_deep_pages(request: HttpRequest) -> None:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return  # not a number: the paginator answers 404
    if number > MAX_PAGE:
        raise Http404(f"Pages beyond {MAX_PAGE:,} are not served; narrow the list with dates.")


class CountOncePaginator(Paginator):
    """Counts a public list once per content version, not on every page of it.

    Reading page after page of one filter (or one tag of 20,000 releases) asked the
    database the same COUNT each time: 20-50 ms at 100,000 items. The count is kept
    under the list's filters through `cached_public`, so any save or embargo lift
    starts a new one.
    """

    DEEP = 1_000  # rows skipped before a page is read through its ids

    def __init__(self, *args, count_key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        return cached_public(f"count:{self.count_key}", lambda: Paginator.count.func(self))

    def page(self, number):
        """Skip to a deep page on the ordering index alone, then read only its rows.

        `OFFSET 40000` over whole rows made PostgreSQL fetch 40,000 rows to throw them
        away (page 2,000: 97 -> 9 ms); over the ids it is an index-only scan, and still
        one query. Near the top plain slicing is as fast, and on SQLite faster for a
        popular tag (43 against 107 ms).
        """
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom < self.DEEP:
            return self._get_page(self.object_list[bottom:top], number, self)
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


class CountOnceMixin:
    """A public list view whose paginator counts once per content version and query."""

    paginator_class = CountOncePaginator

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True):
        filters = self.request.GET.copy()
        filters.pop("page", None)
        digest = hashlib.sha256(filters.urlencode().encode()).hexdigest()[:32]
        return self.paginator_class(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            count_key=f"{self.model._meta.model_name}:{digest}",
        )


class FilteredListView(CountOnceMixin, ListView):
    """A public list filtered by the contract's parameters; bad input is a 400."""

    paginate_by = 20
    filterset_class: type
    feed_url_name = ""

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refuse_deep_pages(request)
        self.filterset = self.filterset_class(request.GET, queryset=self.model.objects.public())
        if not self.filterset.is_valid():  # .qs alone would drop bad fields silently
            return bad_request(request, self.filterset.errors)
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        return self.filterset.qs.for_listing()

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        active, unknown = self.describe_filters()
        page = context["page_obj"]
        context.update(
            filterset=self.filterset,
            options=filter_options(self.model),
            active_filters=active,
            unknown_filters=unknown,
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2),
            feeds=feed_links(self.request, self.feed_url_name),  # issue 6: <link rel=alternate>
        )
        return context

    def describe_filters(self) -> tuple[list[dict], list[str]]:
        """Active filters as labelled values with a link that clears each one."""
        data = self.filterset.form.cleaned_data
        query = self.request.GET
        active: list[dict] = []
        unknown: list[str] = []

        def without(param: str, value: str) -> str:
            remaining = query.copy()
            remaining.setlist(param, [v for v in query.getlist(param) if v.strip() != value])
            remaining.pop("page", None)
            encoded = remaining.urlencode()
            return f"?{encoded}" if encoded else self.request.path

        names = self.filterset.found  # what the filters looked up, visible and public only
        for slug in data.get("tag") or []:
            active.append({"label": "Tag", "value": names["tag"].get(slug, slug),
                           "clear_url": without("tag", slug)})  # fmt: skip
            if slug not in names["tag"]:
                unknown.append(f"There is no tag “{slug}”.")
        for param, label in (("speaker", "Speaker"), ("event", "Event")):
            slug = data.get(param)
            if slug:
                active.append({"label": label, "value": names[param].get(slug, slug),
                               "clear_url": without(param, slug)})  # fmt: skip
                if slug not in names[param]:
                    unknown.append(f"There is no {param} “{slug}”.")
        if data.get("kind"):
            kinds = dict(self.model.Kind.choices)
            active.append({"label": "Kind", "value": kinds[data["kind"]],
                           "clear_url": without("kind", data["kind"])})  # fmt: skip
        for param, label in (("date_after", "From"), ("date_before", "To")):
            if data.get(param):
                raw = query.get(param, "").strip()
                active.append(
                    {"label": label, "value": data[param], "clear_url": without(param, raw)}
                )
        if data.get("q"):
            active.append({"label": "Words", "value": data["q"],
                           "clear_url": without("q", query.get("q", "").strip())})  # fmt: skip
        return active, unknown


class ReleaseListView(FilteredListView):
    model = Release
    filterset_class = ReleaseFilterSet
    feed_url_name = "articles:release-feed"


class SpeechListView(FilteredListView):
    model = Speech
    filterset_class = SpeechFilterSet
    feed_url_name = "articles:speech-feed"


class ReleaseDetailView(DetailView):
    def get_queryset(self) -> QuerySet:
        return Release.objects.public().for_detail()

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(rich_preview(self.request, self.object))  # issue 6: meta, related
        return context


class SpeechDetailView(DetailView):
    def get_queryset(self) -> QuerySet:
        return Speech.objects.public().for_detail()

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(rich_preview(self.request, self.object))  # issue 6: meta, related
        return context


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        latest = Event.objects.visible().filter(start_on__lte=today).order_by("-start_on")[:5]
        context.update(
            releases=Release.objects.public().for_listing()[:6],
            speeches=Speech.objects.public().for_listing()[:4],
            # Which events are visible is asked of every event (40 ms on PostgreSQL at
            # 2,000 events): kept until content changes, like the other derived data.
            events=cached_public(f"home-events:{today.isoformat()}", lambda: list(latest)),
        )
        return context


class SpeakerListView(CountOnceMixin, ListView):
    model = Speaker
    paginate_by = 50

    def get_queryset(self) -> QuerySet:
        return Speaker.objects.visible()

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        speeches, releases = public_counts(Speech, "speaker"), public_counts(Release, "speaker")
        for speaker in context["speaker_list"]:
            speaker.speech_count = speeches.get(speaker.pk, 0)
            speaker.release_count = releases.get(speaker.pk, 0)
        return context


class SpeakerDetailView(DetailView):
    model = Speaker

    def get_queryset(self) -> QuerySet:
        return Speaker.objects.visible()

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        speaker = self.object
        speeches = speaker.speeches.public()
        releases = speaker.releases.public()
        context.update(
            speeches=speeches.for_listing()[:RELATED_LIMIT],
            speech_count=speeches.count(),
            releases=releases.for_listing()[:RELATED_LIMIT],
            release_count=releases.count(),
        )
        return context


class EventListView(CountOnceMixin, ListView):
    model = Event
    paginate_by = 30

    def get_queryset(self) -> QuerySet:
        return Event.objects.visible()


class EventDetailView(DetailView):
    model = Event

    def get_queryset(self) -> QuerySet:
        return Event.objects.visible().prefetch_related("tags")

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        event = self.object
        context.update(
            speeches=event.speeches.public().for_listing().order_by("delivered_on", "published_at"),
            releases=event.releases.public().for_listing().order_by("published_at"),
        )
        return context


class TagListView(ListView):
    """Every tag that has public releases or speeches, with their public counts."""

    template_name = "articles/tag_list.html"
    context_object_name = "tags"

    def get_queryset(self) -> list[Tag]:
        releases, speeches = public_counts(Release, "tag"), public_counts(Speech, "tag")
        tags = list(Tag.objects.filter(pk__in=releases.keys() | speeches.keys()).order_by("name"))
        for tag in tags:
            tag.release_count, tag.speech_count = releases.get(tag.pk, 0), speeches.get(tag.pk, 0)
        return tags


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Everything published with a tag: its releases and speeches, and the events it names.

    The tag and its counts come from the cached public-tag index and counts, so the
    page asks only for its rows.
    """
    found = public_tag_index().get(slug)
    if found is None:
        raise Http404("No published item has this topic.")
    tag = Tag(pk=found[0], slug=slug, name=found[1])
    releases = Release.objects.public().filter(
        pk__in=TaggedRelease.objects.filter(tag_id=tag.pk).values("content_object")
    )
    speeches = Speech.objects.public().filter(
        pk__in=TaggedSpeech.objects.filter(tag_id=tag.pk).values("content_object")
    )
    context = {
        "tag": tag,
        "releases": releases.for_listing()[:RELATED_LIMIT],
        "release_count": public_counts(Release, "tag").get(tag.pk, 0),
        "speeches": speeches.for_listing()[:RELATED_LIMIT],
        "speech_count": public_counts(Speech, "tag").get(tag.pk, 0),
        "events": Event.objects.visible().filter(tags=tag).order_by("-start_on")[:RELATED_LIMIT],
    }
    return render(request, "articles/tag_detail.html", context)


# --- Discovery (issue 6): search, archive, related items, rich previews, feed links ---
#
# Everything below starts from `public()`, like the rest of this module.

SEARCH_SOURCES = (
    ("releases", "release", Release, ReleaseFilterSet),
    ("speeches", "speech", Speech, SpeechFilterSet),
)
RESULT_FIELDS = ("result_type", "pk", "title", "slug", "kind", "summary", "published_at",
                 "result_date")  # fmt: skip
RESULT_ORDER = ("-result_date", "-published_at")
RELATED_ITEMS = 4
_JSON_LD_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@dataclass
class Result:
    """A release or a speech among mixed results (search, related items)."""

    result_type: str  # "release" or "speech"
    pk: int
    title: str
    slug: str
    kind: str
    summary: str
    published_at: datetime
    result_date: date
    snippet: str = ""
    speakers: list[dict] = dataclass_field(default_factory=list)

    @property
    def kind_label(self) -> str:
        model = Release if self.result_type == "release" else Speech
        return dict(model.Kind.choices).get(self.kind, self.kind)

    @property
    def url(self) -> str:
        return reverse(f"articles:{self.result_type}-detail", kwargs={"slug": self.slug})


def last_modified(item: Release | Speech) -> datetime:
    """When a public item last changed: never before it was published (scheduled items)."""
    return max(item.published_at, item.updated_at)


def _result_rows(queryset: QuerySet, result_type: str, *extra: str) -> QuerySet:
    """`queryset` as rows that line up with the other model's, for a UNION."""
    public_date = TruncDate("published_at") if queryset.model is Release else F("delivered_on")
    rows = queryset.order_by().annotate(result_type=Value(result_type), result_date=public_date)
    return rows.values(*RESULT_FIELDS, *extra)


def _speakers_json(model: type[Release] | type[Speech]) -> Subquery:
    """Each row's speakers (name, slug, position) in one column, instead of a query per model."""
    person = {"name": "speaker__name", "slug": "speaker__slug"}
    if model is Release:
        return json_column(Release.speakers.through.objects, "release", **person, position=Value(0))
    return json_column(SpeechSpeaker.objects, "speech", **person, position="position")


class _MixedResults:
    """Releases and speeches as one ranked sequence for the Paginator.

    One query counts (best and all matches, up to `search.MAX_RESULTS`: `capped` says
    there are more), one fetches the page (a UNION of rows, best matches first, see
    `search.ranked_rows`); `Paginator` calls `count()` and slices.
    """

    def __init__(self, querysets: dict[str, QuerySet]):
        self.querysets = querysets
        self.matches: MatchCount | None = None

    def count(self) -> int:
        self.matches = count_matches(list(self.querysets.values()))
        return self.matches.listed

    @property
    def capped(self) -> bool:
        return self.matches is not None and self.matches.capped

    def __getitem__(self, index: slice) -> list[dict]:
        if not isinstance(index, slice):  # e.g. the template's `object_list.capped` tries [] first
            raise TypeError("only slices of the results are fetched")
        rows = [_result_rows(qs, name, "search_rank") for name, qs in self.querysets.items()]
        return ranked_rows(rows, ("-search_rank", *RESULT_ORDER), index, self.matches)


def _search_page_results(rows: list[dict], query: str) -> list[Result]:
    """One page of rows with their snippet and speakers: a single query, whatever the size."""
    extras: dict[tuple[str, int], dict] = {}
    parts = []
    for _plural, name, model, _filterset in SEARCH_SOURCES:
        ids = [row["pk"] for row in rows if row["result_type"] == name]
        if ids:
            matched = with_snippets(model.objects.public().filter(pk__in=ids), query)
            parts.append(
                matched.order_by()
                .annotate(result_type=Value(name), people=_speakers_json(model))
                .values("result_type", "pk", "search_snippet", "people")
            )
    if parts:
        extras = {(row["result_type"], row["pk"]): row for row in union_all(parts)}
    results = []
    for row in rows:
        extra = extras.get((row["result_type"], row["pk"]), {})
        people = sorted(extra.get("people") or [], key=lambda p: (p["position"], p["name"]))
        fields = {name: row[name] for name in RESULT_FIELDS}
        results.append(Result(**fields, snippet=extra.get("search_snippet", ""), speakers=people))
    return results


class SearchForm(forms.Form):
    """The search page's own parameters; the list filters are read by the FilterSets."""

    q = forms.CharField(label="Search for", max_length=MAX_QUERY_LENGTH, required=False)
    type = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Everything"), ("releases", "Releases and news"), ("speeches", "Speeches")],
    )
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[
            ("", "Any kind"),
            ("Releases and news", Release.Kind.choices),
            ("Speeches", Speech.Kind.choices),
        ],
    )


def search_page(request: HttpRequest) -> HttpResponse:
    """`/search/?q=`: releases and speeches together, best match first, 20 a page.

    Takes the list filters too (tag, speaker, event, kind, date_after, date_before) and
    `type=releases|speeches`; bad values are a 400 naming the field, as on the lists.
    """
    refuse_deep_pages(request)
    form = SearchForm(request.GET)
    if not form.is_valid():
        return bad_request(request, form.errors)
    query, wanted, kind = (form.cleaned_data[name] for name in ("q", "type", "kind"))
    querysets: dict[str, QuerySet] = {}
    errors: dict = {}
    for plural, name, model, filterset_class in SEARCH_SOURCES:
        if (wanted and wanted != plural) or (kind and kind not in model.Kind.values):
            continue
        data = request.GET.copy()
        for param in ("page", "type"):
            data.pop(param, None)
        filterset = filterset_class(data, queryset=model.objects.public())
        if not filterset.is_valid():
            errors.update(filterset.errors)
        elif query:
            querysets[name] = filterset.qs
    if errors:
        return bad_request(request, errors)
    tabs = [
        {"value": value, "label": label, "current": value == wanted,
         "url": _querystring(request, type=value or None, page=None, kind=None)}
        for value, label in form.fields["type"].choices
    ]  # fmt: skip
    kept = [(name, value) for name in ("tag", "speaker", "event")
            for value in request.GET.getlist(name) if value.strip()]  # fmt: skip
    context = {"form": form, "query": query, "tabs": tabs, "kept": kept,
               "filtered": _search_filters(request)}  # fmt: skip
    if query:
        paginator = Paginator(_MixedResults(querysets), 20)
        try:
            page = paginator.page(request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404(f"No such page of results: {error}") from None
        page.object_list = _search_page_results(list(page.object_list), query)
        context.update(
            page_obj=page,
            paginator=paginator,
            results=page.object_list,
            page_range=paginator.get_elided_page_range(page.number, on_each_side=2),
        )
    return render(request, "articles/search.html", context)


def _querystring(request: HttpRequest, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    encoded = params.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


def _search_filters(request: HttpRequest) -> list[dict]:
    """List filters given to the search page, each with a link that removes it."""
    labels = {"tag": "Tag", "speaker": "Speaker", "event": "Event", "kind": "Kind",
              "date_after": "From", "date_before": "To"}  # fmt: skip
    kinds = dict(Release.Kind.choices) | dict(Speech.Kind.choices)
    active = []
    for param, label in labels.items():
        for value in request.GET.getlist(param):
            if value.strip():
                remaining = request.GET.copy()
                remaining.setlist(param, [v for v in request.GET.getlist(param) if v != value])
                remaining.pop("page", None)
                shown = kinds.get(value, value) if param == "kind" else value
                encoded = remaining.urlencode()
                clear = f"{request.path}?{encoded}" if encoded else request.path
                active.append({"label": label, "value": shown, "clear_url": clear})
    return active


def feed_links(request: HttpRequest, url_name: str) -> list[dict]:
    """RSS and Atom links for a list page, carrying its filters (not its page number)."""
    if not url_name:
        return []
    params = request.GET.copy()
    params.pop("page", None)
    query = f"?{params.urlencode()}" if params else ""
    return [
        {"type": "application/rss+xml", "title": "RSS feed of this list",
         "href": reverse(url_name) + query},
        {"type": "application/atom+xml", "title": "Atom feed of this list",
         "href": reverse(f"{url_name}-atom") + query},
    ]  # fmt: skip


# Related items are ranked among the newest public items that share anything with the
# page's item, not among all of them: a tag on a third of 100,000 items made the ranking
# count links for 20,000 candidates (release detail 456 ms of SQL on SQLite, 1 s on
# PostgreSQL). Walking the newest first on the public-order index stops after this many.
RELATED_CANDIDATES = 200


def related_items(item: Release | Speech) -> list[Result]:
    """Up to four public items sharing the most tags, speakers or events with `item`.

    A shared speaker or event counts twice as much as a shared tag; ties go to the
    newer item. Candidates are the newest `RELATED_CANDIDATES` of each kind that share
    something. Reads the item's prefetched tags, speakers and events, then asks one
    query (a UNION of both models), kept in the cache until public content changes.
    """
    tags = [topic["id"] for topic in item.topics]
    if isinstance(item, Release):
        speakers = [speaker.pk for speaker in item.quoted_speakers]
        events = [event.pk for event in item.covered_events]
    else:
        speakers = [speaker.pk for speaker in item.ordered_speakers]
        events = [item.event_id] if item.event_id else []
    if not (tags or speakers or events):
        return []

    def rank() -> list[Result]:
        parts = [_related_rows(model, item, tags, speakers, events) for model in (Release, Speech)]
        ranked = union_all(parts).order_by("-score", *RESULT_ORDER)[:RELATED_ITEMS]
        return [Result(**{name: row[name] for name in RESULT_FIELDS}) for row in ranked]

    # Kept per item until anything public changes (or the next embargo lifts), like the
    # filter options: the same four answers on every view cost 10-30 ms of SQL each.
    return cached_public(f"related:{item_type(type(item))}:{item.pk}", rank)


def _related_rows(model, item, tags: list[int], speakers: list[int], events: list[int]):
    if model is Release:
        links = [
            (tags, TaggedRelease.objects.filter(tag__in=tags), "content_object", 1),
            (speakers, Release.speakers.through.objects.filter(speaker__in=speakers), "release", 2),
            (events, Release.events.through.objects.filter(event__in=events), "release", 2),
        ]
    else:
        links = [
            (tags, TaggedSpeech.objects.filter(tag__in=tags), "content_object", 1),
            (speakers, SpeechSpeaker.objects.filter(speaker__in=speakers), "speech", 2),
        ]
    conditions, scores = [], []
    for ids, shared, lookup, weight in links:
        if ids:
            # EXISTS, probed row by row while the public-order index is walked newest
            # first, up to RELATED_CANDIDATES: reading the links first would fetch (or
            # hash) every item carrying a popular tag, 25,000 of them.
            conditions.append(Exists(shared.filter(**{lookup: OuterRef("pk")})))
            scores.append(public_count(shared, lookup) * weight)
    if model is Speech and events:
        conditions.append(Q(event__in=events))
        scores.append(Case(When(event__in=events, then=Value(2)), default=Value(0)))
    newest = model.objects.public().filter(reduce(operator.or_, conditions))
    if isinstance(item, model):
        newest = newest.exclude(pk=item.pk)
    newest = newest.order_by(*model._meta.ordering).values("pk")[:RELATED_CANDIDATES]
    candidates = model.objects.filter(pk__in=newest).annotate(score=reduce(operator.add, scores))
    return _result_rows(candidates, item_type(model), "score")


def item_type(model: type[Release] | type[Speech]) -> str:
    return "release" if model is Release else "speech"


def rich_preview(request: HttpRequest, item: Release | Speech) -> dict:
    """Canonical URL, related items and schema.org JSON-LD for a detail page."""
    canonical = absolute_url(item.get_absolute_url(), request)  # the site's address, not Host
    return {
        "canonical_url": canonical,
        "modified_at": last_modified(item),
        "related": related_items(item),
        "json_ld": _json_ld(_structured_data(request, item, canonical)),
    }


def _json_ld(data: dict) -> SafeString:
    """JSON for a <script> element: `<`, `>` and `&` escaped so nothing can close it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None)
    return mark_safe(text.translate(_JSON_LD_ESCAPES))  # escaped like `json_script`


def _structured_data(request: HttpRequest, item: Release | Speech, url: str) -> dict:
    def absolute(path: str) -> str:
        return absolute_url(path, request)

    def person(speaker: Speaker) -> dict:
        data = {
            "@type": "Person",
            "name": speaker.name,
            "url": absolute(speaker.get_absolute_url()),
        }
        if speaker.role:
            data["jobTitle"] = speaker.role
        return data

    def event_data(event: Event) -> dict:
        return {"@type": "Event", "name": event.name, "url": absolute(event.get_absolute_url()),
                "startDate": event.start_on.isoformat()}  # fmt: skip

    publisher = {"@type": "Organization", "name": settings.NEWSROOM_NAME,
                 "url": absolute(reverse("articles:home"))}  # fmt: skip
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle" if isinstance(item, Release) else "Article",
        "headline": item.title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": item.published_at.isoformat(),
        "dateModified": last_modified(item).isoformat(),
        "publisher": publisher,
        "inLanguage": "en",
        "keywords": [topic["name"] for topic in item.topics],
        "articleSection": item.get_kind_display(),
    }
    if item.summary:
        data["description"] = item.summary
    if isinstance(item, Release):
        organisation = item.source or settings.NEWSROOM_NAME
        data["author"] = {"@type": "Organization", "name": organisation}
        speakers = [person(speaker) for speaker in item.quoted_speakers]
        if speakers:
            data["mentions"] = speakers
        events = [event_data(event) for event in item.covered_events]
        if events:
            data["about"] = events
    else:
        speakers = [person(speaker) for speaker in item.ordered_speakers]
        data.update(
            {
                "genre": "Speech transcript",
                "dateCreated": item.delivered_on.isoformat(),
                "author": speakers or publisher,
            }
        )
        if speakers:
            data["about"] = speakers[0]
        if item.location:
            data["contentLocation"] = {"@type": "Place", "name": item.location}
        if item.event:
            data["recordedAt"] = event_data(item.event)
    return data


def archive(request: HttpRequest) -> HttpResponse:
    """`/archive/`: public releases and speeches counted by year."""
    years = cached_public("archive", archive_periods)
    return render(request, "articles/archive.html", {"years": years})


def archive_year(request: HttpRequest, year: int) -> HttpResponse:
    """`/archive/<year>/`: that year's public releases and speeches counted by month."""
    years = cached_public("archive", archive_periods)
    found = next((period for period in years if period["year"] == year), None)
    if found is None:
        raise Http404("Nothing was published that year.")
    newer = min((period["year"] for period in years if period["year"] > year), default=None)
    older = max((period["year"] for period in years if period["year"] < year), default=None)
    context = {"period": found, "newer": newer, "older": older}
    return render(request, "articles/archive_year.html", context)


def archive_periods() -> list[dict]:
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(
        lambda: {"releases": 0, "speeches": 0}
    )
    monthly = (
        ("releases", Release.objects.public().annotate(month=TruncMonth("published_at"))),
        ("speeches", Speech.objects.public().annotate(month=TruncMonth("delivered_on"))),
    )
    for key, queryset in monthly:
        for row in queryset.order_by().values("month").annotate(n=Count("pk")):
            counts[(row["month"].year, row["month"].month)][key] += row["n"]
    years: list[dict] = []
    for (year, month), numbers in sorted(counts.items(), reverse=True):
        if not years or years[-1]["year"] != year:
            first, last = date(year, 1, 1), date(year, 12, 31)
            years.append({"year": year, "releases": 0, "speeches": 0, "months": [],
                          **_period_links(first, last)})  # fmt: skip
        first = date(year, month, 1)
        last = date(year, month, monthrange(year, month)[1])
        years[-1]["months"].append({"month": first, **numbers, **_period_links(first, last)})
        years[-1]["releases"] += numbers["releases"]
        years[-1]["speeches"] += numbers["speeches"]
    return years


def _period_links(first: date, last: date) -> dict[str, str]:
    query = f"?date_after={first:%Y-%m-%d}&date_before={last:%Y-%m-%d}"
    return {
        "release_url": reverse("articles:release-list") + query,
        "speech_url": reverse("articles:speech-list") + query,
    }
