"""Pages that use the screen (issue 22): the detail page's side column, "Follow" links
on lists, a favicon and touch icons."""

from http import HTTPStatus

import pytest

from tests.factories import make_event, make_release, make_speaker, make_speech

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


def side_column(body: str) -> str:
    start = body.index('<aside class="detail-side"')
    return body[start : body.index("</aside>", start)]


def test_a_release_page_has_a_side_column_with_people_events_topics_related(client):
    jens = make_speaker(name="Jens Stoltenberg", role="NATO Secretary General")
    summit = make_event(name="Washington Summit")
    item = make_release(speakers=[jens], events=[summit], tags=["Ukraine"])
    make_release(title="A related one", tags=["Ukraine"], speakers=[jens])
    side = side_column(client.get(item.get_absolute_url()).content.decode())
    for text in ("Jens Stoltenberg", "NATO Secretary General", "Washington Summit",
                 "Topics", "Ukraine", "Related", "A related one"):  # fmt: skip
        assert text in side, text


def test_a_speech_page_has_the_side_column_too(client):
    jens = make_speaker(name="Jens Stoltenberg")
    speech = make_speech(speakers=[jens], tags=["Arctic"], event=make_event(name="Talks"))
    side = side_column(client.get(speech.get_absolute_url()).content.decode())
    assert "Jens Stoltenberg" in side and "Talks" in side and "Arctic" in side


def test_lists_show_follow_links_for_the_current_filter(client):
    make_release(tags=["Ukraine"])
    body = client.get("/releases/?tag=ukraine").content.decode()
    assert '<p class="follow-links">' in body
    assert 'href="/feeds/releases/?tag=ukraine"' in body
    assert 'href="/feeds/releases/atom/?tag=ukraine"' in body
    follow = body[body.index('<p class="follow-links">') :].split("</p>")[0]
    assert "email alerts" in follow and "tag=ukraine" in follow.split("email alerts")[0][-200:]
    assert 'href="/feeds/speeches/"' in client.get("/speeches/").content.decode()


def test_favicon_and_touch_icons(client):
    body = client.get("/").content.decode()
    assert 'rel="icon"' in body and 'rel="apple-touch-icon"' in body
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == HTTPStatus.OK
    assert b"".join(favicon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
