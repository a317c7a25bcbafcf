"""The seed archive: `fixtures/seed.json` loads with one command, reloads without change,
keeps every line of the thirteen seed documents, and a broken copy changes nothing."""

import json
import re
from datetime import date, datetime
from html.parser import HTMLParser
from http import HTTPStatus
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.utils.dateparse import parse_datetime
from taggit.models import Tag

from articles.html import sanitise
from articles.models import (
    Event,
    Release,
    Speaker,
    Speech,
    SpeechSpeaker,
    TaggedEvent,
    TaggedRelease,
    TaggedSpeech,
)

REPO = Path(__file__).resolve().parents[1]
# The thirteen source documents, kept in the repository (they were read from a folder
# beside it, ../shared/seeds, and the fidelity test skipped without it).
SEEDS = REPO / "fixtures" / "sources"
FIXTURE = REPO / "fixtures" / "seed.json"
EARLIER_VERSION = REPO / "fixtures" / "earlier_versions" / "annual-report-release-1425.json"
BRUSSELS = ZoneInfo("Europe/Brussels")

ANNUAL_REPORT_RELEASE = "secretary-general-launches-annual-report-2023"
ANNUAL_REPORT = "secretary-generals-annual-report-2023"
DUDA = "joint-press-conference-with-president-duda-2024"
REPORT_PRESS_CONFERENCE = "press-conference-annual-report-2023"
FLAG_RAISING = "remarks-flag-raising-ceremony-sweden"
MINISTERS_2021 = "press-conference-ahead-of-defence-ministers-february-2021"
SWEDEN_NAC = "sweden-attends-first-north-atlantic-council-as-ally"
SNOW = "no-business-like-snow-business"

# Every seed document, by file and first line, and the item that holds it.
DOCUMENTS = {
    (
        "000",
        "Joint press conference by NATO Secretary General Jens Stoltenberg with the "
        "President of Poland Andrzej Duda",
    ): (Speech, DUDA),
    (
        "000",
        "DIANA, NATO’s innovation accelerator, doubles the size of its transatlantic network",
    ): (Release, "diana-doubles-transatlantic-network"),
    (
        "000",
        "Press conference by NATO Secretary General Jens Stoltenberg on the release of his "
        "Annual Report 2023",
    ): (Speech, REPORT_PRESS_CONFERENCE),
    ("000", "NATO Secretary General launches his Annual Report for 2023"): (
        Release,
        ANNUAL_REPORT_RELEASE,
    ),
    ("000", "Defence expenditure of NATO countries (2014-2023)"): (
        Release,
        "defence-expenditure-2014-2023",
    ),
    ("000", "Allied perceptions on security, defence and NATO in 2023"): (
        Release,
        "allied-perceptions-security-defence-nato-2023",
    ),
    ("000", "8th NATO military staff talks with China"): (
        Release,
        "8th-military-staff-talks-with-china",
    ),
    (
        "000",
        "Sweden attends first North Atlantic Council meeting as an Ally, in discussion "
        "devoted to NATO-EU cooperation",
    ): (Release, SWEDEN_NAC),
    (
        "000",
        "There’s no business like snow business – US Marines build their skills in the "
        "Norwegian Arctic",
    ): (Release, SNOW),
    (
        "000",
        "Remarks by NATO Secretary General Jens Stoltenberg with the Prime Minister of "
        "Sweden, Ulf Kristersson, at the flag-raising ceremony to mark Sweden’s accession "
        "to NATO",
    ): (Speech, FLAG_RAISING),
    # The earlier version of the release: kept beside the fixture, not as an item.
    ("001", "NATO Secretary General launches his Annual Report for 2023"): (
        None,
        ANNUAL_REPORT_RELEASE,
    ),
    ("002", "The Secretary General’s Annual Report 2023"): (Release, ANNUAL_REPORT),
    ("004", "Press conference"): (Speech, MINISTERS_2021),
}

CONTENT_MODELS = [
    Tag,
    Speaker,
    Event,
    Release,
    Speech,
    SpeechSpeaker,
    TaggedRelease,
    TaggedSpeech,
    TaggedEvent,
]


@pytest.fixture
def seeded(db):
    call_command("loaddata", "seed", verbosity=0)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in CONTENT_MODELS}


def dump() -> str:
    """Every row of the archive, primary keys included, so a re-created row would show."""
    out = StringIO()
    call_command("dumpdata", "articles", "taggit", exclude=["articles.contentversion"], stdout=out)
    return out.getvalue()


def fixture_objects() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- what the archive holds


def test_seed_loads_the_whole_archive(seeded):
    assert counts() == {
        "Tag": 23,
        "Speaker": 12,
        "Event": 11,
        "Release": 8,
        "Speech": 4,
        "SpeechSpeaker": 6,
        "TaggedRelease": 28,
        "TaggedSpeech": 19,
        "TaggedEvent": 22,
    }
    kinds = {kind: Release.objects.filter(kind=kind).count() for kind, _ in Release.Kind.choices}
    assert kinds == {"press-release": 2, "news": 2, "feature": 1, "publication": 3}
    assert sorted(Speech.objects.values_list("kind", flat=True)) == [
        "joint-press-conference",
        "press-conference",
        "press-conference",
        "remarks",
    ]


def test_fixture_uses_natural_keys_and_lists_dependencies_first():
    objects = fixture_objects()
    # Only revisions carry a pk: their own UUID, never a reference to another row.
    assert all("pk" not in obj for obj in objects if obj["model"] != "articles.historicalrelease")
    order = [
        "taggit.tag",
        "articles.speaker",
        "articles.event",
        "articles.release",
        "articles.speech",
        "articles.speechspeaker",
        "articles.taggedevent",
        "articles.taggedrelease",
        "articles.taggedspeech",
        "articles.historicalrelease",
        "media_library.document",  # seed 002's PDF, an external link
        "articles.releasedownload",
    ]
    models = [obj["model"] for obj in objects]
    assert sorted(set(models), key=order.index) == order
    assert models == sorted(models, key=order.index), "dependencies must come first"


def test_every_item_is_published_with_two_to_six_tags(seeded):
    for model in (Release, Speech):
        for item in model.objects.all():
            assert item.status == "published", item.slug
            assert item.source == "NATO", item.slug
            assert item.published_at <= item.updated_at, item.slug
            assert 2 <= item.tags.count() <= 6, item.slug
    assert 15 <= Tag.objects.count() <= 30
    used = {*TaggedRelease.objects.values_list("tag__name", flat=True)}
    used |= {*TaggedSpeech.objects.values_list("tag__name", flat=True)}
    assert used == {*Tag.objects.values_list("name", flat=True)}, "every tag is used by an item"


def test_every_event_reported_in_the_archive_has_a_date_and_a_place(seeded):
    for event in Event.objects.all():
        assert event.location, event.slug
        assert event.end_on is None or event.end_on >= event.start_on
    flag = Event.objects.get(slug="flag-raising-sweden-2024")
    assert flag.start_on == date(2024, 3, 11)
    remarks = Speech.objects.get(slug=FLAG_RAISING)
    assert remarks.event == flag and remarks.delivered_on == flag.start_on


def test_stoltenberg_is_the_main_speaker_of_every_speech(seeded):
    for speech in Speech.objects.all():
        assert speech.speaker_list[0].slug == "jens-stoltenberg", speech.slug
    duda = Speech.objects.get(slug=DUDA)
    assert [s.slug for s in duda.speaker_list] == ["jens-stoltenberg", "andrzej-duda"]


def test_stored_bodies_are_already_sanitised(seeded):
    """loaddata skips save(); the fixture must hold what save() would have stored."""
    for model in (Release, Speech):
        for item in model.objects.all():
            assert item.body == sanitise(item.body), item.slug
            assert "<" not in item.summary, item.slug


def test_delivery_status_and_last_updated_come_from_the_documents(seeded):
    speech = Speech.objects.get(slug=MINISTERS_2021)
    assert speech.delivery_status == "as-delivered"
    assert "(As delivered)" not in speech.body
    assert speech.updated_at.astimezone(BRUSSELS) == datetime(2021, 2, 15, 17, 33, tzinfo=BRUSSELS)
    report = Release.objects.get(slug=ANNUAL_REPORT)
    assert report.updated_at.isoformat() == "2024-03-14T16:08:00+00:00"  # 17:08 CET
    assert report.shows_last_updated


def test_the_earlier_version_is_kept_beside_the_fixture(seeded):
    earlier = json.loads(EARLIER_VERSION.read_text(encoding="utf-8"))
    assert set(earlier) == {
        "slug",
        "title",
        "summary",
        "body",
        "published_at",
        "updated_at",
        "source_file",
    }
    current = Release.objects.get(slug=earlier["slug"])
    assert earlier["title"] == current.title
    assert parse_datetime(earlier["published_at"]) == current.published_at
    assert parse_datetime(earlier["updated_at"]) < current.updated_at
    assert earlier["body"] == sanitise(earlier["body"])
    assert len(earlier["body"]) < len(current.body), "the longer text is the current one"
    assert Release.objects.filter(title=current.title).count() == 1, "one release, shown once"


def test_the_later_version_carries_a_change_note_true_to_both_texts(seeded, client):
    """The note of the 16:00 version says what the two documents show changed, no more:
    each fact it names is in the later text and not in the earlier one."""
    earlier = json.loads(EARLIER_VERSION.read_text(encoding="utf-8"))
    current = Release.objects.get(slug=earlier["slug"])
    later = current.history.get(history_change_reason__startswith="Seed: current")
    assert later.change_kind == "substantive", "an expansion, not a correction: nothing was wrong"
    # What the note names, as each text words it: absent from 14:25, present at 16:00.
    added = ["99% of all military aid", "fully two-thirds of people", "they need it now",
             "On March 7, Sweden", "flag raising ceremony", "Washington Summit in July",
             'href="/releases/secretary-generals-annual-report-2023/"']  # fmt: skip
    for phrase in added:
        assert phrase not in earlier["body"] and phrase in later.body, phrase
    assert "<figcaption>" in earlier["body"] and "<figcaption>" not in later.body
    for claim in (
        "99%",
        "two-thirds",
        "now",
        "7 March",
        "flag-raising",
        "July",
        "link to the Annual Report",
        "photo caption",
    ):
        assert claim in later.change_note, claim
    page = client.get(current.get_absolute_url()).content.decode()
    assert "Changes to this page" in page and "Expanded after the first version" in page
    versions = client.get(f"{current.get_absolute_url()}versions/").content.decode()
    assert "Version 1" in versions and "Version 2" in versions
    changes = client.get(f"{current.get_absolute_url()}versions/{later.history_id}/changes/")
    assert changes.status_code == HTTPStatus.OK
    assert "<ins>" in changes.content.decode() and "<del>" in changes.content.decode()
    # Nothing is a correction: the seed's corrections record holds no entry.
    assert "Nothing published has been corrected" in client.get("/corrections/").content.decode()


# ---------------------------------------------------------------- loading


def test_loading_twice_changes_nothing(seeded):
    before_counts, before_rows = counts(), dump()
    call_command("loaddata", "seed", verbosity=0)
    assert counts() == before_counts
    assert dump() == before_rows


def broken_copy(tmp_path: Path) -> Path:
    """The seed with an edit early on and, later, a speech whose event does not exist."""
    objects = fixture_objects()
    for obj in objects:
        fields = obj["fields"]
        if obj["model"] == "articles.speaker" and fields["slug"] == "jens-stoltenberg":
            fields["role"] = "Changed by the broken fixture"
        if (
            obj["model"] == "articles.speech"
            and fields["slug"] == "remarks-flag-raising-ceremony-sweden"
        ):
            fields["event"] = ["no-such-event"]
    path = tmp_path / "broken_seed.json"
    path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_broken_fixture_names_the_object_and_leaves_the_database_unchanged(seeded, tmp_path):
    before_counts, before_rows = counts(), dump()
    with pytest.raises(DeserializationError) as failure:
        call_command("loaddata", str(broken_copy(tmp_path)), verbosity=0)
    message = str(failure.value)
    assert "articles.speech" in message and "no-such-event" in message
    assert counts() == before_counts
    assert dump() == before_rows
    assert Speaker.objects.get(slug="jens-stoltenberg").role == "NATO Secretary General"


def test_a_broken_fixture_loads_nothing_into_an_empty_database(db, tmp_path):
    with pytest.raises(DeserializationError):
        call_command("loaddata", str(broken_copy(tmp_path)), verbosity=0)
    assert set(counts().values()) == {0}


# ---------------------------------------------------------------- the site it serves


def test_every_item_speaker_and_event_page_serves(client, seeded):
    objects = [*Release.objects.all(), *Speech.objects.all()]
    objects += [*Speaker.objects.all(), *Event.objects.all()]
    for obj in objects:
        response = client.get(obj.get_absolute_url())
        assert response.status_code == HTTPStatus.OK, obj.get_absolute_url()


def listed(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    slugs = {item.slug for item in response.context["object_list"]}
    page = response.content.decode()
    for item in response.context["object_list"]:
        assert item.get_absolute_url() in page, url
    return slugs


ALL_SPEECHES = {DUDA, REPORT_PRESS_CONFERENCE, FLAG_RAISING, MINISTERS_2021}
PUBLICATIONS = {
    "defence-expenditure-2014-2023",
    "allied-perceptions-security-defence-nato-2023",
    ANNUAL_REPORT,
}
QUOTING_STOLTENBERG = {
    "diana-doubles-transatlantic-network",
    ANNUAL_REPORT_RELEASE,
    SWEDEN_NAC,
    ANNUAL_REPORT,
}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/speeches/?speaker=jens-stoltenberg", ALL_SPEECHES),
        ("/speeches/?speaker=andrzej-duda", {DUDA}),
        ("/speeches/?date_before=2021-12-31", {MINISTERS_2021}),
        ("/speeches/?date_after=2024-03-14", {DUDA, REPORT_PRESS_CONFERENCE}),
        ("/speeches/?event=flag-raising-sweden-2024", {FLAG_RAISING}),
        ("/speeches/?kind=remarks", {FLAG_RAISING}),
        ("/releases/?kind=publication", PUBLICATIONS),
        ("/releases/?tag=annual-report", {ANNUAL_REPORT_RELEASE, ANNUAL_REPORT}),
        ("/releases/?tag=sweden&tag=enlargement", {SWEDEN_NAC}),
        ("/releases/?date_before=2024-03-12", {SNOW, SWEDEN_NAC}),
        ("/releases/?speaker=jens-stoltenberg", QUOTING_STOLTENBERG),
        ("/releases/?event=nordic-response-24", {SNOW}),
    ],
)
def test_list_filters_follow_from_the_metadata(client, seeded, url, expected):
    assert listed(client, url) == expected


# ---------------------------------------------------------------- fidelity to the documents


def normalise(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


class _MainText(HTMLParser):
    """The readable text of a page's <main> (or of the whole page when it has none)."""

    BREAKS = {"br", "p", "li", "ul", "ol", "h1", "h2", "h3", "h4", "figure", "figcaption",
              "blockquote", "div", "section", "header", "dt", "dd", "main", "article"}  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.everything: list[str] = []
        self.main: list[str] = []
        self.in_main = 0
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.hidden += 1
        if tag == "main":
            self.in_main += 1
        if tag in self.BREAKS:
            self._add("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.hidden = max(0, self.hidden - 1)
        if tag in self.BREAKS:
            self._add("\n")
        if tag == "main":
            self.in_main = max(0, self.in_main - 1)

    def handle_data(self, data):
        if not self.hidden:
            self._add(data)

    def _add(self, text: str) -> None:
        self.everything.append(text)
        if self.in_main:
            self.main.append(text)


def readable_lines(html: str) -> list[str]:
    """The lines a reader sees: text between block boundaries and <br>, whitespace normalised."""
    parser = _MainText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.main or parser.everything)
    return [line for line in map(normalise, text.split("\n")) if line]


def seed_documents() -> list[tuple[str, str, list[str]]]:
    """(file prefix, first line, non-empty lines) for each document in the seed files."""
    documents = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines = [normalise(line) for line in path.read_text(encoding="utf-8").splitlines()]
        prefix = path.name[:3]
        if prefix != "000":
            content = [line for line in lines if line]
            documents.append((prefix, content[0], content))
            continue
        sources = [i for i, line in enumerate(lines) if line == "Source: NATO"]
        starts = [max(j for j in range(i) if lines[j]) for i in sources]
        for n, start in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else len(lines)
            content = [line for line in lines[start:end] if line]
            documents.append((prefix, content[0], content))
    return documents


def parse_nato_date(text: str) -> date:
    return datetime.strptime(text, "%d %b. %Y").date()  # noqa: DTZ007 - a date only


def parse_nato_time(text: str) -> datetime:
    return datetime.strptime(text, "%d %b. %Y %H:%M").replace(tzinfo=BRUSSELS)


PUBLISHED_LINE = re.compile(r"^• (\d{1,2} \w{3}\. \d{4}) -$")
UPDATED_LINE = re.compile(r"^• (?:Last updated|Mis à jour le): (.+)$")


def text_lines(lines: list[str], published_at: datetime, updated_at: datetime, item) -> list[str]:
    """Drop the page furniture, checking the lines that became metadata against the fields."""
    kept = []
    for line in lines:
        if line in ("TOP", "• |"):
            continue
        if line == "Source: NATO":
            assert getattr(item, "source", "NATO") == "NATO"
        elif match := PUBLISHED_LINE.match(line):
            assert published_at.astimezone(BRUSSELS).date() == parse_nato_date(match[1])
        elif match := UPDATED_LINE.match(line):
            assert updated_at == parse_nato_time(match[1]), line
        elif line == "(As delivered)":
            assert item.delivery_status == "as-delivered"
        else:
            kept.append(line)
    return kept


def test_every_line_of_every_seed_document_survives(client, seeded):
    documents = seed_documents()
    assert {(prefix, first) for prefix, first, _ in documents} == set(DOCUMENTS)
    assert len(documents) == 13
    for prefix, first, lines in documents:
        model, slug = DOCUMENTS[(prefix, first)]
        if model is None:
            earlier = json.loads(EARLIER_VERSION.read_text(encoding="utf-8"))
            assert earlier["source_file"].startswith(prefix)
            published_at = parse_datetime(earlier["published_at"])
            updated_at = parse_datetime(earlier["updated_at"])
            item = Release.objects.get(slug=earlier["slug"])
            title = earlier["title"]
            shown = [normalise(title), normalise(earlier["summary"])]
            shown += readable_lines(earlier["body"])
            where = EARLIER_VERSION.name
        else:
            item = model.objects.get(slug=slug)
            published_at, updated_at, title = item.published_at, item.updated_at, item.title
            response = client.get(item.get_absolute_url())
            assert response.status_code == HTTPStatus.OK
            shown = readable_lines(response.content.decode())
            where = item.get_absolute_url()
            if prefix == "000":
                assert title == first
        # A line of text is a line on the page, not merged with its neighbours; only the
        # lines that make up a title (004 splits its title over two) may be part of one.
        shown_lines = set(shown)
        missing = [
            line
            for line in text_lines(lines, published_at, updated_at, item)
            if line not in shown_lines and not (line in title and normalise(title) in shown_lines)
        ]
        assert not missing, f"{prefix}…txt “{first}”: lines missing from {where}: {missing}"
