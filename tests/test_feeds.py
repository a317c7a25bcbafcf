"""RSS 2.0 and Atom feeds: parsed as XML, filtered like the lists, public items only."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from email.utils import parsedate_to_datetime
from http import HTTPStatus

import pytest
from django.utils import timezone

from articles.feeds import FEED_ITEMS
from articles.models import Release
from articles.querysets import Status
from tests.factories import make_event, make_release, make_speaker, make_speech

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
RSS_URLS = ["/feeds/releases/", "/feeds/speeches/"]
ATOM_URLS = ["/feeds/releases/atom/", "/feeds/speeches/atom/"]


def rss(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.find("channel")


def atom(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def rss_titles(channel: ET.Element) -> list[str]:
    return [item.findtext("title") for item in channel.findall("item")]


def atom_titles(feed: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]


@pytest.mark.parametrize("url", RSS_URLS)
def test_rss_feed_has_the_required_elements(client, url):
    make_release(tags=["Arctic"])
    make_speech(tags=["Arctic"])
    channel = rss(client, url)
    for name in ("title", "link", "description"):
        assert channel.findtext(name), name
    assert channel.findtext("link").startswith("http://testserver/")
    items = channel.findall("item")
    assert len(items) == 1
    for item in items:
        for name in ("title", "link", "guid", "pubDate", "description"):
            assert item.findtext(name), name
        assert item.findtext("link").startswith("http://testserver/")
        assert item.find("guid").get("isPermaLink") == "true"
        assert item.findtext("category") == "Arctic"
        parsedate_to_datetime(item.findtext("pubDate"))  # RFC 822 date


@pytest.mark.parametrize("url", ATOM_URLS)
def test_atom_feed_has_the_required_elements(client, url):
    make_release(tags=["Arctic"])
    make_speech(tags=["Arctic"])
    feed = atom(client, url)
    for name in ("id", "title", "updated"):
        assert feed.findtext(f"{ATOM}{name}"), name
    assert feed.find(f"{ATOM}author/{ATOM}name").text  # a feed author covers every entry
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith(url)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    for entry in entries:
        for name in ("id", "title", "updated", "published"):
            assert entry.findtext(f"{ATOM}{name}"), name
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/")
        assert entry.find(f"{ATOM}category").get("term") == "Arctic"
        assert entry.find(f"{ATOM}content").get("type") == "html"


def test_items_carry_full_text_dates_and_speakers(client):
    jens = make_speaker(name="Jens Stoltenberg")
    duda = make_speaker(name="Andrzej Duda")
    published = timezone.now().replace(microsecond=0) - timedelta(days=3)
    release = make_release(title="Joint statement", summary="The lead & more.",
                           body="<p>Full <strong>text</strong>.</p><script>x()</script>",
                           speakers=[jens], published_at=published)  # fmt: skip
    make_speech(title="Joint press conference", speakers=[jens, duda])

    item = rss(client, "/feeds/releases/").find("item")
    assert item.findtext("title") == "Joint statement"
    assert item.findtext("link") == f"http://testserver{release.get_absolute_url()}"
    description = item.findtext("description")
    assert "<p>The lead &amp; more.</p>" in description
    assert "<strong>text</strong>" in description and "<script>" not in description
    assert parsedate_to_datetime(item.findtext("pubDate")) == published
    assert item.findtext(f"{DC}creator") == "Jens Stoltenberg"

    speech = rss(client, "/feeds/speeches/").find("item")
    assert speech.findtext(f"{DC}creator") == "Jens Stoltenberg, Andrzej Duda"

    entry = atom(client, "/feeds/releases/atom/").find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}published").startswith(published.date().isoformat())
    assert entry.findtext(f"{ATOM}summary") == "The lead &amp; more."
    assert "<strong>text</strong>" in entry.findtext(f"{ATOM}content")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Jens Stoltenberg"


def test_updated_date_is_never_before_publication(client):
    """A scheduled item is saved before it goes live; it was not 'updated' before that."""
    published = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    release = make_release(published_at=published)
    Release.objects.filter(pk=release.pk).update(updated_at=published - timedelta(days=2))
    entry = atom(client, "/feeds/releases/atom/").find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}updated") == entry.findtext(f"{ATOM}published")


def test_feeds_accept_the_list_filters(client):
    jens = make_speaker(slug="jens-stoltenberg", name="Jens Stoltenberg")
    summit = make_event(slug="vilnius-summit", name="Vilnius Summit")
    make_release(title="Ukraine release", tags=["Ukraine"], speakers=[jens], events=[summit],
                 kind="news")  # fmt: skip
    make_release(title="Other release", kind="feature")
    make_speech(title="Ukraine speech", tags=["Ukraine"], speakers=[jens], event=summit)
    make_speech(title="Other speech")

    assert rss_titles(rss(client, "/feeds/releases/?tag=ukraine")) == ["Ukraine release"]
    assert rss_titles(rss(client, "/feeds/releases/?kind=news")) == ["Ukraine release"]
    assert rss_titles(rss(client, "/feeds/releases/?q=ukraine")) == ["Ukraine release"]
    channel = rss(client, "/feeds/speeches/?speaker=jens-stoltenberg")
    assert rss_titles(channel) == ["Ukraine speech"]
    assert "Jens Stoltenberg" in channel.findtext("title")
    assert channel.findtext("link") == "http://testserver/speeches/?speaker=jens-stoltenberg"
    feed = atom(client, "/feeds/speeches/atom/?event=vilnius-summit&tag=ukraine")
    assert atom_titles(feed) == ["Ukraine speech"]
    assert "Vilnius Summit" in feed.findtext(f"{ATOM}title")
    assert "Ukraine" in feed.findtext(f"{ATOM}title")


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/feeds/releases/?date_after=14-03-2024", "date_after"),
        ("/feeds/speeches/?kind=press-release", "kind"),
        ("/feeds/releases/atom/?date_before=2024-02-30", "date_before"),
        ("/feeds/speeches/atom/?q=" + "x" * 10_000, "q"),
    ],
)
def test_invalid_filters_are_the_lists_400_page(client, url, field):
    response = client.get(url)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert f"<strong>{field}</strong>" in response.content.decode()


def test_unknown_slug_gives_an_empty_feed(client):
    make_release()
    assert rss_titles(rss(client, "/feeds/releases/?tag=no-such-tag")) == []


def test_feeds_hold_the_latest_fifty_newest_first(client):
    now = timezone.now()
    for n in range(FEED_ITEMS + 5):
        make_release(title=f"Item {n}", published_at=now - timedelta(hours=n))
    titles = rss_titles(rss(client, "/feeds/releases/"))
    assert len(titles) == FEED_ITEMS
    assert titles[:2] == ["Item 0", "Item 1"]


def test_hidden_items_never_appear_in_feeds(client):
    make_release(title="Walrus public", tags=["arctic"])
    make_speech(title="Walrus speech public", tags=["arctic"])
    soon = timezone.now() + timedelta(hours=1)
    hidden = [
        make_release(title="Zebra draft", status=Status.DRAFT, tags=["arctic"]),
        make_release(title="Yak embargoed", published_at=soon, tags=["arctic"]),
        make_speech(title="Zebra review speech", status=Status.IN_REVIEW, tags=["arctic"]),
        make_speech(title="Yak embargoed speech", published_at=soon, tags=["arctic"]),
    ]
    for url in RSS_URLS + ATOM_URLS:
        for query in ("", "?tag=arctic", "?q=zebra", "?q=yak"):
            body = client.get(url + query).content.decode()
            for item in hidden:
                assert item.title not in body and item.slug not in body, url + query


def test_list_pages_link_to_their_feeds_with_the_same_filters(client):
    make_release(tags=["ukraine"])
    body = client.get("/releases/?tag=ukraine&page=1").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="RSS feed of this list" '
        'href="/feeds/releases/?tag=ukraine">' in body
    )
    assert (
        'type="application/atom+xml"' in body and 'href="/feeds/releases/atom/?tag=ukraine"' in body
    )
    speeches = client.get("/speeches/").content.decode()
    assert 'href="/feeds/speeches/"' in speeches and 'href="/feeds/speeches/atom/"' in speeches
