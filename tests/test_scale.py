"""What keeps the public pages fast at 100,000 items, proved on a handful.

Bounded filter suggestions, a count asked once per content version, deep pages read
through their ids, related items ranked among bounded candidates and kept until the
content changes. None of it may change what a reader sees, only what it costs.
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import counts, related
from articles.pagination import CountOncePaginator
from articles.querysets import Status
from tests.factories import make_event, make_release, make_speaker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached_pages(settings):
    settings.NEWSROOM_PAGE_CACHE = False


def days_ago(days: int):
    return timezone.now().replace(microsecond=0) - timedelta(days=days)


def options(response, name: str) -> list[str]:
    return [slug for slug, _label in response.context["options"][name]]


def test_filter_form_suggests_the_most_used_tags_and_speakers(client, monkeypatch):
    monkeypatch.setattr(counts, "SUGGESTED_TAGS", 2)
    monkeypatch.setattr(counts, "SUGGESTED_SPEAKERS", 1)
    quoted, rarely = make_speaker(name="Often Quoted"), make_speaker(name="Rarely Quoted")
    for tags in (["Arctic", "Baltic", "Cyber"], ["Arctic", "Baltic"], ["Arctic"]):
        make_release(tags=tags, speakers=[quoted])
    make_release(tags=["Secret"], speakers=[rarely], status=Status.DRAFT)
    make_release(speakers=[rarely])

    response = client.get("/releases/")

    assert options(response, "tags") == ["arctic", "baltic"]  # by name, most used first
    assert response.context["options"]["tags"][0][1] == "Arctic (3)"
    assert options(response, "speakers") == [quoted.slug]
    # A tag not suggested still filters, and the directories list every one.
    assert len(client.get("/releases/?tag=cyber").context["page_obj"]) == 1
    assert 'href="/tags/"' in response.content.decode()


def test_filter_form_suggests_the_latest_events_with_public_items(client, monkeypatch):
    monkeypatch.setattr(counts, "SUGGESTED_EVENTS", 2)
    today = timezone.localdate()
    events = [make_event(start_on=today - timedelta(days=d)) for d in (30, 20, 10, 5)]
    for event in events[:3]:
        make_release(events=[event])
    make_release(events=[events[3]], status=Status.DRAFT)  # the newest, named only by a draft

    response = client.get("/releases/")

    assert options(response, "events") == [events[2].slug, events[1].slug]


def count_queries(captured) -> int:
    """The paginator's COUNT(*) (the filter suggestions count links per tag instead)."""
    return sum("COUNT(*)" in query["sql"] for query in captured)


def test_a_list_is_counted_once_until_content_changes(client):
    for _ in range(3):
        make_release(kind="news")
    url = "/releases/?kind=news"
    assert client.get(url).context["paginator"].count == 3

    with CaptureQueriesContext(connection) as captured:
        again = client.get(url)
    assert again.context["paginator"].count == 3
    assert count_queries(captured) == 0

    make_release(kind="news")  # a save: every kept count is stale at once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).context["paginator"].count == 4
    assert count_queries(captured) == 1
    # Another filter is another count.
    assert client.get("/releases/?kind=feature").context["paginator"].count == 0


def test_a_kept_count_never_outlives_an_embargo(client, time_machine):
    make_release()
    make_release(published_at=timezone.now() + timedelta(hours=1))  # embargoed
    assert client.get("/releases/").context["paginator"].count == 1
    time_machine.move_to(timezone.now() + timedelta(hours=1, seconds=1))
    response = client.get("/releases/")
    assert response.context["paginator"].count == 2
    assert len(response.context["page_obj"]) == 2


def test_deep_pages_read_through_ids_show_the_same_rows(client, monkeypatch):
    for day in range(45):
        make_release(published_at=days_ago(day + 1))

    def pages() -> list[list[str]]:
        return [
            [item.slug for item in client.get(f"/releases/?page={n}").context["page_obj"]]
            for n in (1, 2, 3)
        ]

    plain = pages()
    monkeypatch.setattr(CountOncePaginator, "DEEP", 0)  # every page through its ids
    assert pages() == plain
    assert [len(page) for page in plain] == [20, 20, 5]


def related_titles(response) -> list[str]:
    return [result.title for result in response.context["related"]]


def test_related_items_are_ranked_among_the_newest_candidates(client, monkeypatch):
    item = make_release(title="Item", tags=["Arctic", "Baltic"], published_at=days_ago(1))
    make_release(title="Old, shares two", tags=["Arctic", "Baltic"], published_at=days_ago(900))
    make_release(title="New, shares one", tags=["Arctic"], published_at=days_ago(2))
    make_release(title="Newer, shares one", tags=["Baltic"], published_at=days_ago(1))

    found = related_titles(client.get(item.get_absolute_url()))
    assert found == ["Old, shares two", "Newer, shares one", "New, shares one"]

    monkeypatch.setattr(related, "RELATED_CANDIDATES", 2)
    make_release(title="Unrelated")  # a save: the kept related items are stale
    found = related_titles(client.get(item.get_absolute_url()))
    assert found == ["Newer, shares one", "New, shares one"]


def test_related_items_are_kept_until_content_changes(client):
    speaker = make_speaker()
    item = make_release(title="Item", speakers=[speaker])
    make_release(title="Earlier", speakers=[speaker])
    assert related_titles(client.get(item.get_absolute_url())) == ["Earlier"]

    make_release(title="Just published", speakers=[speaker], published_at=days_ago(0))
    response = client.get(item.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert related_titles(response) == ["Just published", "Earlier"]


def test_a_tag_no_public_item_carries_filters_to_nothing_without_naming_it(client):
    make_release(tags=["Arctic"])
    make_release(tags=["Unannounced summit"], status=Status.DRAFT)

    response = client.get("/releases/?tag=unannounced-summit")

    assert response.status_code == HTTPStatus.OK
    assert len(response.context["page_obj"]) == 0
    assert "Unannounced summit" not in response.content.decode()
    assert response.context["unknown_filters"] == ["There is no tag “unannounced-summit”."]
