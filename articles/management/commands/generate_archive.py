"""`manage.py generate_archive`: a deterministic synthetic archive for scale tests.

Contract (PRODUCT.md, "Operations"): `--releases N --speeches N [--seed S]` fills the
database with that many releases and speeches, plus ~300 tags (used with a Zipf-like
skew), ~500 speakers and ~2,000 events, dated over the 25 years before today, with a
few percent drafts, items in review and embargoed items (published, due in the future).

- Deterministic: the same seed gives the same titles, slugs, dates, bodies and
  relations. Dates count back from today (midnight UTC), so two runs on the same day
  are identical; each part (vocabulary, releases, speeches) draws from its own
  `random.Random` stream, so the speeches do not change when only `--releases` does.
- Fast and flat: items are generated and inserted in chunks with `bulk_create`
  (through tables too), all inside one transaction, so an interrupted run leaves
  nothing behind and memory does not grow with N. A thread writes the next chunk
  while the database stores the current one. 100,000 items: about 1.5 minutes on
  SQLite, 2.5 on PostgreSQL on a busy 2-core machine (docs/benchmarks.md).
- Marked: every generated speaker, event, release, speech and tag has a slug starting
  with `gen-`, so it never collides with the seed archive. A second run refuses to mix
  archives unless `--replace` is given, which first deletes the previous generated
  data (and only that). Tags whose name already exists (e.g. the seed's "Ukraine")
  are reused rather than duplicated, and are never deleted.
- Bulk inserts skip `save()` and signals, so bodies are built from escaped text (safe
  HTML within the sanitiser's allow-list), no revisions are written, and the content
  version is bumped at the end so every cache drops. Search needs no refresh: on
  PostgreSQL a database trigger fills each row's `search_document` as it is inserted
  (migration 0004), and SQLite's development search reads the text itself. Planner
  statistics are refreshed (`ANALYZE`, and on PostgreSQL `VACUUM`, so counts are
  index-only scans from the first request).
"""

import bisect
import html
import itertools
import random
import string
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from functools import cache
from queue import Full, Queue
from typing import NamedTuple

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, reset_queries, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from articles.cache import bump_content_version
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
from articles.querysets import Status

PREFIX = "gen-"
MAX_ITEMS = 5_000_000
YEARS = 25
SPEAKER_COUNT = 500
EVENT_COUNT = 2_000
CHUNK = 1_000  # items generated, inserted and forgotten at a time
BATCH = 500  # rows per INSERT (Django lowers it further where the backend needs)
SQLITE_CACHE_KIB = -128 * 1024  # negative: KiB, as SQLite's cache_size pragma reads it

# Shares of items that are not public: drafts, in review, embargoed (published, due later).
DRAFT_SHARE, REVIEW_SHARE, EMBARGO_SHARE = 0.03, 0.015, 0.02
TAG_SKEW = 0.95  # Zipf exponent: a few tags are on many items, most on few
SPEAKER_SKEW = 0.9

# --- Word banks (written for Newsroom: plausible press-office English) -----------------

ALLIES = [
    "Albania", "Belgium", "Bulgaria", "Canada", "Croatia", "Czechia", "Denmark", "Estonia",
    "Finland", "France", "Germany", "Greece", "Hungary", "Iceland", "Italy", "Latvia",
    "Lithuania", "Luxembourg", "Montenegro", "the Netherlands", "North Macedonia", "Norway",
    "Poland", "Portugal", "Romania", "Slovakia", "Slovenia", "Spain", "Sweden", "Türkiye",
    "the United Kingdom", "the United States",
]  # fmt: skip
PARTNERS = [
    "Ukraine", "Georgia", "the Republic of Moldova", "Bosnia and Herzegovina", "Serbia",
    "Japan", "the Republic of Korea", "Australia", "New Zealand", "Jordan", "Tunisia",
    "Morocco", "Mauritania", "Egypt", "Qatar", "Kuwait", "Bahrain", "the United Arab Emirates",
    "Switzerland", "Austria", "Ireland", "Malta", "Mongolia", "Colombia", "Iraq",
    "Kazakhstan", "Armenia", "Azerbaijan",
]  # fmt: skip
CITIES = [
    "Brussels", "Mons", "Norfolk", "Naples", "Brunssum", "Vilnius", "Madrid", "Warsaw",
    "Riga", "Tallinn", "Bucharest", "Sofia", "Oslo", "Stockholm", "Helsinki", "Copenhagen",
    "Reykjavik", "Lisbon", "Rome", "Athens", "Ankara", "Berlin", "Paris", "London",
    "Washington", "Ottawa", "Prague", "Bratislava", "Budapest", "Ljubljana", "Zagreb",
    "Podgorica", "Skopje", "Tirana", "Kyiv", "Tbilisi", "Chișinău", "Tokyo", "Seoul",
    "Canberra", "The Hague", "Bydgoszcz", "Stavanger", "Oberammergau", "Ramstein", "Izmir",
]  # fmt: skip
REGIONS = [
    "the Euro-Atlantic area", "the Black Sea region", "the Baltic Sea region", "the High North",
    "the Western Balkans", "the Mediterranean", "the Middle East and North Africa",
    "the Sahel", "the Indo-Pacific", "the Gulf region", "the South Caucasus", "Central Asia",
]  # fmt: skip
TOPICS = [
    "collective defence", "cyber defence", "military mobility", "the defence industrial base",
    "integrated air and missile defence", "maritime security", "critical infrastructure",
    "the protection of undersea cables", "climate change and security", "counter-terrorism",
    "arms control and disarmament", "defence innovation", "energy security",
    "countering disinformation", "crisis management", "women, peace and security",
    "civil preparedness", "interoperability", "space security", "emerging technologies",
    "defence capacity building", "defence spending", "burden sharing", "hybrid threats",
    "building integrity", "standardisation", "logistics and sustainment",
    "military medical support", "nuclear deterrence", "human security",
    "the protection of civilians", "children and armed conflict", "defence education",
    "ammunition production", "air policing", "strategic communications",
    "artificial intelligence", "quantum technologies", "biotechnology and security",
    "non-proliferation", "small arms and light weapons", "explosive ordnance disposal",
    "demining", "search and rescue", "disaster relief", "border security",
    "cultural property protection", "youth engagement", "public opinion", "transparency",
    "the Strategic Concept", "deterrence and defence", "resilience", "partnerships",
    "enlargement", "the open door policy", "defence planning", "exercises", "training",
    "operations and missions", "science for peace and security", "facts and figures",
]  # fmt: skip
SUMMITS = [
    ("Prague Summit", 2002), ("Istanbul Summit", 2004), ("Riga Summit", 2006),
    ("Bucharest Summit", 2008), ("Strasbourg-Kehl Summit", 2009), ("Lisbon Summit", 2010),
    ("Chicago Summit", 2012), ("Wales Summit", 2014), ("Warsaw Summit", 2016),
    ("Brussels Summit", 2018), ("London Leaders Meeting", 2019), ("Brussels Summit", 2021),
    ("Madrid Summit", 2022), ("Vilnius Summit", 2023), ("Washington Summit", 2024),
]  # fmt: skip
EXERCISES = [
    "Steadfast Defender", "Trident Juncture", "Baltic Operations", "Cold Response",
    "Dynamic Mongoose", "Dynamic Manta", "Cyber Coalition", "Ramstein Flag", "Brilliant Jump",
    "Noble Partner", "Sea Breeze", "Iron Wolf", "Northern Coasts", "Crisis Management Exercise",
    "Steadfast Jupiter", "Dynamic Front", "Swift Response", "Spring Storm", "Arctic Challenge",
    "Breeze", "Joint Warrior", "Trident Jaguar", "Steadfast Noon", "Coalition Warrior",
    "Bold Quest", "Silver Arrow", "Saber Strike", "Defender Europe", "Grand Quadriga",
    "Neptune Strike",
]  # fmt: skip
PROGRAMMES = [
    "DIANA", "NATO Innovation Fund", "Partnership for Peace", "Mediterranean Dialogue",
    "Istanbul Cooperation Initiative", "Defence Education Enhancement Programme",
    "Building Integrity Programme", "NATO Mission Iraq", "KFOR", "Resolute Support",
    "Operation Sea Guardian", "Baltic Air Policing", "enhanced Forward Presence",
    "NATO Response Force", "Comprehensive Assistance Package", "Defence Production Action Plan",
    "NATO Support and Procurement Agency", "Science for Peace and Security Programme",
    "NATO Cooperative Cyber Defence Centre of Excellence", "Allied Ground Surveillance",
    "Airborne Warning and Control System", "Standing NATO Maritime Groups",
    "NATO Defence College", "NATO School Oberammergau", "Joint Warfare Centre",
    "Allied Command Transformation", "Allied Command Operations", "Military Committee",
    "NATO Parliamentary Assembly", "NATO Public Forum",
]  # fmt: skip
THEMES = [
    "security", "cooperation", "partnership", "stability", "dialogue", "resilience",
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Mircea", "Jens", "Ingrid", "Piotr", "Kaja", "Dacian", "Søren", "Maria", "Tomas",
    "Elena", "Radu", "Giulia", "Pierre", "Claire", "Hans", "Ulrike", "James", "Sarah",
    "Michael", "Laura", "Jüri", "Liis", "Andris", "Ieva", "Lars", "Kristin", "Pekka", "Aino",
    "Mateusz", "Zofia", "Ivan", "Petra", "Miroslav", "Katarina", "Nikos", "Eleni", "Ahmet",
    "Zeynep", "João", "Inês", "Carlos", "Lucía", "Pieter", "Femke", "Olaf", "Astrid", "Ferenc",
    "Zsófia", "Luka", "Maja", "Arben", "Teuta", "Bogdan", "Ioana", "Hiroshi", "Yuki",
    "Ji-woo", "Oksana", "Taras", "David", "Rachel", "Patrick", "Siobhan", "Emil", "Ragnhild",
]  # fmt: skip
LAST_NAMES = [
    "Andersen", "Kowalski", "Popescu", "Rossi", "Dubois", "Müller", "Schmidt", "Smith",
    "Johnson", "Tamm", "Kalniņš", "Petrauskas", "Nilsson", "Virtanen", "Nowak", "Novák",
    "Horváth", "Papadopoulos", "Yılmaz", "Silva", "García", "de Vries", "Janssens", "Hansen",
    "Jónsson", "Kovač", "Marković", "Hoxha", "Ionescu", "Dimitrov", "Georgiev", "Lambert",
    "Moreau", "Weber", "Becker", "Bianchi", "Ferrari", "Costa", "Pereira", "Fernández",
    "López", "Jansen", "Peeters", "Larsen", "Berg", "Lindqvist", "Korhonen", "Wiśniewski",
    "Dvořák", "Szabó", "Kozak", "Shevchenko", "Bondarenko", "Tanaka", "Sato", "Kim", "Park",
    "Brown", "Wilson", "Taylor", "Campbell", "O'Brien", "Murphy", "Fischer", "Wagner",
    "Conti", "Ricci", "Rocha", "Martins", "Vidal", "Meyer", "Lund", "Holm", "Eriksen",
]  # fmt: skip
NATO_ROLES = [
    "NATO Secretary General", "NATO Deputy Secretary General", "NATO Spokesperson",
    "Chair of the NATO Military Committee", "Supreme Allied Commander Europe",
    "Supreme Allied Commander Transformation",
    "Assistant Secretary General for Operations",
    "Assistant Secretary General for Defence Policy and Planning",
    "Assistant Secretary General for Public Diplomacy",
    "Assistant Secretary General for Emerging Security Challenges",
    "Assistant Secretary General for Innovation, Hybrid and Cyber",
    "Assistant Secretary General for Political Affairs and Security Policy",
    "Director of the NATO Defence College", "Commander of Joint Force Command Brunssum",
    "Commander of Allied Maritime Command", "NATO Senior Civilian Representative",
]  # fmt: skip
NATIONAL_ROLES = [
    "Minister of Defence of {country}", "Minister of Foreign Affairs of {country}",
    "President of {country}", "Prime Minister of {country}",
    "Ambassador of {country} to NATO", "Chief of Defence of {country}",
    "State Secretary for Defence of {country}",
]  # fmt: skip

# Sentences for releases (third person) and speeches (first person). Slots are filled
# from the banks above; every filled sentence is escaped before it becomes HTML.
RELEASE_SENTENCES = [
    "Allies discussed {topic} and will return to it at the next meeting of {body}.",
    "The Secretary General stressed that {topic} remains a priority for all Allies.",
    "{ally} will contribute {unit} to {programme} from {month}.",
    "Ministers reviewed progress on {topic}, including new national targets.",
    "The exercise brings together around {thousands} troops from {few} Allies and partners.",
    "NATO and {partner} have worked together on {topic} since {year}.",
    "The meeting also addressed {topic}; several Allies called for closer work with the EU.",
    "Participants exchanged views on the security situation in {region}.",
    "The programme supports national authorities with training and advice on {topic}.",
    "Since {year}, Allied investment in {topic} has grown by {pct} per cent in real terms.",
    "The North Atlantic Council will keep {topic} under close review.",
    "Further details will be published on the NATO website in the coming weeks.",
    "The visit underlined the close partnership between NATO and {partner}.",
    "Discussions focused on the implementation of decisions taken at the {summit}.",
    "{ally} and {ally2} announced a joint project on {topic}.",
    "The new centre in {city} will host experts from across the Alliance.",
    "Allied {forces} conducted {activity} in {region}.",
    "Officials from the United Nations and the OSCE attended the opening session as observers.",
    "The initiative is funded by {few} Allies through a NATO trust fund.",
    "More than {hundreds} specialists took part in the training, which ran over {days} days.",
    "Allies remain committed to {topic}, in line with the Strategic Concept.",
    "A joint statement will be issued at the end of the meeting.",
    "The next round of talks is expected to take place in {city} later this year.",
    "{ally} has offered to host the next meeting of {body}.",
    "Training activities included {activity}, {activity2} and command post drills.",
    "This is the {ordinal} time that {ally} has hosted the event.",
    "The Alliance continues to monitor developments in {region} closely.",
    "The project will improve {topic} and strengthen interoperability between national forces.",
    "Partners welcomed the opportunity to contribute to NATO’s work on {topic}.",
    "Lessons learned will inform future planning for {topic}.",
    "Ships from {few} Allied navies took part, supported by maritime patrol aircraft.",
    "The findings will be presented to defence ministers at their next meeting.",
    "A package of practical support worth {money} million euros was agreed.",
    "{ally} took over the lead of the {unit2} on {weekday}.",
    "The {programme} marks an important step in NATO’s adaptation.",
    "Experts from {few} nations reviewed national approaches to {topic}.",
    "Civil and military authorities from {ally} worked side by side throughout the week.",
    "The agreement sets out how NATO and {partner} will cooperate on {topic}.",
    "Students from {city} and {city2} joined a debate on the future of transatlantic security.",
    "NATO’s work on {topic} is guided by decisions taken by Heads of State and Government.",
]  # fmt: skip
SPEECH_SENTENCES = [
    "Let me start by thanking {ally} for hosting us today.",
    "Today we discussed {topic}, which matters for the security of all our nations.",
    "I welcome the decision by {ally} to increase its contribution to {programme}.",
    "We are stronger and safer when we stand together.",
    "Our partnership with {partner} has never been more important.",
    "We must continue to invest in {topic}.",
    "Allies agreed to step up our work on {topic}.",
    "I have just returned from {city}, where I met people working on {topic}.",
    "The security situation in {region} remains serious.",
    "NATO is a defensive alliance, and we will do what it takes to protect every Ally.",
    "We will take further decisions at the {summit}.",
    "I count on all Allies to deliver on the commitments we have made.",
    "This is about our shared values: democracy, individual liberty and the rule of law.",
    "More Allies than ever now invest at least two per cent of GDP in defence.",
    "We must be prepared for the unexpected.",
    "I would like to thank the men and women who serve in our armed forces.",
    "We also addressed {topic}, and how we can work more closely with the European Union.",
    "The threats we face do not respect borders, and no nation can deal with them alone.",
    "Let me be clear: we will continue to support {partner}.",
    "Our deterrence and defence remain credible and strong.",
    "I look forward to continuing this important conversation with you.",
    "We have made real progress, but there is more to do.",
    "{ally} is a highly valued Ally and a strong contributor to our shared security.",
    "Over the past {few} years, we have strengthened our presence in {region}.",
    "Innovation will shape how we deter and defend in the decades ahead.",
    "We will review progress on {topic} when ministers meet in {month}.",
    "That is why we are working with partners such as {partner}.",
    "The exercise shows that NATO is ready to defend every inch of Allied territory.",
    "I welcome the agreement reached today on {topic}.",
    "With that, I am ready to take your questions.",
]  # fmt: skip
QUESTIONS = [
    "What is NATO’s response to the situation in {region}?",
    "Will Allies agree new targets for {topic} this year?",
    "How will {ally} contribute to {programme}?",
    "Is NATO ready to do more to support {partner}?",
    "What did ministers decide on {topic}?",
    "When will the next meeting with {partner} take place?",
]  # fmt: skip
SLOTS = {
    "unit": ["a frigate", "four fighter jets", "a field hospital", "an engineering company",
             "a mine countermeasures vessel", "a battalion", "staff officers", "air defence units"],
    "unit2": ["battlegroup", "maritime group", "air policing mission", "training mission",
              "rapid reaction force", "multinational brigade"],
    "forces": ["fighter jets", "warships", "ground forces", "special operations forces",
               "maritime patrol aircraft", "engineers", "medical teams", "cyber specialists"],
    "activity": ["live-fire drills", "a series of air patrols", "amphibious landings",
                 "river crossings", "cold-weather training", "mine clearance",
                 "search and rescue drills", "cyber defence exercises", "medical evacuation drills",
                 "air-to-air refuelling"],
    "body": ["the North Atlantic Council", "defence ministers", "foreign ministers",
             "the Military Committee", "the NATO-Ukraine Council", "the Nuclear Planning Group"],
    "month": ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"],
    "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
    "ordinal": ["second", "third", "fourth", "fifth", "sixth", "tenth"],
}  # fmt: skip

RELEASE_TITLES = {
    "ally": [
        "Secretary General visits {name}", "{name} hosts talks on {topic}",
        "NATO welcomes {name}’s contribution to {topic}", "{name} deploys forces to {region}",
        "Deputy Secretary General meets the Prime Minister of {name}",
    ],
    "partner": [
        "NATO and {name} deepen cooperation on {topic}", "{name} joins NATO training on {topic}",
        "Political dialogue between NATO and {name}", "NATO support to {name} on {topic}",
    ],
    "topic": [
        "Allies step up work on {name}", "New NATO report on {name}",
        "Defence ministers agree next steps on {name}", "NATO launches initiative on {name}",
        "Conference on {name} opens in {city}", "Experts meet in {city} to discuss {name}",
    ],
    "summit": [
        "Allies prepare for the {name}", "Decisions on {topic} at the {name}",
        "Leaders gather for the {name}",
    ],
    "exercise": [
        "Exercise {name} gets under way", "Allied forces complete exercise {name}",
        "Thousands of troops train together in {name}",
    ],
    "programme": [
        "{name} opens new call for proposals", "{name} marks another year of work",
        "New projects under the {name}", "{name}: results on {topic}",
    ],
    "region": [
        "Allies discuss security in {name}", "NATO steps up its presence in {name}",
        "Partners meet on stability in {name}",
    ],
}  # fmt: skip
EVENT_NAMES = {
    "ministerial": ["Meeting of NATO Ministers of Defence",
                    "Meeting of NATO Ministers of Foreign Affairs"],
    "council": ["North Atlantic Council meeting with {partner}",
                "North Atlantic Council visit to {ally}"],
    "exercise": ["Exercise {exercise}"],
    "ceremony": ["Change of command ceremony in {city}", "Wreath-laying ceremony in {city}",
                 "Flag-raising ceremony at NATO Headquarters"],
    "visit": ["Visit of the Secretary General to {ally}",
              "Visit of the Prime Minister of {partner} to NATO",
              "Visit of the Secretary General to {partner}"],
    "press-event": ["Press briefing on {topic}", "Launch of the Secretary General’s Annual Report"],
    "talks": ["NATO staff talks with {partner}", "Political consultations with {partner}"],
    "conference": ["Conference on {topic} in {city}", "NATO symposium on {topic}"],
    "other": ["Open day at NATO Headquarters", "NATO Public Forum in {city}"],
}  # fmt: skip
EVENT_KIND_WEIGHTS = {
    "ministerial": 10, "council": 12, "exercise": 15, "ceremony": 8, "visit": 20,
    "press-event": 10, "talks": 10, "conference": 10, "other": 5,
}  # fmt: skip
RELEASE_KIND_WEIGHTS = {"press-release": 45, "news": 40, "feature": 10, "publication": 5}
SPEECH_KINDS = {
    "speech": (30, "Speech by the {role}, {name}, at the {event}"),
    "remarks": (20, "Remarks by the {role}, {name}, at the {event}"),
    "press-conference": (20, "Press conference by the {role}, {name}, at the {event}"),
    "joint-press-conference": (12, "Joint press conference with {name} and {name2}"),
    "doorstep": (10, "Doorstep statement by the {role}, {name}, at the {event}"),
    "statement": (5, "Statement by the {role}, {name}, on {topic}"),
    "interview": (3, "Interview with the {role}, {name}, on {topic}"),
}  # fmt: skip
SUBHEADINGS = ["Background", "Next steps", "Key facts", "Further information", "Context"]
FACTS = [
    "{few} Allies and {few2} partners took part",
    "the meeting took place in {city}",
    "training ran over {days} days",
    "around {thousands} personnel were involved",
    "the work covers {topic}",
    "support worth {money} million euros was agreed",
]  # fmt: skip


# What an item "is about", in words, by the kind of its first tag.
ABOUT = {
    "ally": "cooperation with {display}",
    "partner": "cooperation with {display}",
    "topic": "{display}",
    "summit": "the {display}",
    "exercise": "exercise {display}",
    "programme": "{display}",
    "region": "security in {display}",
}
QUOTES = [
    "We will keep working on {about}, together with our partners",
    "Progress on {about} makes every Ally safer",
    "Today’s meeting was an important step for {about}",
    "I am proud of what we have achieved on {about}",
]  # fmt: skip
WHO_MET = ["Allies", "senior officials", "experts from NATO and national capitals", "partners"]


class EventRef(NamedTuple):
    pk: int
    name: str
    start_on: date
    end_on: date
    location: str


def _esc(text: str) -> str:
    """Escape plain text for an HTML body, exactly as the sanitiser writes it back."""
    return html.escape(text, quote=False)


def _zipf(count: int, skew: float) -> list[float]:
    """Cumulative Zipf weights: rank r is drawn in proportion to 1 / r**skew."""
    return list(itertools.accumulate(1 / (rank**skew) for rank in range(1, count + 1)))


@cache
def _slot_names(template: str) -> tuple[str, ...]:
    """A template's slots in order of appearance (ordered, so fills are reproducible)."""
    parsed = string.Formatter().parse(template)
    return tuple(dict.fromkeys(name for _text, name, _spec, _conv in parsed if name))


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
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


class Writer:
    """Plausible press-office text from a seeded random stream."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        # Pools of filled, escaped sentences: a body draws most of its sentences from
        # them and adds its own about its subject, so 100,000 bodies take seconds.
        self.release_pool = self.pool(RELEASE_SENTENCES, 3000)
        self.speech_pool = self.pool(SPEECH_SENTENCES, 2000)

    def pool(self, templates: list[str], size: int) -> list[str]:
        filled = (self.fill(self.rng.choice(templates)) for _ in range(size))
        return list(dict.fromkeys(filled))  # no sentence twice in the pool

    def slot(self, name: str) -> str:
        """Words for a slot; `{ally2}` is a second, independent `{ally}`."""
        rng = self.rng
        name = name.removesuffix("2")
        if name in SLOTS:
            return rng.choice(SLOTS[name])
        choices = {
            "ally": ALLIES, "partner": PARTNERS, "topic": TOPICS, "region": REGIONS,
            "city": CITIES, "programme": PROGRAMMES, "exercise": EXERCISES,
            "summit": [name for name, _year in SUMMITS],
        }  # fmt: skip
        if name in choices:
            return rng.choice(choices[name])
        numbers = {"few": (3, 30), "year": (1994, 2023), "days": (3, 21), "pct": (2, 60),
                   "money": (2, 500)}  # fmt: skip
        if name in numbers:
            return str(rng.randint(*numbers[name]))
        if name == "thousands":
            return f"{rng.randint(2, 90) * 1000:,}"
        if name == "hundreds":
            return str(rng.randint(1, 9) * 100)
        raise KeyError(f"No words for the slot {{{name}}}.")

    def text(self, template: str, **given: str) -> str:
        """Plain text: the template with its slots filled, given values first."""
        values = {name: given.get(name) or self.slot(name) for name in _slot_names(template)}
        return template.format(**values)

    def fill(self, template: str, **given: str) -> str:
        """Like `text`, escaped for an HTML body."""
        return _esc(self.text(template, **given))

    def paragraph(self, pool: list[str], lead: str | None = None) -> str:
        sentences = self.rng.choices(pool, k=self.rng.randint(2, 5))
        if lead:
            sentences.insert(0, lead)
        return f"<p>{' '.join(sentences)}</p>"

    def release_body(self, about: str, quoted: str | None, where: str, day: date) -> str:
        rng = self.rng
        opening = f"On {day.day} {day:%B %Y}, {rng.choice(WHO_MET)} met {where} to discuss {about}."
        parts = [f"<p>{_esc(opening)} {rng.choice(self.release_pool)}</p>"]
        for index in range(rng.randint(4, 8)):
            lead = None
            if index == 1:
                lead = _esc(f"Work on {about} will continue in {rng.choice(SLOTS['month'])}.")
            parts.append(self.paragraph(self.release_pool, lead))
            if quoted and index == 0:
                quote = self.fill(rng.choice(QUOTES), about=about)
                parts.append(f"<blockquote><p>“{quote},” said {_esc(quoted)}.</p></blockquote>")
        if rng.random() < 0.35:
            items = "".join(f"<li>{self.fill(fact)}</li>" for fact in rng.sample(FACTS, k=3))
            parts.append(f"<h2>{rng.choice(SUBHEADINGS)}</h2><ul>{items}</ul>")
        return "".join(parts)

    def speech_body(self, kind: str, speakers: list[str], about: str, event: str) -> str:
        rng = self.rng
        greeting = rng.choice(["Good morning", "Good afternoon", "Good evening", "Dear friends"])
        opening = _esc(f"{greeting}, and thank you for joining us at the {event}.")
        parts = [f"<p>{opening} {rng.choice(self.speech_pool)}</p>"]
        lead = _esc(f"Let me say a few words about {about}.")
        for index in range(rng.randint(3, 6)):
            parts.append(self.paragraph(self.speech_pool, lead if index == 0 else None))
        if kind in {"press-conference", "joint-press-conference", "doorstep", "interview"}:
            for _ in range(rng.randint(1, 4)):
                question = self.fill(rng.choice(QUESTIONS))
                answer = " ".join(rng.choices(self.speech_pool, k=rng.randint(2, 4)))
                parts.append(f"<p><strong>Question:</strong> {question}</p>")
                parts.append(f"<p><strong>{_esc(rng.choice(speakers))}:</strong> {answer}</p>")
        parts.append("<p>Thank you.</p>")
        return "".join(parts)


class Command(BaseCommand):
    help = (
        "Fill the database with a deterministic synthetic archive (releases, speeches, "
        "~300 tags, ~500 speakers, ~2,000 events over 25 years) for benchmarks and scale "
        "tests. Generated slugs start with 'gen-'; a second run needs --replace, which "
        "deletes the previous generated archive (and nothing else) first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--releases", type=int, help="How many releases to generate.")
        parser.add_argument("--speeches", type=int, help="How many speeches to generate.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same archive.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the previously generated archive (slugs starting with 'gen-') first.",
        )

    # --- entry point ---------------------------------------------------------------

    def handle(self, *args, releases, speeches, seed, replace, verbosity=1, **options) -> None:
        releases, speeches = self.validate(releases, speeches)
        self.verbose = verbosity > 0
        started = time.monotonic()
        anchor = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        counts = {"draft": 0, "review": 0, "embargoed": 0, "tag links": 0}
        with transaction.atomic(), _bigger_sqlite_cache():
            _no_statement_timeout()
            existing = self.generated_counts()
            if any(existing.values()):
                if not replace:
                    found = ", ".join(f"{n:,} {name}" for name, n in existing.items() if n)
                    raise CommandError(
                        f"A generated archive is already loaded ({found}). Run again with "
                        "--replace to delete it and generate a new one."
                    )
                self.delete_generated()
                self.say(f"Deleted the previous generated archive ({self.since(started)}).")
            vocabulary = self.make_vocabulary(random.Random(f"{seed}:vocabulary"), anchor)
            progress = Progress(self, releases + speeches)
            self.insert_releases(seed, releases, vocabulary, anchor, progress, counts)
            self.insert_speeches(seed, speeches, vocabulary, anchor, progress, counts)
            progress.finish()
        self.refresh_statistics()
        bump_content_version()  # bulk inserts send no signals: drop every cached page
        self.say(
            self.style.SUCCESS(
                f"Generated {releases:,} releases and {speeches:,} speeches "
                f"({counts['draft']:,} drafts, {counts['review']:,} in review, "
                f"{counts['embargoed']:,} embargoed), {len(vocabulary.speakers):,} speakers, "
                f"{len(vocabulary.events):,} events, {len(vocabulary.tags):,} tags "
                f"({vocabulary.created_tags:,} new) and {counts['tag links']:,} item tags "
                f"in {self.since(started)} (seed {seed})."
            )
        )

    def validate(self, releases: int | None, speeches: int | None) -> tuple[int, int]:
        if releases is None and speeches is None:
            raise CommandError("Give --releases N and/or --speeches N: how many to generate.")
        for name, value in (("--releases", releases), ("--speeches", speeches)):
            if value is not None and value < 0:
                raise CommandError(f"{name} must be zero or more, not {value}.")
            if value is not None and value > MAX_ITEMS:
                raise CommandError(f"{name} must be at most {MAX_ITEMS:,}, not {value:,}.")
        releases, speeches = releases or 0, speeches or 0
        if releases + speeches == 0:
            raise CommandError("Nothing to generate: give --releases or --speeches above 0.")
        return releases, speeches

    def say(self, message: str) -> None:
        if self.verbose:
            self.stdout.write(message)

    @staticmethod
    def since(started: float) -> str:
        return f"{time.monotonic() - started:.1f} s"

    # --- a previous generated archive ----------------------------------------------

    def generated_counts(self) -> dict[str, int]:
        models = {"releases": Release, "speeches": Speech, "speakers": Speaker, "events": Event}
        counts = {name: _generated(model).count() for name, model in models.items()}
        counts["tags"] = _generated(Tag).count()
        return counts

    def delete_generated(self) -> None:
        """Delete generated rows with set-based SQL: fast and memory-flat at any size.

        Rows of the seed archive that point at generated ones (an editor may have
        linked a generated speaker or tag) lose only that link.
        """
        releases, speeches = _generated(Release), _generated(Speech)
        speakers, events, tags = _generated(Speaker), _generated(Event), _generated(Tag)
        quoted, reported = Release.speakers.through, Release.events.through
        with connection.cursor() as cursor:
            for model, column, ids in [
                (TaggedRelease, "content_object_id", releases),
                (TaggedSpeech, "content_object_id", speeches),
                (TaggedEvent, "content_object_id", events),
                (TaggedRelease, "tag_id", tags),
                (TaggedSpeech, "tag_id", tags),
                (TaggedEvent, "tag_id", tags),
                (quoted, "release_id", releases),
                (quoted, "speaker_id", speakers),
                (reported, "release_id", releases),
                (reported, "event_id", events),
                (SpeechSpeaker, "speech_id", speeches),
                (SpeechSpeaker, "speaker_id", speakers),
            ]:
                _delete_where_in(cursor, model, column, ids)
            table = connection.ops.quote_name(Speech._meta.db_table)
            sql, params = _ids_sql(events)
            cursor.execute(f"UPDATE {table} SET event_id = NULL WHERE event_id IN ({sql})", params)
            for model, ids in [
                (Release, releases),
                (Speech, speeches),
                (Speaker, speakers),
                (Event, events),
                (Tag, tags),
            ]:
                _delete_where_in(cursor, model, "id", ids)

    # --- the vocabulary: tags, speakers, events ------------------------------------

    def make_vocabulary(self, rng: random.Random, anchor: datetime) -> Vocabulary:
        vocabulary = Vocabulary()
        self.make_tags(rng, vocabulary)
        self.make_speakers(rng, vocabulary)
        self.make_events(rng, vocabulary, anchor.date())
        return vocabulary

    def make_tags(self, rng: random.Random, vocabulary: Vocabulary) -> None:
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

    def make_speakers(self, rng: random.Random, vocabulary: Vocabulary) -> None:
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

    def make_events(self, rng: random.Random, vocabulary: Vocabulary, today: date) -> None:
        writer = Writer(rng)
        first_day = today.toordinal() - YEARS * 365
        last_day = today.toordinal() + 60  # a few upcoming events too
        events: list[Event] = []
        for name, year in SUMMITS:
            start = date(year, rng.randint(4, 7), rng.randint(1, 28))
            if first_day <= start.toordinal() <= last_day:
                events.append(self.event(writer, f"NATO {name} {year}", "summit", start, 2))
        while len(events) < EVENT_COUNT:
            kind = _weighted(rng, EVENT_KIND_WEIGHTS)
            start = date.fromordinal(rng.randint(first_day, last_day))
            name = writer.text(rng.choice(EVENT_NAMES[kind]))
            if kind == "ministerial":
                name = f"{name}, {start:%B %Y}"
            elif kind in {"exercise", "press-event"}:
                name = f"{name} {start.year}"
            days = rng.randint(5, 20) if kind == "exercise" else rng.choice([1, 1, 1, 2])
            events.append(self.event(writer, name, kind, start, days))
        tag_lists = []
        for number, event in enumerate(events, start=1):
            event.slug = f"{PREFIX}{slugify(event.name)[:150].strip('-')}-{number}"
            tag_lists.append(self.pick_tags(rng, vocabulary, rng.choice([0, 1, 1, 2, 3])))
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

    @staticmethod
    def event(writer: Writer, name: str, kind: str, start: date, days: int) -> Event:
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

    @staticmethod
    def pick_tags(rng: random.Random, vocabulary: Vocabulary, count: int) -> list[int]:
        if not count:
            return []
        picked = rng.choices(vocabulary.tags, cum_weights=vocabulary.tag_weights, k=count)
        return list(dict.fromkeys(pk for pk, _kind, _display in picked))

    @staticmethod
    def pick_speakers(rng: random.Random, vocabulary: Vocabulary, count: int) -> list[tuple]:
        if not count:
            return []
        picked = rng.choices(
            vocabulary.speakers, cum_weights=vocabulary.speaker_weights, k=count + 2
        )
        return list(dict.fromkeys(picked))[:count]

    @staticmethod
    def event_near(rng: random.Random, vocabulary: Vocabulary, day: date) -> EventRef:
        """An event held around `day`: one of the few dozen events nearest before it."""
        index = bisect.bisect_left(vocabulary.event_days, day.toordinal())
        low = max(0, index - 12)
        high = min(len(vocabulary.events) - 1, index + 2)
        return vocabulary.events[rng.randint(low, high)]

    @staticmethod
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

    @staticmethod
    def updated(rng: random.Random, published: datetime, anchor: datetime) -> datetime:
        """The publication time, a later correction for a few, the day before for embargoes."""
        if published > anchor:
            return anchor
        if rng.random() < 0.06:
            return min(published + timedelta(hours=rng.randint(1, 72)), anchor)
        return published

    @staticmethod
    def subject(rng: random.Random, vocabulary: Vocabulary, tag_ids: list[int]) -> tuple:
        """What an item is about, as (tag kind, name in text, phrase): its first tag."""
        _pk, kind, display = vocabulary.tag_by_id[tag_ids[0]]
        return kind, display, ABOUT[kind].format(display=display)

    # --- releases ------------------------------------------------------------------

    def insert_releases(self, seed, total, vocabulary, anchor, progress, counts) -> None:
        quoted_through, reported_through = Release.speakers.through, Release.events.through
        chunks = self.release_chunks(seed, total, vocabulary, anchor, counts)
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
            progress.advance(len(rows))
            reset_queries()  # with DEBUG on, Django would keep every INSERT in memory

    def release_chunks(self, seed, total, vocabulary, anchor, counts) -> Iterator[tuple]:
        """Unsaved releases, a chunk at a time, each with its tag, speaker and event ids."""
        rng = random.Random(f"{seed}:releases")
        writer = Writer(rng)
        for start, size in _chunks(total):
            rows, links = [], []
            for number in range(start + 1, start + size + 1):
                status, published = self.status_and_time(rng, anchor, counts)
                tag_ids = self.pick_tags(rng, vocabulary, rng.choice([1, 2, 2, 3, 3, 4, 5, 6]))
                speakers = self.pick_speakers(rng, vocabulary, rng.choice([0, 1, 1, 1, 2, 3]))
                event = self.event_near(rng, vocabulary, published.date())
                event_ids = [event.pk] if rng.random() < 0.7 else []
                kind, display, about = self.subject(rng, vocabulary, tag_ids)
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
                        kind=_weighted(rng, RELEASE_KIND_WEIGHTS),
                        summary=f"{lead} {writer.text(rng.choice(RELEASE_SENTENCES))}",
                        body=writer.release_body(about, quoted, where, published.date()),
                        status=status,
                        published_at=published,
                        updated_at=self.updated(rng, published, anchor),
                    )
                )
                links.append((tag_ids, [speaker[0] for speaker in speakers], event_ids))
            yield rows, links

    # --- speeches ------------------------------------------------------------------

    def insert_speeches(self, seed, total, vocabulary, anchor, progress, counts) -> None:
        chunks = self.speech_chunks(seed, total, vocabulary, anchor, counts)
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
            progress.advance(len(rows))
            reset_queries()  # with DEBUG on, Django would keep every INSERT in memory

    def speech_chunks(self, seed, total, vocabulary, anchor, counts) -> Iterator[tuple]:
        """Unsaved speeches, a chunk at a time, each with its tag and speaker ids in order."""
        rng = random.Random(f"{seed}:speeches")
        writer = Writer(rng)
        zone = timezone.get_default_timezone()
        kinds = {kind: weight for kind, (weight, _title) in SPEECH_KINDS.items()}
        for start, size in _chunks(total):
            rows, links = [], []
            for number in range(start + 1, start + size + 1):
                status, published = self.status_and_time(rng, anchor, counts)
                embargoed = status == Status.PUBLISHED and published > anchor
                event = self.event_near(rng, vocabulary, published.date())
                kind = _weighted(rng, kinds)
                count = 2 if kind == "joint-press-conference" else rng.choice([1, 1, 1, 2, 3])
                speakers = self.pick_speakers(rng, vocabulary, count)
                if len(speakers) < 2 and kind == "joint-press-conference":
                    kind = "press-conference"
                tag_ids = self.pick_tags(rng, vocabulary, rng.choice([1, 2, 2, 3, 4]))
                _kind, _display, about = self.subject(rng, vocabulary, tag_ids)
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
                        updated_at=self.updated(rng, published, anchor),
                        delivered_on=delivered,
                        delivered_time=at if rng.random() < 0.7 else None,
                        location=event.location,
                        delivery_status=rng.choice([*Speech.Delivery.values, ""]),
                        event_id=event.pk,
                    )
                )
                links.append((tag_ids, [speaker[0] for speaker in speakers]))
            yield rows, links

    # --- after loading -------------------------------------------------------------

    def refresh_statistics(self) -> None:
        """Fresh planner statistics, so the first queries on the new archive plan well.

        On PostgreSQL also VACUUM (unless a caller's transaction is open, as in tests):
        it marks the new pages all-visible, so counts are index-only scans at once
        rather than after autovacuum's next visit, and reclaims a replaced archive.
        Search needs nothing more: migration 0004's trigger filled `search_document`
        row by row as the archive was inserted.
        """
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                models = [
                    Release, Speech, Speaker, Event, Tag, TaggedRelease, TaggedSpeech,
                    TaggedEvent, SpeechSpeaker, Release.speakers.through, Release.events.through,
                ]  # fmt: skip
                tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
                if connection.in_atomic_block:
                    cursor.execute(f"ANALYZE {tables}")
                else:
                    cursor.execute("SET statement_timeout = 0")  # see _no_statement_timeout
                    cursor.execute(f"VACUUM (ANALYZE) {tables}")
                    cursor.execute("RESET statement_timeout")
            elif connection.vendor == "sqlite":
                cursor.execute("ANALYZE")


class Progress:
    """A text progress bar on the command's stdout (a line per 10% when not a terminal)."""

    WIDTH = 30

    def __init__(self, command: Command, total: int):
        self.command, self.total, self.done = command, total, 0
        self.started = time.monotonic()
        self.tty = command.stdout.isatty()
        self.shown_tenths = -1

    def advance(self, count: int) -> None:
        self.done += count
        if not self.command.verbose or not self.total:
            return
        share = self.done / self.total
        filled = int(self.WIDTH * share)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        elapsed = self.command.since(self.started)
        line = f"[{bar}] {share:4.0%}  {self.done:,}/{self.total:,} items  {elapsed}"
        if self.tty:
            self.command.stdout.write(f"\r{line}", ending="")
            self.command.stdout.flush()
        elif int(share * 10) > self.shown_tenths:
            self.shown_tenths = int(share * 10)
            self.command.stdout.write(line)

    def finish(self) -> None:
        if self.command.verbose and self.tty and self.total:
            self.command.stdout.write("")


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


def _no_statement_timeout() -> None:
    """Bulk deletes and inserts may take longer than a web request's statement timeout
    (settings: DATABASE_STATEMENT_TIMEOUT_MS); lift it for this transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")


@contextmanager
def _bigger_sqlite_cache() -> Iterator[None]:
    """On SQLite, a 128 MB page cache while loading: the indexes then stay in memory
    (inserts in random date order touch every page of them), which halves load time."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _generated(model: type[Model]) -> QuerySet:
    return model._default_manager.filter(slug__startswith=PREFIX)


def _ids_sql(queryset: QuerySet) -> tuple[str, tuple]:
    return queryset.order_by().values("pk").query.sql_with_params()


def _delete_where_in(cursor, model: type[Model], column: str, ids: QuerySet) -> None:
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(column)
    sql, params = _ids_sql(ids)
    cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({sql})", params)


def _chunks(total: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, CHUNK):
        yield start, min(CHUNK, total - start)


def _slug(title: str, number: int) -> str:
    return f"{PREFIX}{slugify(title)[:150].strip('-')}-{number}"
