"""Releases and speeches: made a chunk at a time, bulk-inserted with their relations."""

import random
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from datetime import time as clock
from queue import Full, Queue

from django.db import reset_queries
from django.utils import timezone
from django.utils.text import slugify

from articles.generator.shape import (
    BATCH,
    CHUNK,
    DRAFT_SHARE,
    EMBARGO_SHARE,
    PREFIX,
    REVIEW_SHARE,
    YEARS,
)
from articles.generator.text import Writer
from articles.generator.vocabulary import (
    Vocabulary,
    event_near,
    pick_speakers,
    pick_tags,
    weighted,
)
from articles.generator.words import (
    ABOUT,
    RELEASE_KIND_WEIGHTS,
    RELEASE_SENTENCES,
    RELEASE_TITLES,
    SPEECH_KINDS,
)
from articles.models import Release, Speech, SpeechSpeaker, TaggedRelease, TaggedSpeech
from articles.querysets import Status

# --- choices shared by releases and speeches -----------------------------------


def status_and_time(rng: random.Random, anchor: datetime, counts: dict) -> tuple[str, datetime]:
    """Mostly published in the past 25 years; a few drafts, in review or embargoed."""
    draw = rng.random()
    minute = timedelta(minutes=rng.randint(6 * 60, 19 * 60))
    if draw < EMBARGO_SHARE:
        counts["embargoed"] += 1
        return Status.PUBLISHED, anchor + timedelta(days=rng.randint(1, 45)) + minute
    # Recent years are busier: the age is skewed towards today.
    moment = anchor - timedelta(days=int(YEARS * 365 * rng.random() ** 1.4) + 1) + minute
    if draw < EMBARGO_SHARE + DRAFT_SHARE:
        counts["draft"] += 1
        return Status.DRAFT, moment
    if draw < EMBARGO_SHARE + DRAFT_SHARE + REVIEW_SHARE:
        counts["review"] += 1
        return Status.IN_REVIEW, moment
    return Status.PUBLISHED, moment


def stamps(rng: random.Random, published: datetime, anchor: datetime) -> dict:
    """`updated_at` and `revised_at`: a later correction is a change readers were told of."""
    updated_at = updated(rng, published, anchor)
    return {"updated_at": updated_at, "revised_at": updated_at if updated_at > published else None}


def updated(rng: random.Random, published: datetime, anchor: datetime) -> datetime:
    """The publication time, a later correction for a few, the day before for embargoes."""
    if published > anchor:
        return anchor
    if rng.random() < 0.06:
        return min(published + timedelta(hours=rng.randint(1, 72)), anchor)
    return published


def subject(rng: random.Random, vocabulary: Vocabulary, tag_ids: list[int]) -> tuple:
    """What an item is about, as (tag kind, name in text, phrase): its first tag."""
    _pk, kind, display = vocabulary.tag_by_id[tag_ids[0]]
    return kind, display, ABOUT[kind].format(display=display)


# --- releases ------------------------------------------------------------------


def insert_releases(seed, total, vocabulary, anchor, progress_callback, counts) -> None:
    quoted_through, reported_through = Release.speakers.through, Release.events.through
    chunks = release_chunks(seed, total, vocabulary, anchor, counts)
    for rows, links in _made_ahead(chunks):
        Release.objects.bulk_create(rows, batch_size=BATCH)
        tagged, quoted_rows, reported_rows = [], [], []
        for release, (tag_ids, speaker_ids, event_ids) in zip(rows, links, strict=True):
            pk = release.pk
            tagged += [TaggedRelease(content_object_id=pk, tag_id=tag) for tag in tag_ids]
            quoted_rows += [quoted_through(release_id=pk, speaker_id=s) for s in speaker_ids]
            reported_rows += [reported_through(release_id=pk, event_id=e) for e in event_ids]
        TaggedRelease.objects.bulk_create(tagged, batch_size=BATCH)
        quoted_through.objects.bulk_create(quoted_rows, batch_size=BATCH)
        reported_through.objects.bulk_create(reported_rows, batch_size=BATCH)
        counts["tag links"] += len(tagged)
        progress_callback("insert_progress", len(rows))
        reset_queries()  # with DEBUG on, Django would keep every INSERT in memory


def release_chunks(seed, total, vocabulary, anchor, counts) -> Iterator[tuple]:
    """Unsaved releases, a chunk at a time, each with its tag, speaker and event ids."""
    rng = random.Random(f"{seed}:releases")
    writer = Writer(rng)
    for start, size in _chunks(total):
        rows, links = [], []
        for number in range(start + 1, start + size + 1):
            status, published = status_and_time(rng, anchor, counts)
            tag_ids = pick_tags(rng, vocabulary, rng.choice([1, 2, 2, 3, 3, 4, 5, 6]))
            speakers = pick_speakers(rng, vocabulary, rng.choice([0, 1, 1, 1, 2, 3]))
            event = event_near(rng, vocabulary, published.date())
            event_ids = [event.pk] if rng.random() < 0.7 else []
            kind, display, about = subject(rng, vocabulary, tag_ids)
            title = writer.text(rng.choice(RELEASE_TITLES[kind]), name=display)
            title = title[0].upper() + title[1:]
            day = f"{published.day} {published:%B %Y}"
            verb = rng.choice(["addressed", "discussed", "reviewed", "set out plans for"])
            if speakers:
                _pk, name, role = speakers[0]
                quoted = f"the {role}, {name}"
                lead = f"{name}, {role}, {verb} {about} on {day}."
            else:
                quoted, lead = None, f"NATO Allies {verb} {about} on {day}."
            where = f"at the {event.name}" if event_ids else f"in {writer.slot('city')}"
            rows.append(
                Release(
                    title=title[:300],
                    slug=_slug(title, number),
                    kind=weighted(rng, RELEASE_KIND_WEIGHTS),
                    summary=f"{lead} {writer.text(rng.choice(RELEASE_SENTENCES))}",
                    body=writer.release_body(about, quoted, where, published.date()),
                    status=status,
                    published_at=published,
                    **stamps(rng, published, anchor),
                )
            )
            links.append((tag_ids, [speaker[0] for speaker in speakers], event_ids))
        yield rows, links


# --- speeches ------------------------------------------------------------------


def insert_speeches(seed, total, vocabulary, anchor, progress_callback, counts) -> None:
    chunks = speech_chunks(seed, total, vocabulary, anchor, counts)
    for rows, links in _made_ahead(chunks):
        Speech.objects.bulk_create(rows, batch_size=BATCH)
        tagged, ordered = [], []
        for speech, (tag_ids, speaker_ids) in zip(rows, links, strict=True):
            tagged += [TaggedSpeech(content_object_id=speech.pk, tag_id=t) for t in tag_ids]
            ordered += [
                SpeechSpeaker(speech_id=speech.pk, speaker_id=speaker, position=position)
                for position, speaker in enumerate(speaker_ids)
            ]
        TaggedSpeech.objects.bulk_create(tagged, batch_size=BATCH)
        SpeechSpeaker.objects.bulk_create(ordered, batch_size=BATCH)
        counts["tag links"] += len(tagged)
        progress_callback("insert_progress", len(rows))
        reset_queries()  # with DEBUG on, Django would keep every INSERT in memory


def speech_chunks(seed, total, vocabulary, anchor, counts) -> Iterator[tuple]:
    """Unsaved speeches, a chunk at a time, each with its tag and speaker ids in order."""
    rng = random.Random(f"{seed}:speeches")
    writer = Writer(rng)
    zone = timezone.get_default_timezone()
    kinds = {kind: weight for kind, (weight, _title) in SPEECH_KINDS.items()}
    for start, size in _chunks(total):
        rows, links = [], []
        for number in range(start + 1, start + size + 1):
            status, published = status_and_time(rng, anchor, counts)
            embargoed = status == Status.PUBLISHED and published > anchor
            event = event_near(rng, vocabulary, published.date())
            kind = weighted(rng, kinds)
            count = 2 if kind == "joint-press-conference" else rng.choice([1, 1, 1, 2, 3])
            speakers = pick_speakers(rng, vocabulary, count)
            if len(speakers) < 2 and kind == "joint-press-conference":
                kind = "press-conference"
            tag_ids = pick_tags(rng, vocabulary, rng.choice([1, 2, 2, 3, 4]))
            _kind, _display, about = subject(rng, vocabulary, tag_ids)
            # Delivered during the event when the event is that recent; else that day.
            delivered = published.date()
            if not embargoed and 0 <= (delivered - event.start_on).days <= 14:
                delivered = min(delivered, event.end_on)
            at = clock(rng.randint(7, 19), rng.choice([0, 15, 30, 45]))
            delivered_at = datetime.combine(delivered, at, tzinfo=zone)
            if embargoed:
                published = delivered_at  # due the moment it is delivered
            else:
                published = delivered_at + timedelta(minutes=rng.randint(20, 240))
            names = [name for _pk, name, _role in speakers]
            title = writer.text(
                SPEECH_KINDS[kind][1],
                role=speakers[0][2],
                name=names[0],
                name2=names[-1],
                event=event.name,
                topic=about,
            )
            rows.append(
                Speech(
                    title=title[:300],
                    slug=_slug(title, number),
                    kind=kind,
                    summary=f"{names[0]} spoke about {about} at the {event.name}.",
                    body=writer.speech_body(kind, names, about, event.name),
                    status=status,
                    published_at=published,
                    **stamps(rng, published, anchor),
                    delivered_on=delivered,
                    delivered_time=at if rng.random() < 0.7 else None,
                    location=event.location,
                    delivery_status=rng.choice([*Speech.Delivery.values, ""]),
                    event_id=event.pk,
                )
            )
            links.append((tag_ids, [speaker[0] for speaker in speakers]))
        yield rows, links


def _made_ahead(chunks: Iterator[tuple], depth: int = 2) -> Iterator[tuple]:
    """Yield `chunks`, making the next ones in a thread while the caller inserts these.

    The database works on one chunk (PostgreSQL computes the search vectors, SQLite
    writes pages; both release the GIL) while Python writes the next: on two cores this
    takes a third off the load. Only the thread draws from the random stream, so the
    archive stays the same for a seed; at most `depth` chunks wait, so memory stays flat.
    """
    waiting: Queue = Queue(maxsize=depth)
    stop = threading.Event()
    finished = object()

    def offer(item) -> bool:
        """Queue `item` unless the caller has stopped reading; False if it has."""
        while not stop.is_set():
            try:
                waiting.put(item, timeout=0.2)
                return True
            except Full:
                continue
        return False

    def make() -> None:
        try:
            for chunk in chunks:
                if not offer(chunk):
                    return
            offer(finished)
        except BaseException as error:  # handed to the caller, raised there
            offer(error)

    maker = threading.Thread(target=make, name="generate-archive", daemon=True)
    maker.start()
    try:
        while (item := waiting.get()) is not finished:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        maker.join()


def _chunks(total: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, CHUNK):
        yield start, min(CHUNK, total - start)


def _slug(title: str, number: int) -> str:
    return f"{PREFIX}{slugify(title)[:150].strip('-')}-{number}"
