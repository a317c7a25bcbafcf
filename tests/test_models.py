from datetime import date, timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone, translation

from articles.models import Event, Release
from tests.factories import make_event, make_release, make_speaker, make_speech

pytestmark = pytest.mark.django_db


def test_str_and_absolute_urls():
    speaker = make_speaker(name="Jens Stoltenberg", slug="jens-stoltenberg")
    event = make_event(name="Vilnius Summit 2023", slug="vilnius-summit-2023")
    release = make_release(title="DIANA doubles its network", slug="diana-doubles")
    speech = make_speech(title="Remarks", slug="remarks-sweden")

    assert str(speaker) == "Jens Stoltenberg"
    assert speaker.get_absolute_url() == "/speakers/jens-stoltenberg/"
    assert event.get_absolute_url() == "/events/vilnius-summit-2023/"
    assert release.get_absolute_url() == "/releases/diana-doubles/"
    assert speech.get_absolute_url() == "/speeches/remarks-sweden/"
    assert str(release) == "DIANA doubles its network"


def test_slugs_are_unique_per_model():
    make_release(slug="same")
    make_speech(slug="same")  # another model may reuse it
    with pytest.raises(IntegrityError):
        make_release(slug="same")


def test_event_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError):
        Event.objects.create(
            name="Backwards", slug="backwards", start_on=date(2024, 3, 2), end_on=date(2024, 3, 1)
        )


def test_natural_keys_round_trip():
    speaker = make_speaker(slug="andrzej-duda")
    release = make_release(slug="a-release")
    assert speaker.natural_key() == ("andrzej-duda",)
    assert type(speaker).objects.get_by_natural_key("andrzej-duda") == speaker
    assert Release.objects.get_by_natural_key("a-release") == release


def test_tags_are_one_vocabulary_across_models():
    release = make_release(tags=["Ukraine"])
    speech = make_speech(tags=["Ukraine"])
    event = make_event(tags=["Ukraine"])
    assert release.tags.get() == speech.tags.get() == event.tags.get()


def test_speech_speakers_keep_their_order():
    first, second = make_speaker(name="Zed"), make_speaker(name="Abe")
    speech = make_speech(speakers=[first, second])
    assert speech.speaker_list == [first, second]


def test_save_sanitises_body_and_touches_updated_at():
    release = make_release(
        body='<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:alert(1)">l</a></p>',
        published_at=timezone.now() - timedelta(days=2),
    )
    release.refresh_from_db()
    assert "script" not in release.body
    assert "onclick" not in release.body
    assert "javascript" not in release.body
    assert release.updated_at > release.published_at


def test_last_updated_shows_only_for_substantive_changes_after_publication():
    release = make_release(published_at=timezone.now() - timedelta(days=1))
    assert not release.shows_last_updated  # saved since, but nothing announced
    release.revised_at = timezone.now()
    assert release.shows_last_updated and release.date_modified == release.revised_at
    release.revised_at = release.published_at + timedelta(minutes=1)  # while publishing
    assert not release.shows_last_updated and release.date_modified == release.published_at


def test_save_stores_text_in_one_unicode_form():
    import unicodedata

    release = make_release(title=unicodedata.normalize("NFD", "Mircea Geoană"))
    release.refresh_from_db()
    assert release.title == unicodedata.normalize("NFC", "Mircea Geoană")


def test_save_removes_characters_xml_cannot_carry(client):
    release = make_release(title="Pasted\x0bfrom Word", summary="line\x0bbreak\x0c")
    speaker = make_speaker(name="Name\x0bWith tab")
    release.speakers.add(speaker)
    release.refresh_from_db()
    assert release.title == "Pasted from Word" and release.summary == "line break "
    assert client.get("/feeds/releases/").status_code == 200
    assert client.get("/feeds/releases/atom/").status_code == 200


def test_the_kind_reads_as_djangos_display_did_in_the_language_being_read():
    release = Release(kind=Release.Kind.FEATURE)
    speech = make_speech(kind="doorstep")
    assert release.get_kind_display() == "Feature story"
    assert speech.get_kind_display() == "Doorstep statement"
    with translation.override("fr"):
        assert release.get_kind_display() == str(Release.Kind.FEATURE.label)
        assert release.get_kind_display() != "Feature story"  # the French catalogue has it
    assert Release(kind="retired-kind").get_kind_display() == "retired-kind"  # as Django's
