"""`/sitemap.xml`: a sitemap index of every public page, for search engines.

Sections: list pages, archive years, releases, speeches, and the speakers, events and
topics that have public items. Releases and speeches come from `public()` and carry
`lastmod` (their last change); speakers, events and topics come from the cached indexes
in `articles/counts.py`. A section longer than `limit` URLs is split into files, each
listed by the index, so the archive can grow past 50,000 URLs (one file's limit).

Each URL lists its versions in the other languages as `xhtml:link` alternates (every
version, itself included, and `x-default`): the same list or directory page in each
language, and a release's or speech's public translations only, so an embargoed or draft
translation is never announced.

The XML is written here rather than by `django.contrib.sitemaps`: for a file of 10,000
URLs its model instances, a `reverse()` per URL and the per-URL template cost 0.7-1.8 s
a request. Rows are read as values, each section's detail URL is reversed once, and a
rendered file is kept per content version with `cached_public`, so it never outlives a
change or the next embargo lift.
"""

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.db.models import Max
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import override

from articles import languages
from articles.archive import archive_years
from articles.cache import cached_public
from articles.counts import public_tag_index, visible_index
from articles.models import Event, Publication, Release, Speaker, Speech
from articles.site_url import site_root

URLS_PER_FILE = 10_000  # under the protocol's 50,000, so each file stays quick to build
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
# What `reverse()` leaves unquoted in a path (django.urls.resolvers), so a slug put into
# a reversed path here is quoted exactly as `reverse()` would quote it.
PATH_SAFE = "!$&'()*+,;=" + "/~:@"

# A URL of a file: its path, for releases and speeches when it last changed, and its
# versions in every language ({language: path}; empty when it has no other).
Row = tuple[str, datetime | None, dict[str, str]]


def slug_paths(url_name: str, slugs: Iterable[str], language: str | None = None) -> list[str]:
    """The detail paths of `slugs` (in `language`, else the active one): one `reverse()`
    for all of them, not one per URL."""
    marker = "0slug0"
    with override(language):
        prefix, suffix = reverse(url_name, kwargs={"slug": marker}).split(marker)
    return [prefix + quote(slug, safe=PATH_SAFE) + suffix for slug in slugs]


MARKER = "0slug0"


class Sitemap:
    """A section: how many URLs it has and the rows of one of its files."""

    limit = URLS_PER_FILE
    changefreq: str | None = None

    def count(self) -> int:
        raise NotImplementedError

    def rows(self, offset: int, limit: int) -> list[Row]:
        raise NotImplementedError

    def num_pages(self) -> int:
        """Files of the section; an empty section still has its first (empty) file."""
        return max(1, -(-self.count() // self.limit))

    def get_latest_lastmod(self) -> datetime | None:
        """When the section last changed, for the index; None when it has no dates."""
        return None


class ListedSitemap(Sitemap):
    """A section small enough to list whole, from values already kept per version: the
    pages of every language (`items()` and `paths()` are asked in each), each naming
    the same page in the other languages."""

    def items(self) -> list:
        raise NotImplementedError

    def paths(self, items: list) -> list[str]:
        raise NotImplementedError

    def every_language(self) -> list[Row]:
        def build() -> list[Row]:
            versions: dict[object, dict[str, str]] = {}
            for code in languages.codes():
                with override(code):
                    items = self.items()
                    for item, path in zip(items, self.paths(items), strict=True):
                        versions.setdefault(item, {})[code] = path
            return [
                (path, None, found if len(found) > 1 else {})
                for found in versions.values()
                for path in found.values()
            ]

        return cached_public(f"sitemap-rows:{type(self).__name__}", build)

    def count(self) -> int:
        return len(self.every_language())

    def rows(self, offset: int, limit: int) -> list[Row]:
        return self.every_language()[offset : offset + limit]


class PagesSitemap(ListedSitemap):
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

    def paths(self, items: list[str]) -> list[str]:
        return [reverse(name) for name in items]


class ArchiveSitemap(ListedSitemap):
    """A page per year that has public items."""

    def items(self) -> list[int]:
        return [period["year"] for period in archive_years()]

    def paths(self, items: list[int]) -> list[str]:
        return [reverse("articles:archive-year", kwargs={"year": year}) for year in items]


class DirectorySitemap(ListedSitemap):
    """Speakers or events the public may see, by slug, from `visible_index()`."""

    model: type[Speaker] | type[Event]

    def items(self) -> list[str]:
        return sorted(visible_index(self.model))

    def paths(self, items: list[str]) -> list[str]:
        return slug_paths(f"articles:{self.model._meta.model_name}-detail", items)


class SpeakerSitemap(DirectorySitemap):
    """Speakers who speak in, or are quoted by, public items (or are listed)."""

    model = Speaker


class EventSitemap(DirectorySitemap):
    """Events with public speeches or releases (or listed)."""

    model = Event


class TagSitemap(ListedSitemap):
    """Topic pages of tags that public items carry."""

    def items(self) -> list[str]:
        return sorted(public_tag_index())

    def paths(self, items: list[str]) -> list[str]:
        return slug_paths("articles:tag-detail", items)


class PublicationSitemap(Sitemap):
    """Public releases or speeches in every language, newest first, with the day each
    last changed and its public translations."""

    model: type[Publication]

    def name(self) -> str:
        return self.model._meta.model_name

    def count(self) -> int:
        return cached_public(f"sitemap-count:{self.name()}", self.model.objects.public().count)

    def rows(self, offset: int, limit: int) -> list[Row]:
        """Values, not instances: the slug and its readers' "Last updated" (the last
        substantive change, else the publication: `Publication.date_modified`), taken in
        SQL (reading datetimes was most of the cost), in list order; and the paths of
        their public translations (one more query for the file)."""
        public = self.model.objects.public().order_by("-published_at", "-id")
        changed = Greatest("published_at", Coalesce("revised_at", "published_at"))
        fields = ("slug", changed, "language", "translation_key")
        found = list(public.values_list(*fields)[offset : offset + limit])
        addresses = {
            code: slug_paths(f"articles:{self.name()}-detail", [MARKER], code)[0].split(MARKER)
            for code in languages.codes()
        }

        def path(slug: str, code: str) -> str:
            before, after = addresses.get(code) or addresses[languages.default()]
            return before + quote(slug, safe=PATH_SAFE) + after

        keys = {key for *_, key in found if key is not None}
        versions: dict[object, dict[str, str]] = {}
        if keys:
            linked = public.filter(translation_key__in=keys).order_by()
            for key, code, slug in linked.values_list("translation_key", "language", "slug"):
                versions.setdefault(key, {})[code] = path(slug, code)
        rows = []
        for slug, moment, code, key in found:
            others = versions.get(key, {})
            rows.append((path(slug, code), moment, others if len(others) > 1 else {}))
        return rows

    def get_latest_lastmod(self) -> datetime | None:
        """One aggregate, instead of reading every item, kept until content changes
        (MAX(revised_at) reads every public row: 200 ms at 100,000)."""

        def latest() -> datetime | None:
            found = self.model.objects.public().aggregate(
                published=Max("published_at"), updated=Max("revised_at")
            )
            return max((moment for moment in found.values() if moment), default=None)

        return cached_public(f"sitemap-lastmod:{self.name()}", latest)


class ReleaseSitemap(PublicationSitemap):
    model = Release


class SpeechSitemap(PublicationSitemap):
    model = Speech


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": PagesSitemap,
    "archive": ArchiveSitemap,
    "releases": ReleaseSitemap,
    "speeches": SpeechSitemap,
    "speakers": SpeakerSitemap,
    "events": EventSitemap,
    "topics": TagSitemap,
}

# Every `<loc>` is on the site's configured address (articles/site_url.py), never the
# request's Host header; the root is part of each cache key for development, where the
# address is the request's own.


def xml_response(body: str, last_modified: datetime | None = None) -> HttpResponse:
    response = HttpResponse(body, content_type="application/xml")
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified.timestamp())
    return response


def index(request: HttpRequest) -> HttpResponse:
    """`/sitemap.xml`: every file of every section, with the section's last change."""
    root = site_root(request)
    entries = []
    for name, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = escape(root + reverse("articles:sitemap-section", kwargs={"section": name}))
        latest = sitemap.get_latest_lastmod()
        lastmod = f"<lastmod>{timezone.localtime(latest).isoformat()}</lastmod>" if latest else ""
        for page in range(1, sitemap.num_pages() + 1):
            suffix = f"?p={page}" if page > 1 else ""
            entries.append(f"<sitemap><loc>{location}{suffix}</loc>{lastmod}</sitemap>")
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="{NAMESPACE}">\n{"".join(entries)}\n</sitemapindex>\n'
    )
    return xml_response(body)


def section(request: HttpRequest, section: str) -> HttpResponse:
    """`/sitemap-<section>.xml[?p=N]`: one file of a section, kept per content version."""
    if section not in SITEMAPS:
        raise Http404(f"No sitemap section {section!r}")
    sitemap = SITEMAPS[section]()
    try:
        page = int(request.GET.get("p", "1"))
    except ValueError:
        raise Http404("Not a page number") from None
    if not 1 <= page <= sitemap.num_pages():
        raise Http404(f"No page {page}")
    root = site_root(request)
    key = f"sitemap:{section}:{sitemap.limit}:{page}:{root}"
    body, last_modified = cached_public(key, lambda: render_file(sitemap, page, root))
    return xml_response(body, last_modified)


def render_file(sitemap: Sitemap, page: int, root: str) -> tuple[str, datetime | None]:
    """The XML of one file and its latest change (None when its URLs have no dates)."""
    rows = sitemap.rows((page - 1) * sitemap.limit, sitemap.limit)
    changefreq = f"<changefreq>{sitemap.changefreq}</changefreq>" if sitemap.changefreq else ""
    zone = timezone.get_current_timezone()
    urls = []
    for path, changed, versions in rows:
        # The day in the newsroom's zone, as Django's template wrote it (`date:"Y-m-d"`).
        day = f"<lastmod>{changed.astimezone(zone):%Y-%m-%d}</lastmod>" if changed else ""
        urls.append(
            f"<url><loc>{escape(root + path)}</loc>{alternate_links(versions, root)}"
            f"{day}{changefreq}</url>"
        )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="{NAMESPACE}" xmlns:xhtml="{XHTML}">\n{"".join(urls)}\n</urlset>\n'
    )
    dated = [changed for _, changed, _ in rows if changed]
    return body, (max(dated) if dated and len(dated) == len(rows) else None)


def alternate_links(versions: dict[str, str], root: str) -> str:
    """`xhtml:link` alternates of a URL: every version, itself included, and `x-default`
    (the version in the newsroom's first language), in the settings' order."""
    if not versions:
        return ""
    order = languages.codes()
    found = sorted(versions.items(), key=lambda version: order.index(version[0]))
    default = versions.get(languages.default())
    if default is not None:
        found.append(("x-default", default))
    return "".join(
        f'<xhtml:link rel="alternate" hreflang="{code}" href="{escape(root + path)}"/>'
        for code, path in found
    )
