"""The vocabulary items refer to: tags, speakers and events, created and drawn from."""

import bisect
import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.utils.text import slugify
from taggit.models import Tag

from articles.generator.shape import (
    BATCH,
    EVENT_COUNT,
    PREFIX,
    SPEAKER_COUNT,
    SPEAKER_SKEW,
    TAG_SKEW,
    YEARS,
)
from articles.generator.text import Writer
from articles.generator.words import (
    ALLIES,
    EVENT_KIND_WEIGHTS,
    EVENT_NAMES,
    EXERCISES,
    FIRST_NAMES,
    LAST_NAMES,
    NATIONAL_ROLES,
    NATO_ROLES,
    PARTNERS,
    PROGRAMMES,
    REGIONS,
    SUMMITS,
    THEMES,
    TOPICS,
)
from articles.models import Event, Speaker, TaggedEvent


class EventRef(NamedTuple):
    pk: int
    name: str
    start_on: date
    end_on: date
    location: str


def _zipf(count: int, skew: float) -> list[float]:
    """Cumulative Zipf weights: rank r is drawn in proportion to 1 / r**skew."""
    return list(itertools.accumulate(1 / (rank**skew) for rank in range(1, count + 1)))


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _tag_bank() -> list[tuple[str, str, str]]:
    """~300 tags as (name, kind, name in running text), unique by name and by slug."""
    entries: list[tuple[str, str, str]] = []

    def add(display: str, kind: str) -> None:
        entries.append((display.removeprefix("the "), kind, display))

    for names, kind in [
        (ALLIES, "ally"),
        (PARTNERS, "partner"),
        (TOPICS, "topic"),
        ([f"{name} {year}" for name, year in SUMMITS], "summit"),
        (EXERCISES, "exercise"),
        (PROGRAMMES, "programme"),
        (REGIONS, "region"),
    ]:
        for name in names:
            add(name, kind)
    for region, theme in itertools.product(REGIONS, THEMES):
        add(f"{region.removeprefix('the ')} {theme}", "topic")
    for partner in PARTNERS[:15]:
        add(f"NATO-{partner.removeprefix('the ')} relations", "topic")
    seen: set[str] = set()
    unique = []
    for name, kind, display in entries:
        keys = {name.lower(), slugify(name)}
        if seen.isdisjoint(keys):
            seen |= keys
            unique.append((name, kind, display))
    return unique


@dataclass
class Vocabulary:
    """What items refer to: tags, speakers and events, with their popularity."""

    tags: list[tuple[int, str, str]] = field(default_factory=list)  # (id, kind, display)
    tag_weights: list[float] = field(default_factory=list)
    tag_by_id: dict[int, tuple[int, str, str]] = field(default_factory=dict)
    speakers: list[tuple[int, str, str]] = field(default_factory=list)  # (id, name, role)
    speaker_weights: list[float] = field(default_factory=list)
    events: list[EventRef] = field(default_factory=list)  # by start date
    event_days: list[int] = field(default_factory=list)  # their start dates, as ordinals
    created_tags: int = 0


# --- the vocabulary: tags, speakers, events ------------------------------------


def make_vocabulary(rng: random.Random, anchor: datetime) -> Vocabulary:
    vocabulary = Vocabulary()
    make_tags(rng, vocabulary)
    make_speakers(rng, vocabulary)
    make_events(rng, vocabulary, anchor.date())
    return vocabulary


def make_tags(rng: random.Random, vocabulary: Vocabulary) -> None:
    """Create the tag bank, reusing tags that already exist by name (e.g. the seed's)."""
    bank = _tag_bank()
    existing = {name.lower(): pk for pk, name in Tag.objects.values_list("pk", "name")}
    new = [
        Tag(name=name, slug=f"{PREFIX}{slugify(name)}")
        for name, _kind, _display in bank
        if name.lower() not in existing
    ]
    Tag.objects.bulk_create(new, batch_size=BATCH)
    ids = existing | {tag.name.lower(): tag.pk for tag in new}
    tags = [(ids[name.lower()], kind, display) for name, kind, display in bank]
    rng.shuffle(tags)  # which tags are popular depends on the seed
    vocabulary.tags = tags
    vocabulary.tag_weights = _zipf(len(tags), TAG_SKEW)
    vocabulary.tag_by_id = {tag[0]: tag for tag in tags}
    vocabulary.created_tags = len(new)


def make_speakers(rng: random.Random, vocabulary: Vocabulary) -> None:
    by_slug = {}
    for first, last in itertools.product(FIRST_NAMES, LAST_NAMES):
        by_slug.setdefault(slugify(f"{first} {last}"), f"{first} {last}")
    chosen = rng.sample(sorted(by_slug), k=SPEAKER_COUNT)
    speakers = []
    for index, slug in enumerate(chosen):
        name = by_slug[slug]
        if index < len(NATO_ROLES):  # the most quoted speakers hold NATO posts
            role, organisation, country = NATO_ROLES[index], "NATO", ""
        else:
            country = rng.choice(ALLIES + PARTNERS)
            role = rng.choice(NATIONAL_ROLES).format(country=country)
            organisation = f"Government of {country}"
        speakers.append(
            Speaker(
                name=name,
                slug=f"{PREFIX}{slug}",
                role=role,
                organisation=organisation,
                country=country.removeprefix("the "),
                bio=f"{name} is the {role}.",
            )
        )
    Speaker.objects.bulk_create(speakers, batch_size=BATCH)
    vocabulary.speakers = [(s.pk, s.name, s.role) for s in speakers]
    vocabulary.speaker_weights = _zipf(len(speakers), SPEAKER_SKEW)


def make_events(rng: random.Random, vocabulary: Vocabulary, today: date) -> None:
    writer = Writer(rng)
    first_day = today.toordinal() - YEARS * 365
    last_day = today.toordinal() + 60  # a few upcoming events too
    events: list[Event] = []
    for name, year in SUMMITS:
        start = date(year, rng.randint(4, 7), rng.randint(1, 28))
        if first_day <= start.toordinal() <= last_day:
            events.append(_new_event(writer, f"NATO {name} {year}", "summit", start, 2))
    while len(events) < EVENT_COUNT:
        kind = weighted(rng, EVENT_KIND_WEIGHTS)
        start = date.fromordinal(rng.randint(first_day, last_day))
        name = writer.text(rng.choice(EVENT_NAMES[kind]))
        if kind == "ministerial":
            name = f"{name}, {start:%B %Y}"
        elif kind in {"exercise", "press-event"}:
            name = f"{name} {start.year}"
        days = rng.randint(5, 20) if kind == "exercise" else rng.choice([1, 1, 1, 2])
        events.append(_new_event(writer, name, kind, start, days))
    tag_lists = []
    for number, event in enumerate(events, start=1):
        event.slug = f"{PREFIX}{slugify(event.name)[:150].strip('-')}-{number}"
        tag_lists.append(pick_tags(rng, vocabulary, rng.choice([0, 1, 1, 2, 3])))
    Event.objects.bulk_create(events, batch_size=BATCH)
    tagged = [
        TaggedEvent(content_object_id=event.pk, tag_id=tag)
        for event, tags in zip(events, tag_lists, strict=True)
        for tag in tags
    ]
    TaggedEvent.objects.bulk_create(tagged, batch_size=BATCH)
    events.sort(key=lambda event: (event.start_on, event.pk))
    vocabulary.events = [
        EventRef(e.pk, e.name, e.start_on, e.end_on or e.start_on, e.location) for e in events
    ]
    vocabulary.event_days = [event.start_on.toordinal() for event in events]


def _new_event(writer: Writer, name: str, kind: str, start: date, days: int) -> Event:
    city = writer.slot("city")
    description = writer.text(
        "Delegations from Allied and partner nations met in {city} to discuss {topic}.",
        city=city,
    )
    return Event(
        name=name[:200],
        kind=kind,
        start_on=start,
        end_on=start + timedelta(days=days - 1) if days > 1 else None,
        location=city,
        description=description,
    )


# --- choices shared by releases and speeches -----------------------------------


def pick_tags(rng: random.Random, vocabulary: Vocabulary, count: int) -> list[int]:
    if not count:
        return []
    picked = rng.choices(vocabulary.tags, cum_weights=vocabulary.tag_weights, k=count)
    return list(dict.fromkeys(pk for pk, _kind, _display in picked))


def pick_speakers(rng: random.Random, vocabulary: Vocabulary, count: int) -> list[tuple]:
    if not count:
        return []
    picked = rng.choices(vocabulary.speakers, cum_weights=vocabulary.speaker_weights, k=count + 2)
    return list(dict.fromkeys(picked))[:count]


def event_near(rng: random.Random, vocabulary: Vocabulary, day: date) -> EventRef:
    """An event held around `day`: one of the few dozen events nearest before it."""
    index = bisect.bisect_left(vocabulary.event_days, day.toordinal())
    low = max(0, index - 12)
    high = min(len(vocabulary.events) - 1, index + 2)
    return vocabulary.events[rng.randint(low, high)]
