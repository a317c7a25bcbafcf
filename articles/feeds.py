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
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles import languages
from articles.corrections import Entry, correction_record, entries
from articles.filters import PublicationFilterSet, filterset_for, query_string
from articles.html import sanitise
from articles.models import Publication, Release, Speech
from articles.responses import bad_request
from articles.site_url import absolute_url
from newsroom.media.feeds import MediaRSSMixin, feed_picture

FEED_ITEMS = 50


class InvalidFilters(Exception):
    def __init__(self, errors: dict):
        super().__init__("Invalid feed filters")
        self.errors = errors


class RssWithPictures(MediaRSSMixin, Rss201rev2Feed):
    """RSS 2.0 with each item's lead image as Media RSS, credit and licence included."""


class AtomWithContent(MediaRSSMixin, Atom1Feed):
    """Atom entries carry the lead as <summary> and the full text as <content>."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


def update_line(item: Publication) -> str:
    """ "Updated <time, zone>: <note>" for the latest substantive change, as on the page
    ("Correction." before a correction's note); "" when there was none."""
    notes = item.change_notes  # newest first, from for_detail()'s column: no query
    if not notes:
        return ""
    note = notes[0]
    when = date_format(timezone.localtime(note.at), "j F Y, H:i T")
    if note.is_correction:
        return gettext("Updated %(when)s: Correction. %(note)s") % {"when": when, "note": note.note}
    return gettext("Updated %(when)s: %(note)s") % {"when": when, "note": note.note}


class PublicationFeed(Feed):
    """What the release and speech feeds share; `get_object` binds the filters."""

    feed_type = RssWithPictures
    model: type[Publication]
    noun = ""
    item_guid_is_permalink = True

    request: HttpRequest | None = None

    @property
    def language(self) -> str:
        """The language being read (/fr/feeds/… is French): the items' and the titles'."""
        return languages.current()

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # One Feed instance serves every request (urls.py): each gets its own copy that
        # knows its request, for the links below.
        canonical = PublicationFilterSet.canonical_query(request.GET)
        if canonical is not None:  # a name typed for a slug: the canonical feed address
            return HttpResponseRedirect(request.path + canonical)
        feed = copy.copy(self)
        feed.request = request
        try:
            return super(PublicationFeed, feed).__call__(request, *args, **kwargs)
        except InvalidFilters as invalid:
            return bad_request(request, invalid.errors)

    def get_object(self, request: HttpRequest, *args, **kwargs) -> PublicationFilterSet:
        filterset = filterset_for(self.model, request.GET)
        if not filterset.is_valid():  # .qs alone would drop bad fields silently
            raise InvalidFilters(filterset.errors)
        filterset.query_string = query_string(request.GET)
        return filterset

    # The channel

    def title(self, filterset: PublicationFilterSet) -> str:
        described = filterset.describe()
        names = {"site": settings.NEWSROOM_NAME, "feed": self.noun, "filters": described}
        if described:
            # Translators: a filtered feed's title, e.g. "NATO Newsroom: Speeches and
            # transcripts — speaker Jens Stoltenberg, from 2024-01-01".
            return gettext("%(site)s: %(feed)s — %(filters)s") % names
        return gettext("%(site)s: %(feed)s") % names

    # Links are absolute from the site's configured address (articles/site_url.py):
    # syndication's own `add_domain` would take the request's Host header.

    def link(self, filterset: PublicationFilterSet) -> str:
        list_url = reverse(f"articles:{self.model._meta.model_name}-list")
        return absolute_url(list_url + filterset.query_string, self.request)

    def feed_url(self, filterset: PublicationFilterSet) -> str:
        return absolute_url(reverse(self.url_name) + filterset.query_string, self.request)

    def description(self, filterset: PublicationFilterSet) -> str:
        return gettext("The latest %(feed)s published by the %(site)s.") % {
            "feed": self.noun.lower(),
            "site": settings.NEWSROOM_NAME,
        }

    def author_name(self) -> str:
        return settings.NEWSROOM_NAME

    def items(self, filterset: PublicationFilterSet) -> QuerySet:
        # Newest first even when `q` asked for relevance: a feed is a timeline.
        ordered = filterset.qs.for_detail().order_by(*self.model._meta.ordering)  # with people
        return ordered[:FEED_ITEMS]

    # Each item

    def item_title(self, item: Publication) -> str:
        return item.title

    def item_link(self, item: Publication) -> str:
        return absolute_url(item.get_absolute_url(), self.request)

    def item_description(self, item: Publication) -> str:
        """The full text: the latest change note if readers were told of one, the lead,
        then the sanitised body."""
        update = update_line(item)
        lead = f"<p>{escape(item.summary)}</p>" if item.summary else ""
        return (
            (f"<p><strong>{escape(update)}</strong></p>" if update else "")
            + lead
            + sanitise(item.body)
        )

    def item_pubdate(self, item: Publication):
        return item.published_at

    def item_updateddate(self, item: Publication):
        """Atom `<updated>`: the last substantive change (an update or a correction), so
        feed readers announce the item again; a minor change or a withdrawal does not."""
        return item.date_modified

    def item_categories(self, item: Publication) -> list[str]:
        return [topic["name"] for topic in item.topics]

    def item_author_name(self, item: Publication) -> str | None:
        names = [speaker.name for speaker in item.speaker_list]
        return ", ".join(names) or None

    def item_extra_kwargs(self, item: Publication) -> dict:
        return {"picture": feed_picture(item.lead_image, self._absolute)}

    def _absolute(self, path: str) -> str:
        return absolute_url(path, self.request)


class AtomFeedMixin:
    """The Atom version: the lead as summary, the full text as content."""

    feed_type = AtomWithContent
    subtitle = PublicationFeed.description

    def item_description(self, item: Publication) -> str | None:
        """The summary, after the latest change note (what the entry is announced for)."""
        text = " ".join(part for part in (update_line(item), item.summary) if part)
        return escape(text) if text else None

    def item_extra_kwargs(self, item: Publication) -> dict:
        return {
            **PublicationFeed.item_extra_kwargs(self, item),
            "content": PublicationFeed.item_description(self, item),
        }


class ReleaseFeed(PublicationFeed):
    model = Release
    url_name = "articles:release-feed"
    noun = _("Press releases and news")


class SpeechFeed(PublicationFeed):
    model = Speech
    url_name = "articles:speech-feed"
    noun = _("Speeches and transcripts")


class ReleaseAtomFeed(AtomFeedMixin, ReleaseFeed):
    url_name = "articles:release-feed-atom"


class SpeechAtomFeed(AtomFeedMixin, SpeechFeed):
    url_name = "articles:speech-feed-atom"


class CorrectionFeed(Feed):
    """`/feeds/corrections/` (RSS 2.0) and `/feeds/corrections/atom/`: the corrections
    record (articles/corrections.py), newest first, the latest 50."""

    feed_type = Rss201rev2Feed
    url_name = "articles:correction-feed"
    request: HttpRequest | None = None

    @property
    def language(self) -> str:
        return languages.current()

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        feed = copy.copy(self)  # one instance serves every request: each its own copy
        feed.request = request
        return super(CorrectionFeed, feed).__call__(request, *args, **kwargs)

    def title(self) -> str:
        return gettext("%(site)s: corrections and withdrawals") % {"site": settings.NEWSROOM_NAME}

    def link(self) -> str:
        return absolute_url(reverse("articles:correction-list"), self.request)

    def feed_url(self) -> str:
        return absolute_url(reverse(self.url_name), self.request)

    def description(self) -> str:
        return gettext(
            "Every correction to a published release or speech of the %(site)s, "
            "and every item withdrawn or removed, with the editors' notes."
        ) % {"site": settings.NEWSROOM_NAME}

    def author_name(self) -> str:
        return settings.NEWSROOM_NAME

    def items(self) -> list[Entry]:
        return entries(correction_record()[:FEED_ITEMS])

    def item_title(self, item: Entry) -> str:
        if item.entry == "removal":
            # Translators: "noun" is "release" or "speech", as translated elsewhere.
            return gettext("Removed: a %(noun)s") % {"noun": item.noun}
        return gettext("%(label)s: %(title)s") % {"label": item.label, "title": item.item_title}

    def item_link(self, item: Entry) -> str:
        path = item.changes_url or item.item_url
        if path is None:  # a removal: its line in the record
            path = f"{reverse('articles:correction-list')}#{item.anchor}"
        return absolute_url(path, self.request)

    def item_guid(self, item: Entry) -> str:
        return f"{self.item_link(item)}#{item.anchor}-{item.noted_at.isoformat()}"

    item_guid_is_permalink = False

    def item_description(self, item: Entry) -> str:
        return escape(item.note_text)

    def item_pubdate(self, item: Entry):
        return item.noted_at


class CorrectionAtomFeed(CorrectionFeed):
    feed_type = Atom1Feed
    url_name = "articles:correction-feed-atom"
    subtitle = CorrectionFeed.description
