"""Speakers and events in the newsroom's other languages (issue 19): a published version
is read by that language's pages wherever the entry is shown; a draft one nowhere; an
entry without one reads in English, marked `lang="en"`; the admin writes versions on the
entry's page and says which are missing, drafts or stale."""

import re
from datetime import timedelta
from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Event, EventVersion, Speaker, SpeakerVersion
from tests.factories import make_event, make_release, make_speaker, make_speech

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


def french_speaker(published: bool = True, **fields) -> tuple[Speaker, SpeakerVersion]:
    speaker = make_speaker(name="Mark Rutte", slug="mark-rutte", role="NATO Secretary General",
                           bio="Former Prime Minister of the Netherlands.", **fields)  # fmt: skip
    version = SpeakerVersion.objects.create(
        speaker=speaker, language="fr", name="Mark Rutte", role="Secrétaire général de l’OTAN",
        bio="Ancien Premier ministre des Pays-Bas.", published=published,
    )  # fmt: skip
    return speaker, version


def body(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    return response.content.decode()


# Public pages -------------------------------------------------------------------------


def test_a_published_french_version_is_read_on_the_french_pages_only(client):
    speaker, _ = french_speaker()
    french = make_speech(language="fr", title="Discours à Bruxelles", speakers=[speaker])
    make_speech(title="Speech in Brussels", speakers=[speaker])

    page = body(client, "/fr/speakers/mark-rutte/")
    assert "Secrétaire général de l’OTAN" in page
    assert "Ancien Premier ministre des Pays-Bas." in page
    assert "NATO Secretary General" not in page
    assert '<header class="page-head profile">' in page  # in the page's language: no lang

    english = body(client, "/speakers/mark-rutte/")
    assert "NATO Secretary General" in english and "Secrétaire" not in english

    for url in ("/fr/speakers/", french.get_absolute_url()):
        assert "Secrétaire général de l’OTAN" in body(client, url), url
    assert "Secrétaire" not in body(client, "/speakers/")


def test_a_draft_version_shows_nowhere(client):
    speaker, _ = french_speaker(published=False)
    speech = make_speech(language="fr", title="Discours à Bruxelles", speakers=[speaker])
    urls = ["/fr/speakers/mark-rutte/", "/fr/speakers/", speech.get_absolute_url(),
            "/fr/search/?q=Bruxelles", "/speakers/mark-rutte/", "/fr/feeds/speeches/"]  # fmt: skip
    for url in urls:
        page = body(client, url)
        assert "Secrétaire" not in page and "Ancien Premier" not in page, url


def test_a_version_of_an_entry_the_public_cannot_see_shows_nowhere(client):
    french_speaker(published=True)  # named by no public item, not listed
    assert client.get("/fr/speakers/mark-rutte/").status_code == HTTPStatus.NOT_FOUND
    assert "Secrétaire" not in body(client, "/fr/speakers/")


def test_an_entry_without_a_french_version_is_marked_english(client):
    speaker = make_speaker(name="Jens Stoltenberg", slug="jens-stoltenberg", listed=True)
    event = make_event(name="Vilnius Summit", slug="vilnius-summit", location="Vilnius",
                       listed=True)  # fmt: skip
    make_speech(language="fr", title="Discours à Vilnius", speakers=[speaker], event=event)

    page = body(client, "/fr/speakers/jens-stoltenberg/")
    assert '<header class="page-head profile" lang="en">' in page
    assert '<span lang="en">Jens Stoltenberg</span>' in page  # "Suivre Jens Stoltenberg :"
    assert re.search(
        r'<h2 class="person__name" lang="en">.*Jens Stoltenberg', body(client, "/fr/speakers/")
    )
    assert '<h1 lang="en">Vilnius Summit</h1>' in body(client, "/fr/events/vilnius-summit/")
    speech_page = body(client, "/fr/speeches/")
    assert re.search(r'lang="en">Jens Stoltenberg</a>', speech_page)
    assert '<span lang="en">Vilnius</span>' in body(client, "/fr/events/")
    # English pages are in their own language: nothing marked, nothing wrapped.
    for url in ("/speakers/jens-stoltenberg/", "/speakers/", "/events/", "/",
                "/events/vilnius-summit/", "/search/?q=Vilnius"):  # fmt: skip
        page = body(client, url).split("<body", 1)[1]
        assert 'lang="en"' not in page and "<span>Vilnius</span>" not in page, url


def test_french_speech_and_release_pages_name_events_and_speakers_in_french(client):
    speaker, _ = french_speaker()
    event = make_event(name="Washington Summit", slug="washington-summit", location="Washington")
    EventVersion.objects.create(event=event, language="fr", name="Sommet de Washington",
                                location="Washington", published=True)  # fmt: skip
    speech = make_speech(language="fr", title="Discours au sommet", speakers=[speaker], event=event)
    release = make_release(language="fr", title="Communiqué du sommet", speakers=[speaker],
                           events=[event])  # fmt: skip

    for url in (speech.get_absolute_url(), release.get_absolute_url()):
        page = body(client, url)
        assert "Sommet de Washington" in page, url
        assert "Washington Summit" not in page, url
        assert "Secrétaire général de l’OTAN" in page, url
    assert "Sommet de Washington" in body(client, "/fr/events/")
    event_page = body(client, "/fr/events/washington-summit/")
    assert "<h1>Sommet de Washington</h1>" in event_page
    english = body(client, "/events/washington-summit/")
    assert "Washington Summit" in english and "Sommet" not in english


def test_filter_chips_and_feed_titles_name_the_speaker_in_french(client):
    speaker, version = french_speaker()
    version.name = "Mark Rutte (FR)"
    version.save()
    make_speech(language="fr", title="Discours", speakers=[speaker])
    assert "Mark Rutte (FR)" in body(client, "/fr/speeches/?speaker=mark-rutte")
    assert "Mark Rutte (FR)" in body(client, "/fr/feeds/speeches/?speaker=mark-rutte")
    assert "Mark Rutte (FR)" not in body(client, "/speeches/?speaker=mark-rutte")


def test_a_change_to_a_version_shows_at_once(client):
    speaker, version = french_speaker()
    make_speech(language="fr", title="Discours", speakers=[speaker])
    assert "Secrétaire général de l’OTAN" in body(client, "/fr/speakers/mark-rutte/")
    version.role = "Secrétaire général"
    version.save()
    page = body(client, "/fr/speakers/mark-rutte/")
    assert "Secrétaire général de l’OTAN" not in page and "Secrétaire général" in page
    version.published = False
    version.save()
    assert "Secrétaire" not in body(client, "/fr/speakers/mark-rutte/")


# Admin --------------------------------------------------------------------------------


def change_url(entry) -> str:
    return reverse(f"admin:articles_{entry._meta.model_name}_change", args=[entry.pk])


class FormFields(HTMLParser):
    """The fields a browser would post from the page's change form: inputs (checkboxes
    only when ticked), text areas and selected options."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") != "checkbox" or "checked" in attrs:
                self.data[name] = attrs.get("value") or (
                    "on" if attrs.get("type") == "checkbox" else ""
                )
        elif tag == "textarea" and name:
            self.textarea, self.data[name] = name, ""
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += (
                data.removeprefix("\n") if not self.data[self.textarea] else data
            )


def entry_form(client, entry) -> dict:
    """The change form as the browser would post it, untouched: read from the HTML, so a
    field the page does not render is not posted either."""
    page = client.get(change_url(entry))
    assert page.status_code == HTTPStatus.OK
    parser = FormFields()
    parser.feed(page.content.decode())
    data = parser.data
    data.pop("csrfmiddlewaretoken", None)
    data = {name: value for name, value in data.items() if "__prefix__" not in name}
    return data


def test_an_untouched_prefilled_form_adds_no_version(editor_client):
    speaker = make_speaker(name="Mark Rutte", slug="mark-rutte")
    page = editor_client.get(change_url(speaker)).content.decode()
    assert "Version in another language" in page  # one other language: one form at most
    data = entry_form(editor_client, speaker)
    assert data["versions-TOTAL_FORMS"] == "1"
    assert data["versions-0-name"] == "Mark Rutte"  # prefilled with the entry's words
    assert data["versions-0-role"] == speaker.role
    response = editor_client.post(change_url(speaker), data)
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    assert not SpeakerVersion.objects.exists()


def test_an_editor_adds_and_publishes_a_french_version(editor_client, editor, client):
    speaker = make_speaker(name="Mark Rutte", slug="mark-rutte", listed=True)
    data = entry_form(editor_client, speaker)
    data.update({"versions-0-role": "Secrétaire général de l’OTAN", "versions-0-published": "on"})
    response = editor_client.post(change_url(speaker), data)
    assert response.status_code == HTTPStatus.FOUND
    version = SpeakerVersion.objects.get(speaker=speaker)
    assert (version.language, version.name, version.published) == ("fr", "Mark Rutte", True)
    assert version.updated_by == editor
    assert "Secrétaire général de l’OTAN" in body(client, "/fr/speakers/mark-rutte/")


def test_a_press_officer_writes_a_version_but_cannot_publish_it(officer_client, client):
    speaker = make_speaker(name="Mark Rutte", slug="mark-rutte", listed=True)
    data = entry_form(officer_client, speaker)
    assert "versions-0-published" not in data
    data.update({"versions-0-role": "Secrétaire général", "versions-0-published": "on"})
    assert officer_client.post(change_url(speaker), data).status_code == HTTPStatus.FOUND
    version = SpeakerVersion.objects.get(speaker=speaker)
    assert version.role == "Secrétaire général" and not version.published
    assert "Secrétaire" not in body(client, "/fr/speakers/mark-rutte/")


def test_the_first_language_is_not_a_version_language(editor_client):
    speaker = make_speaker(name="Mark Rutte", slug="mark-rutte")
    data = entry_form(editor_client, speaker)
    data.update({"versions-0-language": "en", "versions-0-role": "Secretary General"})
    response = editor_client.post(change_url(speaker), data)
    assert response.status_code == HTTPStatus.OK
    assert "Select a valid choice" in response.content.decode()
    assert not SpeakerVersion.objects.exists()


def test_a_change_to_the_entry_makes_its_version_stale_until_it_is_saved(editor_client):
    speaker, version = french_speaker(listed=True)
    SpeakerVersion.objects.filter(pk=version.pk).update(
        updated_at=timezone.now() - timedelta(days=1)
    )
    changelist = reverse("admin:articles_speaker_changelist")
    assert "Français: up to date" in editor_client.get(changelist).content.decode()

    data = entry_form(editor_client, speaker)
    data["role"] = "Former NATO Secretary General"
    assert editor_client.post(change_url(speaker), data).status_code == HTTPStatus.FOUND
    assert "Français: stale" in editor_client.get(changelist).content.decode()
    stale = editor_client.get(changelist, {"version": "stale"}).content.decode()
    assert "Mark Rutte" in stale
    assert "<strong>Stale</strong>" in editor_client.get(change_url(speaker)).content.decode()

    data = entry_form(editor_client, speaker)
    data["versions-0-role"] = "Ancien secrétaire général de l’OTAN"
    assert editor_client.post(change_url(speaker), data).status_code == HTTPStatus.FOUND
    assert "Français: up to date" in editor_client.get(changelist).content.decode()
    assert "Mark Rutte" not in editor_client.get(changelist, {"version": "stale"}).content.decode()


def test_a_change_to_another_field_does_not_make_a_version_stale(editor_client):
    speaker, _ = french_speaker(listed=True)
    data = entry_form(editor_client, speaker)
    data["slug"] = "mark-rutte-2"
    assert editor_client.post(change_url(speaker), data).status_code == HTTPStatus.FOUND
    assert Speaker.objects.get(pk=speaker.pk).text_changed_at is None


def test_the_change_lists_filter_by_version_state(editor_client):
    french_speaker(listed=True)
    make_speaker(name="Jens Stoltenberg", slug="jens-stoltenberg")
    drafted = make_speaker(name="Ursula von der Leyen", slug="von-der-leyen")
    SpeakerVersion.objects.create(speaker=drafted, language="fr", name=drafted.name)
    changelist = reverse("admin:articles_speaker_changelist")

    def names(state: str) -> set[str]:
        page = editor_client.get(changelist, {"version": state}).content.decode()
        return {name for name in ("Mark Rutte", "Jens Stoltenberg", "Ursula von der Leyen")
                if f">{name}</a>" in page}  # fmt: skip

    assert names("missing") == {"Jens Stoltenberg"}
    assert names("draft") == {"Ursula von der Leyen"}
    assert names("current") == {"Mark Rutte"}
    assert names("stale") == set()


def test_an_events_versions_are_written_on_its_page(editor_client, client):
    event = make_event(name="Washington Summit", slug="washington-summit", listed=True)
    data = entry_form(editor_client, event)
    data.update({"versions-0-name": "Sommet de Washington", "versions-0-published": "on"})
    response = editor_client.post(change_url(event), data)
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    assert EventVersion.objects.get(event=event).name == "Sommet de Washington"
    assert "<h1>Sommet de Washington</h1>" in body(client, "/fr/events/washington-summit/")


# API ----------------------------------------------------------------------------------


def test_the_api_gives_published_versions_only(client):
    speaker, _ = french_speaker(listed=True)
    event = make_event(name="Washington Summit", slug="washington-summit", listed=True)
    EventVersion.objects.create(event=event, language="fr", name="Sommet de Washington")  # draft

    data = client.get("/api/v1/speakers/mark-rutte/").json()
    assert data["role"] == "NATO Secretary General"  # the entry itself, in English
    [version] = data["versions"]
    assert version["language"] == "fr"
    assert version["role"] == "Secrétaire général de l’OTAN"
    assert version["url"] == "http://testserver/fr/speakers/mark-rutte/"

    assert client.get("/api/v1/events/washington-summit/").json()["versions"] == []
    EventVersion.objects.filter(event=event).update(published=True)
    Event.objects.get(pk=event.pk).save()  # raises the content version, as the admin does
    [version] = client.get("/api/v1/events/washington-summit/").json()["versions"]
    assert (version["name"], version["url"]) == (
        "Sommet de Washington", "http://testserver/fr/events/washington-summit/"
    )  # fmt: skip


def test_the_french_site_finds_and_suggests_entries_by_their_french_names(client):
    event = make_event(name="Washington Summit", slug="washington-summit", location="Washington")
    EventVersion.objects.create(event=event, language="fr", name="Sommet de Washington",
                                location="Washington", published=True)  # fmt: skip
    make_release(language="fr", title="Communiqué du sommet", events=[event])

    typed = client.get("/fr/releases/?event=Sommet+de+Washington")
    assert typed.status_code == HTTPStatus.FOUND
    assert typed["Location"] == "/fr/releases/?event=washington-summit"
    # The English name still finds it (by its slug).
    english = client.get("/fr/releases/?event=Washington+Summit")
    assert english["Location"] == "/fr/releases/?event=washington-summit"

    near_miss = body(client, "/fr/releases/?event=Sommet+de+Washingtn")
    assert '<a href="/fr/releases/?event=washington-summit">Sommet de Washington</a>' in near_miss
    assert "Washington Summit" not in near_miss
    # The English site is unchanged.
    english_miss = body(client, "/releases/?event=Washington+Summt")
    assert '<a href="/releases/?event=washington-summit">Washington Summit</a>' in english_miss
