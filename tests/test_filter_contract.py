"""Every filter of the contract reaches every surface: the lists, the search page, the feeds.

A filter is one declaration on `articles.filters.PublicationFilterSet`; the tests below
run for each of its `parameters()`. A new filter needs one line in tests/support.py,
its sample in `FILTER_SAMPLES`, and is then checked on the release and speech lists (its
chip, the chip's clear link, its control in the filter form), on the search page, and in the RSS and
Atom feeds linked from a filtered list.
"""

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from html import unescape
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.http import QueryDict

from articles.filters import (
    MAX_QUERY_LENGTH,
    MAX_SLUG_LENGTH,
    MAX_TAGS,
    PublicationFilterSet,
    filterset_for,
)
from articles.models import Release, Speech
from tests.factories import make_event, make_release, make_speaker, make_speech
from tests.support import FILTER_SAMPLES as SAMPLES
from tests.support import SPEECH_FILTER_SAMPLES as SPEECH_SAMPLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]

PARAMETERS = PublicationFilterSet.parameters()
LISTS = {"/releases/": Release, "/speeches/": Speech}
FEEDS = {Release: "/feeds/releases/", Speech: "/feeds/speeches/"}
BRUSSELS = ZoneInfo("Europe/Brussels")


def sample(param: str, model=Release) -> tuple[str, str]:
    samples = SPEECH_SAMPLES if model is Speech else SAMPLES
    assert param in samples, f"give the filter {param!r} a sample in tests/support.py"
    return samples[param]


@pytest.fixture
def archive():
    """A release and a speech that every sample matches, and one dated before and one
    after them that no sample but a date matches. Returns the two matches, by model."""
    jens = make_speaker(name="Jens Stoltenberg", slug="jens-stoltenberg")
    summit = make_event(name="Vilnius Summit", slug="vilnius-summit")
    day = datetime(2024, 3, 14, 12, tzinfo=BRUSSELS)
    for year, release_kind, speech_kind in [(2020, "press-release", "speech"),
                                            (2025, "feature", "interview")]:  # fmt: skip
        other_day = day.replace(year=year)
        make_release(title=f"Budget release of {year}", kind=release_kind, published_at=other_day)
        make_speech(title=f"Budget speech of {year}", kind=speech_kind, published_at=other_day,
                    delivered_on=other_day.date())  # fmt: skip
    release = make_release(title="Walrus census in the Arctic", kind="news", tags=["Arctic"],
                           speakers=[jens], events=[summit], published_at=day)  # fmt: skip
    speech = make_speech(title="Remarks on the walrus", kind="doorstep", tags=["Arctic"],
                         speakers=[jens], event=summit, published_at=day,
                         delivered_on=date(2024, 3, 14))  # fmt: skip
    return {Release: release, Speech: speech}


def address(path: str, **params) -> str:
    return f"{path}?{urlencode(params, doseq=True)}"


def listed(response) -> list[str]:
    assert response.status_code == HTTPStatus.OK, response.content[:500]
    return [item.title for item in response.context["object_list"]]


def chips(response, label: str, text: str) -> list[str]:
    """Where the chips reading "label: text" link to (their clear links)."""
    pattern = (
        rf'<li class="chip">{re.escape(label)}: <strong>{re.escape(text)}</strong>\s*'
        r'<a class="chip__clear" href="([^"]*)"'
    )
    return [unescape(href) for href in re.findall(pattern, response.content.decode())]


class FormFields(HTMLParser):
    """What each form of a page submits, by its class: {class: {name: [values]}} (a
    select's value is its selected option's)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: dict[str, dict[str, list[str]]] = {}
        self.form: dict[str, list[str]] | None = None
        self.select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = self.forms.setdefault(attrs.get("class") or "", {})
        elif self.form is None or not (attrs.get("name") or self.select):
            return
        elif tag == "input":
            self.form.setdefault(attrs["name"], []).append(attrs.get("value") or "")
        elif tag == "select":
            self.select = attrs["name"]
            self.form.setdefault(self.select, [])
        elif tag == "option" and "selected" in attrs:
            self.form[self.select].append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


def form(response, css_class: str) -> dict[str, list[str]]:
    forms = FormFields(response.content.decode()).forms
    assert css_class in forms, f"no form {css_class!r}, only {sorted(forms)}"
    return forms[css_class]


def feed_title_and_items(response) -> tuple[str, list[str]]:
    """An RSS or Atom feed's title and its items' titles."""
    assert response.status_code == HTTPStatus.OK, response.content[:500]
    root = ET.fromstring(response.content)
    if root.tag == "rss":
        channel = root.find("channel")
        return channel.findtext("title"), [i.findtext("title") for i in channel.iter("item")]
    atom = "{http://www.w3.org/2005/Atom}"
    entries = root.iter(f"{atom}entry")
    return root.findtext(f"{atom}title"), [e.findtext(f"{atom}title") for e in entries]


def phrase(model, param: str, value: str) -> str:
    """The filter in words, as its declaration puts it in a feed's title."""
    filterset = filterset_for(model, QueryDict(urlencode({param: value})))
    assert filterset.is_valid(), filterset.errors
    return filterset.filters[param].phrase(filterset.form.cleaned_data[param])


def test_every_filter_has_a_sample():
    assert set(SAMPLES) == set(PARAMETERS), (
        f"samples missing for {sorted(set(PARAMETERS) - set(SAMPLES))}, "
        f"samples of no filter: {sorted(set(SAMPLES) - set(PARAMETERS))}"
    )
    assert set(SPEECH_SAMPLES) == set(SAMPLES)


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("param", PARAMETERS)
def test_a_filter_narrows_each_list_with_a_chip_and_a_control(client, archive, param, path):
    model = LISTS[path]
    value, text = sample(param, model)
    label = PublicationFilterSet.base_filters[param].label
    everything = listed(client.get(path))
    response = client.get(address(path, **{param: value}))

    found = listed(response)
    assert archive[model].title in found
    assert set(found) < set(everything), f"{param}={value} left the list as it was"
    assert chips(response, label, text) == [path]
    assert value in form(response, "filters").get(param, []), f"no control keeps {param}"

    other = {"q": "walrus"} if param != "q" else {"tag": "arctic"}
    combined = client.get(address(path, **{param: value}, **other))
    assert chips(combined, label, text) == [address(path, **other)]  # clears it alone


@pytest.mark.parametrize("model", [Release, Speech])
@pytest.mark.parametrize("param", PARAMETERS)
def test_the_search_page_keeps_a_filter(client, archive, param, model):
    value, text = sample(param, model)
    label = PublicationFilterSet.base_filters[param].label
    response = client.get(address("/search/", **{"q": "walrus", param: value}))

    assert response.status_code == HTTPStatus.OK
    assert archive[model].title in [result.title for result in response.context["results"]]
    assert value in form(response, "search-form").get(param, []), f"the form drops {param}"
    if param != "q":  # the search box shows the words; every other filter has a chip
        assert chips(response, label, text) == [address("/search/", q="walrus")]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("param", PARAMETERS)
def test_the_feeds_of_a_filtered_list_apply_the_filter(client, archive, param, path):
    model = LISTS[path]
    value, _ = sample(param, model)
    response = client.get(address(path, **{param: value}))
    links = re.findall(r'<link rel="alternate" type="([^"]+)"[^>]* href="([^"]+)"',
                       response.content.decode())  # fmt: skip

    feed = FEEDS[model]
    expected = [("application/rss+xml", feed), ("application/atom+xml", f"{feed}atom/")]
    assert [(kind, unescape(href)) for kind, href in links] == [
        (kind, address(url, **{param: value})) for kind, url in expected
    ]
    for _, href in links:
        title, items = feed_title_and_items(client.get(unescape(href)))
        assert title.startswith(settings.NEWSROOM_NAME)
        assert phrase(model, param, value) in title
        assert sorted(items) == sorted(listed(response))


INVALID = [  # (the parameters, the field the 400 names)
    pytest.param({"kind": "poem"}, "kind", id="kind"),
    pytest.param({"date_after": "2024-13-45"}, "date_after", id="date_after"),
    pytest.param({"date_before": "yesterday"}, "date_before", id="date_before"),
    pytest.param({"date_after": "0001-01-01"}, "date_after", id="date_after-out-of-range"),
    pytest.param({"tag": [f"tag-{n}" for n in range(MAX_TAGS + 1)]}, "tag", id="tag-too-many"),
    pytest.param({"tag": "t" * (MAX_SLUG_LENGTH + 1)}, "tag", id="tag-too-long"),
    pytest.param({"speaker": "s" * (MAX_SLUG_LENGTH + 1)}, "speaker", id="speaker-too-long"),
    pytest.param({"event": "e" * (MAX_SLUG_LENGTH + 1)}, "event", id="event-too-long"),
    pytest.param({"q": "w" * (MAX_QUERY_LENGTH + 1)}, "q", id="q-too-long"),
]
SURFACES = ["/releases/", "/speeches/", "/search/", "/feeds/releases/",
            "/feeds/releases/atom/", "/feeds/speeches/", "/feeds/speeches/atom/"]  # fmt: skip


@pytest.mark.parametrize("path", SURFACES)
@pytest.mark.parametrize(("params", "field"), INVALID)
def test_an_invalid_value_is_a_400_naming_the_field(client, path, params, field):
    response = client.get(address(path, **{"q": "walrus", **params}))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert f"<strong>{field}</strong>" in response.content.decode()
