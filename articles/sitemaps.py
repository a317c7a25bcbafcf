"""`/sitemap.xml`: a sitemap index of every public page, for search engines.

Sections: list pages, archive years, releases, speeches, and the speakers, events and
topics that have public items. Releases and speeches come from `public()` and carry
`lastmod` (their last change); a section longer than `limit` URLs is split into pages,
each listed by the index, so the archive can grow past 50,000 URLs (one file's limit).
"""

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from taggit.models import Tag

from articles.archive import archive_years
from articles.cache import cached_public
from articles.counts import public_tags
from articles.models import Event, Publication, Release, Speaker, Speech
from articles.site_url import rebased

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
        return [period["year"] for period in archive_years()]

    def location(self, item: int) -> str:
        return reverse("articles:archive-year", kwargs={"year": item})


class PublicationSitemap(Sitemap):
    model: type[Publication]
    limit = URLS_PER_FILE

    def items(self) -> QuerySet:
        return self.model.objects.public().only("slug", "published_at", "updated_at")

    def lastmod(self, item: Publication) -> datetime:
        return item.last_modified

    def get_latest_lastmod(self) -> datetime | None:
        """One aggregate, instead of Django's default of loading every item, kept until
        content changes (MAX(updated_at) reads every public row: 200 ms at 100,000)."""

        def latest() -> datetime | None:
            found = self.model.objects.public().aggregate(
                published=Max("published_at"), updated=Max("updated_at")
            )
            return max((moment for moment in found.values() if moment), default=None)

        return cached_public(f"sitemap-lastmod:{self.model._meta.model_name}", latest)


class ReleaseSitemap(PublicationSitemap):
    model = Release


class SpeechSitemap(PublicationSitemap):
    model = Speech


class SpeakerSitemap(Sitemap):
    """Speakers who speak in, or are quoted by, public items."""

    limit = URLS_PER_FILE

    def items(self) -> QuerySet:
        return Speaker.objects.visible().order_by("slug").only("slug")


class EventSitemap(Sitemap):
    """Events with public speeches or releases."""

    limit = URLS_PER_FILE

    def items(self) -> QuerySet:
        return Event.objects.visible().order_by("slug").only("slug")


class TagSitemap(Sitemap):
    """Topic pages of tags that public items carry."""

    limit = URLS_PER_FILE

    def items(self) -> QuerySet:
        return public_tags().order_by("slug").only("slug")

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


# Django's sitemap views write each `<loc>` from the request's scheme and Host header;
# these run them and put every URL on the site's configured address (articles/site_url.py).


def index(request: HttpRequest, **kwargs) -> TemplateResponse:
    """`/sitemap.xml`: Django's sitemap index, its URLs on the site's address."""
    response = sitemap_views.index(request, **kwargs)
    for entry in response.context_data["sitemaps"]:
        entry.location = rebased(entry.location, request)
    return response


def section(request: HttpRequest, **kwargs) -> TemplateResponse:
    """`/sitemap-<section>.xml`: Django's sitemap, its URLs on the site's address."""
    response = sitemap_views.sitemap(request, **kwargs)
    for url in response.context_data["urlset"]:
        url["location"] = rebased(url["location"], request)
    return response
