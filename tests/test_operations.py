"""Health check and migrations."""

from http import HTTPStatus
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DatabaseError


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_healthz_answers_503_without_details_when_the_database_fails(client):
    with mock.patch("newsroom.views.connection.cursor", side_effect=DatabaseError("secret detail")):
        response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert b"secret" not in response.content


@pytest.mark.django_db
def test_no_migrations_are_missing():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
