"""Query counts per page stay fixed whatever the number of items."""

from http import HTTPStatus

import pytest

from articles.cache import fragments, safe_timeout
from articles.models import Release
from tests.factories import make_event, make_release, make_speaker, make_speech

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached_pages(settings):
    """Budgets are for the uncached page: the page cache would hide the queries."""
    settings.NEWSROOM_PAGE_CACHE = False


def fill(count: int) -> None:
    speakers = [make_speaker() for _ in range(3)]
    event = make_event()
    for _ in range(count):
        make_release(speakers=speakers[:2], tags=["Ukraine", "Arctic", "DIANA"], events=[event])
        make_speech(speakers=speakers[1:], tags=["Ukraine", "Arctic"], event=event)


def warm(client, url: str) -> None:
    """Filter options are cached; measure the steady state a reader sees, with every
    card rendered again (as after any change to content): a card's own queries count."""
    assert client.get(url).status_code == HTTPStatus.OK
    fragments.clear()


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize(
    "url",
    ["/releases/", "/speeches/", "/releases/?tag=ukraine&tag=arctic", "/speeches/?kind=speech"],
)
def test_list_queries_do_not_grow(client, django_assert_max_num_queries, count, url):
    fill(count)
    warm(client, url)
    # The page's rows with their speakers (a JSON column): the count and the filter
    # options are kept per content version.
    with django_assert_max_num_queries(1):
        assert client.get(url).status_code == HTTPStatus.OK


@pytest.mark.parametrize("count", [1, 50])
def test_detail_queries_do_not_grow(client, django_assert_max_num_queries, count):
    fill(count)
    release = make_release(speakers=[make_speaker()], tags=["Ukraine"], events=[make_event()])
    speech = make_speech(speakers=[make_speaker(), make_speaker()], tags=["Ukraine"])
    # Once per content version for every cached value, not this page's own cost.
    safe_timeout()
    # The release with its tags, speakers and events (JSON columns), its related items.
    with django_assert_max_num_queries(2):
        assert client.get(release.get_absolute_url()).status_code == HTTPStatus.OK
    # The speech with its event, tags and speakers in order, its related items.
    with django_assert_max_num_queries(2):
        assert client.get(speech.get_absolute_url()).status_code == HTTPStatus.OK
    # Related items are kept until public content changes: the next reader asks less.
    with django_assert_max_num_queries(1):
        assert client.get(release.get_absolute_url()).status_code == HTTPStatus.OK
    with django_assert_max_num_queries(1):
        assert client.get(speech.get_absolute_url()).status_code == HTTPStatus.OK


@pytest.mark.parametrize("count", [1, 50])
def test_other_pages_do_not_grow(client, django_assert_max_num_queries, count):
    fill(count)
    pages = ("/", "/speakers/", "/events/", "/tags/", "/tags/ukraine/")
    feeds = ("/feeds/releases/", "/feeds/speeches/atom/", "/feeds/releases/?tag=ukraine")
    for url in (*pages, *feeds, "/sitemap.xml", "/sitemap-releases.xml"):
        warm(client, url)  # counts, archive months and dates are kept per content version
        # The tag page is two lists with their counts and the tag's events.
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == HTTPStatus.OK, url


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/releases/",
        "/api/v1/releases/?page_size=100",
        "/api/v1/speeches/",
        "/api/v1/releases/?tag=ukraine&tag=arctic&date_after=2000-01-01",
        "/api/v1/speeches/?kind=speech&speaker=",
        "/api/v1/releases/?q=release",
        "/api/v1/speakers/",
        "/api/v1/events/",
        "/api/v1/tags/",
    ],
)
def test_api_list_queries_do_not_grow(client, django_assert_max_num_queries, count, url):
    """The issue's budget: a list page of the API in at most 3 queries (the page's ids,
    then its rows with their tags, speakers and events), however many items."""
    fill(count)
    warm(client, url)
    next_page = client.get(url).json()["next"]
    with django_assert_max_num_queries(3):
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK and response.json()["results"]
    if next_page:  # a cursor page costs the same
        with django_assert_max_num_queries(3):
            assert client.get(next_page).status_code == HTTPStatus.OK


@pytest.mark.parametrize("count", [1, 50])
def test_api_detail_queries_do_not_grow(client, django_assert_max_num_queries, count):
    fill(count)
    release = make_release(speakers=[make_speaker()], tags=["Ukraine"], events=[make_event()])
    speech = make_speech(speakers=[make_speaker(), make_speaker()], tags=["Ukraine"])
    speaker, event = release.speakers.get(), release.events.get()
    urls = [f"/api/v1/releases/{release.slug}/", f"/api/v1/speeches/{speech.slug}/",
            f"/api/v1/speakers/{speaker.slug}/", f"/api/v1/events/{event.slug}/",
            "/api/v1/tags/ukraine/"]  # fmt: skip
    for url in urls:
        warm(client, url)  # counts and the tag index are kept per content version
        with django_assert_max_num_queries(1):
            assert client.get(url).status_code == HTTPStatus.OK, url


@pytest.mark.parametrize("count", [1, 30])
def test_corrections_and_versions_pages_do_not_grow(
    client, editor_client, django_assert_max_num_queries, count
):
    """The corrections record is one UNION ALL and its count; an item's versions pages
    read its revisions once, however many corrections, withdrawals or versions exist."""
    from django.urls import reverse

    from articles.querysets import Status
    from tests.support import form_data

    changelist = reverse("admin:articles_release_changelist")
    corrected = make_release(title="Corrected item")
    for n in range(count):
        url = reverse("admin:articles_release_change", args=[corrected.pk])
        corrected.refresh_from_db()
        editor_client.post(url, form_data(
            corrected, summary=f"Summary {n}", change_kind="correction", change_note=f"Fix {n}."
        ))  # fmt: skip
        withdrawn = make_release()
        editor_client.post(changelist, {"action": "withdraw", "_selected_action": [withdrawn.pk],
                                        "apply": "1", "note": "Withdrawn."})  # fmt: skip
    assert Release.objects.filter(status=Status.WITHDRAWN).count() == count
    editor_client.logout()
    versions = corrected.history.public_versions().order_by("history_date")
    latest = versions.last().history_id
    base = corrected.get_absolute_url()
    safe_timeout()
    for url in ("/corrections/", "/feeds/corrections/", f"{base}versions/",
                f"{base}versions/{latest}/", f"{base}versions/{latest}/changes/"):  # fmt: skip
        warm(client, url)
        # The item (or the record's count), the revisions (or the page), the removed check.
        with django_assert_max_num_queries(3):
            assert client.get(url).status_code == HTTPStatus.OK, url
    # The item's page reads its notes in the same query as the item.
    with django_assert_max_num_queries(2):
        assert client.get(base).status_code == HTTPStatus.OK


@pytest.mark.parametrize("count", [1, 50])
def test_sitemap_queries_do_not_grow(client, django_assert_max_num_queries, count, monkeypatch):
    """Built from values and cached indexes: a fixed number of queries whatever the
    archive's size (20 URLs a file here, so 50 items fill three), none once kept."""
    from articles.sitemaps import ReleaseSitemap

    monkeypatch.setattr(ReleaseSitemap, "limit", 20)
    fill(count)
    safe_timeout()  # the next embargo lift, looked up once per content version
    # Cold: releases and speeches counted (2) with their latest dates (2), and in each of
    # the two languages the archive's months (2), the visible speakers and events (2) and
    # the public tags (1).
    with django_assert_max_num_queries(14):
        assert client.get("/sitemap.xml").status_code == HTTPStatus.OK
    last = "/sitemap-releases.xml" + ("?p=3" if count == 50 else "")
    with django_assert_max_num_queries(1):  # the file's rows
        assert client.get(last).status_code == HTTPStatus.OK
    for url in ("/sitemap.xml", last, "/sitemap-speakers.xml", "/sitemap-topics.xml"):
        warm(client, url)
        with django_assert_max_num_queries(0):
            assert client.get(url).status_code == HTTPStatus.OK, url


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("url", ["/speakers/", "/events/", "/events/?page=1"])
def test_directory_pages_read_only_their_rows(client, django_assert_max_num_queries, count, url):
    """Which speakers and events are visible is kept per content version: a page reads
    its own rows by id, not `visible()` over every public link again."""
    fill(count)
    warm(client, url)
    with django_assert_max_num_queries(1):
        assert client.get(url).status_code == HTTPStatus.OK
