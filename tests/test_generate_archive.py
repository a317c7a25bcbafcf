"""`manage.py generate_archive` (PRODUCT.md, "Operations"): a deterministic synthetic
archive of the requested size, with the vocabulary, skew, hidden items and safe bodies
the contract describes, that never disturbs the seed archive. Small sizes only: the
100,000-item timings live in `bench/`, not in tests."""

import re
import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from articles.cache import content_version
from articles.html import sanitise
from articles.models import (
    Event,
    Release,
    Speaker,
    Speech,
    TaggedEvent,
    TaggedRelease,
    TaggedSpeech,
)
from articles.querysets import Status

pytestmark = pytest.mark.django_db

FIXED_NOW = datetime(2025, 6, 18, 9, 30, tzinfo=UTC)


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_archive", *args, stdout=out)
    return out.getvalue()


def generated(model):
    return model.objects.filter(slug__startswith="gen-")


def snapshot() -> dict:
    """Everything that makes up the generated archive, by slug and name (not by pk)."""

    def tags(through, item) -> list[str]:
        return sorted(
            through.objects.filter(content_object=item).values_list("tag__name", flat=True)
        )

    releases = [
        (
            release.slug, release.title, release.kind, release.status, release.summary,
            release.body, release.published_at, release.updated_at,
            tags(TaggedRelease, release),
            sorted(release.speakers.values_list("slug", flat=True)),
            sorted(release.events.values_list("slug", flat=True)),
        )
        for release in generated(Release).order_by("slug")
    ]  # fmt: skip
    speeches = [
        (
            speech.slug, speech.title, speech.kind, speech.status, speech.body,
            speech.published_at, speech.delivered_on, speech.delivered_time, speech.event.slug,
            [link.speaker.slug for link in speech.speaker_links.order_by("position")],
            tags(TaggedSpeech, speech),
        )
        for speech in generated(Speech).select_related("event").order_by("slug")
    ]  # fmt: skip
    events = list(generated(Event).order_by("slug").values_list("slug", "name", "start_on"))
    speakers = list(generated(Speaker).order_by("slug").values_list("slug", "name", "role"))
    return {"releases": releases, "speeches": speeches, "events": events, "speakers": speakers}


def snapshot_of_a_fresh_run(*args: str) -> dict:
    """Generate into the current state, read it back, and roll the state back again."""
    with transaction.atomic():
        generate(*args, "--verbosity", "0")
        result = snapshot()
        transaction.set_rollback(True)
    return result


def test_the_same_seed_gives_the_same_archive_and_another_seed_a_different_one():
    with time_machine.travel(FIXED_NOW):
        first = snapshot_of_a_fresh_run("--releases", "40", "--speeches", "30", "--seed", "7")
        again = snapshot_of_a_fresh_run("--releases", "40", "--speeches", "30", "--seed", "7")
        other = snapshot_of_a_fresh_run("--releases", "40", "--speeches", "30", "--seed", "8")
    assert len(first["releases"]) == 40 and len(first["speeches"]) == 30
    assert first == again
    for part in ("releases", "speeches", "events", "speakers"):
        assert first[part] != other[part], part


def test_speeches_do_not_change_when_only_the_number_of_releases_does():
    with time_machine.travel(FIXED_NOW):
        fewer = snapshot_of_a_fresh_run("--releases", "5", "--speeches", "20")
        more = snapshot_of_a_fresh_run("--releases", "50", "--speeches", "20")
    assert fewer["speeches"] == more["speeches"]


def test_it_generates_the_requested_counts_and_the_vocabulary():
    output = generate("--releases", "120", "--speeches", "80")
    assert generated(Release).count() == 120
    assert generated(Speech).count() == 80
    assert generated(Speaker).count() == 500
    assert generated(Event).count() == 2000
    assert 280 <= Tag.objects.count() <= 320
    assert "Generated 120 releases and 80 speeches" in output
    assert "500 speakers, 2,000 events" in output


def test_every_item_has_a_public_date_and_valid_relations():
    generate("--releases", "120", "--speeches", "80")
    for release in generated(Release).prefetch_related("tags", "speakers", "events"):
        assert release.published_at is not None and release.updated_at is not None
        assert release.title and release.summary and release.tags.all()
        assert len(release.speakers.all()) <= 3 and len(release.events.all()) <= 1
    for speech in generated(Speech).select_related("event").prefetch_related("speaker_links"):
        assert speech.delivered_on is not None and speech.published_at is not None
        assert speech.event is not None and speech.tags.exists()
        positions = [link.position for link in speech.speaker_links.all()]
        assert positions == list(range(len(positions))) and 1 <= len(positions) <= 3
        if speech.kind == Speech.Kind.JOINT_PRESS_CONFERENCE:
            assert len(positions) == 2
    for event in generated(Event):
        assert event.end_on is None or event.end_on >= event.start_on


def test_dates_spread_over_about_25_years_before_today():
    generate("--releases", "150", "--speeches", "50")
    dates = [r.published_at for r in Release.objects.public()]
    dates += [datetime.combine(s.delivered_on, datetime.min.time(), UTC)
              for s in Speech.objects.public()]  # fmt: skip
    now = timezone.now()
    assert max(dates) <= now
    assert min(dates) >= now - timedelta(days=25 * 366)
    assert max(dates) - min(dates) > timedelta(days=20 * 365)


def test_some_items_are_drafts_in_review_or_embargoed_and_public_hides_them():
    generate("--releases", "250", "--speeches", "150", "--seed", "3")
    for model in (Release, Speech):
        items = generated(model)
        drafts = items.filter(status=Status.DRAFT)
        in_review = items.filter(status=Status.IN_REVIEW)
        embargoed = items.embargoed()
        public = set(items.public().values_list("pk", flat=True))
        hidden = [*drafts, *in_review, *embargoed]
        assert drafts and embargoed, model
        assert all(item.pk not in public for item in hidden)
        assert all(item.published_at > timezone.now() for item in embargoed)
        assert len(public) + len(hidden) == items.count()
        assert len(hidden) < items.count() * 0.15  # "a few percent"
    assert (
        generated(Speech).filter(status=Status.IN_REVIEW).exists()
        or generated(Release).filter(status=Status.IN_REVIEW).exists()
    )


def test_about_300_tags_are_used_with_a_skewed_distribution():
    generate("--releases", "150", "--speeches", "50")
    uses = Counter(TaggedRelease.objects.values_list("tag_id", flat=True))
    uses.update(TaggedSpeech.objects.values_list("tag_id", flat=True))
    per_tag = [uses.get(pk, 0) for pk in Tag.objects.values_list("pk", flat=True)]
    assert len(per_tag) >= 280
    assert max(per_tag) >= 10 * max(statistics.median(per_tag), 1)
    assert TaggedEvent.objects.exists()


def test_bodies_are_multi_paragraph_safe_html():
    generate("--releases", "60", "--speeches", "40")
    for item in [*generated(Release), *generated(Speech)]:
        assert item.body == sanitise(item.body), item.slug
        assert item.body.count("<p>") >= 4
        assert "<script" not in item.body


def test_it_creates_no_revisions_and_drops_cached_pages():
    before = content_version()
    generate("--releases", "20", "--speeches", "20")
    assert Release.history.count() == 0 and Speech.history.count() == 0
    assert content_version() != before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Give --releases N and/or --speeches N"),
        (["--releases", "-1"], "--releases must be zero or more, not -1."),
        (["--speeches", "-5", "--releases", "3"], "--speeches must be zero or more, not -5."),
        (["--releases", "5000001"], "--releases must be at most 5,000,000, not 5,000,001."),
        (["--releases", "0", "--speeches", "0"], "Nothing to generate"),
        (["--releases", "many"], "invalid int value"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        generate(*args)
    assert not generated(Release).exists() and not Tag.objects.exists()


def test_a_second_run_refuses_unless_asked_to_replace():
    generate("--releases", "30", "--speeches", "10")
    with pytest.raises(CommandError, match="already loaded .*--replace"):
        generate("--releases", "30", "--speeches", "10")
    output = generate("--releases", "25", "--speeches", "5", "--replace")
    assert "Deleted the previous generated archive" in output
    assert generated(Release).count() == 25 and generated(Speech).count() == 5
    assert generated(Speaker).count() == 500 and generated(Event).count() == 2000


def test_it_leaves_the_seed_archive_as_it_was():
    call_command("loaddata", "seed", verbosity=0)

    def seed_state():
        releases = Release.objects.exclude(slug__startswith="gen-").order_by("slug")
        speeches = Speech.objects.exclude(slug__startswith="gen-").order_by("slug")
        return (
            [(r.slug, r.title, r.body, sorted(t.name for t in r.tags.all())) for r in releases],
            [(s.slug, s.title, s.body, [p.slug for p in s.speaker_list]) for s in speeches],
            sorted(Speaker.objects.exclude(slug__startswith="gen-").values_list("slug", "name")),
            sorted(Event.objects.exclude(slug__startswith="gen-").values_list("slug", "name")),
            sorted(Tag.objects.exclude(slug__startswith="gen-").values_list("slug", "name")),
        )

    before = seed_state()
    generate("--releases", "100", "--speeches", "50")
    assert seed_state() == before
    assert Tag.objects.filter(name__iexact="Ukraine").count() == 1  # reused, not duplicated
    generate("--releases", "10", "--speeches", "10", "--replace")
    assert seed_state() == before
    assert generated(Release).count() == 10


def test_verbosity_0_is_quiet():
    assert generate("--releases", "10", "--speeches", "10", "--verbosity", "0") == ""
