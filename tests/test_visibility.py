"""The one public rule: published, and its time has come."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Release, Speech
from articles.querysets import Status
from tests.factories import make_release, make_speech

pytestmark = pytest.mark.django_db


def test_public_includes_only_published_items_whose_time_has_come():
    live = make_release()
    make_release(status=Status.DRAFT)
    make_release(status=Status.IN_REVIEW)
    make_release(published_at=timezone.now() + timedelta(minutes=1))

    assert list(Release.objects.public()) == [live]


def test_embargoed_lists_published_items_not_yet_due():
    make_release()
    due_later = make_release(published_at=timezone.now() + timedelta(hours=2))
    make_release(status=Status.DRAFT, published_at=timezone.now() + timedelta(hours=2))

    assert list(Release.objects.embargoed()) == [due_later]


def test_embargoed_item_becomes_public_when_its_time_comes(time_machine):
    due = timezone.now() + timedelta(hours=1)
    speech = make_speech(published_at=due)
    assert not Speech.objects.public().exists()

    time_machine.move_to(due + timedelta(seconds=1))

    assert list(Speech.objects.public()) == [speech]


def test_with_visibility_annotates_from_the_public_rule():
    live = make_speech()
    draft = make_speech(status=Status.DRAFT)
    embargoed = make_speech(published_at=timezone.now() + timedelta(days=1))

    flags = {s.pk: s.is_public for s in Speech.objects.with_visibility()}

    assert flags == {live.pk: True, draft.pk: False, embargoed.pk: False}


def test_related_managers_inherit_public():
    from tests.factories import make_speaker

    speaker = make_speaker()
    live = make_speech(speakers=[speaker])
    make_speech(speakers=[speaker], status=Status.DRAFT)

    assert list(speaker.speeches.public()) == [live]
