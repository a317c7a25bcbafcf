"""Promises that hold under races and failures (issue 21), in one process.

The several-server scenarios (a server whose Redis is down, several workers without
Redis) run real gunicorn processes in tests/test_multi_server.py.
"""

import contextvars
import logging
import re
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.cache import content_version, fresh_until, note_request_start
from articles.models import Event, Release, Speaker
from articles.querysets import Status
from tests.factories import make_event, make_release, make_speaker
from tests.support import form_data, versions_management

pytestmark = pytest.mark.django_db

BROKEN_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
    }
}


# --- lifts are exact ---------------------------------------------------------------


def test_a_lift_while_a_page_is_built_ends_that_pages_life(client, time_machine):
    """The page is built from rows read just before a lift and stored just after it:
    it must not be served once the lift has come."""
    lift = timezone.now().replace(microsecond=0) + timedelta(minutes=10)
    make_release(title="Walrus before the lift")
    make_release(title="Walrus at the lift", published_at=lift)
    time_machine.move_to(lift - timedelta(seconds=1), tick=False)

    def cross_the_lift(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if "articles_release" in sql and "ORDER BY" in sql:  # the list's own rows
            time_machine.move_to(lift + timedelta(seconds=1), tick=False)
        return result

    with connection.execute_wrapper(cross_the_lift):
        first = client.get("/releases/")
    assert timezone.now() > lift  # time did move while the page was being built
    assert "Walrus at the lift" not in first.content.decode()  # its rows were read before

    again = client.get("/releases/")
    assert again["X-Newsroom-Cache"] == "miss"
    assert "Walrus at the lift" in again.content.decode()


def test_a_lift_another_server_saw_pass_still_ends_values_read_before_it(time_machine):
    """Server A's request begins just before a lift (a list's queryset is fixed then);
    server B asks for the next lift just after it, finds none pending and keeps that
    answer for every server. A's values, kept after that, must still end at the lift:
    a list's count was kept 300 s, and the list said "0 releases" past the lift."""
    lift = timezone.now().replace(microsecond=0) + timedelta(minutes=10)
    make_release(title="Walrus at the lift", published_at=lift)
    time_machine.move_to(lift - timedelta(seconds=1), tick=False)
    note_request_start()  # server A's request
    time_machine.move_to(lift + timedelta(seconds=1), tick=False)

    def server_b() -> float:
        note_request_start()
        return fresh_until()

    assert contextvars.copy_context().run(server_b) > timezone.now().timestamp() + 200
    assert fresh_until() == lift.timestamp()  # A's: ended by the lift B saw pass


def test_a_page_cached_before_a_lift_is_not_served_after_it(client, time_machine):
    lift = timezone.now().replace(microsecond=0) + timedelta(minutes=2)
    make_release(title="Walrus under embargo", published_at=lift)
    time_machine.move_to(lift - timedelta(seconds=30), tick=False)
    assert "Walrus under embargo" not in client.get("/releases/").content.decode()
    assert client.get("/releases/")["X-Newsroom-Cache"] == "hit"
    time_machine.move_to(lift, tick=False)
    assert "Walrus under embargo" in client.get("/releases/").content.decode()


# --- invalidation does not depend on the cache ---------------------------------------


def test_a_withdrawal_made_while_the_cache_is_down_reaches_pages_cached_before(
    client, settings, caplog
):
    """Server B cached the page; server A, whose cache is unreachable, withdraws the item.
    The version lives in the database, so B's cached page is dead all the same."""
    item = make_release(title="Walrus to withdraw")
    assert "Walrus to withdraw" in client.get("/releases/").content.decode()
    assert client.get("/releases/")["X-Newsroom-Cache"] == "hit"
    local = settings.CACHES

    settings.CACHES = BROKEN_REDIS  # server A: its cache is down
    with caplog.at_level(logging.WARNING, logger="articles.cache"):
        item.status = Status.DRAFT
        item.save()
        assert "Walrus to withdraw" not in client.get("/releases/").content.decode()

    settings.CACHES = local  # server B: its cache still holds the old page
    page = client.get("/releases/")
    assert page["X-Newsroom-Cache"] == "miss"
    assert "Walrus to withdraw" not in page.content.decode()
    assert client.get(item.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_the_content_version_lives_in_the_database_and_rolls_back_with_the_change():
    from django.db import transaction

    from articles.models import ContentVersion

    def stored() -> int:
        return ContentVersion.objects.get(pk=1).value

    before = content_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_release()
        assert stored() > before
        raise RuntimeError("the save is rolled back")
    assert stored() == before
    make_release()
    assert stored() > before


def test_each_process_reads_the_version_at_most_once_an_interval(
    client, settings, django_assert_num_queries
):
    make_release()
    client.get("/releases/")
    settings.NEWSROOM_VERSION_CHECK_SECONDS = 3600
    content_version()
    with django_assert_num_queries(0):
        assert client.get("/releases/")["X-Newsroom-Cache"] == "hit"
    settings.NEWSROOM_VERSION_CHECK_SECONDS = 0
    with django_assert_num_queries(1):  # the version, nothing else
        assert client.get("/releases/")["X-Newsroom-Cache"] == "hit"


def test_a_change_made_elsewhere_is_seen_once_the_interval_has_passed(client, settings):
    """Another server's change raises the row without telling this process."""
    from articles.models import ContentVersion

    settings.NEWSROOM_VERSION_CHECK_SECONDS = 3600
    item = make_release(title="Walrus seen elsewhere")
    client.get("/releases/")
    Release.objects.filter(pk=item.pk).update(status=Status.DRAFT)  # no signal here
    ContentVersion.objects.filter(pk=1).update(value=content_version() + 1)
    assert "Walrus seen elsewhere" in client.get("/releases/").content.decode()  # memo
    settings.NEWSROOM_VERSION_CHECK_SECONDS = 0
    assert "Walrus seen elsewhere" not in client.get("/releases/").content.decode()


def test_cache_outage_warnings_are_rate_limited(client, settings, caplog):
    from articles import cache as cache_module

    settings.CACHES = BROKEN_REDIS
    make_release(tags=["Ukraine"])
    cache_module._warnings.last = -cache_module.WARNING_INTERVAL  # a new minute
    with caplog.at_level(logging.WARNING, logger="articles.cache"):
        for _ in range(5):
            assert client.get("/releases/").status_code == HTTPStatus.OK
    warnings = [r for r in caplog.records if r.name == "articles.cache"]
    assert len(warnings) == 1
    assert "cache unavailable" in warnings[0].getMessage()


# --- the page cache: who is a reader ---------------------------------------------------


def test_a_stray_session_cookie_does_not_skip_the_cache(client):
    make_release()
    client.cookies["sessionid"] = "not-a-session-of-ours"
    assert client.get("/releases/")["X-Newsroom-Cache"] == "miss"
    assert client.get("/releases/")["X-Newsroom-Cache"] == "hit"


def test_signed_in_staff_are_never_served_from_the_cache(client, admin_user):
    make_release()
    client.get("/releases/")
    assert client.get("/releases/")["X-Newsroom-Cache"] == "hit"
    client.force_login(admin_user)
    assert "X-Newsroom-Cache" not in client.get("/releases/")


# --- every fault is a clean answer -----------------------------------------------------


@pytest.mark.parametrize("url", ["/robots.txt", "/sitemap.xml", "/", "/releases/"])
def test_database_down_is_a_503_everywhere(client, url):
    make_release()
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        from articles.cache import _VersionMemo

        _VersionMemo.forget()
        response = client.get(url)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE, url
    assert response["Retry-After"] == "30"


# --- nothing public without an editor -------------------------------------------------


def speaker_form(speaker: Speaker | None = None, **overrides) -> dict:
    data = {
        "name": speaker.name if speaker else "Orca Newcomer",
        "slug": speaker.slug if speaker else "orca-newcomer",
        "role": speaker.role if speaker else "Envoy designate",
        "organisation": "",
        "country": "",
        "bio": "Not announced yet.",
        **versions_management(),
    }
    data.update(overrides)
    return data


def test_a_speaker_or_event_a_press_officer_creates_stays_private(officer_client, client):
    response = officer_client.post(reverse("admin:articles_speaker_add"), speaker_form(listed="on"))
    assert response.status_code == HTTPStatus.FOUND
    speaker = Speaker.objects.get(slug="orca-newcomer")
    assert not speaker.listed  # the box is not theirs to tick
    response = officer_client.post(
        reverse("admin:articles_event_add"),
        {"name": "Narwhal Summit", "slug": "narwhal-summit", "kind": "summit",
         "start_on": "2030-07-01", "listed": "on", **versions_management()},
    )  # fmt: skip
    assert response.status_code == HTTPStatus.FOUND
    assert not Event.objects.get(slug="narwhal-summit").listed
    for url in ("/speakers/orca-newcomer/", "/events/narwhal-summit/"):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
    for url in ("/speakers/", "/events/", "/", "/sitemap-speakers.xml", "/sitemap-events.xml"):
        body = client.get(url).content.decode()
        assert "Orca Newcomer" not in body and "orca-newcomer" not in body, url
        assert "Narwhal Summit" not in body and "narwhal-summit" not in body, url


def test_an_editor_lists_a_speaker_or_a_public_item_names_it(editor_client, client):
    speaker = make_speaker(name="Orca Newcomer", slug="orca-newcomer")
    token = edit_token(editor_client, reverse("admin:articles_speaker_change", args=[speaker.pk]))
    response = editor_client.post(
        reverse("admin:articles_speaker_change", args=[speaker.pk]),
        speaker_form(speaker, listed="on", edit_token=token),
    )
    assert response.status_code == HTTPStatus.FOUND
    assert client.get("/speakers/orca-newcomer/").status_code == HTTPStatus.OK

    other = make_speaker(name="Otter Quoted", slug="otter-quoted")
    assert client.get("/speakers/otter-quoted/").status_code == HTTPStatus.NOT_FOUND
    make_release(speakers=[other])
    assert client.get("/speakers/otter-quoted/").status_code == HTTPStatus.OK


def test_editors_hold_the_publish_permissions_for_speakers_and_events(editor, press_officer):
    for codename in ("articles.publish_speaker", "articles.publish_event"):
        assert editor.has_perm(codename)
        assert not press_officer.has_perm(codename)


# --- lost updates: speakers, events, tags ---------------------------------------------


def edit_token(client, url: str) -> str:
    page = client.get(url).content.decode()
    return re.search(r'name="edit_token" value="([^"]*)"', page).group(1)


def test_two_editors_saving_one_speaker_do_not_overwrite_each_other(editor_client):
    speaker = make_speaker(name="Jens Stoltenberg", slug="jens-stoltenberg")
    url = reverse("admin:articles_speaker_change", args=[speaker.pk])
    token = edit_token(editor_client, url)
    Speaker.objects.filter(pk=speaker.pk).update(role="NATO Secretary General")  # the other

    response = editor_client.post(url, speaker_form(speaker, role="Mine", edit_token=token))
    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this speaker" in response.content.decode()
    assert Speaker.objects.get(pk=speaker.pk).role == "NATO Secretary General"

    fresh = edit_token(editor_client, url)
    response = editor_client.post(url, speaker_form(speaker, role="Mine", edit_token=fresh))
    assert response.status_code == HTTPStatus.FOUND
    assert Speaker.objects.get(pk=speaker.pk).role == "Mine"


def test_two_editors_saving_one_event_or_tag_do_not_overwrite_each_other(editor_client):
    event = make_event(name="Vilnius Summit", slug="vilnius-summit", tags=["Ukraine"])
    url = reverse("admin:articles_event_change", args=[event.pk])
    token = edit_token(editor_client, url)
    event.tags.add("Arctic")  # the other editor's change is to the tags alone
    data = {"name": "Vilnius", "slug": event.slug, "kind": event.kind,
            "start_on": "2024-03-12", "tags": "Ukraine", "edit_token": token,
            **versions_management()}  # fmt: skip
    response = editor_client.post(url, data)
    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this event" in response.content.decode()
    assert Event.objects.get(pk=event.pk).name == "Vilnius Summit"

    tag = Tag.objects.get(name="Arctic")
    url = reverse("admin:taggit_tag_change", args=[tag.pk])
    token = edit_token(editor_client, url)
    Tag.objects.filter(pk=tag.pk).update(name="The Arctic")
    response = editor_client.post(
        url, {"name": "Arctic region", "slug": "arctic", "edit_token": token}
    )
    assert response.status_code == HTTPStatus.OK
    assert Tag.objects.get(pk=tag.pk).name == "The Arctic"


# --- republishing keeps the first publication date ------------------------------------


def withdraw_and_republish(client, item) -> Release:
    url = reverse("admin:articles_release_changelist")
    for action in ("back_to_draft", "publish_now"):
        response = client.post(url, {"action": action, "_selected_action": [item.pk]})
        assert response.status_code == HTTPStatus.FOUND
    return Release.objects.get(pk=item.pk)


def test_a_republished_release_keeps_its_first_publication_date(editor_client, client):
    first = datetime(2024, 3, 14, 10, 0, tzinfo=UTC)
    item = make_release(title="Walrus of March", published_at=first)
    item.save()  # a first recorded revision, as any edit makes
    newer = make_release(published_at=timezone.now() - timedelta(hours=1))

    again = withdraw_and_republish(editor_client, item)

    assert again.status == Status.PUBLISHED
    assert again.published_at == first
    assert again.updated_at > first  # the republication shows as an update
    latest = again.history.order_by("-history_date").first()
    assert latest.history_change_reason.startswith("Republished (first published 14 Mar 2024")
    listing = client.get("/releases/").content.decode()
    assert listing.index(newer.title) < listing.index("Walrus of March")  # not news again
    assert "Last updated" in client.get(again.get_absolute_url()).content.decode()


def test_an_item_never_public_is_dated_when_first_published(editor_client):
    draft = make_release(status=Status.DRAFT, published_at=datetime(2024, 3, 14, tzinfo=UTC))
    draft.save()
    before = timezone.now()
    published = withdraw_and_republish(editor_client, draft)
    assert published.published_at >= before.replace(microsecond=0)


def test_an_embargo_that_was_withdrawn_before_its_lift_was_never_public(editor_client):
    lift = timezone.now() + timedelta(days=1)
    item = make_release(published_at=lift)
    item.save()
    before = timezone.now()
    published = withdraw_and_republish(editor_client, item)
    assert published.published_at >= before.replace(microsecond=0)


def test_dates_lost_before_the_fix_are_repaired_from_history(capsys):
    first = datetime(2024, 3, 14, 10, 0, tzinfo=UTC)
    item = make_release(slug="damaged-walrus", published_at=first)
    item.save()
    item.status = Status.DRAFT
    item.save()
    item.status, item.published_at = Status.PUBLISHED, timezone.now()
    item.save()  # what "Publish now" did before issue 21

    call_command("repair_publication_dates")
    assert "damaged-walrus" in capsys.readouterr().out
    assert Release.objects.get(pk=item.pk).published_at != first  # a dry run by default

    call_command("repair_publication_dates", "--apply")
    assert "restored" in capsys.readouterr().out
    assert Release.objects.get(pk=item.pk).published_at == first
    call_command("repair_publication_dates")
    assert "No item has lost" in capsys.readouterr().out


def test_the_repair_leaves_deliberate_dates_alone(capsys, time_machine):
    """A withdrawn item re-released later by "Schedule…", and a date an editor corrected
    while the item was live, are not damage."""
    first = datetime(2024, 3, 14, 10, 0, tzinfo=UTC)
    time_machine.move_to(datetime(2024, 3, 20, 9, 0, tzinfo=UTC), tick=False)
    scheduled = make_release(slug="scheduled-walrus", published_at=first)
    scheduled.save()
    scheduled.status = Status.DRAFT
    scheduled.save()
    scheduled.status, scheduled.published_at = Status.PUBLISHED, first + timedelta(days=10)
    scheduled.save()  # an embargo ten days later, lifted since
    corrected = make_release(slug="corrected-walrus", published_at=first)
    corrected.save()
    corrected.published_at = first + timedelta(days=1)
    corrected.save()  # live all along: the editor moved its date
    time_machine.move_to(datetime(2024, 4, 1, tzinfo=UTC), tick=False)

    call_command("repair_publication_dates")
    assert "No item has lost" in capsys.readouterr().out


def test_publishing_a_withdrawn_draft_keeps_an_embargo_set_on_it(editor_client):
    """Withdrawn, given a future time on the draft, then published from the form: the
    future time is an embargo, not the first publication date."""
    first = datetime(2024, 3, 14, 10, 0, tzinfo=UTC)
    item = make_release(title="Embargoed again", published_at=first)
    item.save()
    url = reverse("admin:articles_release_changelist")
    editor_client.post(url, {"action": "back_to_draft", "_selected_action": [item.pk]})
    later = timezone.now().replace(microsecond=0) + timedelta(days=2)
    Release.objects.filter(pk=item.pk).update(published_at=later)  # saved on the draft
    item.refresh_from_db()
    change = reverse("admin:articles_release_change", args=[item.pk])
    data = form_data(item, status=Status.PUBLISHED)  # the time on the form is left as it is
    response = editor_client.post(change, data)
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    saved = Release.objects.get(pk=item.pk)
    assert saved.status == Status.PUBLISHED
    assert saved.published_at == later  # still embargoed
    assert not Release.objects.public().filter(pk=item.pk).exists()
