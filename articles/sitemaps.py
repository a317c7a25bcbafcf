"""`/sitemap.xml`: a sitemap index of every public page, for search engines.

Sections: list pages, archive years, releases, speeches, and the speakers, events and
topics that have public items. Releases and speeches come from `public()` and carry
`lastmod` (their last change); a section longer than `limit` URLs is split into pages,
each listed by the index, so the archive can grow past 50,000 URLs (one file's limit).
"""

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from taggit.models import Tag

from articles.cache import cached_public
from articles.models import Event, Release, Speaker, Speech, TaggedRelease, TaggedSpeech
from articles.views import archive_periods, last_modified

URLS_PER_FILE = 10_000  # under the protocol's 50,000, so each file stays quick to build


class PagesSitemap(Sitemap):
    """The list and browse pages."""

    url_names = [
        "articles:home",
        "articles:release-list",
        "articles:speech-list",
        "articles:speaker-list",
        "articles:event-list",
        "articles:tag-list",
        "articles:archive",
    ]
    changefreq = "daily"

    def items(self) -> list[str]:
        return self.url_names

    def location(self, item: str) -> str:
        return reverse(item)


class ArchiveSitemap(Sitemap):
    """A page per year that has public items."""

    def items(self) -> list[int]:
        return [period["year"] for period in cached_public("archive", archive_periods)]

    def location(self, item: int) -> str:
        return reverse("articles:archive-year", kwargs={"year": item})


class PublicationSitemap(Sitemap):
    model: type[Release] | type[Speech]
    limit = URLS_PER_FILE

    def items(self) -> QuerySet:
        return self.model.objects.public().only("slug", "published_at", "updated_at")

    def lastmod(self, item: Release | Speech) -> datetime:
        return last_modified(item)

    def get_latest_lastmod(self) -> datetime | None:
        """One aggregate, instead of Django's default of loading every item."""
        latest = self.model.objects.public().aggregate(
            published=Max("published_at"), updated=Max("updated_at")
        )
        return max((moment for moment in latest.values() if moment), default=None)


class ReleaseSitemap(PublicationSitemap):
    model = Release


class SpeechSitemap(PublicationSitemap):
    model = Speech


class SpeakerSitemap(Sitemap):
    """Speakers who speak in, or are quoted by, public items."""

    limit = URLS_PER_FILE

    def items(self) -> QuerySet:
        speaks = Exists(Speech.objects.public().filter(speakers=OuterRef("pk")))
        quoted = Exists(Release.objects.public().filter(speakers=OuterRef("pk")))
        return Speaker.objects.filter(Q(speaks) | Q(quoted)).order_by("slug").only("slug")


class EventSitemap(Sitemap):
    """Events with public speeches or releases."""

    limit = URLS_PER_FILE

    def items(self) -> QuerySet:
        speeches = Exists(Speech.objects.public().filter(event=OuterRef("pk")))
        releases = Exists(Release.objects.public().filter(events=OuterRef("pk")))
        return Event.objects.filter(Q(speeches) | Q(releases)).order_by("slug").only("slug")


class TagSitemap(Sitemap):
    """Topic pages of tags that public items carry."""

    limit = URLS_PER_FILE

    def items(self) -> QuerySet:
        releases = TaggedRelease.objects.filter(
            tag=OuterRef("pk"), content_object__in=Release.objects.public()
        )
        speeches = TaggedSpeech.objects.filter(
            tag=OuterRef("pk"), content_object__in=Speech.objects.public()
        )
        tagged = Q(Exists(releases)) | Q(Exists(speeches))
        return Tag.objects.filter(tagged).order_by("slug").only("slug")

    def location(self, item: Tag) -> str:
        return reverse("articles:tag-detail", kwargs={"slug": item.slug})


SITEMAPS = {
    "pages": PagesSitemap,
    "archive": ArchiveSitemap,
    "releases": ReleaseSitemap,
    "speeches": SpeechSitemap,
    "speakers": SpeakerSitemap,
    "events": EventSitemap,
    "topics": TagSitemap,
}
