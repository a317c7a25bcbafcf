"""Rich previews on detail pages: canonical URL, OpenGraph, Twitter card, JSON-LD."""

import json
from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from articles.models import Release
from tests.factories import make_event, make_release, make_speaker, make_speech
from tests.support import PageParts

pytestmark = pytest.mark.django_db


def head_of(client, item) -> PageParts:
    response = client.get(item.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    return PageParts(response.content.decode())


def structured(head: PageParts) -> dict:
    assert len(head.json_ld) == 1
    return json.loads(head.json_ld[0])


def test_release_page_has_canonical_url_description_and_opengraph(client):
    release = make_release(title="Sweden joins", summary="Sweden became the 32nd Ally.",
                           tags=["Sweden", "Enlargement"])  # fmt: skip
    head = head_of(client, release)
    url = f"http://testserver{release.get_absolute_url()}"
    assert head.links["canonical"] == url
    assert head.meta["description"] == ["Sweden became the 32nd Ally."]
    assert head.meta["og:type"] == ["article"]
    assert head.meta["og:title"] == ["Sweden joins"]
    assert head.meta["og:url"] == [url]
    assert head.meta["og:description"] == ["Sweden became the 32nd Ally."]
    assert head.meta["og:site_name"] == ["NATO Newsroom"]
    assert sorted(head.meta["article:tag"]) == ["Enlargement", "Sweden"]
    published = head.meta["article:published_time"][0]
    assert published == timezone.localtime(release.published_at).isoformat()
    assert head.meta["article:modified_time"][0] >= published
    assert head.meta["twitter:card"] == ["summary"]
    assert head.meta["twitter:title"] == ["Sweden joins"]
    assert head.meta["twitter:description"] == ["Sweden became the 32nd Ally."]


def test_release_json_ld_is_a_news_article(client):
    jens = make_speaker(name="Jens Stoltenberg", role="NATO Secretary General")
    summit = make_event(name="Vilnius Summit", start_on=date(2023, 7, 11))
    release = make_release(title="Allies agree", summary="Lead.", speakers=[jens],
                           events=[summit], tags=["Ukraine"], source="NATO")  # fmt: skip
    data = structured(head_of(client, release))
    release.refresh_from_db()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Allies agree"
    assert data["description"] == "Lead."
    assert data["url"] == f"http://testserver{release.get_absolute_url()}"
    assert data["datePublished"] == release.published_at.isoformat()
    assert data["dateModified"] == release.published_at.isoformat()  # no update announced
    assert data["author"] == {"@type": "Organization", "name": "NATO"}
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "NATO Newsroom"
    assert data["keywords"] == ["Ukraine"]
    assert data["mentions"][0]["name"] == "Jens Stoltenberg"
    assert data["mentions"][0]["jobTitle"] == "NATO Secretary General"
    assert data["about"][0]["name"] == "Vilnius Summit"


def test_speech_json_ld_names_the_speakers_in_order(client):
    jens = make_speaker(name="Jens Stoltenberg", role="NATO Secretary General")
    duda = make_speaker(name="Andrzej Duda", role="President of Poland")
    summit = make_event(name="Vilnius Summit", start_on=date(2023, 7, 11))
    speech = make_speech(title="Joint press conference", speakers=[duda, jens], event=summit,
                         location="Warsaw", delivered_on=date(2023, 7, 10))  # fmt: skip
    head = head_of(client, speech)
    assert head.meta["og:type"] == ["article"]
    assert head.meta["og:description"] == ["Joint press conference"]  # no summary: the title
    data = structured(head)
    assert data["@type"] == "Article"
    assert data["headline"] == "Joint press conference"
    assert [person["name"] for person in data["author"]] == ["Andrzej Duda", "Jens Stoltenberg"]
    assert data["author"][0]["@type"] == "Person"
    assert data["about"]["name"] == "Andrzej Duda"
    assert data["dateCreated"] == "2023-07-10"
    assert data["contentLocation"] == {"@type": "Place", "name": "Warsaw"}
    assert data["recordedAt"]["name"] == "Vilnius Summit"


def test_json_ld_cannot_be_broken_out_of(client):
    title = 'Evil </script><script>alert("x")</script> & <!-- title'
    release = make_release(title=title, summary="</SCRIPT> in the lead")
    body = client.get(release.get_absolute_url()).content.decode()
    script = body.split('<script type="application/ld+json">', 1)[1]
    payload = script.split("</script>", 1)[0]
    assert "<" not in payload and ">" not in payload
    data = json.loads(payload)
    assert data["headline"] == title
    assert data["description"] == "</SCRIPT> in the lead"
    assert "<script>alert" not in body


def test_meta_values_are_escaped(client):
    release = make_release(title='Quote " and <tag>', summary='He said "no" & left.')
    head = head_of(client, release)
    assert head.meta["og:title"] == ['Quote " and <tag>']
    assert head.meta["og:description"] == ['He said "no" & left.']


def test_modified_time_never_precedes_publication(client):
    published = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    release = make_release(published_at=published)
    Release.objects.filter(pk=release.pk).update(updated_at=published - timedelta(days=1))
    head = head_of(client, release)
    assert head.meta["article:modified_time"] == head.meta["article:published_time"]
    assert structured(head)["dateModified"] == published.isoformat()
