"""Editorial workflow: states, actions, scheduling, roles."""

from datetime import datetime, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Release, Speech
from articles.querysets import Status
from tests.factories import make_release, make_speech
from tests.support import form_data

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:articles_release_changelist"


def act(client, action: str, *items, **extra):
    data = {"action": action, "_selected_action": [item.pk for item in items], **extra}
    return client.post(reverse(CHANGELIST), data, follow=True)


def test_visibility_filter_shows_each_state(editor_client):
    make_release(title="A draft", status=Status.DRAFT)
    make_release(title="A review", status=Status.IN_REVIEW)
    make_release(title="An embargo", published_at=timezone.now() + timedelta(days=1))
    make_release(title="A live one")
    expected = {
        "draft": "A draft",
        "review": "A review",
        "embargoed": "An embargo",
        "live": "A live one",
    }
    for value, title in expected.items():
        response = editor_client.get(reverse(CHANGELIST), {"visibility": value})
        assert [r.title for r in response.context["cl"].result_list] == [title], value


def test_embargo_is_shown_in_the_newsroom_zone_with_its_name(editor_client):
    make_release(published_at=datetime(2030, 7, 1, 10, 0, tzinfo=ZoneInfo("UTC")))
    body = editor_client.get(reverse(CHANGELIST)).content.decode()
    assert "Embargoed until 1 Jul 2030, 12:00 CEST" in body


def test_submit_for_review(officer_client):
    draft = make_release(status=Status.DRAFT)
    act(officer_client, "submit_for_review", draft)
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW


def test_editor_publishes_now(editor_client):
    item = make_release(status=Status.IN_REVIEW, published_at=timezone.now() + timedelta(days=9))
    response = act(editor_client, "publish_now", item)
    assert "live now" in response.content.decode()
    assert Release.objects.public().filter(pk=item.pk).exists()


def test_editor_schedules_with_an_intermediate_form(editor_client, time_machine):
    item = make_release(status=Status.IN_REVIEW)
    form = act(editor_client, "schedule", item)
    assert "Publish at" in form.content.decode() and "Europe/Brussels" in form.content.decode()

    response = act(
        editor_client, "schedule", item, apply="1", publish_at_0="2031-01-02", publish_at_1="09:30"
    )
    assert "embargoed until 2 Jan 2031, 09:30 CET" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
    assert item.published_at == datetime(2031, 1, 2, 8, 30, tzinfo=ZoneInfo("UTC"))
    assert not Release.objects.public().filter(pk=item.pk).exists()

    time_machine.move_to(item.published_at + timedelta(seconds=1))
    assert Release.objects.public().filter(pk=item.pk).exists()


def test_schedule_refuses_a_past_time(editor_client):
    item = make_release(status=Status.IN_REVIEW)
    response = act(
        editor_client, "schedule", item, apply="1", publish_at_0="2001-01-01", publish_at_1="09:30"
    )
    assert "Choose a time in the future" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.IN_REVIEW


def test_editor_withdraws_back_to_draft(editor_client):
    item = make_release()
    act(editor_client, "back_to_draft", item)
    assert not Release.objects.public().filter(pk=item.pk).exists()


@pytest.mark.parametrize(
    "action", ["publish_now", "schedule", "back_to_draft", "withdraw", "remove"]
)
def test_press_officer_cannot_run_editor_actions(officer_client, action):
    draft = make_release(status=Status.IN_REVIEW)
    live = make_release()
    act(
        officer_client,
        action,
        draft,
        live,
        apply="1",
        publish_at_0="2031-01-02",
        publish_at_1="09:30",
        note="A notice a press officer may not give",
    )
    draft.refresh_from_db()
    live.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert live.status == Status.PUBLISHED
    actions = (
        officer_client.get(reverse(CHANGELIST)).context["action_form"].fields["action"].choices
    )
    assert action not in [name for name, _ in actions]


def test_press_officer_cannot_choose_published(officer_client):
    item = make_release(status=Status.DRAFT)
    url = reverse("admin:articles_release_change", args=[item.pk])
    response = officer_client.post(url, form_data(item, status="published"))
    assert response.status_code == HTTPStatus.OK  # the form is shown again with an error
    assert "Select a valid choice" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.DRAFT


def test_press_officer_edit_of_a_public_item_becomes_a_proposal(officer_client):
    item = make_release(title="Original title", tags=["Ukraine"])
    make_release(tags=["Sweden"])  # the vocabulary: items take existing tags only
    url = reverse("admin:articles_release_change", args=[item.pk])
    response = officer_client.post(
        url, form_data(item, title="Officer's title", tags="Sweden"), follow=True
    )
    assert "kept as a proposed revision" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Original title"
    assert list(item.tags.names()) == ["Ukraine"]
    proposal = item.history.order_by("-history_date").first()
    assert proposal.title == "Officer's title"
    assert proposal.tag_names == ["Sweden"]
    assert "awaiting an editor" in proposal.history_change_reason


def test_press_officer_can_edit_a_draft(officer_client):
    item = make_release(status=Status.DRAFT, title="Draft title")
    url = reverse("admin:articles_release_change", args=[item.pk])
    response = officer_client.post(url, form_data(item, title="Better title", status="review"))
    assert response.status_code == HTTPStatus.FOUND
    item.refresh_from_db()
    assert (item.title, item.status) == ("Better title", Status.IN_REVIEW)


def test_roles_exist_with_the_right_permissions(editor, press_officer):
    assert editor.has_perm("articles.publish_release") and editor.has_perm(
        "articles.publish_speech"
    )
    assert not press_officer.has_perm("articles.publish_release")
    for perm in (
        "articles.add_release",
        "articles.change_speech",
        "articles.add_speaker",
        "articles.change_event",
        "taggit.view_tag",
    ):
        assert press_officer.has_perm(perm), perm
    assert not press_officer.has_perm("articles.delete_release")
    # The vocabulary is the editors': press officers choose tags, editors add them.
    assert not press_officer.has_perm("taggit.add_tag")
    assert editor.has_perm("taggit.add_tag") and editor.has_perm("articles.change_tagnote")


def test_create_editor_command(monkeypatch, django_user_model):
    monkeypatch.setenv("NEWSROOM_PASSWORD", "a-long-editor-password-7")
    call_command("create_editor", "chief", "--email", "chief@example.org", "--no-input")
    user = django_user_model.objects.get(username="chief")
    assert user.is_staff and user.check_password("a-long-editor-password-7")
    assert user.has_perm("articles.publish_release")


def test_create_editor_refuses_a_weak_password(monkeypatch, django_user_model):
    from django.core.management.base import CommandError

    monkeypatch.setenv("NEWSROOM_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("create_editor", "weak", "--no-input")
    assert not django_user_model.objects.filter(username="weak").exists()


def test_speech_actions_use_the_speech_permission(editor_client):
    speech = make_speech(status=Status.IN_REVIEW)
    editor_client.post(
        reverse("admin:articles_speech_changelist"),
        {"action": "publish_now", "_selected_action": [speech.pk]},
    )
    assert Speech.objects.public().filter(pk=speech.pk).exists()


def test_create_editor_can_demote_an_editor(monkeypatch, django_user_model):
    monkeypatch.setenv("NEWSROOM_PASSWORD", "a-long-editor-password-7")
    call_command("create_editor", "chief", "--no-input")
    call_command("create_editor", "chief", "--role", "press-officer", "--no-input")
    user = django_user_model.objects.get(username="chief")
    assert list(user.groups.values_list("name", flat=True)) == ["Press officer"]
    assert not user.has_perm("articles.publish_release")


def test_publishing_from_the_form_dates_the_item_now(editor_client):
    created = timezone.now().replace(microsecond=0) - timedelta(days=3)
    item = make_release(status=Status.DRAFT, published_at=created)
    url = reverse("admin:articles_release_change", args=[item.pk])
    response = editor_client.post(url, form_data(item, status="published"))
    assert response.status_code == HTTPStatus.FOUND
    item.refresh_from_db()
    assert item.published_at > created + timedelta(days=2)
    assert not item.shows_last_updated


def test_publish_now_leaves_live_items_with_their_date(editor_client):
    live = make_release()
    published_at = live.published_at
    act(editor_client, "publish_now", live)
    live.refresh_from_db()
    assert live.published_at == published_at


def test_create_editor_asks_again_after_a_weak_or_mismatched_password(
    monkeypatch, django_user_model
):
    from io import StringIO

    answers = iter(["123", "123", "a-long-editor-password-7", "typo", "a-long-editor-password-7",
                    "a-long-editor-password-7"])  # fmt: skip
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    errors = StringIO()
    call_command("create_editor", "patient", stderr=errors)
    assert "too short" in errors.getvalue() and "did not match" in errors.getvalue()
    user = django_user_model.objects.get(username="patient")
    assert user.check_password("a-long-editor-password-7")


def test_create_editor_gives_up_after_five_bad_passwords(monkeypatch, django_user_model):
    from django.core.management.base import CommandError

    monkeypatch.setattr("getpass.getpass", lambda prompt="": "123")
    with pytest.raises(CommandError, match="after 5 attempts"):
        call_command("create_editor", "stubborn", stderr=__import__("io").StringIO())
    assert not django_user_model.objects.filter(username="stubborn").exists()
