"""The press officer's day (issue 22): the review queue on the admin home, the proposal
filter, editors told by email, preview links for approvers, restore that asks first."""

from datetime import timedelta
from http import HTTPStatus
from unittest.mock import patch

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import PreviewLink, Release
from articles.notifications import ATTEMPTS, RETRY_AFTER, send_to_editors
from articles.querysets import Status
from tests.distribution_support import IMMEDIATE, run_worker
from tests.factories import make_release, make_speech
from tests.support import form_data

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/articles/release/"


def edit(client, item, **changes):
    url = reverse(f"admin:articles_{item._meta.model_name}_change", args=[item.pk])
    item.refresh_from_db()
    return client.post(url, form_data(item, **changes))


@pytest.fixture
def editor_with_email(editor):
    editor.email = "edith@example.org"
    editor.save()
    return editor


@pytest.fixture
def queue_runs_at_once(settings):
    """Tasks run as they are enqueued (NEWSROOM_TASKS=immediate), so a test sees the mail
    as soon as the change commits."""
    settings.TASKS = IMMEDIATE


# --- the review queue -----------------------------------------------------------------


def test_admin_home_shows_the_review_queue(editor_client, officer_client, editor):
    make_release(title="Waiting release", status=Status.IN_REVIEW)
    make_speech(title="Waiting speech", status=Status.IN_REVIEW)
    live = make_release(
        title="Live with a proposal", published_at=timezone.now() - timedelta(hours=2)
    )
    edit(officer_client, live, title="Officer's better title")
    make_release(title="Lifts tomorrow", published_at=timezone.now() + timedelta(days=1))
    make_release(title="Lifts next month", published_at=timezone.now() + timedelta(days=30))
    make_release(title="Old news", published_at=timezone.now() - timedelta(days=40))
    editor_client.force_login(editor)

    response = editor_client.get(reverse("admin:index"))
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    sections = response.context["sections"]
    titles = {s["title"]: [row["title"] for row in s["rows"]] for s in sections}
    assert titles["Waiting for review"] == ["Waiting release", "Waiting speech"]
    assert titles["Proposed changes"] == ["Live with a proposal"]
    assert titles["Scheduled — next 7 days"] == ["Lifts tomorrow"]
    assert "Live with a proposal" in titles["Recently published"]
    assert "Old news" not in titles["Recently published"]
    # Lift times in the newsroom's zone, named; each section links to its filtered list.
    assert "CET" in body or "CEST" in body
    assert "Europe/Brussels time" in body
    changelist = reverse("admin:articles_release_changelist")
    for query in ("visibility=review", "proposal=pending", "visibility=embargoed"):
        assert f"{changelist}?{query}" in body
    # A proposal opens straight on the item's history: one click from the home page.
    assert reverse("admin:articles_release_history", args=[live.pk]) in body


def test_review_queue_queries_do_not_grow(editor_client, django_assert_max_num_queries):
    for _ in range(12):
        make_release(status=Status.IN_REVIEW)
        make_speech(status=Status.IN_REVIEW)
    # Session, user, permissions, Django's recent actions, two per section.
    with django_assert_max_num_queries(14):
        assert editor_client.get(reverse("admin:index")).status_code == HTTPStatus.OK


def test_change_list_filters_items_with_a_pending_proposal(officer_client, editor):
    proposed = make_release(title="Has a proposal")
    make_release(title="No proposal")
    edit(officer_client, proposed, title="A proposed title")
    editor_client = officer_client  # one test client, now signed in as the editor
    editor_client.force_login(editor)
    response = editor_client.get(CHANGELIST, {"proposal": "pending"})
    assert [r.title for r in response.context["cl"].result_list] == ["Has a proposal"]

    # Applying it answers it: the item leaves the filter.
    proposal = proposed.history.order_by("-history_date").first()
    url = reverse("admin:articles_release_restore", args=[proposed.pk, proposal.history_id])
    editor_client.post(url, {"confirmed": "yes"})
    response = editor_client.get(CHANGELIST, {"proposal": "pending"})
    assert list(response.context["cl"].result_list) == []


# --- editors told by email ------------------------------------------------------------


def test_a_submission_for_review_emails_the_editors_after_commit(
    officer_client,
    editor_with_email,
    django_capture_on_commit_callbacks,
    queue_runs_at_once,
):
    draft = make_release(title="Please look at this", status=Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        data = {"action": "submit_for_review", "_selected_action": [draft.pk]}
        officer_client.post(reverse("admin:articles_release_changelist"), data)
    assert mail.outbox == []  # nothing before the change commits
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["edith@example.org"]
    assert message.subject == "For review: Please look at this"
    assert "oscar submitted this release for review" in message.body
    assert reverse("admin:articles_release_change", args=[draft.pk]) in message.body


def test_saving_a_draft_as_in_review_emails_the_editors(
    officer_client,
    editor_with_email,
    django_capture_on_commit_callbacks,
    queue_runs_at_once,
):
    draft = make_release(title="Saved for review", status=Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        assert edit(officer_client, draft, status=Status.IN_REVIEW).status_code == 302
    assert [m.subject for m in mail.outbox] == ["For review: Saved for review"]
    with django_capture_on_commit_callbacks(execute=True):  # saved again: no new message
        edit(officer_client, draft, summary="A better lead")
    assert len(mail.outbox) == 1


def test_a_proposal_emails_the_editors_with_a_link_to_the_history(
    officer_client,
    editor_with_email,
    django_capture_on_commit_callbacks,
    queue_runs_at_once,
):
    live = make_release(title="Live item")
    with django_capture_on_commit_callbacks(execute=True):
        edit(officer_client, live, title="Proposed wording")
    assert [m.subject for m in mail.outbox] == ["Proposed change to a live item: Live item"]
    assert reverse("admin:articles_release_history", args=[live.pk]) in mail.outbox[0].body


def test_a_failing_mail_server_does_not_fail_the_save(
    officer_client, editor_with_email, settings, django_capture_on_commit_callbacks,
    queue_runs_at_once,
):  # fmt: skip
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    draft = make_release(status=Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(officer_client, draft, status=Status.IN_REVIEW)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW


def test_nobody_is_emailed_about_their_own_change(editor_client, editor_with_email,
                                                  django_capture_on_commit_callbacks,
                                                  queue_runs_at_once):  # fmt: skip
    draft = make_release(status=Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        edit(editor_client, draft, status=Status.IN_REVIEW)
    assert mail.outbox == []


def test_notifications_wait_on_the_task_queue_for_the_worker(
    officer_client, editor_with_email, django_capture_on_commit_callbacks
):
    """With the default queue (tasks in the database), the save only enqueues: the worker
    that `make run` starts beside the server sends the message."""
    draft = make_release(title="Queued for review", status=Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        assert edit(officer_client, draft, status=Status.IN_REVIEW).status_code == 302
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "articles.notifications.send_to_editors"
    run_worker()
    assert [m.subject for m in mail.outbox] == ["For review: Queued for review"]
    assert mail.outbox[0].to == ["edith@example.org"]


def test_an_unreachable_queue_sends_the_notification_at_once(
    officer_client, editor_with_email, django_capture_on_commit_callbacks
):
    draft = make_release(title="No queue today", status=Status.DRAFT)
    refused = patch(
        "django_tasks_db.backend.DatabaseBackend.enqueue", side_effect=ConnectionError("down")
    )
    with refused, django_capture_on_commit_callbacks(execute=True):
        assert edit(officer_client, draft, status=Status.IN_REVIEW).status_code == 302
    assert [m.subject for m in mail.outbox] == ["For review: No queue today"]


def test_a_failed_send_is_retried_later_then_given_up(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    before = timezone.now()
    assert send_to_editors.call("Subject", "Body", ["edith@example.org"]) is False
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["args"] == ["Subject", "Body", ["edith@example.org"], 2]
    assert retry.run_after >= before + RETRY_AFTER
    retry.delete()
    last = send_to_editors.call("Subject", "Body", ["edith@example.org"], ATTEMPTS)
    assert last is False
    assert not DBTaskResult.objects.exists()  # the last try is logged, not queued again


# --- preview links ----------------------------------------------------------------------


def share(client, item, days=7, note="Spokesperson"):
    url = reverse(f"admin:articles_{item._meta.model_name}_preview_links", args=[item.pk])
    return client.post(url, {"days": days, "note": note}, follow=True)


@pytest.mark.parametrize("make", [make_release, make_speech])
def test_an_approver_without_an_account_opens_a_shared_preview(editor_client, client, make):
    draft = make(title="Draft for the approver", status=Status.DRAFT)
    response = share(editor_client, draft)
    assert "Preview link made" in response.content.decode()
    link = PreviewLink.objects.get()
    assert len(link.token) >= 40  # 32 random bytes, nothing derived from the item

    client.logout()
    page = client.get(f"/preview/{link.token}/")
    body = page.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert "<h1>Draft for the approver</h1>" in body
    assert "Preview — not public" in body
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in page["Cache-Control"]
    assert page.get("X-Newsroom-Cache") is None  # never in the page cache
    link.refresh_from_db()
    assert link.views == 1 and link.last_viewed_at is not None


def test_a_preview_link_stops_at_expiry_and_when_revoked(editor_client, client, time_machine):
    draft = make_release(status=Status.DRAFT)
    share(editor_client, draft, days=1)
    link = PreviewLink.objects.get()
    url = f"/preview/{link.token}/"
    assert client.get(url).status_code == HTTPStatus.OK

    time_machine.move_to(timezone.now() + timedelta(days=1, minutes=1))
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND

    share(editor_client, draft, days=7)
    fresh = PreviewLink.objects.usable().get()
    assert client.get(f"/preview/{fresh.token}/").status_code == HTTPStatus.OK
    revoke = reverse("admin:articles_release_preview_links", args=[draft.pk])
    editor_client.post(revoke, {"revoke": fresh.pk})
    assert client.get(f"/preview/{fresh.token}/").status_code == HTTPStatus.NOT_FOUND
    # The record stays on the History page.
    history = editor_client.get(reverse("admin:articles_release_history", args=[draft.pk]))
    assert "revoked" in history.content.decode()


def test_only_editors_share_previews_and_bad_input_is_refused(officer_client, editor):
    draft = make_release(status=Status.DRAFT)
    assert "Only an editor" in share(officer_client, draft).content.decode()
    history = officer_client.get(reverse("admin:articles_release_history", args=[draft.pk]))
    assert "Share a preview link" not in history.content.decode()
    officer_client.force_login(editor)
    assert "1 to 30 days" in share(officer_client, draft, days=400).content.decode()
    assert "1 to 30 days" in share(officer_client, draft, days="soon").content.decode()
    assert not PreviewLink.objects.exists()


def test_an_unknown_token_is_a_404_naming_nothing(client):
    make_release(title="Hidden title", status=Status.DRAFT)
    response = client.get("/preview/not-a-real-token/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Hidden title" not in response.content.decode()


# --- restore asks first -----------------------------------------------------------------


def test_restoring_a_live_item_asks_first_and_says_the_page_changes(editor_client):
    item = make_release(title="First words")
    edit(editor_client, item, title="Second words")
    first = item.history.order_by("history_date").first()
    url = reverse("admin:articles_release_restore", args=[item.pk, first.history_id])

    asked = editor_client.post(url)
    assert asked.status_code == HTTPStatus.OK
    assert "the public page changes as soon as you confirm" in asked.content.decode()
    item.refresh_from_db()
    assert item.title == "Second words"  # nothing changed yet

    done = editor_client.post(url, {"confirmed": "yes"}, follow=True)
    item.refresh_from_db()
    assert item.title == "First words"
    # The message and the revision name the newsroom's zone, not UTC.
    assert "UTC" not in item.history.order_by("-history_date").first().history_change_reason
    assert "CET" in done.content.decode() or "CEST" in done.content.decode()


def test_restoring_a_draft_needs_no_confirmation(editor_client):
    item = make_release(title="Draft one", status=Status.DRAFT)
    edit(editor_client, item, title="Draft two")
    first = item.history.order_by("history_date").first()
    editor_client.post(reverse("admin:articles_release_restore", args=[item.pk, first.history_id]))
    assert Release.objects.get(pk=item.pk).title == "Draft one"


# --- history and compare in words -------------------------------------------------------


def test_a_status_change_is_logged_as_one(editor_client):
    item = make_release(status=Status.DRAFT, body="<p>Kept as it is.</p>")
    # The rich-text editor sends the untouched body back re-serialised.
    edit(editor_client, item, status=Status.IN_REVIEW, body="<p>Kept as it is.</p>\n")
    reason = item.history.order_by("-history_date").first().history_change_reason
    assert reason == "Status: Draft → In review"
    edit(editor_client, item, status=Status.DRAFT, title="A new title")
    reason = item.history.order_by("-history_date").first().history_change_reason
    assert reason == "Status: In review → Draft; changed title"


def test_compare_names_speakers_and_events(editor_client):
    from tests.factories import make_event, make_speaker

    jens = make_speaker(name="Jens Stoltenberg", slug="jens-stoltenberg")
    summit = make_event(name="Vilnius Summit", slug="vilnius-summit-2023")
    item = make_release(title="Before", speakers=[jens], events=[summit])
    edit(editor_client, item, title="After")
    first, last = item.history.order_by("history_date")
    response = editor_client.get(
        reverse("admin:articles_release_compare", args=[item.pk]),
        {"from": first.history_id, "to": last.history_id},
    )
    body = response.content.decode()
    assert "Jens Stoltenberg" in body and "Vilnius Summit" in body
    assert "jens-stoltenberg" not in body.split('id="content-main"')[1]


def test_a_preview_link_stops_when_the_item_is_taken_down(editor_client, client):
    item = make_release(title="Live, then removed")
    share(editor_client, item)
    url = f"/preview/{PreviewLink.objects.get().token}/"
    assert client.get(url).status_code == HTTPStatus.OK
    Release.objects.filter(pk=item.pk).update(
        status=Status.REMOVED, withdrawn_at=timezone.now(), withdrawal_note="Removed."
    )
    response = client.get(url)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Live, then removed" not in response.content.decode()
