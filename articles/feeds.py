"""RSS 2.0 and Atom feeds of releases and speeches, filtered like the lists.

URLs: `/feeds/releases/` and `/feeds/speeches/` (RSS 2.0), `/feeds/releases/atom/` and
`/feeds/speeches/atom/` (Atom 1.0). Every feed takes the list parameters (`tag`,
`speaker`, `event`, `kind`, `date_after`, `date_before`, `q`), bound by the same
FilterSets over `public()`; a bad value is the lists' 400 page. A feed holds the
latest 50 items with their full text, tags as categories and speakers as authors.
"""

import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django_filters import FilterSet

from articles.filters import (
    ReleaseFilterSet,
    SpeechFilterSet,
    public_tag_index,
    visible_index,
)
from articles.html import sanitise
from articles.models import Event, Release, Speaker, Speech
from articles.site_url import absolute_url
from articles.views import bad_request, last_modified

FEED_ITEMS = 50


class InvalidFilters(Exception):
    def __init__(self, errors: dict):
        super().__init__("Invalid feed filters")
        self.errors = errors


class AtomWithContent(Atom1Feed):
    """Atom entries carry the lead as <summary> and the full text as <content>."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class PublicationFeed(Feed):
    """What the release and speech feeds share; `get_object` binds the filters."""

    feed_type = Rss201rev2Feed
    model: type[Release] | type[Speech]
    filterset_class: type[FilterSet]
    list_url_name = ""
    noun = ""
    item_guid_is_permalink = True
    language = "en"

    request: HttpRequest | None = None

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # One Feed instance serves every request (urls.py): each gets its own copy that
        # knows its request, for the links below.
        feed = copy.copy(self)
        feed.request = request
        try:
            return super(PublicationFeed, feed).__call__(request, *args, **kwargs)
        except InvalidFilters as invalid:
            return bad_request(request, invalid.errors)

    def get_object(self, request: HttpRequest, *args, **kwargs) -> FilterSet:
        filterset = self.filterset_class(request.GET, queryset=self.model.objects.public())
        if not filterset.is_valid():  # .qs alone would drop bad fields silently
            raise InvalidFilters(filterset.errors)
        filterset.query_string = _query_string(request)
        return filterset

    # The channel

    def title(self, filterset: FilterSet) -> str:
        described = _describe(filterset.form.cleaned_data, self.model)
        suffix = f" — {described}" if described else ""
        return f"{settings.NEWSROOM_NAME}: {self.noun}{suffix}"

    # Links are absolute from the site's configured address (articles/site_url.py):
    # syndication's own `add_domain` would take the request's Host header.

    def link(self, filterset: FilterSet) -> str:
        return absolute_url(reverse(self.list_url_name) + filterset.query_string, self.request)

    def feed_url(self, filterset: FilterSet) -> str:
        return absolute_url(reverse(self.url_name) + filterset.query_string, self.request)

    def description(self, filterset: FilterSet) -> str:
        return f"The latest {self.noun.lower()} published by the {settings.NEWSROOM_NAME}."

    def author_name(self) -> str:
        return settings.NEWSROOM_NAME

    def items(self, filterset: FilterSet) -> QuerySet:
        # Newest first even when `q` asked for relevance: a feed is a timeline.
        ordered = filterset.qs.for_detail().order_by(*self.ordering)  # full text, tags, people
        return ordered[:FEED_ITEMS]

    # Each item

    def item_title(self, item: Release | Speech) -> str:
        return item.title

    def item_link(self, item: Release | Speech) -> str:
        return absolute_url(item.get_absolute_url(), self.request)

    def item_description(self, item: Release | Speech) -> str:
        """The full text: the lead, then the sanitised body."""
        lead = f"<p>{escape(item.summary)}</p>" if item.summary else ""
        return lead + sanitise(item.body)

    def item_pubdate(self, item: Release | Speech):
        return item.published_at

    def item_updateddate(self, item: Release | Speech):
        return last_modified(item)

    def item_categories(self, item: Release | Speech) -> list[str]:
        return [topic["name"] for topic in item.topics]

    def item_author_name(self, item: Release | Speech) -> str | None:
        names = [speaker.name for speaker in self.speakers(item)]
        return ", ".join(names) or None


class AtomFeedMixin:
    """The Atom version: the lead as summary, the full text as content."""

    feed_type = AtomWithContent
    subtitle = PublicationFeed.description

    def item_description(self, item: Release | Speech) -> str | None:
        return escape(item.summary) if item.summary else None

    def item_extra_kwargs(self, item: Release | Speech) -> dict:
        return {"content": PublicationFeed.item_description(self, item)}


class ReleaseFeed(PublicationFeed):
    model = Release
    filterset_class = ReleaseFilterSet
    list_url_name = "articles:release-list"
    url_name = "articles:release-feed"
    noun = "Press releases and news"
    ordering = ("-published_at", "-id")

    def speakers(self, item: Release) -> list[Speaker]:
        return item.quoted_speakers


class SpeechFeed(PublicationFeed):
    model = Speech
    filterset_class = SpeechFilterSet
    list_url_name = "articles:speech-list"
    url_name = "articles:speech-feed"
    noun = "Speeches and transcripts"
    ordering = ("-delivered_on", "-published_at", "-id")

    def speakers(self, item: Speech) -> list[Speaker]:
        return item.ordered_speakers


class ReleaseAtomFeed(AtomFeedMixin, ReleaseFeed):
    url_name = "articles:release-feed-atom"


class SpeechAtomFeed(AtomFeedMixin, SpeechFeed):
    url_name = "articles:speech-feed-atom"


def _query_string(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return f"?{params.urlencode()}" if params else ""


def _describe(data: dict, model: type[Release] | type[Speech]) -> str:
    """The active filters in words, for the feed's title."""
    parts = []
    if data.get("tag"):
        index = public_tag_index()
        names = [index[slug][1] if slug in index else slug for slug in data["tag"]]
        parts.append("tagged " + " and ".join(names))
    for key, model_of in (("speaker", Speaker), ("event", Event)):
        if data.get(key):
            found = visible_index(model_of).get(data[key])
            parts.append(f"{key} {found[1] if found else data[key]}")
    if data.get("kind"):
        parts.append(dict(model.Kind.choices)[data["kind"]])
    if data.get("date_after"):
        parts.append(f"from {data['date_after']:%Y-%m-%d}")
    if data.get("date_before"):
        parts.append(f"until {data['date_before']:%Y-%m-%d}")
    if data.get("q"):
        parts.append(f"matching “{data['q']}”")
    return ", ".join(parts)
