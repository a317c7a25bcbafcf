"""Alerts by saved filter: double opt-in, announcements at publish and at an embargo lift,
exactly once, digests, one-click unsubscribe, retries and the rate limit."""

from datetime import timedelta
from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone

from articles.filters import filterset_for
from articles.models import Release, Speech
from articles.querysets import Status
from newsroom.distribution import alerts, links
from newsroom.distribution.models import (
    AlertSend,
    Announcement,
    DeliveryStatus,
    Frequency,
    Subscription,
)
from newsroom.distribution.tasks import announce, deliver, sweep
from tests.distribution_support import (
    IMMEDIATE,
    database_queue,
    links_in,
    outbox_to,
    path_of,
    run_worker,
)
from tests.factories import make_event, make_release, make_speaker, make_speech

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = IMMEDIATE
    settings.NEWSROOM_SITE_URL = "https://news.example.org"


def subscribe(filter_data: dict, email: str = "reader@example.org", **extra) -> Subscription:
    cleaned = alerts.clean_filter(filter_data)
    fields = {name: cleaned[name] for name in alerts.FILTER_FIELDS}
    return Subscription.objects.create(
        email=email,
        scope=cleaned["scope"],
        filter_key=alerts.filter_key(cleaned),
        confirmed_at=timezone.now(),
        **fields,
        **extra,
    )


def publish(django_capture_on_commit_callbacks, **fields) -> Release:
    with django_capture_on_commit_callbacks(execute=True):
        return make_release(published_at=timezone.now() - timedelta(seconds=5), **fields)


def test_a_reader_subscribes_from_a_filtered_list_confirms_and_gets_an_alert(
    client, django_capture_on_commit_callbacks
):
    make_release(tags=["Ukraine"], title="Older Ukraine release")
    page = client.get("/releases/?tag=ukraine&date_after=2000-01-01&page=1").content.decode()
    assert "Get email alerts" in page
    link = "/alerts/?scope=releases&amp;tag=ukraine"
    assert link in page  # dates and the page are not part of an alert
    form = client.get("/alerts/?scope=releases&tag=ukraine")
    assert form.status_code == HTTPStatus.OK
    body = form.content.decode()
    assert "Releases: tagged Ukraine" in body
    assert "What we keep: your email address, this filter" in body
    assert 'label for="id_email"' in body

    sent = client.post(
        "/alerts/",
        {
            "scope": "releases",
            "tag": "ukraine",
            "email": "reader@example.org",
            "frequency": "immediate",
        },
    )
    assert sent.status_code == HTTPStatus.OK and "Check your inbox" in sent.content.decode()
    assert not Subscription.objects.exists(), "nothing is kept before confirmation"
    (confirmation,) = mail.outbox
    assert confirmation.to == ["reader@example.org"]
    confirm_url = path_of(links_in(confirmation)[0])
    assert confirm_url.startswith("/alerts/confirm/")
    assert confirmation.alternatives and "<html" in confirmation.alternatives[0][0]

    # A mail scanner opening the link confirms nothing.
    assert client.get(confirm_url).status_code == HTTPStatus.OK
    assert client.head(confirm_url).status_code == HTTPStatus.OK
    assert not Subscription.objects.exists()
    confirmed = client.post(confirm_url)
    assert confirmed.status_code == HTTPStatus.FOUND
    assert confirmed["Location"].startswith("/alerts/manage/")
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at and subscription.tags == ["ukraine"]
    assert subscription.scope == "releases"

    mail.outbox.clear()
    release = publish(django_capture_on_commit_callbacks, tags=["Ukraine"], title="Fresh news")
    publish(django_capture_on_commit_callbacks, tags=["Arctic"], title="Other news")
    (alert,) = mail.outbox
    assert alert.subject == "New release: Fresh news"
    assert f"https://news.example.org{release.get_absolute_url()}" in alert.body
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = alert.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("https://news.example.org/alerts/unsubscribe/")
    assert "alerts.news.example.org" in alert.extra_headers["List-Id"]
    assert alert.extra_headers["Message-ID"].endswith("@news.example.org>")
    assert "Fresh news" in alert.alternatives[0][0]
    assert "<img" not in alert.alternatives[0][0], "no tracking pixels"


def test_confirming_twice_keeps_one_subscription(client):
    token = links.confirm_token(
        {
            "email": "a@example.org",
            "frequency": "daily",
            "filter": {"scope": "speeches", "speaker": "x"},
        }
    )
    client.post(f"/alerts/confirm/{token}/")
    client.post(f"/alerts/confirm/{token}/")
    assert Subscription.objects.get().frequency == Frequency.DAILY


def test_forged_and_expired_confirmation_links_are_refused(client, time_machine):
    token = links.confirm_token({"email": "a@example.org", "filter": {"scope": "all"}})
    assert client.get(f"/alerts/confirm/{token}x/").status_code == HTTPStatus.BAD_REQUEST
    assert client.post(f"/alerts/confirm/{token[:-3]}abc/").status_code == HTTPStatus.BAD_REQUEST
    time_machine.move_to(timezone.now() + timedelta(days=links.CONFIRM_DAYS, hours=1))
    response = client.post(f"/alerts/confirm/{token}/")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "expired" in response.content.decode()
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "scope=releases&kind=interview",
        "scope=nonsense",
        "scope=all&q=" + "x" * 201,
        "scope=releases&" + "&".join(f"tag=t{n}" for n in range(7)),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(client, query):
    response = client.get(f"/alerts/?{query}")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "correct the following" in response.content.decode()


def test_a_bad_address_is_a_form_error(client):
    response = client.post(
        "/alerts/", {"scope": "all", "email": "not-an-address", "frequency": "immediate"}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Enter a valid email address" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not mail.outbox


def test_unsubscribe_needs_a_post_and_one_click_works_without_a_cookie(client):
    subscription = subscribe({"scope": "all"})
    token = links.manage_token(subscription.pk)
    page = client.get(f"/alerts/unsubscribe/{token}/")
    assert page.status_code == HTTPStatus.OK and "Unsubscribe" in page.content.decode()
    assert Subscription.objects.exists(), "opening the link changes nothing"
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)  # a mail provider's one-click POST
    response = strict.post(
        f"/alerts/unsubscribe/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == HTTPStatus.OK
    assert not Subscription.objects.exists()
    again = strict.post(
        f"/alerts/unsubscribe/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert again.status_code == HTTPStatus.OK
    assert client.get(f"/alerts/unsubscribe/{token}x/").status_code == HTTPStatus.NOT_FOUND


def test_the_manage_page_changes_frequency_by_post_only(client):
    subscription = subscribe({"scope": "releases", "tags": ["ukraine"]})
    url = f"/alerts/manage/{links.manage_token(subscription.pk)}/"
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK
    assert "no-store" in page["Cache-Control"]
    assert client.post(url, {"frequency": "daily"}).status_code == HTTPStatus.FOUND
    subscription.refresh_from_db()
    assert subscription.frequency == Frequency.DAILY
    assert client.post(url, {"frequency": "hourly"}).status_code == HTTPStatus.BAD_REQUEST
    assert client.get("/alerts/manage/forged/").status_code == HTTPStatus.NOT_FOUND


def test_an_item_is_announced_once_per_subscriber_whatever_the_reruns(
    django_capture_on_commit_callbacks,
):
    subscribe({"scope": "all"}, email="one@example.org")
    subscribe({"scope": "releases"}, email="two@example.org")
    subscribe({"scope": "speeches"}, email="three@example.org")
    release = publish(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    announcement = Announcement.objects.get(object_id=release.pk)
    Announcement.objects.filter(pk=announcement.pk).update(done_at=None)  # as if lost
    announce.call(announcement.pk)
    sweep.call()
    ids = list(AlertSend.objects.values_list("pk", flat=True))
    deliver.call("alert", ids)
    deliver.call("alert", ids)
    release.title = "Edited"
    with django_capture_on_commit_callbacks(execute=True):
        release.save()  # an edit of a live item announces nothing
    assert len(mail.outbox) == 2
    assert AlertSend.objects.filter(status=DeliveryStatus.SENT).count() == 2
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        AlertSend.objects.create(
            subscription=Subscription.objects.get(email="one@example.org"),
            content_type=ContentType.objects.get_for_model(Release),
            object_id=release.pk,
        )


def test_drafts_and_embargoed_items_announce_nothing_until_public(
    django_capture_on_commit_callbacks,
):
    subscribe({"scope": "all"})
    with django_capture_on_commit_callbacks(execute=True):
        make_release(status=Status.DRAFT)
        make_release(status=Status.IN_REVIEW)
    assert not mail.outbox and not Announcement.objects.exists()


def test_matching_agrees_with_the_lists_filters():
    """The oracle: a subscription matches exactly when its filtered list shows the item."""
    stoltenberg = make_speaker(slug="jens-stoltenberg")
    summit = make_event(slug="vilnius-summit")
    release = make_release(
        tags=["Ukraine", "Arctic"],
        speakers=[stoltenberg],
        events=[summit],
        kind="news",
        title="Allies meet on Arctic security",
    )
    speech = make_speech(
        tags=["Ukraine"],
        speakers=[stoltenberg],
        event=summit,
        kind="remarks",
        title="Remarks on the Arctic",
    )
    filters = [
        {},
        {"tags": ["ukraine"]},
        {"tags": ["ukraine", "arctic"]},
        {"tags": ["ukraine", "nope"]},
        {"speaker": "jens-stoltenberg"},
        {"speaker": "someone-else"},
        {"event": "vilnius-summit"},
        {"event": "other"},
        {"kind": "news"},
        {"kind": "press-release"},
        {"kind": "remarks"},
        {"q": "arctic"},
        {"q": "security"},
        {"q": "zebra"},
        {"q": "arctic", "tags": ["ukraine"]},
        {"q": '"arctic security"'},
        {"q": "arctic -security"},
    ]
    subscriptions = []
    for n, data in enumerate(filters):
        for scope in ("releases", "speeches", "all"):
            if data.get("kind") and scope != "all":
                model = Release if scope == "releases" else Speech
                if data["kind"] not in model.Kind.values:
                    continue
            subscriptions.append(subscribe({"scope": scope, **data}, email=f"r{n}@example.org"))
    for item in (release, speech):
        matched = {pk for pk, _ in alerts.matching_subscriptions(item)}
        for subscription in subscriptions:
            cleaned = alerts.subscription_filter(subscription)
            model = type(item)
            in_scope = cleaned["scope"] in ("all", alerts.scope_of(model))
            params = alerts.list_params(cleaned)
            query = {}
            for name, value in params:
                query.setdefault(name, []).append(value)
            from django.http import QueryDict

            data = QueryDict(urlencode(params))
            if cleaned["kind"] and cleaned["kind"] not in model.Kind.values:
                expected = False
            else:
                filterset = filterset_for(model, data)
                assert filterset.is_valid(), filterset.errors
                expected = in_scope and filterset.qs.filter(pk=item.pk).exists()
            assert (subscription.pk in matched) == expected, (item.title, cleaned)


def test_matching_reads_a_fixed_number_of_queries(django_assert_max_num_queries):
    release = make_release(tags=["Ukraine"])
    for n in range(50):
        subscribe(
            {"scope": "all", "tags": ["ukraine"], "q": f"word{n % 3}"}, email=f"r{n}@example.org"
        )
    with django_assert_max_num_queries(12):  # item facts, one select, one search per words
        alerts.matching_subscriptions(release)


def test_an_embargoed_item_is_announced_at_its_lift_by_the_worker(
    time_machine, django_capture_on_commit_callbacks
):
    subscribe({"scope": "releases", "tags": ["ukraine"]})
    lift = timezone.now() + timedelta(hours=2)
    with database_queue():
        with django_capture_on_commit_callbacks(execute=True):
            release = make_release(tags=["Ukraine"], published_at=lift, title="Embargoed news")
        run_worker()
        assert not mail.outbox, "nothing before the lift"
        time_machine.move_to(lift - timedelta(seconds=1))
        run_worker()
        assert not mail.outbox
        time_machine.move_to(lift + timedelta(seconds=1))
        run_worker()  # the task enqueued for the lift time runs: no job run by hand
    (alert,) = mail.outbox
    assert alert.subject == "New release: Embargoed news"
    assert AlertSend.objects.get().status == DeliveryStatus.SENT
    assert release.get_absolute_url() in alert.body


def test_a_rescheduled_embargo_announces_at_the_new_time_only(
    time_machine, django_capture_on_commit_callbacks
):
    subscribe({"scope": "all"})
    first = timezone.now() + timedelta(hours=1)
    with database_queue():
        with django_capture_on_commit_callbacks(execute=True):
            release = make_release(published_at=first)
        with django_capture_on_commit_callbacks(execute=True):
            release.published_at = first + timedelta(hours=3)
            release.save()
        time_machine.move_to(first + timedelta(minutes=1))
        run_worker()
        assert not mail.outbox, "the first time passed, the item is still embargoed"
        time_machine.move_to(first + timedelta(hours=3, minutes=1))
        run_worker()
    assert len(mail.outbox) == 1


def test_the_sweep_catches_an_announcement_whose_task_was_lost(time_machine):
    subscribe({"scope": "all"})
    release = make_release()  # no commit in this test: its task was never enqueued
    assert Announcement.objects.filter(done_at=None).count() == 1
    with database_queue():
        sweep.call()
        run_worker()
    assert len(mail.outbox) == 1 and release.title in mail.outbox[0].body


def test_failures_are_retried_with_backoff_then_recorded(settings, time_machine, monkeypatch):
    settings.NEWSROOM_EMAIL_MAX_ATTEMPTS = 2
    subscribe({"scope": "all"})
    release = make_release()
    announcement = Announcement.objects.get(object_id=release.pk)
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with database_queue():
        announce.call(announcement.pk)
        run_worker()
        send = AlertSend.objects.get()
        assert send.status == DeliveryStatus.QUEUED and send.attempts == 1
        assert "mail server down" in send.last_error
        assert send.next_attempt_at > timezone.now()
        time_machine.move_to(send.next_attempt_at + timedelta(seconds=1))
        run_worker()
    send.refresh_from_db()
    assert send.status == DeliveryStatus.FAILED and send.attempts == 2


def test_the_rate_limit_defers_what_is_over_it(settings, time_machine):
    settings.NEWSROOM_EMAIL_RATE_PER_MINUTE = 2
    for n in range(3):
        subscribe({"scope": "all"}, email=f"r{n}@example.org")
    release = make_release()
    with database_queue():
        announce.call(Announcement.objects.get(object_id=release.pk).pk)
        run_worker()
        assert len(mail.outbox) == 2
        time_machine.move_to(timezone.now() + timedelta(minutes=1, seconds=5))
        run_worker()
    assert len(mail.outbox) == 3


def test_daily_subscribers_get_one_digest_at_the_digest_hour(
    settings, time_machine, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_DIGEST_HOUR = 7
    start = timezone.localtime().replace(hour=6, minute=0, second=0, microsecond=0)
    time_machine.move_to(start + timedelta(days=1))
    subscribe({"scope": "all"}, email="daily@example.org", frequency=Frequency.DAILY)
    subscribe({"scope": "all"}, email="now@example.org")
    for title in ("First of the day", "Second of the day"):
        publish(django_capture_on_commit_callbacks, title=title)
    assert len(outbox_to("now@example.org")) == 2
    assert not outbox_to("daily@example.org")
    sweep.call()  # 06:00: not yet
    assert not outbox_to("daily@example.org")
    time_machine.move_to(start + timedelta(days=1, hours=1, minutes=1))
    sweep.call()
    sweep.call()
    (digest,) = outbox_to("daily@example.org")
    assert "First of the day" in digest.body and "Second of the day" in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_item_withdrawn_before_its_alert_is_sent_is_not_sent():
    subscribe({"scope": "all"})
    release = make_release()
    with database_queue():
        announce.call(Announcement.objects.get(object_id=release.pk).pk)
        Release.objects.filter(pk=release.pk).update(status=Status.DRAFT)
        run_worker()
    assert not mail.outbox
    assert AlertSend.objects.get().status == DeliveryStatus.FAILED


def test_the_form_cannot_flood_an_inbox(client):
    data = {"scope": "all", "email": "victim@example.org", "frequency": "immediate"}
    for _ in range(5):
        response = client.post("/alerts/", data)
        assert response.status_code == HTTPStatus.OK
        assert "Check your inbox" in response.content.decode()
    assert len(mail.outbox) == 3


def test_an_embargo_moved_away_and_back_is_announced_once(
    time_machine, django_capture_on_commit_callbacks
):
    subscribe({"scope": "all"})
    first = timezone.now() + timedelta(hours=1)
    with database_queue():
        with django_capture_on_commit_callbacks(execute=True):
            release = make_release(published_at=first)
        with django_capture_on_commit_callbacks(execute=True):
            release.published_at = first + timedelta(hours=1)
            release.save()
        time_machine.move_to(first + timedelta(minutes=5))
        run_worker()  # the first time's task: the item is not due, nothing is owed then
        assert not mail.outbox
        with django_capture_on_commit_callbacks(execute=True):
            release.published_at = first  # back to the first time, now past: live
            release.save()
        run_worker()
        assert len(mail.outbox) == 1
        time_machine.move_to(first + timedelta(hours=1, minutes=1))
        run_worker()
    assert len(mail.outbox) == 1


def test_topic_speaker_and_event_pages_offer_feeds_and_alerts_for_themselves(client):
    """Every public list offers alerts for its filter: a topic's, speaker's or event's page
    is the list of what carries that tag or names that speaker or event."""
    speaker = make_speaker(name="Mircea Geoană", slug="mircea-geoana")
    event = make_event(name="Vilnius Summit", slug="vilnius-summit")
    make_speech(title="Remarks", speakers=[speaker], event=event, tags=["Ukraine"])
    pages = {
        "/tags/ukraine/": ("tag", "ukraine", "tagged Ukraine"),
        "/speakers/mircea-geoana/": ("speaker", "mircea-geoana", "Mircea Geoană"),
        "/events/vilnius-summit/": ("event", "vilnius-summit", "Vilnius Summit"),
    }
    for url, (parameter, slug, words) in pages.items():
        page = client.get(url).content.decode()
        alert = f"/alerts/?scope=all&amp;{parameter}={slug}"
        assert alert in page, url
        for feed in ("/feeds/releases/", "/feeds/speeches/atom/"):
            assert f'href="{feed}?{parameter}={slug}"' in page, (url, feed)
        form = client.get(alert.replace("&amp;", "&"))
        assert form.status_code == HTTPStatus.OK
        assert words in form.content.decode(), url
        speeches = client.get(f"/feeds/speeches/?{parameter}={slug}")
        assert speeches.status_code == HTTPStatus.OK and b"Remarks" in speeches.content
