"""Home, details, speakers, events and tags: what each public page shows."""

from datetime import date, datetime, time, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from articles.querysets import Status
from tests.factories import make_event, make_release, make_speaker, make_speech

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    return response.content.decode()


def test_home_shows_latest_releases_speeches_and_events(client):
    summit = make_event(name="Recent summit", start_on=date(2024, 7, 9))
    make_release(title="Latest release", events=[summit])
    make_speech(title="Latest speech")
    body = page(client, "/")
    assert "Latest release" in body and "Latest speech" in body and "Recent summit" in body
    assert body.count("<h1") == 1


def test_release_detail_shows_everything_a_reader_needs(client):
    jens = make_speaker(name="Jens Stoltenberg", slug="jens-stoltenberg")
    summit = make_event(name="Washington Summit", slug="washington-summit-2024")
    release = make_release(
        title="Annual Report",
        kind="press-release",
        summary="The lead.",
        body="<p>President Duda,<br>Dear Andrzej,</p><p>Second paragraph.</p>",
        published_at=datetime(2024, 3, 14, 13, 0, tzinfo=ZoneInfo("Europe/Brussels")),
        tags=["Annual report"],
        speakers=[jens],
        events=[summit],
    )
    body = page(client, release.get_absolute_url())
    assert "<h1>Annual Report</h1>" in body
    assert "Press release" in body
    assert "14 March 2024, 13:00 CET" in body
    assert "Last updated" not in body  # saved now, but no update was announced
    release.revised_at = timezone.now()
    release.save()
    assert "Last updated" in page(client, release.get_absolute_url())  # an update, later
    assert '<a href="/speakers/jens-stoltenberg/">Jens Stoltenberg</a>' in body
    assert '<a href="/events/washington-summit-2024/">Washington Summit</a>' in body
    assert '<a href="/releases/?tag=annual-report">Annual report</a>' in body
    assert "<p>President Duda,<br>Dear Andrzej,</p><p>Second paragraph.</p>" in body


def test_last_updated_is_hidden_when_not_corrected(client):
    release = make_release(published_at=timezone.now())
    assert "Last updated" not in page(client, release.get_absolute_url())


def test_speech_detail_shows_speakers_in_order_with_roles_and_delivery(client):
    jens = make_speaker(name="Jens Stoltenberg", role="NATO Secretary General")
    duda = make_speaker(name="Andrzej Duda", role="President of Poland")
    event = make_event(name="Visit of the President of Poland")
    speech = make_speech(
        title="Joint press conference",
        kind="joint-press-conference",
        speakers=[jens, duda],
        event=event,
        delivered_on=date(2024, 3, 12),
        delivered_time=time(13, 15),
        location="NATO Headquarters",
        delivery_status="as-delivered",
    )
    body = page(client, speech.get_absolute_url())
    assert body.index("Jens Stoltenberg") < body.index("Andrzej Duda")
    assert "NATO Secretary General" in body and "President of Poland" in body
    assert "As delivered" in body and "Joint press conference" in body
    assert "12 March 2024, 13:15 (Europe/Brussels)" in body
    assert "NATO Headquarters" in body and event.name in body


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": Status.DRAFT},
        {"status": Status.IN_REVIEW},
        {"published_at_delta": timedelta(hours=1)},
    ],
)
def test_hidden_items_have_no_detail_page(client, overrides):
    delta = overrides.pop("published_at_delta", None)
    if delta:
        overrides["published_at"] = timezone.now() + delta
    release = make_release(**overrides)
    speech = make_speech(**overrides)
    assert client.get(release.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert client.get(speech.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_speaker_pages_list_public_speeches_and_quoting_releases(client):
    jens = make_speaker(name="Jens Stoltenberg", slug="jens")
    make_speech(title="Public speech", speakers=[jens])
    make_speech(title="Draft speech", speakers=[jens], status=Status.DRAFT)
    make_release(title="Quoting release", speakers=[jens])
    make_release(
        title="Embargoed release", speakers=[jens], published_at=timezone.now() + timedelta(days=1)
    )

    index = page(client, "/speakers/")
    assert "Jens Stoltenberg" in index
    assert "1 speech · quoted in 1 release" in index
    body = page(client, "/speakers/jens/")
    assert "Public speech" in body and "Quoting release" in body
    assert "Draft speech" not in body and "Embargoed release" not in body


def test_event_pages_list_speeches_and_releases_in_date_order(client):
    event = make_event(name="Flag-raising", slug="flag-raising")
    make_release(
        title="Second release", events=[event], published_at=timezone.now() - timedelta(days=1)
    )
    make_release(
        title="First release", events=[event], published_at=timezone.now() - timedelta(days=2)
    )
    make_release(title="Draft release", events=[event], status=Status.DRAFT)
    assert "Flag-raising" in page(client, "/events/")
    body = page(client, "/events/flag-raising/")
    assert body.index("First release") < body.index("Second release")
    assert "Draft release" not in body


def test_tag_pages_show_everything_published_with_the_tag(client):
    make_release(title="Tagged release", tags=["Arctic"])
    make_speech(title="Tagged speech", tags=["Arctic"])
    make_release(title="Tagged draft", tags=["Arctic"], status=Status.DRAFT)
    body = page(client, "/tags/arctic/")
    assert "Tagged release" in body and "Tagged speech" in body
    assert "Tagged draft" not in body
    assert "Releases (1)" in body
    assert "Arctic" in page(client, "/tags/")
    assert client.get("/tags/no-such-tag/").status_code == HTTPStatus.NOT_FOUND


def test_unknown_detail_slugs_are_404_with_the_site_page(client):
    for url in ("/releases/nope/", "/speeches/nope/", "/speakers/nope/", "/events/nope/"):
        response = client.get(url)
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert "Page not found" in response.content.decode()


def test_pages_have_landmarks_and_one_h1(client):
    release = make_release()
    for url in (
        "/",
        "/releases/",
        "/speeches/",
        release.get_absolute_url(),
        "/speakers/",
        "/events/",
    ):
        body = page(client, url)
        assert '<main id="main"' in body and '<nav aria-label="Main">' in body
        assert body.count("<h1") == 1, url
        assert 'href="#main"' in body
