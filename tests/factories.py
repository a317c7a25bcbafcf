"""Plain factory functions for tests: `make_release(**overrides)` and friends."""

from datetime import date, timedelta
from itertools import count

from django.utils import timezone

from articles.models import Event, Release, Speaker, Speech, SpeechSpeaker
from articles.querysets import Status

_sequence = count(1)


def _n() -> int:
    return next(_sequence)


def _imported(item):
    """Save like `loaddata` does for the seed archive: no revision until the first edit."""
    item.skip_history_when_saving = True
    item.save()
    del item.skip_history_when_saving
    return item


def make_speaker(**overrides) -> Speaker:
    n = _n()
    fields = {"name": f"Speaker {n}", "slug": f"speaker-{n}", "role": "Spokesperson"}
    fields.update(overrides)
    return Speaker.objects.create(**fields)


def make_event(*, tags: list[str] | None = None, **overrides) -> Event:
    n = _n()
    fields = {"name": f"Event {n}", "slug": f"event-{n}", "start_on": date(2024, 3, 12)}
    fields.update(overrides)
    event = Event.objects.create(**fields)
    if tags:
        event.tags.add(*tags)
    return event


def make_release(
    *,
    tags: list[str] | None = None,
    speakers: list[Speaker] | None = None,
    events: list[Event] | None = None,
    **overrides,
) -> Release:
    """A live release unless `status` or `published_at` say otherwise."""
    n = _n()
    fields = {
        "title": f"Release number {n}",
        "slug": f"release-{n}",
        "summary": f"Summary of release {n}.",
        "body": f"<p>Body of release {n}.</p>",
        "status": Status.PUBLISHED,
        "published_at": timezone.now().replace(microsecond=0) - timedelta(days=n),
    }
    fields.update(overrides)
    release = _imported(Release(**fields))
    if tags:
        release.tags.add(*tags)
    if speakers:
        release.speakers.add(*speakers)
    if events:
        release.events.add(*events)
    return release


def make_speech(
    *,
    tags: list[str] | None = None,
    speakers: list[Speaker] | None = None,
    **overrides,
) -> Speech:
    """A live speech unless `status` or `published_at` say otherwise."""
    n = _n()
    fields = {
        "title": f"Speech number {n}",
        "slug": f"speech-{n}",
        "body": f"<p>Text of speech {n}.</p>",
        "status": Status.PUBLISHED,
        "published_at": timezone.now().replace(microsecond=0) - timedelta(days=n),
        "delivered_on": timezone.localdate() - timedelta(days=n),
    }
    fields.update(overrides)
    speech = _imported(Speech(**fields))
    if tags:
        speech.tags.add(*tags)
    for position, speaker in enumerate(speakers or []):
        SpeechSpeaker.objects.create(speech=speech, speaker=speaker, position=position)
    return speech
