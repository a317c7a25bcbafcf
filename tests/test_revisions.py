"""Revisions: every admin save is kept; compare any two; restore without loss."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles.models import Release
from tests.factories import make_release, make_speaker, make_speech
from tests.support import form_data

pytestmark = pytest.mark.django_db


def edit(client, item, **changes):
    url = reverse(f"admin:articles_{item._meta.model_name}_change", args=[item.pk])
    item.refresh_from_db()
    return client.post(url, form_data(item, **changes))


def test_every_admin_save_records_who_when_and_what(editor_client, editor):
    item = make_release(title="First title", tags=["Ukraine"])
    Tag.objects.create(name="Arctic")  # the vocabulary: items take existing tags only
    assert (
        edit(editor_client, item, title="Second title", tags="Ukraine, Arctic").status_code == 302
    )
    assert edit(editor_client, item, summary="A new lead").status_code == 302

    records = list(item.history.order_by("history_date"))
    # The stored state before the first recorded edit is kept too.
    assert [r.title for r in records] == ["First title", "Second title", "Second title"]
    assert records[1].history_user == editor
    assert records[1].history_change_reason == "Changed title, tags"
    assert records[1].tag_names == ["Arctic", "Ukraine"]
    assert records[2].history_change_reason == "Changed summary"


def test_revision_list_and_compare_pages(editor_client):
    item = make_release(title="Old title", body="<p>NATO is strong.</p><p>Same line.</p>")
    edit(editor_client, item, title="New title", body="<p>NATO is stronger.</p><p>Same line.</p>")
    listing = editor_client.get(reverse("admin:articles_release_history", args=[item.pk]))
    assert listing.status_code == HTTPStatus.OK
    old, new = item.history.order_by("history_date")
    assert str(old.history_id) in listing.content.decode()

    compare = editor_client.get(
        reverse("admin:articles_release_compare", args=[item.pk]),
        {"from": new.history_id, "to": old.history_id},  # order does not matter
    )
    body = compare.content.decode()
    assert "<del>Old</del> <ins>New</ins> title" in body
    assert "NATO is <del>strong.</del> <ins>stronger.</ins>" in body
    assert "Same line." in body


def test_compare_with_a_bad_revision_id_is_a_clear_message(editor_client):
    item = make_release()
    response = editor_client.get(
        reverse("admin:articles_release_compare", args=[item.pk]),
        {"from": "x", "to": "y"},
        follow=True,
    )
    assert "Choose two revisions" in response.content.decode()


def test_restore_makes_a_new_revision_and_keeps_everything(editor_client):
    jens = make_speaker(slug="jens")
    item = make_release(title="Original", tags=["Ukraine"], speakers=[jens])
    Tag.objects.create(name="Sweden")  # the vocabulary: items take existing tags only
    edit(editor_client, item, title="Changed", tags="Sweden", speakers=[])
    original = item.history.order_by("history_date").first()
    assert original.title == "Original"

    url = reverse("admin:articles_release_restore", args=[item.pk, original.history_id])
    response = editor_client.post(url, {"confirmed": "yes"}, follow=True)
    assert "Restored the revision" in response.content.decode()

    item.refresh_from_db()
    assert item.title == "Original"
    assert list(item.tags.names()) == ["Ukraine"]
    assert list(item.speakers.all()) == [jens]
    titles = [r.title for r in item.history.order_by("history_date")]
    assert titles == ["Original", "Changed", "Original"]  # nothing lost


def test_restore_keeps_status_and_publication_time(editor_client):
    item = make_release(title="Live text")
    published_at = item.published_at
    edit(editor_client, item, title="Corrected text")
    first = item.history.order_by("history_date").first()
    editor_client.post(
        reverse("admin:articles_release_restore", args=[item.pk, first.history_id]),
        {"confirmed": "yes"},
    )
    item.refresh_from_db()
    assert item.title == "Live text"
    assert item.published_at == published_at
    assert Release.objects.public().filter(pk=item.pk).exists()


def test_restore_of_a_speech_keeps_speaker_order(editor_client):
    from articles.revisions import restore_revision

    first, second = make_speaker(slug="first"), make_speaker(slug="second")
    speech = make_speech(speakers=[first, second])
    speech.title = "Edited"
    speech.save()
    baseline = speech.history.order_by("history_date").first()
    assert baseline.speaker_slugs == ["first", "second"]
    speech.speaker_links.all().delete()
    restore_revision(revision=baseline, user=None)
    assert speech.speaker_list == [first, second]


def test_press_officer_cannot_restore(officer_client):
    item = make_release(title="Keep me")
    item.title = "Second"
    item.save()
    first = item.history.order_by("history_date").first()
    response = officer_client.post(
        reverse("admin:articles_release_restore", args=[item.pk, first.history_id]), follow=True
    )
    assert "Only an editor can restore" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Second"


def test_editor_restores_a_press_officers_proposal(officer_client, client, editor):
    item = make_release(title="Live title")
    edit(officer_client, item, title="Proposed title")
    proposal = item.history.order_by("-history_date").first()
    client.force_login(editor)
    url = reverse("admin:articles_release_restore", args=[item.pk, proposal.history_id])
    client.post(url, {"confirmed": "yes"})
    item.refresh_from_db()
    assert item.title == "Proposed title"


@pytest.mark.parametrize("name", ["history", "compare"])
def test_revision_pages_are_staff_only(client, name):
    item = make_release()
    response = client.get(reverse(f"admin:articles_release_{name}", args=[item.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]


def test_concurrent_edit_is_refused_with_a_link_to_compare(editor_client, client, press_officer):
    item = make_release(status="draft", title="Shared draft")
    url = reverse("admin:articles_release_change", args=[item.pk])
    stale = form_data(item, title="Officer's version")  # loaded before the other save

    assert edit(editor_client, item, title="Editor's version").status_code == 302

    client.force_login(press_officer)
    response = client.post(url, stale)
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this item" in body
    assert reverse("admin:articles_release_history", args=[item.pk]) in body
    assert "Officer&#x27;s version" in body or "Officer's version" in body  # their text is kept
    item.refresh_from_db()
    assert item.title == "Editor's version"


def test_seed_archive_loads_the_earlier_annual_report_text_as_a_revision(editor_client):
    from django.core.management import call_command

    call_command("loaddata", "seed", verbosity=0)
    call_command("loaddata", "seed", verbosity=0)  # twice: still two revisions
    item = Release.objects.get(slug="secretary-general-launches-annual-report-2023")
    earlier, current = item.history.order_by("history_date")
    assert earlier.history_date.isoformat() == "2024-03-14T13:25:00+00:00"  # 14:25 in Brussels
    assert len(earlier.body) < len(current.body) and current.body == item.body
    response = editor_client.get(
        reverse("admin:articles_release_compare", args=[item.pk]),
        {"from": earlier.history_id, "to": current.history_id},
    )
    assert response.status_code == HTTPStatus.OK
    assert "<ins>" in response.content.decode()


def test_history_page_offers_to_apply_a_proposal(officer_client, client, editor):
    item = make_release(title="Live title")
    edit(officer_client, item, title="Proposed title")
    client.force_login(editor)
    body = client.get(reverse("admin:articles_release_history", args=[item.pk])).content.decode()
    proposal = item.history.order_by("-history_date").first()
    assert f'form="restore-{proposal.history_id}">Apply proposal</button>' in body
    assert body.count(">current<") == 1  # the live version, not the proposal


def test_restore_of_a_speech_whose_event_was_deleted(editor_client):
    from articles.revisions import restore_revision
    from tests.factories import make_event

    event = make_event(slug="gone-event")
    speech = make_speech(event=event, title="First")
    speech.title = "Second"
    speech.save()
    first = speech.history.order_by("history_date").first()
    event.delete()
    restore_revision(revision=first, user=None)
    speech.refresh_from_db()
    assert speech.title == "First" and speech.event is None
