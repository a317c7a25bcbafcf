"""List pages: pagination, filter form state, active filters."""

from http import HTTPStatus

import pytest

from tests.factories import make_release, make_speaker

pytestmark = pytest.mark.django_db


def test_twenty_a_page_and_404_past_the_end(client):
    for _ in range(45):
        make_release()
    first = client.get("/releases/")
    assert len(first.context["object_list"]) == 20
    assert "45 releases" in first.content.decode()
    assert len(client.get("/releases/?page=3").context["object_list"]) == 5
    for page in ("4", "0", "-1", "abc", "99999999999999999999999"):
        assert client.get(f"/releases/?page={page}").status_code == HTTPStatus.NOT_FOUND, page


def test_pagination_links_keep_the_filters(client):
    for _ in range(25):
        make_release(tags=["Ukraine"])
    body = client.get("/releases/?tag=ukraine&kind=press-release").content.decode()
    assert 'href="?tag=ukraine&amp;kind=press-release&amp;page=2"' in body


def test_filter_form_keeps_its_state(client):
    make_speaker(slug="jens-stoltenberg", name="Jens Stoltenberg")
    body = client.get(
        "/releases/?q=diana&speaker=jens-stoltenberg&kind=news&date_after=2024-01-02&tag=ukraine"
    ).content.decode()
    assert 'name="q" value="diana"' in body
    assert (
        'name="speaker" list="speaker-options" autocomplete="off" value="jens-stoltenberg"' in body
    )
    assert '<option value="news" selected>' in body
    assert 'name="date_after" value="2024-01-02"' in body
    assert '<input type="hidden" name="tag" value="ukraine">' in body


def test_active_filters_each_have_a_clear_link(client):
    # Listed by an editor: named by no item yet, but public (issue 21).
    make_speaker(slug="jens-stoltenberg", name="Jens Stoltenberg", listed=True)
    make_release(tags=["Ukraine", "Sweden"])
    response = client.get("/releases/?tag=ukraine&tag=sweden&speaker=jens-stoltenberg&page=1")
    active = {
        f["label"] + ":" + str(f["value"]): f["clear_url"]
        for f in response.context["active_filters"]
    }
    assert active == {
        "Tag:Ukraine": "/releases/?tag=sweden&speaker=jens-stoltenberg",
        "Tag:Sweden": "/releases/?tag=ukraine&speaker=jens-stoltenberg",
        "Speaker:Jens Stoltenberg": "/releases/?tag=ukraine&tag=sweden",
    }
    assert "Clear all filters" in response.content.decode()


def test_clearing_the_last_filter_links_to_the_bare_list(client):
    response = client.get("/speeches/?kind=remarks")
    assert response.context["active_filters"][0]["clear_url"] == "/speeches/"


def test_filter_options_offer_only_tags_of_public_items(client):
    from articles.querysets import Status

    make_release(tags=["Ukraine"])
    make_release(tags=["Secret topic"], status=Status.DRAFT)
    body = client.get("/releases/").content.decode()
    assert '<option value="ukraine">Ukraine (1)</option>' in body
    assert "Secret topic" not in body


def test_pages_beyond_the_bound_are_404_before_any_query(client, django_assert_num_queries):
    # The page cache reads the content version and the next lift once per version, before
    # any view (issue 21); after that a page past the bound costs no query at all.
    client.get("/releases/")
    with django_assert_num_queries(0):
        assert client.get("/releases/?page=5001").status_code == HTTPStatus.NOT_FOUND
        assert client.get("/search/?q=nato&page=99999").status_code == HTTPStatus.NOT_FOUND


def test_a_date_chip_clears_its_date_however_it_was_typed(client):
    make_release(kind="news")
    response = client.get("/releases/?date_after=2024-3-1&kind=news")
    chips = {f["label"]: f["clear_url"] for f in response.context["active_filters"]}
    assert chips["From"] == "/releases/?kind=news"
    assert chips["Kind"] == "/releases/?date_after=2024-3-1"


def test_chips_name_the_filters_in_the_contracts_order_words_last(client):
    make_release(tags=["Ukraine"], title="Walrus")
    response = client.get("/releases/?q=walrus&tag=ukraine&kind=press-release")
    labels = [f["label"] for f in response.context["active_filters"]]
    assert labels == ["Tag", "Kind", "Words"]
