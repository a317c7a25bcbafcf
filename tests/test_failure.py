"""Failures degrade cleanly: database down, statement timeout, error pages."""

from http import HTTPStatus
from unittest import mock

import pytest
from django.db import OperationalError, connection

from tests.factories import make_release

pytestmark = pytest.mark.django_db


def test_database_down_gives_a_plain_503_page_and_recovers(client):
    make_release(title="Back again walrus")
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused: secret-host:5432"),
    ):
        response = client.get("/releases/")
        health = client.get("/healthz")
    body = response.content.decode()
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "temporarily unavailable" in body
    assert "secret-host" not in body and "Traceback" not in body and "SECRET_KEY" not in body
    assert health.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    # The database is back: the very next request is served.
    assert "Back again walrus" in client.get("/releases/").content.decode()


@pytest.mark.postgres
def test_postgresql_statement_timeout_bounds_runaway_queries():
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is a PostgreSQL setting; the suite runs on SQLite now")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "10s"
        cursor.execute("SHOW max_parallel_workers_per_gather")  # short page queries
        assert cursor.fetchone()[0] == "0"


@pytest.mark.parametrize(
    ("url", "status", "text"),
    [
        ("/no-such-page/", HTTPStatus.NOT_FOUND, "Page not found"),
        ("/releases/?kind=poem", HTTPStatus.BAD_REQUEST, "We could not understand that request"),
    ],
)
def test_error_pages_are_in_the_site_style(client, url, status, text):
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == status
    assert text in body and 'class="site-header"' in body


def test_csrf_failure_page_is_in_the_site_style(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "This form has expired" in response.content.decode()


def test_server_error_page_is_plain_and_styled():
    from django.template.loader import render_to_string

    body = render_to_string("500.html")  # rendered without a request or context
    assert "Something went wrong" in body and "site.css" in body
