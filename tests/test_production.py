"""Production hardening: CSP, clickjacking, login throttling, structured logs."""

import base64
import hashlib
import json
import logging
import re
from http import HTTPStatus

import pytest

from newsroom.logs import JsonFormatter
from tests.factories import make_release

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


def test_public_pages_have_a_strict_content_security_policy(client):
    release = make_release()
    for url in ("/", "/releases/", release.get_absolute_url()):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        found = directives(response)
        assert found["script-src"] == "script-src 'self'"
        assert found["frame-ancestors"] == "frame-ancestors 'none'"
        assert response["X-Frame-Options"] == "DENY"


def test_public_pages_carry_no_inline_script_or_style(client):
    release = make_release()
    for url in ("/", "/releases/", release.get_absolute_url(), "/nope/"):
        body = client.get(url).content.decode()
        assert "<style" not in body and " style=" not in body
        for tag in re.findall(r"<script[^>]*>", body):
            assert "src=" in tag or 'type="application/ld+json"' in tag, tag


def test_admin_form_allows_only_the_editors_import_map(staff_client):
    response = staff_client.get("/admin/articles/release/add/")
    body = response.content.decode()
    importmap = re.search(r'<script type="importmap">(.*?)</script>', body, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(importmap.encode()).digest()).decode()
    policy = response["Content-Security-Policy"]
    assert f"'sha256-{digest}'" in directives(response)["script-src"]
    assert "unsafe-inline" not in policy


def test_admin_login_is_throttled_after_repeated_failures(client, django_user_model, settings):
    django_user_model.objects.create_user("alice", password="the-right-password-1", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        failed = client.post("/admin/login/", {"username": "alice", "password": "wrong"})
        assert failed.status_code == HTTPStatus.OK  # the form again, with an error
    last = client.post("/admin/login/", {"username": "alice", "password": "wrong"})
    assert last.status_code == HTTPStatus.TOO_MANY_REQUESTS
    # Locked out: even the right password is refused now.
    locked = client.post("/admin/login/", {"username": "alice", "password": "the-right-password-1"})
    assert locked.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.TOO_MANY_REQUESTS)
    assert "Too many failed sign-in attempts" in locked.content.decode()


def test_a_successful_login_still_works(client, django_user_model):
    django_user_model.objects.create_user("bob", password="the-right-password-2", is_staff=True)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "bob", "password": "the-right-password-2"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/admin/"


def test_logs_are_one_json_object_a_line():
    record = logging.LogRecord(
        "articles", logging.WARNING, __file__, 1, "cache %s", ("down",), None
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "WARNING" and entry["message"] == "cache down"
    assert entry["logger"] == "articles" and entry["time"].endswith("+00:00")
