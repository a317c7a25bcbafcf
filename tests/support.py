"""Plain helpers shared by test modules (fixtures live in conftest.py, items in factories.py).

A test module imports from here, never from another test module.
"""

from datetime import datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from articles.models import Release

# Public URLs -------------------------------------------------------------------------

NOT_PUBLIC = ("admin/", "static/", "media/")


def walk(patterns, prefix: str = "", namespace: str | None = None):
    """Yield (name, route, pattern) for every URL pattern of the project."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}:{pattern.namespace}"
                if namespace and pattern.namespace
                else (pattern.namespace or namespace)
            )
            yield from walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, route, pattern


def public_patterns() -> list[tuple[str, str, URLPattern]]:
    """(name, route, pattern) of every public URL pattern: all but the admin and files."""
    found = [p for p in walk(get_resolver().url_patterns) if not p[1].startswith(NOT_PUBLIC)]
    unnamed = [route for name, route, _ in found if not name]
    assert not unnamed, f"give these public URL patterns a name: {unnamed}"
    return found


# The admin ---------------------------------------------------------------------------


def form_data(item: Release, **overrides) -> dict:
    """What the change form posts for `item`, as a browser would send it."""
    local = timezone.localtime(item.published_at)
    data = {
        "title": item.title,
        "slug": item.slug,
        "kind": item.kind,
        "summary": item.summary,
        "body": item.body,
        "status": item.status,
        "published_at_0": local.strftime("%Y-%m-%d"),
        "published_at_1": local.strftime("%H:%M:%S"),
        # A field with a callable default also posts its initial value.
        "initial-published_at_0": local.strftime("%Y-%m-%d"),
        "initial-published_at_1": local.strftime("%H:%M:%S"),
        "tags": ", ".join(item.tags.names()),
        "source": item.source,
        "edit_token": item.updated_at.isoformat(),
        "lead_image": item.lead_image_id or "",
    }
    if isinstance(item, Release):  # the Downloads inline: its current rows, unchanged
        links = list(item.downloads.all())
        data.update({"downloads-TOTAL_FORMS": len(links), "downloads-INITIAL_FORMS": len(links),
                     "downloads-MIN_NUM_FORMS": 0, "downloads-MAX_NUM_FORMS": 1000})  # fmt: skip
        for n, link in enumerate(links):
            data.update({f"downloads-{n}-id": link.pk, f"downloads-{n}-release": item.pk,
                         f"downloads-{n}-document": link.document_id,
                         f"downloads-{n}-position": link.position})  # fmt: skip
    if type(item).objects.public().filter(pk=item.pk).exists():
        # Every save of a live item says minor or substantive: an editor's ordinary save.
        data["change_kind"] = "minor"
    data.update(overrides)
    return data


# Search ------------------------------------------------------------------------------

ON_POSTGRESQL = connection.vendor == "postgresql"
requires_postgres = pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="PostgreSQL full-text search: run with DATABASE_URL=postgres://… to test it",
)


def get(client, **params):
    """The search page, `/search/?` with `params` (a list value repeats the parameter)."""
    return client.get(f"/search/?{urlencode(params, doseq=True)}")


def titles(response) -> list[str]:
    """The titles of the search page's results, in their order."""
    return [result.title for result in response.context["results"]]


def hours_ago(hours: int) -> datetime:
    return timezone.now().replace(microsecond=0) - timedelta(hours=hours)


# A value of each filter of the contract (`PublicationFilterSet.parameters()`): (its value
# in the address, the text a reader sees on its chip). tests/test_filter_contract.py builds
# an archive they all match and proves each filter on every surface; the leak walker
# (tests/test_no_leak.py) sends them to every list, search and feed. A new filter needs
# its line here. Kinds differ between releases and speeches: SPEECH_FILTER_SAMPLES.
FILTER_SAMPLES = {
    "q": ("walrus", "walrus"),
    "tag": ("arctic", "Arctic"),
    "speaker": ("jens-stoltenberg", "Jens Stoltenberg"),
    "event": ("vilnius-summit", "Vilnius Summit"),
    "kind": ("news", "News"),
    "date_after": ("2024-03-01", "1 Mar 2024"),
    "date_before": ("2024-03-31", "31 Mar 2024"),
}
SPEECH_FILTER_SAMPLES = {**FILTER_SAMPLES, "kind": ("doorstep", "Doorstep statement")}


class PageParts(HTMLParser):
    """What a page links to and tells machines: every address it links to or loads
    (a/link href, form action, img/script src), its <meta> and <link> tags, its canonical
    URL and the contents of each JSON-LD script."""

    def __init__(self, html: str):
        super().__init__()
        self.urls: list[str] = []
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, str] = {}
        self.canonical: list[str] = []
        self.json_ld: list[str] = []
        self._in_json_ld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "action", "src"):
            if attrs.get(name) is not None:
                self.urls.append(attrs[name])
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content", ""))
        elif tag == "link":
            self.links[attrs.get("rel", "")] = attrs.get("href", "")
            if attrs.get("rel") == "canonical":
                self.canonical.append(attrs["href"])
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def versions_management(total: int = 0, initial: int = 0) -> dict:
    """The management form of a speaker's or event's "versions in other languages"
    inline, for admin posts that leave the versions alone (`total` forms posted)."""
    return {
        "versions-TOTAL_FORMS": str(total),
        "versions-INITIAL_FORMS": str(initial),
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }
