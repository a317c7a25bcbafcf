"""The JSON API's endpoints: what they list and say, their filters, their 400s, paging."""

import base64
import json
from datetime import date, timedelta
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.filters import PublicationFilterSet
from articles.querysets import Status
from newsroom.api import serializers
from newsroom.api.links import Links
from tests.factories import make_event, make_release, make_speaker, make_speech
from tests.support import FILTER_SAMPLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


def get(client, url: str, **params):
    response = client.get(url, params)
    assert response["Content-Type"].startswith("application/json"), url
    return response, response.json()


def slugs(body: dict) -> list[str]:
    return [item["slug"] for item in body["results"]]


@pytest.fixture
def archive():
    speaker = make_speaker(name="Jens Stoltenberg", slug="jens-stoltenberg", role="SG")
    event = make_event(name="Vilnius Summit", slug="vilnius-summit", start_on=date(2023, 7, 11))
    release = make_release(
        title="Allies meet in Vilnius",
        slug="allies-meet",
        kind="news",
        body='<p>Text <a href="https://example.org/">link</a></p><script>alert(1)</script>',
        speakers=[speaker],
        events=[event],
        tags=["Ukraine", "Arctic"],
        published_at=timezone.now() - timedelta(days=1),
    )
    speech = make_speech(
        title="Opening remarks",
        slug="opening-remarks",
        kind="remarks",
        speakers=[make_speaker(name="Second Speaker", slug="second"), speaker],
        event=event,
        tags=["Ukraine"],
        delivered_on=date(2023, 7, 11),
    )
    return {"speaker": speaker, "event": event, "release": release, "speech": speech}


def test_release_detail_carries_urls_dates_body_people_events_and_tags(client, archive):
    response, item = get(client, "/api/v1/releases/allies-meet/")
    assert response.status_code == HTTPStatus.OK
    assert item["url"] == "http://testserver/releases/allies-meet/"
    assert item["api_url"] == "http://testserver/api/v1/releases/allies-meet/"
    assert item["kind"] == "news" and item["kind_label"] == "News"
    published = timezone.localtime(archive["release"].published_at)
    assert item["published_at"] == published.isoformat()
    assert item["published_at"][-6] in "+-"  # ISO 8601 with its offset
    assert "<script>" not in item["body_html"] and "alert" not in item["body_html"]
    assert 'href="https://example.org/"' in item["body_html"]
    assert item["speakers"] == [{
        "name": "Jens Stoltenberg", "slug": "jens-stoltenberg", "role": "SG",
        "url": "http://testserver/speakers/jens-stoltenberg/",
        "api_url": "http://testserver/api/v1/speakers/jens-stoltenberg/",
    }]  # fmt: skip
    assert item["events"][0]["slug"] == "vilnius-summit"
    assert item["events"][0]["start_on"] == "2023-07-11"
    assert [tag["slug"] for tag in item["tags"]] == ["arctic", "ukraine"]
    assert item["tags"][0]["url"] == "http://testserver/tags/arctic/"


def test_speech_detail_keeps_speakers_in_order_and_its_delivery(client, archive):
    _response, item = get(client, "/api/v1/speeches/opening-remarks/")
    assert [person["slug"] for person in item["speakers"]] == ["second", "jens-stoltenberg"]
    assert item["delivered_on"] == "2023-07-11"
    assert [event["slug"] for event in item["events"]] == ["vilnius-summit"]


def test_items_have_exactly_their_declared_fields(client, archive):
    """Serializers write items themselves: what they write is what the schema declares."""
    cases = [
        ("/api/v1/releases/allies-meet/", serializers.ReleaseSerializer),
        ("/api/v1/speeches/opening-remarks/", serializers.SpeechSerializer),
        ("/api/v1/speakers/jens-stoltenberg/", serializers.SpeakerSerializer),
        ("/api/v1/events/vilnius-summit/", serializers.EventSerializer),
        ("/api/v1/tags/ukraine/", serializers.TagSerializer),
    ]
    for url, serializer in cases:
        _response, item = get(client, url)
        assert set(item) == set(serializer().fields), url
    _response, item = get(client, "/api/v1/releases/allies-meet/")
    assert set(item["speakers"][0]) == set(serializers.SpeakerRefSerializer().fields)
    assert set(item["events"][0]) == set(serializers.EventRefSerializer().fields)
    assert set(item["tags"][0]) == set(serializers.TagRefSerializer().fields)


def test_directories_list_public_ones_with_counts(client, archive):
    _response, speakers = get(client, "/api/v1/speakers/")
    assert slugs(speakers) == ["jens-stoltenberg", "second"]
    stoltenberg = speakers["results"][0]
    assert (stoltenberg["release_count"], stoltenberg["speech_count"]) == (1, 1)
    assert stoltenberg["releases_url"] == (
        "http://testserver/api/v1/releases/?speaker=jens-stoltenberg"
    )
    _response, events = get(client, "/api/v1/events/")
    assert slugs(events) == ["vilnius-summit"]
    _response, tags = get(client, "/api/v1/tags/")
    assert slugs(tags) == ["arctic", "ukraine"]
    _response, tag = get(client, "/api/v1/tags/ukraine/")
    assert (tag["release_count"], tag["speech_count"]) == (1, 1)


def test_unknown_or_hidden_slugs_are_json_404s(client, archive):
    make_release(slug="draft-one", status=Status.DRAFT)
    make_speaker(slug="unlisted-one")
    for url in (
        "/api/v1/releases/draft-one/",
        "/api/v1/releases/no-such/",
        "/api/v1/speeches/allies-meet/",
        "/api/v1/speakers/unlisted-one/",
        "/api/v1/events/nowhere/",
        "/api/v1/tags/nothing/",
        "/api/v1/no-such-endpoint/",
    ):
        response, body = get(client, url)
        assert response.status_code == HTTPStatus.NOT_FOUND, url
        assert body["detail"], url


# --- filters: the FilterSet of the lists ---------------------------------------------


@pytest.fixture
def filtered():
    """One release matching every filter sample (tests/support.py), and two matching all
    but a date bound at most: one earlier, one later."""
    speaker = make_speaker(name="Jens Stoltenberg", slug="jens-stoltenberg")
    event = make_event(name="Vilnius Summit", slug="vilnius-summit")
    match = make_release(
        title="Walrus counted",
        slug="match",
        kind="news",
        speakers=[speaker],
        events=[event],
        tags=["Arctic"],
        published_at=timezone.make_aware(timezone.datetime(2024, 3, 14, 12)),
    )
    for slug, year in (("earlier", 2023), ("later", 2025)):
        make_release(
            title="Something else",
            slug=slug,
            kind="press-release",
            published_at=timezone.make_aware(timezone.datetime(year, 1, 10, 12)),
        )
    return match


def test_every_list_filter_works_on_the_api(client, filtered):
    assert set(FILTER_SAMPLES) == set(PublicationFilterSet.parameters())
    for name, (value, _shown) in FILTER_SAMPLES.items():
        response, body = get(client, "/api/v1/releases/", **{name: value})
        assert response.status_code == HTTPStatus.OK, name
        assert "match" in slugs(body) and len(slugs(body)) < 3, name
    everything = {name: value for name, (value, _shown) in FILTER_SAMPLES.items()}
    _response, body = get(client, "/api/v1/releases/", **everything)
    assert slugs(body) == ["match"]


def test_tags_repeat_and_all_must_match(client, filtered):
    make_release(slug="only-arctic", tags=["Arctic"])
    filtered.tags.add("Ukraine")
    _response, body = get(client, "/api/v1/releases/", tag=["arctic", "ukraine"])
    assert slugs(body) == ["match"]
    _response, body = get(client, "/api/v1/releases/?tag=ukraine&tag=arctic")
    assert slugs(body) == ["match"]
    _response, body = get(client, "/api/v1/releases/", tag="arctic")
    assert set(slugs(body)) == {"match", "only-arctic"}


def test_unknown_slug_filters_give_an_empty_list(client, filtered):
    for name in ("tag", "speaker", "event"):
        response, body = get(client, "/api/v1/releases/", **{name: "no-such-thing"})
        assert response.status_code == HTTPStatus.OK
        assert body["results"] == [] and body["next"] is None


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"date_after": "14/03/2024"}, {"date_after"}),
        ({"date_before": "2024-02-30", "kind": "speech"}, {"date_before", "kind"}),
        ({"date_after": "0001-01-01"}, {"date_after"}),
        ({"tag": [f"t{n}" for n in range(7)]}, {"tag"}),
        ({"q": "x" * 201}, {"q"}),
        ({"speaker": "s" * 201}, {"speaker"}),
        ({"page_size": "0"}, {"page_size"}),
        ({"page_size": "101"}, {"page_size"}),
        ({"page_size": "ten"}, {"page_size"}),
        ({"cursor": "not-a-cursor"}, {"cursor"}),
        ({"page": "2"}, {"page"}),
        ({"q": "walrus", "page": "0"}, {"page"}),
        ({"q": "walrus", "page": "51"}, {"page"}),
        ({"q": "walrus", "cursor": "abc"}, {"cursor"}),
        ({"kind": "\x00"}, {"kind"}),
    ],
)
def test_bad_input_is_a_400_naming_each_field(client, filtered, params, fields):
    response, body = get(client, "/api/v1/releases/", **params)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert set(body["errors"]) == fields
    assert all(body["errors"][field] for field in fields)


def test_a_cursor_of_another_list_or_a_forged_one_is_a_400(client, filtered):
    _response, body = get(client, "/api/v1/releases/", page_size=1)
    cursor = parse_qs(urlsplit(body["next"]).query)["cursor"][0]
    response, body = get(client, "/api/v1/speeches/", cursor=cursor)
    assert response.status_code == HTTPStatus.BAD_REQUEST and set(body["errors"]) == {"cursor"}
    for forged in (
        ["articles.release", 0, "2024-01-01T00:00:00", 1],  # naive time
        ["articles.release", 0, "0001-01-01T00:00:00+14:00", 1],  # out of range
        ["articles.release", 0, "2024-01-01T00:00:00+00:00", "1"],  # id not a number
        ["articles.release", 3, "2024-01-01T00:00:00+00:00", 1],  # no such direction
        ["articles.release", 0, "2024-01-01T00:00:00+00:00"],  # a value short
        {"a": 1},
    ):
        raw = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode()
        response, body = get(client, "/api/v1/releases/", cursor=raw)
        assert response.status_code == HTTPStatus.BAD_REQUEST, forged
        assert set(body["errors"]) == {"cursor"}


# --- paging --------------------------------------------------------------------------


def walk(client, url: str, direction: str = "next", **params) -> list[list[str]]:
    pages = []
    response, body = get(client, url, **params)
    pages.append(slugs(body))
    while body[direction]:
        assert body[direction].startswith("http://testserver/api/v1/")
        response, body = get(client, body[direction].removeprefix("http://testserver"))
        assert response.status_code == HTTPStatus.OK
        pages.append(slugs(body))
    return pages


def test_cursor_pages_cover_the_list_once_in_public_order(client):
    moment = timezone.now().replace(microsecond=0) - timedelta(days=1)
    for n in range(7):  # three share one publication time: the id breaks the tie
        make_release(slug=f"r{n}", published_at=moment - timedelta(hours=n if n > 2 else 0))
    pages = walk(client, "/api/v1/releases/", page_size=2)
    everything = [slug for page in pages for slug in page]
    assert everything == ["r2", "r1", "r0", "r3", "r4", "r5", "r6"]
    assert [len(page) for page in pages] == [2, 2, 2, 1]


def test_previous_links_walk_back_to_the_first_page(client):
    for n in range(5):
        make_release(slug=f"r{n}", published_at=timezone.now() - timedelta(days=n + 1))
    _response, body = get(client, "/api/v1/releases/", page_size=2)
    assert body["previous"] is None
    while body["next"]:
        last = body
        _response, body = get(client, body["next"].removeprefix("http://testserver"))
    assert slugs(body) == ["r4"]
    back = [slugs(body)]
    while body["previous"]:
        _response, body = get(client, body["previous"].removeprefix("http://testserver"))
        back.append(slugs(body))
    assert back == [["r4"], ["r2", "r3"], ["r0", "r1"]]
    assert last["next"]


def test_speech_pages_follow_the_delivery_date(client):
    for n in range(4):
        make_speech(slug=f"s{n}", delivered_on=date(2024, 1, 1) + timedelta(days=n))
    pages = walk(client, "/api/v1/speeches/", page_size=3)
    assert pages == [["s3", "s2", "s1"], ["s0"]]


def test_cursor_is_stable_while_items_are_published_between_requests(client):
    base = timezone.now().replace(microsecond=0) - timedelta(days=10)
    for n in range(6):
        make_release(slug=f"old{n}", published_at=base - timedelta(days=n))
    _response, first = get(client, "/api/v1/releases/", page_size=2)
    assert slugs(first) == ["old0", "old1"]
    # Published between the two requests: news at the top, an embargo that lifts, and a
    # republished item that keeps an old date in the middle of the archive.
    make_release(slug="fresh", published_at=timezone.now() - timedelta(minutes=1))
    make_release(slug="back-in-the-middle", published_at=base - timedelta(days=2, hours=12))
    rest = walk(client, first["next"].removeprefix("http://testserver"))
    seen = slugs(first) + [slug for page in rest for slug in page]
    assert seen == ["old0", "old1", "old2", "back-in-the-middle", "old3", "old4", "old5"]
    assert len(seen) == len(set(seen))


def test_ranked_search_pages_by_number(client):
    for n in range(5):
        make_release(slug=f"walrus-{n}", title=f"Walrus report {n}")
    make_release(slug="other", title="Nothing here")
    _response, body = get(client, "/api/v1/releases/", q="walrus", page_size=2)
    assert len(body["results"]) == 2 and body["previous"] is None
    assert parse_qs(urlsplit(body["next"]).query)["page"] == ["2"]
    pages = walk(client, "/api/v1/releases/", q="walrus", page_size=2)
    found = [slug for page in pages for slug in page]
    assert sorted(found) == [f"walrus-{n}" for n in range(5)]
    response, body = get(client, "/api/v1/releases/", q="walrus", page="9")
    assert response.status_code == HTTPStatus.NOT_FOUND and body["detail"]


def test_links_use_the_configured_site_address(client, settings, archive):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    make_release(slug="second-release")
    body = client.get("/api/v1/releases/?page_size=1", HTTP_HOST="127.0.0.1").json()
    assert body["next"].startswith("https://news.example.org/api/v1/releases/?")
    assert body["results"][0]["url"].startswith("https://news.example.org/releases/")


def test_links_quote_slugs_as_reverse_does(rf):
    links = Links(rf.get("/"))
    for slug in ("geoană-speech", "plain"):
        expected = "http://testserver" + reverse("articles:speech-detail", kwargs={"slug": slug})
        assert links.page("articles:speech-detail", slug) == expected
