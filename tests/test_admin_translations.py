"""Translations in the admin: "Translate into …", the "Translations" column and filters,
the change form's stale warning and versions, the language field, the admin in French."""

import re
import uuid
from datetime import time, timedelta
from http import HTTPStatus
from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.db import IntegrityError, connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.admin import translations
from articles.models import Release, Speech
from articles.querysets import Status
from tests.factories import make_event, make_image, make_release, make_speaker, make_speech
from tests.support import form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:articles_release_changelist"


def translate_url(item, language: str = "fr") -> str:
    return reverse(f"admin:articles_{item._meta.model_name}_translate", args=[item.pk, language])


def change_url(item) -> str:
    return reverse(f"admin:articles_{item._meta.model_name}_change", args=[item.pk])


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def pair(*, stale: bool = False, **source_fields) -> tuple[Release, Release]:
    """An English release and its French translation, last changed two hours ago;
    `stale`: the English version's readers were told of a change an hour ago (else three
    hours ago, before the translation)."""
    source = make_release(translation_key=uuid.uuid4(), **source_fields)
    french = make_release(
        title=f"{source.title} (fr)",
        language="fr",
        translation_key=source.translation_key,
        status=Status.DRAFT,
        published_at=source.published_at,
    )
    now = timezone.now()
    Release.objects.filter(pk=french.pk).update(updated_at=now - timedelta(hours=2))
    told = now - timedelta(hours=1 if stale else 3)
    Release.objects.filter(pk=source.pk).update(revised_at=told)
    source.refresh_from_db()
    french.refresh_from_db()
    return source, french


def translation_cells(response) -> dict[str, str]:
    """The "Translations" cell of each row (its HTML), by the row's title."""
    found = {}
    for row in re.findall(r"<tr.*?</tr>", response.content.decode(), re.S):
        title = re.search(r'<th class="field-title"><a [^>]*>(.*?)</a>', row)
        cell = re.search(r'<td class="field-translation_states">(.*?)</td>', row, re.S)
        if title and cell:
            found[title.group(1)] = cell.group(1)
    return found


# --- "Translate into …" --------------------------------------------------------------


def test_translate_makes_a_linked_draft_with_everything_copied(editor_client, editor):
    speakers = [make_speaker(name="Zoe Zed"), make_speaker(name="Anna Alpha")]
    event, image = make_event(), make_image()
    source = make_release(
        title="Allies meet in Brussels",
        kind=Release.Kind.NEWS,
        summary="The lead.",
        body="<p>The text.</p>",
        source="NATO HQ",
        tags=["Ukraine", "Sweden"],
        speakers=speakers,
        events=[event],
        lead_image=image,
    )
    before = Release.objects.values("updated_at", "revised_at").get(pk=source.pk)
    assert source.translation_key is None

    response = editor_client.post(translate_url(source))

    draft = Release.objects.get(language="fr")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == change_url(draft)
    assert messages_of(response)[0][0] == "success"
    source.refresh_from_db()
    assert source.translation_key is not None and draft.translation_key == source.translation_key
    # The source's key is set by itself: no save, no revision, the same edit token.
    assert Release.objects.values("updated_at", "revised_at").get(pk=source.pk) == before
    assert not source.history.exists()
    assert (draft.title, draft.summary, draft.body, draft.kind, draft.source) == (
        "Allies meet in Brussels", "The lead.", "<p>The text.</p>", "news", "NATO HQ",
    )  # fmt: skip
    assert draft.status == Status.DRAFT
    assert draft.slug == f"{source.slug}-fr"
    assert draft.lead_image_id == image.pk
    assert sorted(draft.tags.names()) == ["Sweden", "Ukraine"]
    assert set(draft.speakers.all()) == set(speakers)
    assert list(draft.events.all()) == [event]
    revision = draft.history.get()
    assert revision.history_change_reason == "Translated from English version"
    assert revision.history_user == editor
    assert revision.tag_names == ["Sweden", "Ukraine"] and len(revision.speaker_slugs) == 2


def test_translate_a_speech_keeps_its_speakers_in_order_and_its_delivery(editor_client):
    speakers = [make_speaker(name="Zoe Zed"), make_speaker(name="Anna Alpha")]
    event = make_event()
    source = make_speech(
        speakers=speakers,
        event=event,
        kind=Speech.Kind.REMARKS,
        delivered_time=time(10, 30),
        location="Brussels",
        delivery_status=Speech.Delivery.AS_DELIVERED,
    )
    editor_client.post(translate_url(source))
    draft = Speech.objects.get(language="fr")
    assert draft.speaker_list == speakers  # the main speaker first, as in the source
    assert (draft.delivered_on, draft.delivered_time, draft.location) == (
        source.delivered_on, time(10, 30), "Brussels",
    )  # fmt: skip
    assert (draft.delivery_status, draft.event, draft.kind) == ("as-delivered", event, "remarks")
    assert draft.history.get().speaker_slugs == [s.slug for s in speakers]


def test_a_taken_slug_gets_a_number(editor_client):
    source = make_release(slug="summit")
    make_release(slug="summit-fr")
    editor_client.post(translate_url(source))
    assert Release.objects.get(language="fr").slug == "summit-fr-2"


def test_a_second_translate_opens_the_version_that_exists(editor_client):
    source, french = pair()
    response = editor_client.post(translate_url(source))
    assert response["Location"] == change_url(french)
    assert messages_of(response) == [
        ("info", "This item has a French version already: here it is.")
    ]
    assert Release.objects.filter(language="fr").count() == 1


def test_a_race_for_the_same_language_opens_the_winners_version():
    source, french = pair()
    lookups = mock.patch.object(QuerySet, "first", side_effect=[None, french])
    copy = mock.patch.object(translations, "copy_as_draft", side_effect=IntegrityError)
    with lookups, copy:
        assert translations.translate(source, "fr") == (french, False)


def test_translate_answers_405_to_get(editor_client):
    source = make_release()
    response = editor_client.get(translate_url(source))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert not Release.objects.filter(language="fr").exists()


def test_translate_needs_the_add_permission(client, press_officer):
    source = make_release()
    group = Group.objects.get(name="Press officer")
    group.permissions.remove(Permission.objects.get(codename="add_release"))
    client.force_login(press_officer)

    assert "translate-button" not in client.get(change_url(source)).content.decode()
    assert client.post(translate_url(source)).status_code == HTTPStatus.FORBIDDEN
    assert not Release.objects.filter(language="fr").exists()


def test_a_press_officer_translates(officer_client):
    source = make_release()
    body = officer_client.get(change_url(source)).content.decode()
    assert "Translate into Français" in body and f'action="{translate_url(source)}"' in body
    officer_client.post(translate_url(source))
    assert Release.objects.get(language="fr").status == Status.DRAFT


def test_unknown_language_and_item_are_404(editor_client):
    source = make_release()
    assert editor_client.post(translate_url(source, "de")).status_code == HTTPStatus.NOT_FOUND
    missing = reverse("admin:articles_release_translate", args=[999999, "fr"])
    assert editor_client.post(missing).status_code == HTTPStatus.NOT_FOUND


def test_no_button_for_a_language_the_item_has(editor_client):
    source, french = pair()
    assert "translate-button" not in editor_client.get(change_url(source)).content.decode()
    assert "translate-button" not in editor_client.get(change_url(french)).content.decode()


# --- the change list ---------------------------------------------------------------


def test_the_column_shows_missing_up_to_date_and_stale(editor_client):
    alone = make_release(title="Alone")
    current, current_fr = pair(title="Current")
    behind, behind_fr = pair(title="Behind", stale=True)

    cells = translation_cells(editor_client.get(reverse(CHANGELIST)))

    assert cells["Alone"] == "Français: missing"
    assert cells["Current"] == f'Français: <a href="{change_url(current_fr)}">up to date</a>'
    assert cells["Behind"] == f'Français: <a href="{change_url(behind_fr)}">stale</a>'
    assert cells["Current (fr)"] == (
        f'English: <a href="{change_url(current)}">source</a> (this version is up to date)'
    )
    assert cells["Behind (fr)"] == (
        f'English: <a href="{change_url(behind)}">source</a> (this version is stale)'
    )
    assert alone.translation_key is None


def test_the_column_costs_no_query_per_row(editor_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = editor_client.get(reverse(CHANGELIST))
        assert response.status_code == HTTPStatus.OK
        return len(captured)

    def rows() -> None:  # on one day: the date drill-down's queries stay the same too
        moment = timezone.now() - timedelta(days=1)
        pair(published_at=moment), pair(stale=True, published_at=moment)
        make_release(published_at=moment)

    rows()
    few = queries()
    for _ in range(6):
        rows()
    assert queries() == few


def test_language_filter(editor_client):
    source, french = pair(title="Summit")
    response = editor_client.get(reverse(CHANGELIST), {"language": "fr"})
    assert [item.title for item in response.context["cl"].result_list] == ["Summit (fr)"]
    response = editor_client.get(reverse(CHANGELIST), {"language": "en"})
    assert [item.title for item in response.context["cl"].result_list] == ["Summit"]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("stale", {"Behind", "Behind (fr)"}),
        ("current", {"Current", "Current (fr)"}),
        ("missing-fr", {"Alone"}),
        ("missing-en", set()),
    ],
)
def test_translation_filter(editor_client, value, expected):
    make_release(title="Alone")
    pair(title="Current")
    pair(title="Behind", stale=True)
    response = editor_client.get(reverse(CHANGELIST), {"translation": value})
    assert {item.title for item in response.context["cl"].result_list} == expected


def test_speech_changelist_has_the_column_and_filters(editor_client):
    make_speech(title="Said")
    response = editor_client.get(
        reverse("admin:articles_speech_changelist"), {"translation": "missing-fr"}
    )
    assert "Français: missing" in response.content.decode()
    assert [item.title for item in response.context["cl"].result_list] == ["Said"]


# --- the change form ---------------------------------------------------------------


def test_stale_warning_until_the_translation_is_saved(editor_client):
    source, french = pair(stale=True)
    body = editor_client.get(change_url(french)).content.decode()
    assert "The English version was updated on" in body and "after this translation" in body
    assert f'href="{change_url(source)}">Open the English version</a>' in body

    data = form_data(french, title="Les Alliés se réunissent", language="fr")
    response = editor_client.post(change_url(french), data)
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]

    body = editor_client.get(change_url(french)).content.decode()
    assert "after this translation" not in body
    french.refresh_from_db()
    assert french.title == "Les Alliés se réunissent" and french.language == "fr"


def test_the_change_form_lists_the_other_versions(editor_client):
    source, french = pair(title="Summit")
    body = editor_client.get(change_url(source)).content.decode()
    assert (
        f'<a href="{change_url(french)}">Français: <span lang="fr">“Summit (fr)”</span></a>' in body
    )
    body = editor_client.get(change_url(french)).content.decode()
    assert f'<a href="{change_url(source)}">English: <span lang="en">“Summit”</span></a>' in body
    assert "The English version was updated" not in body  # up to date


def test_the_language_field_is_on_the_form(editor_client):
    item = make_release()
    body = editor_client.get(change_url(item)).content.decode()
    assert 'name="language"' in body
    order = [body.index(f'name="{name}"') for name in ("title", "slug", "language", "kind")]
    assert order == sorted(order)


def test_a_language_the_item_has_already_is_a_form_error(editor_client):
    source, french = pair(title="Summit")
    data = form_data(french, language="en")
    response = editor_client.post(change_url(french), data)
    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.errors["language"]
    assert errors == [
        f'This item already has a version in English: <a href="{change_url(source)}">Summit</a>. '
        "Keep this version's language, or edit that one."
    ]
    french.refresh_from_db()
    assert french.language == "fr"


def test_a_language_nobody_has_can_be_chosen(editor_client):
    item = make_release()
    response = editor_client.post(change_url(item), form_data(item, language="fr"))
    assert response.status_code == HTTPStatus.FOUND
    item.refresh_from_db()
    assert item.language == "fr"
    assert item.history.latest("history_date").history_change_reason == "Changed language"


def test_a_post_without_the_language_keeps_it(editor_client):
    item = make_release(language="fr")
    response = editor_client.post(change_url(item), form_data(item, title="Nouveau titre"))
    assert response.status_code == HTTPStatus.FOUND
    item.refresh_from_db()
    assert (item.language, item.title) == ("fr", "Nouveau titre")
    assert item.history.latest("history_date").history_change_reason == "Changed title"


# --- the admin in the editor's language -------------------------------------------------


@pytest.fixture
def admin_follows_the_editor(settings):
    """The admin's language middleware, right after LocaleMiddleware (as settings should
    list it: articles/admin/language.py)."""
    name = "articles.admin.language.AdminLanguageMiddleware"
    if name not in settings.MIDDLEWARE:
        middleware = list(settings.MIDDLEWARE)
        middleware.insert(middleware.index("django.middleware.locale.LocaleMiddleware") + 1, name)
        settings.MIDDLEWARE = middleware


@pytest.mark.usefixtures("admin_follows_the_editor")
def test_the_admin_speaks_french_to_a_french_browser(editor_client):
    source, french = pair(stale=True)
    body = editor_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr"' in body and "Déconnexion" in body
    for url in (reverse(CHANGELIST), change_url(source), change_url(french)):
        response = editor_client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == HTTPStatus.OK
        assert response["Content-Language"] == "fr"
        assert '<html lang="fr"' in response.content.decode()
    english = editor_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in english and "Log out" in english


@pytest.mark.usefixtures("admin_follows_the_editor")
def test_the_public_site_keeps_its_addresses_languages(client):
    item = make_release()
    response = client.get(item.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="en"' in response.content.decode()
