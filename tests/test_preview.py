"""Staff preview: exactly the public page, with a banner, noindex and no cache."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from articles.admin import ReleaseAdmin, SpeechAdmin
from articles.models import Release, Speech
from articles.querysets import Status
from tests.factories import make_release, make_speech

pytestmark = pytest.mark.django_db


def preview_url(item) -> str:
    from django.contrib import admin

    model_admin = admin.site._registry[type(item)]
    assert isinstance(model_admin, ReleaseAdmin | SpeechAdmin)
    return model_admin.preview_url(item)


@pytest.mark.parametrize("make", [make_release, make_speech])
def test_staff_preview_of_a_draft(officer_client, make):
    item = make(title="Secret draft", status=Status.DRAFT)
    response = officer_client.get(preview_url(item))
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Preview — not public" in body
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert "<h1>Secret draft</h1>" in body
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_anonymous_visitors_cannot_reach_a_preview(client):
    item = make_release(status=Status.DRAFT)
    response = client.get(preview_url(item))
    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]


def test_preview_url_is_not_guessable(staff_client):
    item = make_release(status=Status.DRAFT)
    guessed = reverse("admin:articles_release_preview", args=[str(item.pk)])
    assert staff_client.get(guessed).status_code == HTTPStatus.NOT_FOUND
    other_model = reverse("admin:articles_speech_preview", args=[preview_url(item).split("/")[-2]])
    assert staff_client.get(other_model).status_code == HTTPStatus.NOT_FOUND


def test_view_on_site_opens_the_preview_until_the_item_is_public(staff_client):
    from django.contrib import admin

    draft = make_release(status=Status.DRAFT)
    live = make_release()
    model_admin = admin.site._registry[Release]
    assert model_admin.view_on_site(draft) == preview_url(draft)
    assert model_admin.view_on_site(live) == live.get_absolute_url()
    assert Speech in admin.site._registry
