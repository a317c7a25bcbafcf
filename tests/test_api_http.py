"""The API over HTTP: conditional requests, caching, CORS, the rate limit, JSON errors."""

from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from articles.querysets import Status
from tests.factories import make_release

pytestmark = pytest.mark.django_db

LIST = "/api/v1/releases/"


@pytest.fixture
def release():
    return make_release(slug="walrus", title="Walrus", published_at=timezone.now() - timedelta(1))


def test_etag_and_last_modified_answer_304(client, release):
    first = client.get(LIST)
    assert first.status_code == HTTPStatus.OK
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and modified.endswith("GMT")
    again = client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == HTTPStatus.NOT_MODIFIED and again.content == b""
    assert again["ETag"] == etag and again["Cache-Control"].startswith("public, max-age=")
    assert client.get(LIST, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(LIST, HTTP_IF_NONE_MATCH='"other"').status_code == HTTPStatus.OK
    past = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get(LIST, HTTP_IF_MODIFIED_SINCE=past).status_code == HTTPStatus.OK
    detail = client.get("/api/v1/releases/walrus/")
    assert (
        client.get("/api/v1/releases/walrus/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304
    )


def test_a_change_changes_etag_and_last_modified(client, release, time_machine):
    time_machine.move_to(timezone.now() + timedelta(seconds=5))
    first = client.get(LIST)
    time_machine.move_to(timezone.now() + timedelta(seconds=5))
    release.title = "Walrus, corrected"
    release.save()
    second = client.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (
        second.status_code == HTTPStatus.OK and "corrected" in second.json()["results"][0]["title"]
    )
    assert second["ETag"] != first["ETag"]
    assert second["Last-Modified"] != first["Last-Modified"]
    stale = client.get(LIST, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert stale.status_code == HTTPStatus.OK


def test_an_embargo_lift_changes_the_etag_of_a_cached_list(client, release, time_machine):
    lift = timezone.now() + timedelta(hours=1)
    make_release(slug="embargoed-walrus", published_at=lift)
    before = client.get(LIST)
    assert [item["slug"] for item in before.json()["results"]] == ["walrus"]
    assert client.get(LIST)["X-Newsroom-Cache"] == "hit"
    time_machine.move_to(lift + timedelta(seconds=1))
    after = client.get(LIST, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == HTTPStatus.OK
    assert [item["slug"] for item in after.json()["results"]] == ["embargoed-walrus", "walrus"]
    assert after["Last-Modified"] != before["Last-Modified"]


def test_cache_control_never_reaches_past_the_next_lift(client, release, settings):
    settings.NEWSROOM_API_MAX_AGE = 60
    assert client.get(LIST)["Cache-Control"] == "public, max-age=60"
    make_release(slug="soon", published_at=timezone.now() + timedelta(seconds=20))
    max_age = int(client.get(LIST)["Cache-Control"].rsplit("=", 1)[1])
    assert 0 <= max_age <= 20
    assert client.get("/api/v1/releases/nope/")["Cache-Control"] == "no-store"


def test_anonymous_api_answers_come_from_the_page_cache(client, release):
    assert client.get(LIST)["X-Newsroom-Cache"] == "miss"
    cached = client.get(LIST)
    assert cached["X-Newsroom-Cache"] == "hit"
    assert cached["Access-Control-Allow-Origin"] == "*" and cached["ETag"]
    release.status = Status.DRAFT  # a withdrawal raises the content version
    release.save()
    assert client.get(LIST).json()["results"] == []


def test_errors_are_not_cached(client, release):
    for url in ("/api/v1/releases/?kind=nope", "/api/v1/releases/nope/"):
        assert client.get(url).status_code >= 400
        assert not client.get(url).has_header("X-Newsroom-Cache"), url


def test_cors_allows_get_from_any_origin_and_nothing_else(client, release):
    response = client.get(LIST, HTTP_ORIGIN="https://partner.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert not response.has_header("Access-Control-Allow-Credentials")
    preflight = client.options(
        LIST,
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == HTTPStatus.NO_CONTENT
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    for method in ("post", "put", "patch", "delete"):
        refused = getattr(client, method)(LIST, HTTP_ORIGIN="https://partner.example")
        assert refused.status_code == HTTPStatus.METHOD_NOT_ALLOWED, method
        assert refused.json()["detail"] and refused["Allow"] == "GET, HEAD, OPTIONS"
    # The site's pages are not opened to other origins.
    assert not client.get("/releases/").has_header("Access-Control-Allow-Origin")


def test_rate_limit_answers_429_with_retry_after(client, release, settings, time_machine):
    settings.NEWSROOM_API_RATE_LIMIT = 3
    time_machine.move_to(datetime(2030, 1, 1, 12, 0, 10, tzinfo=UTC), tick=False)
    answers = [client.get(LIST) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert [answer["X-RateLimit-Remaining"] for answer in answers] == ["2", "1", "0"]
    limited = client.get(LIST)  # cached or not, the fourth is refused
    assert limited.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert limited["Retry-After"] == "50" and limited["Cache-Control"] == "no-store"
    assert "requests a minute" in limited.json()["detail"]
    other = client.get(LIST, REMOTE_ADDR="10.0.0.9")  # another address has its own count
    assert other.status_code == HTTPStatus.OK
    assert client.get("/releases/").status_code == HTTPStatus.OK  # pages are not limited
    time_machine.move_to(datetime(2030, 1, 1, 12, 1, 0, tzinfo=UTC), tick=False)
    assert client.get(LIST).status_code == HTTPStatus.OK  # a new minute


def test_rate_limit_counts_the_client_behind_trusted_proxies(client, release, settings):
    settings.NEWSROOM_API_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    first = client.get(LIST, HTTP_X_FORWARDED_FOR="203.0.113.1")
    second = client.get(LIST, HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert (first.status_code, second.status_code) == (200, 200)  # same proxy, two clients
    assert client.get(LIST, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429


def test_control_characters_and_unknown_addresses_are_json(client):
    response = client.get("/api/v1/releases/?q=a%00b")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"] == {"q": ["contains a control character"]}
    assert client.get("/api/v2/releases/").json()["detail"]


def test_json_even_when_the_client_asks_for_html(client, release):
    response = client.get(LIST, HTTP_ACCEPT="text/html")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json"


def test_head_answers_like_get_without_a_body(client, release):
    response = client.head(LIST)
    assert response.status_code == HTTPStatus.OK and response.content == b""
    assert response["ETag"] == client.get(LIST)["ETag"]
