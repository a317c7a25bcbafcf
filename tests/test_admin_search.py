"""The admin's search finds what the public search finds (issue 22): the same engine,
case- and accent-insensitive, across title, summary and body, speakers' names and tags."""

import pytest
from django.urls import reverse

from tests.factories import make_release, make_speaker, make_speech

pytestmark = pytest.mark.django_db


def found(client, model: str, term: str) -> list[str]:
    response = client.get(reverse(f"admin:articles_{model}_changelist"), {"q": term})
    assert response.status_code == 200
    return sorted(item.title for item in response.context["cl"].result_list)


def test_accents_and_case_do_not_matter(staff_client):
    make_release(title="Deputy Secretary General Geoană in Kyiv")
    make_release(title="Other news", body="<p>Mircea GEOANĂ met the ministers.</p>")
    make_release(title="Unrelated")
    assert found(staff_client, "release", "geoana") == [
        "Deputy Secretary General Geoană in Kyiv",
        "Other news",
    ]


def test_speakers_names_and_tags_are_searched(staff_client):
    jens = make_speaker(name="Jens Stoltenberg", slug="jens-stoltenberg")
    make_speech(title="Remarks at the summit", speakers=[jens])
    make_speech(title="Doorstep", tags=["Maritime security"])
    make_speech(title="Nothing to do with it")
    assert found(staff_client, "speech", "stoltenberg") == ["Remarks at the summit"]
    assert found(staff_client, "speech", "MARITIME") == ["Doorstep"]


def test_a_slug_finds_its_item_and_odd_input_is_no_error(staff_client):
    make_release(title="By its slug", slug="by-its-slug")
    assert found(staff_client, "release", "by-its-slug") == ["By its slug"]
    for term in ['"', "-", "((", "title:*", "NEAR"]:
        found(staff_client, "release", term)  # answers 200, whatever it finds
