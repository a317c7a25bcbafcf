"""Filters that take what people type (issue 22): a tag, speaker or event by its name
redirects to the canonical slug address; a near miss answers "Did you mean …?"; a
reversed date range is a 400 naming both fields; the date boxes are YYYY-MM-DD text."""

from http import HTTPStatus

import pytest

from articles.models import TagNote, TagRedirect
from tests.factories import make_release, make_speaker, make_speech

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


@pytest.fixture
def archive():
    jens = make_speaker(name="Jens Stoltenberg", slug="jens-stoltenberg")
    mircea = make_speaker(name="Mircea Geoană", slug="mircea-geoana")
    make_release(title="About Ukraine", tags=["Ukraine"], speakers=[jens])
    make_release(title="About the Arctic", tags=["Arctic", "Black Sea"], speakers=[mircea])
    make_speech(title="A speech on Ukraine", tags=["Ukraine"], speakers=[jens])


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("/releases/?tag=Ukraine", "/releases/?tag=ukraine"),
        ("/releases/?tag=UKRAINE&tag=arctic", "/releases/?tag=ukraine&tag=arctic"),
        ("/releases/?tag=black%20sea", "/releases/?tag=black-sea"),
        ("/releases/?speaker=Jens+Stoltenberg", "/releases/?speaker=jens-stoltenberg"),
        ("/releases/?speaker=mircea+geoana", "/releases/?speaker=mircea-geoana"),
        ("/speeches/?speaker=JENS%20STOLTENBERG&kind=speech",
         "/speeches/?speaker=jens-stoltenberg&kind=speech"),
        ("/search/?q=nato&tag=Ukraine", "/search/?q=nato&tag=ukraine"),
        ("/feeds/releases/?tag=Ukraine", "/feeds/releases/?tag=ukraine"),
    ],
)  # fmt: skip
def test_a_name_redirects_to_the_canonical_slug_address(client, archive, typed, canonical):
    response = client.get(typed)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == canonical
    assert client.get(canonical).status_code == HTTPStatus.OK


def test_the_canonical_address_lists_the_items(client, archive):
    response = client.get("/releases/?tag=Ukraine", follow=True)
    assert "About Ukraine" in response.content.decode()
    assert "There is no tag" not in response.content.decode()


def test_a_near_miss_offers_did_you_mean(client, archive):
    body = client.get("/releases/?tag=Ukr").content.decode()
    assert "There is no tag “Ukr”" in body
    assert 'Did you mean <a href="/releases/?tag=ukraine">Ukraine</a>' in body
    body = client.get("/releases/?speaker=Stoltenburg").content.decode()
    assert '<a href="/releases/?speaker=jens-stoltenberg">Jens Stoltenberg</a>' in body


def test_a_reversed_date_range_is_a_400_naming_both_fields(client, archive):
    for url in (
        "/releases/?date_after=2024-05-01&date_before=2024-03-01",
        "/speeches/?date_after=2024-05-01&date_before=2024-03-01",
        "/search/?q=nato&date_after=2024-05-01&date_before=2024-03-01",
        "/api/v1/releases/?date_after=2024-05-01&date_before=2024-03-01",
        "/feeds/releases/?date_after=2024-05-01&date_before=2024-03-01",
    ):
        response = client.get(url)
        assert response.status_code == HTTPStatus.BAD_REQUEST, url
        body = response.content.decode()
        assert "date_before=2024-03-01" in body and "date_after=2024-05-01" in body, url
    same_day = client.get("/releases/?date_after=2024-03-01&date_before=2024-03-01")
    assert same_day.status_code == HTTPStatus.OK


def test_date_boxes_are_text_that_agrees_with_the_label(client, archive):
    for url in ("/releases/", "/search/?q=nato"):
        body = client.get(url).content.decode()
        assert 'type="date"' not in body
        assert 'placeholder="YYYY-MM-DD"' in body


def test_a_merged_tags_old_address_redirects_permanently(client, archive):
    from taggit.models import Tag

    TagRedirect.objects.create(old_slug="ukrainian-war", old_name="Ukrainian war",
                               tag=Tag.objects.get(slug="ukraine"))  # fmt: skip
    response = client.get("/tags/ukrainian-war/")
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == "/tags/ukraine/"
    assert client.get("/releases/?tag=ukrainian-war")["Location"] == "/releases/?tag=ukraine"
    assert client.get("/tags/Ukraine/")["Location"] == "/tags/ukraine/"
    assert client.get("/tags/nothing-like-it/").status_code == HTTPStatus.NOT_FOUND


def test_a_tag_page_shows_its_description(client, archive):
    from taggit.models import Tag

    TagNote.objects.create(tag=Tag.objects.get(slug="arctic"),
                           description="The High North and its sea lanes.")  # fmt: skip
    body = client.get("/tags/arctic/").content.decode()
    assert '<p class="tag-description">The High North and its sea lanes.</p>' in body
