"""Archives by year and month, related items on detail pages, speaker and event pages."""

from datetime import UTC, date, datetime, timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from articles.querysets import Status
from tests.factories import make_event, make_release, make_speaker, make_speech

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached_pages(settings):
    settings.NEWSROOM_PAGE_CACHE = False


def at(year: int, month: int, day: int = 15) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def related_titles(response) -> list[str]:
    return [result.title for result in response.context["related"]]


# Archive ----------------------------------------------------------------------------


def test_archive_counts_public_items_by_year_and_month(client):
    make_release(published_at=at(2024, 3, 1))
    make_release(published_at=at(2024, 3, 28))
    make_release(published_at=at(2023, 12, 5))
    make_speech(published_at=at(2024, 3, 2), delivered_on=date(2024, 2, 29))
    response = client.get("/archive/")
    assert response.status_code == HTTPStatus.OK
    years = {period["year"]: period for period in response.context["years"]}
    assert list(years) == [2024, 2023]
    assert (years[2024]["releases"], years[2024]["speeches"]) == (2, 1)
    months = {m["month"]: (m["releases"], m["speeches"]) for m in years[2024]["months"]}
    assert months == {date(2024, 3, 1): (2, 0), date(2024, 2, 1): (0, 1)}
    body = response.content.decode()
    assert 'href="/archive/2024/"' in body and 'href="/archive/2023/"' in body


def test_archive_year_page_links_each_month_to_the_filtered_lists(client):
    make_release(title="March item", published_at=at(2024, 3, 10))
    make_release(title="May item", published_at=at(2024, 5, 10))
    make_release(published_at=at(2022, 1, 10))
    response = client.get("/archive/2024/")
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    link = "/releases/?date_after=2024-03-01&amp;date_before=2024-03-31"
    assert f'href="{link}"' in body
    assert 'href="/archive/2022/"' in body  # the next, older year
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert "March item" in listed and "May item" not in listed


def test_month_boundaries_follow_the_newsroom_time_zone(client):
    # 23:30 UTC on 31 March is 1 April in Brussels: an April item, as the lists say.
    make_release(title="Late night", published_at=datetime(2024, 3, 31, 23, 30, tzinfo=UTC))
    months = client.get("/archive/2024/").context["period"]["months"]
    assert [m["month"] for m in months] == [date(2024, 4, 1)]
    april = client.get("/releases/?date_after=2024-04-01&date_before=2024-04-30")
    assert "Late night" in april.content.decode()


def test_a_year_without_public_items_is_a_404(client):
    make_release(published_at=at(2024, 3, 1))
    make_release(published_at=at(2021, 3, 1), status=Status.DRAFT)
    assert client.get("/archive/2021/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/archive/1850/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/archive/99999999999999999999/").status_code == HTTPStatus.NOT_FOUND


def test_archive_counts_leave_hidden_items_out(client):
    make_release(published_at=at(2024, 3, 1))
    make_release(published_at=at(2024, 3, 2), status=Status.DRAFT)
    make_speech(published_at=at(2024, 3, 2), delivered_on=date(2024, 3, 2), status=Status.IN_REVIEW)
    soon = timezone.now() + timedelta(hours=2)
    make_release(published_at=soon)
    make_speech(published_at=soon, delivered_on=date(2024, 3, 3))
    years = client.get("/archive/").context["years"]
    assert [(p["year"], p["releases"], p["speeches"]) for p in years] == [(2024, 1, 0)]


def test_empty_archive_is_a_friendly_page(client):
    response = client.get("/archive/")
    assert response.status_code == HTTPStatus.OK
    assert "Nothing has been published yet" in response.content.decode()


# Related items ----------------------------------------------------------------------


def test_related_items_share_tags_speakers_or_event(client):
    jens = make_speaker()
    summit = make_event()
    item = make_release(title="Main", tags=["arctic"], speakers=[jens], events=[summit])
    by_tag = make_release(title="Same tag", tags=["arctic"])
    by_speaker = make_speech(title="Same speaker", speakers=[jens])
    by_event = make_speech(title="Same event", event=summit)
    make_release(title="Nothing shared", tags=["budget"])
    response = client.get(item.get_absolute_url())
    found = related_titles(response)
    assert sorted(found) == sorted([by_tag.title, by_speaker.title, by_event.title])
    body = response.content.decode()
    assert f'href="{by_speaker.get_absolute_url()}"' in body
    assert "Main" not in found


def test_related_items_prefer_more_in_common_and_stop_at_four(client):
    jens = make_speaker()
    item = make_speech(title="Main", tags=["arctic", "nato"], speakers=[jens])
    best = make_release(title="Tags and speaker", tags=["arctic", "nato"], speakers=[jens])
    for n in range(6):
        make_release(title=f"One tag {n}", tags=["nato"])
    found = related_titles(client.get(item.get_absolute_url()))
    assert len(found) == 4
    assert found[0] == best.title


def test_related_items_are_public_only(client):
    jens = make_speaker()
    item = make_release(title="Main", tags=["arctic"], speakers=[jens])
    soon = timezone.now() + timedelta(hours=1)
    hidden = [
        make_release(title="Draft sibling", status=Status.DRAFT, tags=["arctic"]),
        make_speech(title="Review sibling", status=Status.IN_REVIEW, speakers=[jens]),
        make_release(title="Embargoed sibling", published_at=soon, tags=["arctic"]),
        make_speech(title="Embargoed speech", published_at=soon, speakers=[jens]),
    ]
    response = client.get(item.get_absolute_url())
    assert related_titles(response) == []
    body = response.content.decode()
    for sibling in hidden:
        assert sibling.title not in body and sibling.slug not in body
    assert 'class="related"' not in body


def test_item_with_nothing_to_share_has_no_related_section(client):
    item = make_speech()
    response = client.get(item.get_absolute_url())
    assert response.context["related"] == []


@pytest.mark.parametrize("count", [1, 30])
def test_detail_pages_with_related_items_stay_within_six_queries(
    client, django_assert_max_num_queries, count
):
    speakers = [make_speaker() for _ in range(2)]
    event = make_event()
    release = make_release(tags=["arctic", "nato"], speakers=speakers, events=[event])
    speech = make_speech(tags=["arctic"], speakers=speakers, event=event)
    for _ in range(count):
        make_release(tags=["arctic"], speakers=speakers[:1], events=[event])
        make_speech(tags=["nato"], speakers=speakers[1:], event=event)
    for item in (release, speech):
        with django_assert_max_num_queries(6):
            response = client.get(item.get_absolute_url())
        assert len(response.context["related"]) == min(4, 2 * count + 1)


# Speaker and event pages ------------------------------------------------------------


def test_speaker_page_lists_their_speeches_and_the_releases_quoting_them(client):
    jens = make_speaker(slug="jens-stoltenberg")
    speech = make_speech(title="His speech", speakers=[make_speaker(), jens])
    release = make_release(title="Quoting him", speakers=[jens])
    make_release(title="Hidden quote", speakers=[jens], status=Status.DRAFT)
    body = client.get("/speakers/jens-stoltenberg/").content.decode()
    assert speech.title in body and release.title in body
    assert "Hidden quote" not in body


def test_event_page_lists_speeches_and_releases_in_date_order(client):
    summit = make_event(slug="vilnius-summit")
    make_speech(title="Second day", event=summit, delivered_on=date(2023, 7, 12))
    make_speech(title="First day", event=summit, delivered_on=date(2023, 7, 11))
    make_release(title="Communiqué", events=[summit], published_at=at(2023, 7, 11))
    make_release(title="Wrap-up", events=[summit], published_at=at(2023, 7, 13))
    make_speech(title="Embargoed remarks", event=summit, delivered_on=date(2023, 7, 12),
                published_at=timezone.now() + timedelta(hours=1))  # fmt: skip
    body = client.get("/events/vilnius-summit/").content.decode()
    assert body.index("First day") < body.index("Second day")
    assert body.index("Communiqué") < body.index("Wrap-up")
    assert "Embargoed remarks" not in body
