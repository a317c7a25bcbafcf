"""Every admin page and action for anonymous users, press officers and editors."""

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from articles.models import Release
from articles.querysets import Status
from tests.factories import make_release, make_speech

pytestmark = pytest.mark.django_db

OK, FOUND, FORBIDDEN = HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.FORBIDDEN


def admin_pages(model: str, item) -> dict[str, str]:
    history = item.history.order_by("history_date")
    first, last = history.first(), history.last()
    model_admin = admin.site._registry[type(item)]
    return {
        "changelist": reverse(f"admin:articles_{model}_changelist"),
        "add": reverse(f"admin:articles_{model}_add"),
        "change": reverse(f"admin:articles_{model}_change", args=[item.pk]),
        "delete": reverse(f"admin:articles_{model}_delete", args=[item.pk]),
        "history": reverse(f"admin:articles_{model}_history", args=[item.pk]),
        "compare": reverse(f"admin:articles_{model}_compare", args=[item.pk])
        + f"?from={first.history_id}&to={last.history_id}",
        "preview": model_admin.preview_url(item),
    }


EXPECTED = {
    # page: (press officer, editor)
    "changelist": (OK, OK),
    "add": (OK, OK),
    "change": (OK, OK),
    "delete": (FORBIDDEN, OK),
    "history": (OK, OK),
    "compare": (OK, OK),
    "preview": (OK, OK),
}


@pytest.fixture(params=[("release", make_release), ("speech", make_speech)], ids=lambda p: p[0])
def item(request):
    model, make = request.param
    obj = make(status=Status.DRAFT)
    obj.title = "Second version"
    obj.save()  # two revisions to compare
    return model, obj


def test_anonymous_users_reach_no_admin_page(client, item):
    model, obj = item
    for name, url in admin_pages(model, obj).items():
        response = client.get(url)
        assert response.status_code == FOUND, name
        assert response["Location"].startswith("/admin/login/"), name


@pytest.mark.parametrize("role", ["press_officer", "editor"])
def test_roles_reach_what_they_may(client, item, role, request):
    model, obj = item
    client.force_login(request.getfixturevalue(role))
    column = 0 if role == "press_officer" else 1
    for name, url in admin_pages(model, obj).items():
        assert client.get(url).status_code == EXPECTED[name][column], (role, name)


def test_restore_is_refused_to_press_officers_and_anonymous(client, press_officer):
    item = make_release(title="Original")
    item.title = "Changed"
    item.save()
    first = item.history.order_by("history_date").first()
    url = reverse("admin:articles_release_restore", args=[item.pk, first.history_id])
    assert client.post(url).status_code == FOUND  # to the login page
    client.force_login(press_officer)
    client.post(url)
    item.refresh_from_db()
    assert item.title == "Changed"


def test_every_post_needs_a_csrf_token(editor):
    item = make_release(status=Status.DRAFT)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    changelist = reverse("admin:articles_release_changelist")
    response = strict.post(changelist, {"action": "publish_now", "_selected_action": [item.pk]})
    assert response.status_code == FORBIDDEN
    assert not Release.objects.public().filter(pk=item.pk).exists()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "http:evil.example", "/\\evil.example"]
)
def test_login_never_redirects_off_site(client, django_user_model, target):
    django_user_model.objects.create_user("ann", password="a-long-password-3", is_staff=True)
    response = client.post(
        f"/admin/login/?next={target}",
        {"username": "ann", "password": "a-long-password-3", "next": target},
    )
    assert response.status_code == FOUND
    assert "evil.example" not in response["Location"]


def test_clickjacking_protection_on_admin_and_public_pages(client, staff_client):
    assert client.get("/").headers["X-Frame-Options"] == "DENY"
    assert staff_client.get("/admin/").headers["X-Frame-Options"] == "DENY"
