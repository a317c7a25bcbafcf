"""`/sitemap.xml` (an index of sections) and `/robots.txt`."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from articles.cache import safe_timeout
from articles.models import Release
from articles.querysets import Status
from articles.sitemaps import SITEMAPS, ReleaseSitemap
from tests.factories import make_event, make_release, make_speaker, make_speech

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parse(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def section_urls(client) -> list[str]:
    index = parse(client, "/sitemap.xml")
    assert index.tag == f"{NS}sitemapindex"
    return [loc.text for loc in index.iter(f"{NS}loc")]


def every_location(client) -> dict[str, ET.Element]:
    found = {}
    for section in section_urls(client):
        urlset = parse(client, section.removeprefix("http://testserver"))
        assert urlset.tag == f"{NS}urlset"
        for url in urlset.findall(f"{NS}url"):
            found[url.findtext(f"{NS}loc")] = url
    return found


def test_sitemap_index_lists_every_section(client):
    sections = section_urls(client)
    assert sections == [f"http://testserver/sitemap-{name}.xml" for name in SITEMAPS]


def test_sitemap_lists_public_pages_with_lastmod(client):
    speaker = make_speaker(slug="jens-stoltenberg")
    event = make_event(slug="vilnius-summit")
    release = make_release(speakers=[speaker], tags=["Arctic"])
    speech = make_speech(event=event, tags=["Ukraine"])
    urls = every_location(client)
    base = "http://testserver"
    for item in (release, speech):
        item.refresh_from_db()
        changed = timezone.localtime(item.date_modified).date()  # readers' "Last updated"
        lastmod = urls[base + item.get_absolute_url()].findtext(f"{NS}lastmod")
        assert lastmod == changed.isoformat()
    year = timezone.localtime(release.published_at).year
    for path in ("/", "/releases/", "/speeches/", "/speakers/", "/events/", "/tags/",
                 "/archive/", "/speakers/jens-stoltenberg/", "/events/vilnius-summit/",
                 "/tags/arctic/", "/tags/ukraine/", f"/archive/{year}/"):  # fmt: skip
        assert base + path in urls, path
    assert base + "/search/" not in urls


def test_hidden_items_and_their_only_people_are_not_in_the_sitemap(client):
    make_release(title="Public", tags=["Arctic"])
    lonely = make_speaker(slug="only-in-a-draft")
    secret_event = make_event(slug="secret-meeting")
    soon = timezone.now() + timedelta(hours=3)
    hidden = [
        make_release(status=Status.DRAFT, speakers=[lonely], tags=["Secret tag"]),
        make_release(published_at=soon, events=[secret_event]),
        make_speech(status=Status.IN_REVIEW, speakers=[lonely]),
        make_speech(published_at=soon, event=secret_event, tags=["Secret tag"]),
    ]
    urls = "\n".join(every_location(client))
    for item in hidden:
        assert item.slug not in urls
    assert "only-in-a-draft" not in urls and "secret-meeting" not in urls
    assert "secret-tag" not in urls


def test_large_sections_are_split_into_pages_listed_by_the_index(client, monkeypatch):
    monkeypatch.setattr(ReleaseSitemap, "limit", 2)
    for _ in range(5):
        make_release()
    sections = section_urls(client)
    assert "http://testserver/sitemap-releases.xml?p=2" in sections
    assert "http://testserver/sitemap-releases.xml?p=3" in sections
    third = parse(client, "/sitemap-releases.xml?p=3")
    assert len(third.findall(f"{NS}url")) == 1
    assert client.get("/sitemap-releases.xml?p=4").status_code == HTTPStatus.NOT_FOUND


def test_section_lastmod_in_the_index_comes_from_one_query(django_assert_max_num_queries):
    for _ in range(10):
        make_release()
    safe_timeout()  # the next embargo lift, looked up once per content version
    with django_assert_max_num_queries(1):
        latest = ReleaseSitemap().get_latest_lastmod()
    assert latest == max(item.date_modified for item in Release.objects.public())
    with django_assert_max_num_queries(0):  # kept until content changes
        assert ReleaseSitemap().get_latest_lastmod() == latest
    later = make_release(published_at=timezone.now())
    assert ReleaseSitemap().get_latest_lastmod() == later.date_modified


def test_unknown_section_is_a_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == HTTPStatus.NOT_FOUND


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_txt_uses_the_request_scheme_and_host(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.org"]
    response = client.get("/robots.txt", headers={"host": "news.example.org"}, secure=True)
    assert "Sitemap: https://news.example.org/sitemap.xml" in response.content.decode()


def locations(client, url: str) -> list[str]:
    return [loc.text for loc in parse(client, url).iter(f"{NS}loc")]


def test_a_unicode_slug_is_quoted_as_its_page_url_is(client):
    release = make_release(slug="geoană-în-vilnius")
    assert "http://testserver" + release.get_absolute_url() in locations(
        client, "/sitemap-releases.xml"
    )


@pytest.mark.usefixtures("uncached_pages")
def test_a_section_file_is_kept_until_content_changes(client, django_assert_num_queries):
    kept = make_release()
    withdrawn = make_release()
    urls = locations(client, "/sitemap-releases.xml")
    assert any(kept.slug in url for url in urls) and any(withdrawn.slug in url for url in urls)
    with django_assert_num_queries(0):  # the file and its page count, kept per version
        assert locations(client, "/sitemap-releases.xml") == urls
    withdrawn.status = Status.DRAFT
    withdrawn.save()
    added = make_release()
    urls = "\n".join(locations(client, "/sitemap-releases.xml"))
    assert kept.slug in urls and added.slug in urls and withdrawn.slug not in urls


@pytest.mark.usefixtures("uncached_pages")
def test_a_kept_section_shows_an_item_and_its_people_when_its_embargo_lifts(client, time_machine):
    due = timezone.now() + timedelta(minutes=2)
    speaker, event = make_speaker(slug="new-envoy"), make_event(slug="new-summit")
    embargoed = make_release(published_at=due, speakers=[speaker], events=[event])
    make_release()
    sections = ("/sitemap-releases.xml", "/sitemap-speakers.xml", "/sitemap-events.xml")
    before = "\n".join(url for section in sections for url in locations(client, section))
    assert embargoed.slug not in before and "new-envoy" not in before
    assert "new-summit" not in before

    time_machine.move_to(due + timedelta(seconds=1))

    after = "\n".join(url for section in sections for url in locations(client, section))
    assert embargoed.slug in after and "new-envoy" in after and "new-summit" in after
