"""Cards in lists are rendered once per content version and language in each process
(articles/cache.py: `fragments`): a change to content shows at once, the two languages
never share a card, and a card read before a change is never kept for after it."""

from http import HTTPStatus

import pytest
from django.urls import set_script_prefix
from django.utils import translation

from articles import cache as cache_module
from articles.cache import content_version, fragments
from articles.views import ReleaseListView
from tests.factories import make_release, make_speaker

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]

CARD = "includes/_release_summary.html"


def page(client, url: str = "/releases/"):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    rendered = sum(1 for template in response.templates if template.name == CARD)
    return response.content.decode(), rendered


def test_a_card_is_rendered_once_per_content_version(client):
    first = make_release(title="Walrus count rises")
    make_release(title="Narwhal count falls")

    body, rendered = page(client)
    assert rendered == 2 and "Walrus count rises" in body
    again, rendered = page(client)
    assert rendered == 0 and again == body  # the same cards, not rendered again

    first.title = "Walrus count corrected"
    first.save()  # raises the content version
    body, rendered = page(client)
    assert rendered == 2
    assert "Walrus count corrected" in body and "Walrus count rises" not in body


def test_a_speakers_new_name_shows_on_the_cards_at_once(client):
    speaker = make_speaker(name="Ada Example")
    make_release(title="Quoted release", speakers=[speaker])
    assert "Ada Example" in page(client)[0]

    speaker.name = "Ada Renamed"
    speaker.save()
    body, _ = page(client)
    assert "Ada Renamed" in body and "Ada Example" not in body


def test_the_version_is_noted_before_the_page_reads_its_items(client, monkeypatch):
    """A card is kept under the version read before its data: the list's queryset is
    built after the middleware noted it."""
    make_release(title="Ordering check")
    seen = []
    original = ReleaseListView.get_queryset

    def recording(view):
        seen.append(cache_module._page_version.get())
        return original(view)

    monkeypatch.setattr(ReleaseListView, "get_queryset", recording)
    page(client)
    assert seen and seen[0] == content_version()


def keep(version: int | None, key: tuple, html: str) -> str:
    """`fragments.get()` as a page at `version` asks it; `html` is what a render makes."""
    token = cache_module._page_version.set(version)
    try:
        return fragments.get(key, lambda: html)
    finally:
        cache_module._page_version.reset(token)


def test_a_card_read_before_a_change_is_never_kept_for_after_it():
    assert keep(10, ("release", 1), "<b>v10</b>") == "<b>v10</b>"
    assert keep(10, ("release", 1), "not rendered") == "<b>v10</b>"  # kept
    assert keep(11, ("release", 1), "<b>v11</b>") == "<b>v11</b>"  # a newer version
    # A page that began before the change (it read version 10) renders its own card
    # and keeps nothing: version 11's card stays the one kept.
    assert keep(10, ("release", 1), "<b>old</b>") == "<b>old</b>"
    assert keep(11, ("release", 1), "not rendered") == "<b>v11</b>"


def test_outside_a_page_request_nothing_is_kept():
    assert keep(None, ("release", 2), "first") == "first"
    assert keep(None, ("release", 2), "second") == "second"


def test_each_language_has_its_own_cards():
    with translation.override("fr"):
        assert keep(20, ("release", 3), "français") == "français"
    assert keep(20, ("release", 3), "English") == "English"
    with translation.override("fr"):
        assert keep(20, ("release", 3), "not rendered") == "français"


def test_the_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(fragments, "size", 3)
    for pk in range(5):
        keep(30, ("release", pk), f"card {pk}")
    assert len(fragments.held) == 3
    assert keep(30, ("release", 0), "rendered again") == "rendered again"  # dropped first
    assert keep(30, ("release", 4), "not rendered") == "card 4"


def test_a_card_is_kept_at_most_as_long_as_any_cached_value(monkeypatch):
    """A change made without the signals (an SQL UPDATE) shows within MAX_TIMEOUT."""
    clock = [1000.0]
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: clock[0])
    assert keep(40, ("release", 5), "before") == "before"
    clock[0] += cache_module.MAX_TIMEOUT - 1
    assert keep(40, ("release", 5), "not rendered") == "before"
    clock[0] += 2
    assert keep(40, ("release", 5), "after") == "after"


def test_each_address_prefix_has_its_own_cards():
    set_script_prefix("/mounted/")
    try:
        assert keep(50, ("release", 6), "/mounted/releases/x/") == "/mounted/releases/x/"
    finally:
        set_script_prefix("/")
    assert keep(50, ("release", 6), "/releases/x/") == "/releases/x/"


def test_nothing_is_kept_while_templates_are_being_edited(settings):
    settings.DEBUG = True
    assert keep(60, ("release", 7), "first") == "first"
    assert keep(60, ("release", 7), "edited") == "edited"


def test_no_page_version_outlives_its_request(client):
    make_release(title="After the request")
    page(client)
    assert cache_module._page_version.get() is None
