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


def picture_bytes(size=(1600, 1000), fmt: str = "JPEG", color=(40, 90, 160), **save) -> bytes:
    """An encoded picture drawn with Pillow (a gradient, so encoders have work to do)."""
    import io

    from PIL import Image as PILImage

    picture = PILImage.new("RGB", size, color)
    for x in range(0, size[0], max(1, size[0] // 40)):
        for y in range(size[1]):
            picture.putpixel((x, y), (x % 255, y % 255, 120))
    buffer = io.BytesIO()
    picture.save(buffer, fmt, **save)
    return buffer.getvalue()


def make_image(*, size=(640, 400), alt_text: str = "Flags at the headquarters", **overrides):
    """A library image saved as the admin saves one: cleaned, with its renditions."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from newsroom.media.forms import ImageForm

    data = {"alt_text": alt_text, "credit": "NATO / Photographer", "licence": "cc-by-4.0",
            "focal_x": 50, "focal_y": 50, **overrides}  # fmt: skip
    upload = SimpleUploadedFile("photo.jpg", picture_bytes(size), content_type="image/jpeg")
    form = ImageForm(data=data, files={"file": upload})
    assert form.is_valid(), form.errors
    return form.save()


def make_document(**overrides):
    from newsroom.media.models import Document

    fields = {"title": f"Annual Report chapter {_n()}", "kind": "chapter",
              "url": "https://www.nato.int/report.pdf", **overrides}  # fmt: skip
    return Document.objects.create(**fields)
