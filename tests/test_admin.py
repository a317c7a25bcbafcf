"""The press officers' workspace: changelists, forms, actions."""

from datetime import UTC, timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Release
from articles.querysets import Status
from tests.factories import make_event, make_release, make_speaker, make_speech

pytestmark = pytest.mark.django_db

MODELS = ["release", "speech", "speaker", "event"]


@pytest.mark.parametrize("model", MODELS)
def test_changelist_add_and_change_pages_load(staff_client, model):
    objects = {
        "release": make_release,
        "speech": make_speech,
        "speaker": make_speaker,
        "event": make_event,
    }
    obj = objects[model]()
    for url in (
        reverse(f"admin:articles_{model}_changelist"),
        reverse(f"admin:articles_{model}_add"),
        reverse(f"admin:articles_{model}_change", args=[obj.pk]),
    ):
        assert staff_client.get(url).status_code == HTTPStatus.OK, url


def test_tag_admin_loads(staff_client):
    make_release(tags=["Ukraine"])
    assert staff_client.get(reverse("admin:taggit_tag_changelist")).status_code == HTTPStatus.OK


def test_changelist_shows_visibility_at_a_glance(staff_client):
    make_release(title="Live one")
    make_release(title="Draft one", status=Status.DRAFT)
    make_release(title="Review one", status=Status.IN_REVIEW)
    make_release(title="Embargoed one", published_at=timezone.now() + timedelta(days=1))
    body = staff_client.get(reverse("admin:articles_release_changelist")).content.decode()
    for label in ("Live", "Draft", "In review", "Embargoed until"):
        assert label in body
    assert "CET" in body or "CEST" in body  # times name the zone


@pytest.mark.parametrize(
    "query", ["?status__exact=draft", "?kind__exact=news", "?q=live", "?published_at__year=2024"]
)
def test_changelist_filters_and_search(staff_client, query):
    make_release(title="Live one")
    url = reverse("admin:articles_release_changelist") + query
    assert staff_client.get(url).status_code == HTTPStatus.OK


def test_autocomplete_for_speakers_and_events(staff_client):
    make_speaker(name="Jens Stoltenberg")
    make_event(name="Vilnius Summit")
    url = reverse("admin:autocomplete")
    for model, term, expected in (
        ("speaker", "jens", "Jens Stoltenberg"),
        ("event", "vil", "Vilnius Summit"),
    ):
        field = "speakers" if model == "speaker" else "events"
        response = staff_client.get(
            url,
            {"app_label": "articles", "model_name": "release", "field_name": field, "term": term},
        )
        assert response.status_code == HTTPStatus.OK
        assert [r["text"] for r in response.json()["results"]] == [expected]


def test_publish_and_back_to_draft_actions(staff_client):
    draft = make_release(status=Status.DRAFT, published_at=timezone.now() + timedelta(days=3))
    url = reverse("admin:articles_release_changelist")
    response = staff_client.post(
        url, {"action": "publish_now", "_selected_action": [draft.pk]}, follow=True
    )
    assert "Published 1 item" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert Release.objects.public().filter(pk=draft.pk).exists()

    staff_client.post(url, {"action": "back_to_draft", "_selected_action": [draft.pk]})
    assert not Release.objects.public().filter(pk=draft.pk).exists()


def test_add_release_through_the_form_sanitises_the_body(staff_client):
    speaker = make_speaker()
    response = staff_client.post(
        reverse("admin:articles_release_add"),
        {
            "title": "New release",
            "slug": "new-release",
            "kind": "news",
            "summary": "Lead",
            "body": '<p>Text<script>alert(1)</script></p><p onclick="x">more</p>',
            "status": "draft",
            "published_at_0": "2024-03-14",
            "published_at_1": "17:08:00",
            "speakers": [speaker.pk],
            "tags": "Ukraine, Sweden",
            "source": "NATO",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    release = Release.objects.get(slug="new-release")
    assert "script" not in release.body and "onclick" not in release.body
    assert sorted(release.tags.names()) == ["Sweden", "Ukraine"]
    # Entered in the newsroom's zone: 17:08 in Brussels in March is 16:08 UTC.
    assert release.published_at.astimezone(UTC).hour == 16


def test_view_on_site_link(staff_client):
    release = make_release()
    body = staff_client.get(
        reverse("admin:articles_release_change", args=[release.pk])
    ).content.decode()
    assert "View on site" in body


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("admin:articles_release_changelist"))
    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]
