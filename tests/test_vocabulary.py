"""A controlled tag vocabulary (issue 22): items take existing tags, picked by the
admin's autocomplete; a typo is refused with the closest names; editors alone add tags
and merge duplicates, whose old addresses then redirect."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles.models import Release, TagNote, TagRedirect
from articles.querysets import Status
from tests.factories import make_event, make_release, make_speech
from tests.support import form_data, versions_management

pytestmark = pytest.mark.django_db


def change(client, item, **overrides):
    url = reverse(f"admin:articles_{item._meta.model_name}_change", args=[item.pk])
    item.refresh_from_db()
    return client.post(url, form_data(item, **overrides))


def test_the_tags_box_is_an_autocomplete_over_existing_tags(officer_client):
    Tag.objects.create(name="Maritime security")
    item = make_release(status=Status.DRAFT, tags=["Ukraine"])
    url = reverse("admin:articles_release_change", args=[item.pk])
    body = officer_client.get(url).content.decode()
    assert 'class="admin-autocomplete' in body and 'data-field-name="tags"' in body
    assert ">Taggit<" not in body  # the app is named for people, not for the library
    found = officer_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "release", "field_name": "tags", "term": "mari"},
    )
    assert [row["text"] for row in found.json()["results"]] == ["Maritime security"]


def test_items_take_tags_by_id_or_by_existing_name(officer_client):
    ukraine, arctic = Tag.objects.create(name="Ukraine"), Tag.objects.create(name="Arctic")
    item = make_release(status=Status.DRAFT)
    assert change(officer_client, item, tags=[ukraine.pk, arctic.pk]).status_code == 302
    assert sorted(item.tags.names()) == ["Arctic", "Ukraine"]
    assert change(officer_client, item, tags="ukraine").status_code == 302
    assert list(item.tags.names()) == ["Ukraine"]


@pytest.mark.parametrize("make", [make_release, make_speech])
def test_a_typo_is_refused_and_creates_no_tag(officer_client, make):
    Tag.objects.create(name="Ukraine")
    item = make(status=Status.DRAFT)
    response = change(officer_client, item, tags="Ukriane")
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "There is no tag “Ukriane”. Did you mean “Ukraine”?" in body
    assert not Tag.objects.filter(name="Ukriane").exists()


def test_an_events_tags_come_from_the_vocabulary_too(editor_client):
    event = make_event()
    url = reverse("admin:articles_event_change", args=[event.pk])
    page = editor_client.get(url)
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update(tags="Not a tag", edit_token=page.context["adminform"].form["edit_token"].value())
    data["start_on"] = event.start_on.isoformat()
    data.update(versions_management())
    response = editor_client.post(url, data)
    assert "There is no tag “Not a tag”" in response.content.decode()


def test_only_editors_add_tags_and_merge(officer_client, editor):
    add = reverse("admin:taggit_tag_add")
    assert officer_client.get(add).status_code == HTTPStatus.FORBIDDEN
    changelist = officer_client.get(reverse("admin:taggit_tag_changelist"))
    assert "merge" not in changelist.content.decode().lower()
    officer_client.force_login(editor)
    assert officer_client.get(add).status_code == HTTPStatus.OK
    data = {
        "name": "Cyber defence",
        "slug": "cyber-defence",
        "note-TOTAL_FORMS": 1,
        "note-INITIAL_FORMS": 0,
        "note-0-description": "Networks and the Alliance.",
    }
    response = officer_client.post(add, data)
    assert response.status_code == HTTPStatus.FOUND
    assert TagNote.objects.get(tag__slug="cyber-defence").description == (
        "Networks and the Alliance."
    )


def test_merging_moves_every_item_and_redirects_the_old_address(editor_client, client):
    both = make_release(title="Carries both", tags=["Ukraine", "ukraine war"])
    old_only = make_speech(title="Old tag only", tags=["ukraine war"])
    event = make_event(tags=["ukraine war"])
    keep, old = Tag.objects.get(name="Ukraine"), Tag.objects.get(name="ukraine war")
    data = {"action": "merge", "_selected_action": [keep.pk, old.pk]}
    asked = editor_client.post(reverse("admin:taggit_tag_changelist"), data)
    assert "Keep this tag" in asked.content.decode()
    done = editor_client.post(
        reverse("admin:taggit_tag_changelist"), {**data, "apply": "1", "keep": keep.pk},
        follow=True,
    )  # fmt: skip
    assert "Merged “ukraine war” into “Ukraine”" in done.content.decode()
    assert not Tag.objects.filter(pk=old.pk).exists()
    assert list(both.tags.names()) == ["Ukraine"]
    assert list(old_only.tags.names()) == ["Ukraine"]
    assert list(event.tags.names()) == ["Ukraine"]
    assert TagRedirect.objects.get(old_slug=old.slug).tag == keep
    response = client.get(f"/tags/{old.slug}/")
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == f"/tags/{keep.slug}/"


def test_restoring_a_revision_reads_a_merged_tag_as_the_tag_it_became(editor_client):
    from articles.admin.tags import merge_tags
    from articles.revisions import restore_revision

    item = make_release(title="Old words", tags=["ukraine war"])
    Tag.objects.create(name="Arctic")
    change(editor_client, item, title="New words", tags="Arctic")
    first = item.history.order_by("history_date").first()
    assert first.tag_names == ["ukraine war"]
    merge_tags(
        keep=Tag.objects.create(name="Ukraine"), merged=[Tag.objects.get(name="ukraine war")]
    )
    restore_revision(revision=first, user=None)
    assert list(Release.objects.get(pk=item.pk).tags.names()) == ["Ukraine"]
    assert not Tag.objects.filter(name="ukraine war").exists()
