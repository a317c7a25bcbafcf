"""The public page cache: shared, never leaking, never stale past a change or an embargo."""

import logging
import socket
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from articles import cache as cache_module
from articles.querysets import Status
from tests.factories import make_release

pytestmark = pytest.mark.django_db
REDIS = ("127.0.0.1", 6379)


def redis_reachable() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(params=["locmem", "redis"])
def backend(request, settings):
    """Run each test against the local-memory cache and, when reachable, against Redis."""
    if request.param == "redis":
        if not redis_reachable():
            pytest.skip("Redis is not reachable at 127.0.0.1:6379; the Redis cache test is skipped")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/2",
                "KEY_PREFIX": "newsroom-test",
            }
        }
    from django.core.cache import cache

    cache.clear()
    yield request.param
    cache.clear()


def get(client, url="/releases/"):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return response


def test_second_anonymous_request_is_a_cache_hit_without_queries(
    client, backend, django_assert_num_queries
):
    make_release(title="Cached walrus")
    assert get(client)["X-Newsroom-Cache"] == "miss"
    with django_assert_num_queries(0):
        hit = get(client)
    assert hit["X-Newsroom-Cache"] == "hit"
    assert "Cached walrus" in hit.content.decode()


def test_a_save_shows_at_once(client, backend):
    get(client)
    make_release(title="Fresh walrus")
    assert "Fresh walrus" in get(client).content.decode()


def test_a_withdrawn_item_disappears_at_once(client, backend):
    item = make_release(title="Withdrawn walrus")
    assert "Withdrawn walrus" in get(client).content.decode()
    item.status = Status.DRAFT
    item.save()
    assert "Withdrawn walrus" not in get(client).content.decode()
    assert client.get(item.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_a_deleted_item_disappears_at_once(client, backend):
    item = make_release(title="Deleted walrus")
    get(client, item.get_absolute_url())
    item.delete()
    assert client.get(item.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_embargoed_item_appears_on_a_cached_list_when_its_time_comes(client, backend, time_machine):
    due = timezone.now() + timedelta(minutes=2)
    make_release(title="Embargoed walrus", published_at=due)
    first = get(client)
    assert "Embargoed walrus" not in first.content.decode()
    assert get(client)["X-Newsroom-Cache"] == "hit"

    time_machine.move_to(due + timedelta(seconds=1))

    assert "Embargoed walrus" in get(client).content.decode()


def test_staff_and_errors_are_never_cached(client, backend, admin_user):
    make_release()
    assert client.get("/releases/?kind=poem").status_code == HTTPStatus.BAD_REQUEST
    assert "X-Newsroom-Cache" not in client.get("/releases/?kind=poem")
    assert "X-Newsroom-Cache" not in client.get("/releases/nope/")
    client.force_login(admin_user)
    assert "X-Newsroom-Cache" not in get(client)
    assert "X-Newsroom-Cache" not in get(client)


def test_pages_are_served_uncached_when_redis_is_down(client, settings, caplog, monkeypatch):
    # A fresh limiter: another test's outage in the last minute would hold this warning back.
    monkeypatch.setattr(cache_module, "_warnings", cache_module._Warnings())
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    make_release(title="Walrus without cache")
    with caplog.at_level(logging.WARNING, logger="articles.cache"):
        response = get(client)
    assert "Walrus without cache" in response.content.decode()
    assert "cache unavailable" in caplog.text
