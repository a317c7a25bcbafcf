"""Embargoed advance copies: sent from the admin to lists and contacts, each with a
personal link that shows that one item, logs every opening, can be revoked and resent,
and leads to the public page after the lift."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from articles.querysets import Status
from newsroom.distribution import links
from newsroom.distribution.models import (
    AdvanceCopy,
    AdvanceCopyAccess,
    Contact,
    DeliveryStatus,
    DistributionList,
)
from tests.distribution_support import IMMEDIATE, links_in, path_of
from tests.factories import make_release, make_speech

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = IMMEDIATE
    settings.NEWSROOM_SITE_URL = "https://news.example.org"


@pytest.fixture
def desk():
    lift = timezone.now() + timedelta(hours=3)
    accredited = DistributionList.objects.create(name="Accredited press")
    anna = Contact.objects.create(name="Anna Reporter", email="anna@paper.example", outlet="Paper")
    ben = Contact.objects.create(name="Ben Wire", email="ben@wire.example", outlet="Wire")
    carl = Contact.objects.create(name="Carl Outside", email="carl@tv.example")
    accredited.contacts.add(anna, ben)
    item = make_release(title="Summit communiqué", published_at=lift, summary="Allies agree.")
    other = make_speech(title="Secret other speech", published_at=lift)
    return {
        "list": accredited,
        "anna": anna,
        "ben": ben,
        "carl": carl,
        "item": item,
        "other": other,
        "lift": lift,
    }


def send(client, desk, capture, **extra):
    data = {"item": f"release:{desk['item'].pk}", "lists": [desk["list"].pk], **extra}
    preview = client.post("/admin/distribution/advancecopy/send/", data)
    assert preview.status_code == HTTPStatus.OK
    with capture(execute=True):
        done = client.post("/admin/distribution/advancecopy/send/", {**data, "confirm": "1"})
    assert done.status_code == HTTPStatus.FOUND
    return preview


def link_of(address: str) -> str:
    (message,) = [m for m in mail.outbox if address in m.to[0]]
    return path_of(next(url for url in links_in(message) if "/advance/" in url))


def test_an_editor_sees_who_will_get_it_then_sends(
    editor_client, desk, django_capture_on_commit_callbacks
):
    page = editor_client.get("/admin/distribution/advancecopy/send/").content.decode()
    assert "Summit communiqué" in page and "Secret other speech" in page
    preview = send(
        editor_client,
        desk,
        django_capture_on_commit_callbacks,
        contacts=[desk["carl"].pk, desk["anna"].pk],
    )
    body = preview.content.decode()
    assert "3 recipients of “Summit communiqué”" in body
    for name in ("Anna Reporter", "Ben Wire", "Carl Outside"):
        assert name in body
    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    assert message.subject.startswith("Embargoed until ")
    assert "Summit communiqué" in message.subject
    assert AdvanceCopy.objects.filter(status=DeliveryStatus.SENT).count() == 3
    # Sending again skips those who have one: exactly once per contact and item.
    send(editor_client, desk, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3
    listing = editor_client.get("/admin/distribution/advancecopy/").content.decode()
    assert "Anna Reporter" in listing and "Sent" in listing


def test_the_send_page_refuses_no_recipients_and_unscheduled_items(editor_client, desk):
    response = editor_client.post(
        "/admin/distribution/advancecopy/send/", {"item": f"release:{desk['item'].pk}"}
    )
    assert "Choose at least one list or contact." in response.content.decode()
    live = make_release(title="Already live")
    response = editor_client.post(
        "/admin/distribution/advancecopy/send/",
        {"item": f"release:{live.pk}", "lists": [desk["list"].pk]},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not AdvanceCopy.objects.exists()


def test_a_press_officer_cannot_send(officer_client, desk):
    response = officer_client.get("/admin/distribution/advancecopy/send/")
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_the_link_shows_that_item_to_that_reader_before_the_lift(
    client, editor_client, desk, django_capture_on_commit_callbacks, time_machine
):
    send(editor_client, desk, django_capture_on_commit_callbacks)
    client = Client()  # the reader, not signed in (editor_client is the `client` fixture)
    url = link_of("anna@paper.example")
    page = client.get(url, HTTP_USER_AGENT="AnnaBrowser/1.0")
    assert page.status_code == HTTPStatus.OK
    body = page.content.decode()
    assert "Embargoed until" in body and "Anna Reporter" in body
    assert "Summit communiqué" in body and "Secret other speech" not in body
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in page["Cache-Control"]
    assert "X-Newsroom-Cache" not in page
    # The item stays off every public surface.
    assert client.get(desk["item"].get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert "Summit communiqué" not in client.get("/releases/").content.decode()
    access = AdvanceCopyAccess.objects.get()
    assert access.user_agent == "AnnaBrowser/1.0" and access.granted
    assert access.copy.contact == desk["anna"]
    # The access log is in the editor's view of the copy.
    change = editor_client.get(f"/admin/distribution/advancecopy/{access.copy.pk}/change/")
    assert "AnnaBrowser/1.0" in change.content.decode()
    # After the lift: the public page.
    time_machine.move_to(desk["lift"] + timedelta(seconds=1))
    after = client.get(url)
    assert after.status_code == HTTPStatus.FOUND
    assert after["Location"] == desk["item"].get_absolute_url()


def altered(token: str) -> str:
    """`token` with its last character changed (to another one, always)."""
    return token[:-1] + ("1" if token.endswith("0") else "0")


def test_forged_tokens_and_other_items_open_nothing(
    editor_client, desk, django_capture_on_commit_callbacks
):
    send(editor_client, desk, django_capture_on_commit_callbacks)
    client = Client()
    copy = AdvanceCopy.objects.get(contact=desk["anna"])
    forged = [
        "0" * 64,
        links.advance_token(copy.pk, "0" * 32),  # right id, guessed nonce
        links.advance_token(copy.pk + 1000, copy.nonce),
        altered(link_of("anna@paper.example").split("/")[2]),  # the real token, one letter off
        copy.token_digest,  # the stored digest is not the token
    ]
    for token in forged:
        response = client.get(f"/advance/{token}/")
        assert response.status_code == HTTPStatus.NOT_FOUND, token
        assert "Summit communiqué" not in response.content.decode()
    # Anna's link shows Anna's item only, and names Anna, not Ben.
    body = client.get(link_of("anna@paper.example")).content.decode()
    assert "Ben Wire" not in body and "Secret other speech" not in body


def test_revoked_links_answer_410_and_resending_gives_a_new_link(
    editor_client, desk, django_capture_on_commit_callbacks
):
    client = Client()
    send(editor_client, desk, django_capture_on_commit_callbacks)
    anna_url, ben_url = link_of("anna@paper.example"), link_of("ben@wire.example")
    anna = AdvanceCopy.objects.get(contact=desk["anna"])
    editor_client.post(
        "/admin/distribution/advancecopy/", {"action": "revoke", "_selected_action": [anna.pk]}
    )
    revoked = client.get(anna_url)
    assert revoked.status_code == HTTPStatus.GONE
    assert "Summit communiqué" not in revoked.content.decode()
    assert client.get(ben_url).status_code == HTTPStatus.OK
    assert AdvanceCopyAccess.objects.filter(granted=False).count() == 1
    # Revoke all at once: the item's copies, filtered, all selected.
    ct = anna.content_type_id
    listing = editor_client.get(f"/admin/distribution/advancecopy/?item={ct}:{anna.object_id}")
    assert "Ben Wire" in listing.content.decode()
    everyone = list(AdvanceCopy.objects.values_list("pk", flat=True))
    editor_client.post(
        "/admin/distribution/advancecopy/", {"action": "revoke", "_selected_action": everyone}
    )
    assert client.get(ben_url).status_code == HTTPStatus.GONE
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            "/admin/distribution/advancecopy/", {"action": "resend", "_selected_action": [anna.pk]}
        )
    new_url = link_of("anna@paper.example")
    assert new_url != anna_url
    assert client.get(new_url).status_code == HTTPStatus.OK
    assert client.get(anna_url).status_code == HTTPStatus.NOT_FOUND


def test_an_item_taken_back_to_draft_opens_nothing(
    editor_client, desk, django_capture_on_commit_callbacks
):
    send(editor_client, desk, django_capture_on_commit_callbacks)
    client = Client()
    url = link_of("anna@paper.example")
    type(desk["item"]).objects.filter(pk=desk["item"].pk).update(status=Status.DRAFT)
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_editors_see_how_many_subscribers_an_item_will_alert_before_publishing(editor_client, desk):
    from newsroom.distribution import alerts
    from newsroom.distribution.models import Frequency, Subscription

    def subscribe(email, frequency, **data):
        cleaned = alerts.clean_filter(data)
        fields = {name: cleaned[name] for name in alerts.FILTER_FIELDS}
        Subscription.objects.create(
            email=email,
            scope=cleaned["scope"],
            frequency=frequency,
            filter_key=alerts.filter_key(cleaned),
            confirmed_at=timezone.now(),
            **fields,
        )

    subscribe("a@example.org", Frequency.IMMEDIATE, scope="releases")
    subscribe("b@example.org", Frequency.DAILY, scope="all", q="communiqué")
    subscribe("c@example.org", Frequency.IMMEDIATE, scope="all", q="zebra")
    subscribe("d@example.org", Frequency.IMMEDIATE, scope="speeches")
    draft = make_release(title="Draft communiqué", status=Status.DRAFT)
    page = editor_client.get("/admin/distribution/alertsend/").content.decode()
    assert "/admin/distribution/alertsend/preview/" in page
    for item in (draft, desk["item"]):
        response = editor_client.get(
            f"/admin/distribution/alertsend/preview/?item=release:{item.pk}"
        )
        body = response.content.decode()
        assert "2 subscribers" in body and "1 at once, 1 in the next daily digest" in body
    live = make_release(title="Live one")
    response = editor_client.get(f"/admin/distribution/alertsend/preview/?item=release:{live.pk}")
    assert "Select a valid choice" in response.content.decode()
    preview = editor_client.post(
        "/admin/distribution/advancecopy/send/",
        {"item": f"release:{desk['item'].pk}", "lists": [desk["list"].pk]},
    )
    assert "email alerts will go to <strong>2 subscribers</strong>" in preview.content.decode()
