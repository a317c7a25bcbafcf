"""The list filters of the contract, through the public list pages."""

from datetime import date, datetime, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from articles.models import Speech
from articles.querysets import Status
from tests.factories import make_event, make_release, make_speaker, make_speech

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def titles(response) -> list[str]:
    assert response.status_code == HTTPStatus.OK, response.content[:500]
    return [item.title for item in response.context["object_list"]]


def test_tag_is_repeatable_and_means_every_tag(client):
    both = make_release(title="Both", tags=["Ukraine", "Sweden"])
    make_release(title="Only Ukraine", tags=["Ukraine"])
    make_release(title="Only Sweden", tags=["Sweden"])

    assert titles(client.get("/releases/?tag=ukraine&tag=sweden")) == [both.title]
    assert sorted(titles(client.get("/releases/?tag=ukraine"))) == ["Both", "Only Ukraine"]


def test_speaker_and_event_filters(client):
    jens = make_speaker(slug="jens-stoltenberg")
    summit = make_event(slug="vilnius-summit-2023")
    quoted = make_release(title="Quoted", speakers=[jens], events=[summit])
    make_release(title="Other")
    speech = make_speech(title="Spoken", speakers=[jens], event=summit)
    make_speech(title="Someone else")

    assert titles(client.get("/releases/?speaker=jens-stoltenberg")) == [quoted.title]
    assert titles(client.get("/releases/?event=vilnius-summit-2023")) == [quoted.title]
    assert titles(client.get("/speeches/?speaker=jens-stoltenberg")) == [speech.title]
    assert titles(client.get("/speeches/?event=vilnius-summit-2023")) == [speech.title]


def test_kind_filter(client):
    make_release(title="News item", kind="news")
    make_release(title="Press release", kind="press-release")
    make_speech(title="Presser", kind=Speech.Kind.PRESS_CONFERENCE)

    assert titles(client.get("/releases/?kind=news")) == ["News item"]
    assert titles(client.get("/speeches/?kind=press-conference")) == ["Presser"]


def test_release_dates_are_inclusive_days_in_the_newsroom_zone(client):
    # 00:30 in Brussels on 14 March is still 13 March in UTC.
    early = datetime(2024, 3, 14, 0, 30, tzinfo=BRUSSELS)
    late = datetime(2024, 3, 14, 23, 30, tzinfo=BRUSSELS)
    make_release(title="Early", published_at=early)
    make_release(title="Late", published_at=late)
    make_release(title="Day before", published_at=early - timedelta(hours=1))
    make_release(title="Day after", published_at=late + timedelta(hours=1))

    response = client.get("/releases/?date_after=2024-03-14&date_before=2024-03-14")
    assert sorted(titles(response)) == ["Early", "Late"]


def test_speech_dates_use_the_delivery_date(client):
    make_speech(title="2021", delivered_on=date(2021, 2, 15))
    make_speech(title="2024", delivered_on=date(2024, 3, 11))

    assert titles(client.get("/speeches/?date_before=2021-12-31")) == ["2021"]
    assert titles(client.get("/speeches/?date_after=2022-01-01")) == ["2024"]


def test_q_matches_every_word(client):
    make_release(title="DIANA doubles its network", summary="Innovation accelerator")
    make_release(title="Defence expenditure", body="<p>innovation in spending</p>")

    assert titles(client.get("/releases/?q=diana+innovation")) == ["DIANA doubles its network"]
    assert len(titles(client.get("/releases/?q=innovation"))) == 2


def test_filters_combine(client):
    jens = make_speaker(slug="jens")
    match = make_release(
        title="Match",
        tags=["Ukraine"],
        speakers=[jens],
        kind="news",
        published_at=datetime(2024, 3, 14, 12, tzinfo=BRUSSELS),
    )
    make_release(
        title="Wrong kind",
        tags=["Ukraine"],
        speakers=[jens],
        kind="feature",
        published_at=datetime(2024, 3, 14, 12, tzinfo=BRUSSELS),
    )
    make_release(
        title="Wrong date",
        tags=["Ukraine"],
        speakers=[jens],
        kind="news",
        published_at=datetime(2023, 3, 14, 12, tzinfo=BRUSSELS),
    )

    url = (
        "/releases/?tag=ukraine&speaker=jens&kind=news&date_after=2024-01-01&date_before=2024-12-31"
    )
    assert titles(client.get(url)) == [match.title]


def test_filters_never_show_hidden_items(client):
    make_release(title="Hidden draft", tags=["Ukraine"], status=Status.DRAFT)
    make_release(
        title="Hidden embargo", tags=["Ukraine"], published_at=timezone.now() + timedelta(hours=3)
    )
    live = make_release(title="Live", tags=["Ukraine"])

    response = client.get("/releases/?tag=ukraine")
    assert titles(response) == [live.title]
    assert "Hidden" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date_after=2024-13-01", "date_after"),
        ("date_before=yesterday", "date_before"),
        ("date_after=14/03/2024", "date_after"),
        ("date_after=0001-01-01", "date_after"),
        ("date_before=9999-12-31", "date_before"),
        ("kind=poem", "kind"),
        ("q=" + "x" * 201, "q"),
        ("tag=a&tag=b&tag=c&tag=d&tag=e&tag=f&tag=g", "tag"),
    ],
)
@pytest.mark.parametrize("path", ["/releases/", "/speeches/"])
def test_bad_input_is_a_400_naming_the_field(client, path, query, field):
    response = client.get(f"{path}?{query}")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert f"<strong>{field}</strong>" in response.content.decode()


@pytest.mark.parametrize("param", ["tag", "speaker", "event"])
def test_unknown_slug_gives_an_empty_list_with_a_message(client, param):
    make_release()
    response = client.get(f"/releases/?{param}=no-such-thing")
    assert titles(response) == []
    body = response.content.decode()
    assert "no-such-thing" in body
    assert "Nothing can match it" in body


def test_nul_byte_is_a_400(client):
    assert client.get("/releases/?q=a%00b").status_code == HTTPStatus.BAD_REQUEST
    assert client.get("/releases/a%00b/").status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize("walk", [True, False], ids=["walking the order", "collecting ids"])
def test_both_shapes_of_a_link_filter_find_the_same_items(client, monkeypatch, walk):
    # walks_the_order() picks the query's shape by how many items a tag or speaker
    # carries; whichever it picks, the lists hold the same items, hidden ones never.
    monkeypatch.setattr("articles.filters.walks_the_order", lambda *args: walk)
    jens = make_speaker(slug="jens")
    summit = make_event(slug="summit")
    make_release(title="Tagged", tags=["Ukraine"], published_at=timezone.now() - timedelta(days=2))
    make_release(
        title="Both",
        tags=["Ukraine"],
        speakers=[jens],
        events=[summit],
        published_at=timezone.now() - timedelta(hours=1),
    )
    make_release(title="Draft", tags=["Ukraine"], speakers=[jens], status=Status.DRAFT)
    make_release(title="Other", tags=["Sweden"])
    make_speech(title="Spoken", tags=["Ukraine"], speakers=[jens], event=summit)

    assert titles(client.get("/releases/?tag=ukraine")) == ["Both", "Tagged"]
    assert titles(client.get("/releases/?tag=ukraine&speaker=jens")) == ["Both"]
    assert titles(client.get("/releases/?event=summit")) == ["Both"]
    assert titles(client.get("/speeches/?tag=ukraine&speaker=jens")) == ["Spoken"]
    tag_page = client.get("/tags/ukraine/")
    assert [item.title for item in tag_page.context["releases"]] == ["Both", "Tagged"]
    assert "Draft" not in tag_page.content.decode()


@pytest.mark.usefixtures("uncached_pages")
def test_a_tag_on_most_items_is_read_by_walking_the_order_on_sqlite(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "sqlite":
        pytest.skip("the shape is chosen on SQLite only; PostgreSQL plans both alike")
    for n in range(30):
        make_release(title=f"Common {n}", tags=["Common"] + (["Rare"] if n == 0 else []))

    def page_sql(url: str) -> str:
        client.get(url)  # counts and indexes, cached per content version
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == HTTPStatus.OK
        return queries.captured_queries[0]["sql"]

    # 30 of 30 items: 30² > 20 × 30, walk; 1 of 30: collect the one and sort it.
    assert "EXISTS" in page_sql("/releases/?tag=common")
    assert "EXISTS" not in page_sql("/releases/?tag=rare")
