"""The search page, `/search/?q=` (articles/search/page.py), and the lists' `q`.

What the page shows and keeps: results of both kinds, the list filters and their
chips, 400s naming a bad field, paging up to the cap, a bounded number of queries.
What matches and in which order is tested in test_search_engine.py."""

from datetime import date, timedelta
from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from articles.models import Release, Speech
from articles.querysets import Status
from articles.search import paging as search_paging
from tests.factories import make_event, make_release, make_speaker, make_speech
from tests.support import get, hours_ago, titles

# Each request renders the page: the page cache would hide queries and changes.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


# The page ---------------------------------------------------------------------------


def test_empty_query_shows_a_search_box_without_results(client):
    make_release(title="Anything at all")
    response = client.get("/search/")
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert 'name="q"' in body and 'role="search"' in body
    assert "results" not in response.context
    assert "Anything at all" not in body


def test_whitespace_query_counts_as_empty(client):
    response = get(client, q="   ")
    assert response.status_code == HTTPStatus.OK
    assert "results" not in response.context


def test_finds_releases_and_speeches_together(client):
    speaker = make_speaker(name="Mark Rutte")
    release = make_release(title="Allies agree on Arctic surveillance", speakers=[speaker])
    speech = make_speech(title="Remarks on Arctic security", speakers=[speaker])
    make_release(title="Unrelated budget story")
    response = get(client, q="arctic")
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert sorted(titles(response)) == sorted([release.title, speech.title])
    assert f'href="{release.get_absolute_url()}"' in body
    assert f'href="{speech.get_absolute_url()}"' in body
    assert "Press release" in body and "Speech" in body  # kinds
    assert timezone.localtime(release.published_at).strftime("%-d %B %Y") in body  # dates
    assert "Mark Rutte" in body and 'href="/speakers/' in body  # speakers
    assert "2 results for “arctic”" in body


def test_hidden_items_are_never_found(client):
    make_release(title="Walrus public")
    make_release(title="Walrus draft", status=Status.DRAFT)
    make_speech(title="Walrus in review", status=Status.IN_REVIEW)
    make_release(title="Walrus embargoed", published_at=timezone.now() + timedelta(hours=2))
    make_speech(title="Walrus speech embargoed", published_at=timezone.now() + timedelta(hours=2))
    response = get(client, q="walrus")
    assert titles(response) == ["Walrus public"]
    body = response.content.decode()
    assert "draft" not in body and "embargoed" not in body and "review" not in body
    assert titles(get(client, q="walrus embargoed")) == []
    assert Release.objects.count() == 3 and Speech.objects.count() == 2


# Filters ----------------------------------------------------------------------------


def test_search_combines_with_the_list_filters(client):
    jens = make_speaker(slug="jens-stoltenberg")
    summit = make_event(slug="vilnius-summit")
    tagged = make_release(title="Ukraine aid release", tags=["ukraine"], speakers=[jens])
    make_release(title="Ukraine aid untagged")
    speech = make_speech(title="Ukraine aid speech", tags=["ukraine"], speakers=[jens],
                         event=summit, kind="press-conference",
                         delivered_on=date(2023, 7, 11))  # fmt: skip
    assert sorted(titles(get(client, q="aid", tag="ukraine"))) == [tagged.title, speech.title]
    assert sorted(titles(get(client, q="aid", speaker="jens-stoltenberg"))) == sorted(
        [tagged.title, speech.title]
    )
    assert titles(get(client, q="aid", event="vilnius-summit")) == [speech.title]
    assert titles(get(client, q="aid", kind="press-conference")) == [speech.title]
    assert titles(get(client, q="aid", type="speeches")) == [speech.title]
    assert speech.title not in titles(get(client, q="aid", type="releases"))
    dated = get(client, q="aid", date_after="2023-07-01", date_before="2023-07-31")
    assert titles(dated) == [speech.title]


def test_active_filters_are_shown_with_a_way_to_clear_them(client):
    make_release(title="Ukraine aid", tags=["ukraine"])
    body = get(client, q="aid", tag="ukraine").content.decode()
    assert "Tag: <strong>ukraine</strong>" in body
    assert 'href="/search/?q=aid"' in body


def test_unknown_slug_in_a_filter_gives_no_results_not_an_error(client):
    make_release(title="Ukraine aid")
    response = get(client, q="aid", tag="no-such-tag")
    assert response.status_code == HTTPStatus.OK
    assert titles(response) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_after": "2024-13-45"}, "date_after"),
        ({"date_before": "yesterday"}, "date_before"),
        ({"kind": "poem"}, "kind"),
        ({"type": "videos"}, "type"),
        ({"q": "x" * 10_000}, "q"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(client, params, field):
    response = get(client, **{"q": "aid", **params})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert f"<strong>{field}</strong>" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "!!!",
        "&|!():*<>",
        '"',
        '"unclosed phrase',
        "-",
        "or or or",
        "a & b | !c",
        "'; DROP TABLE articles_release; --",
        "\u200b\u200d\ufeff",
        "🦭 walrus",
        "\U0010ffff",
        "ﬁnance ℕ",
        "x" * 200,
    ],
)
def test_odd_queries_get_a_friendly_page(client, query):
    make_release(title="Walrus")
    response = get(client, q=query)
    assert response.status_code == HTTPStatus.OK
    assert "results" in response.context


def test_invalid_utf8_in_the_query_is_not_an_error(client):
    make_release(title="Walrus")
    response = client.get("/search/?q=%ff%fe%ed%a0%80walrus")
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.BAD_REQUEST)


# Pagination and queries -------------------------------------------------------------


def test_twenty_results_a_page_and_404_past_the_end(client):
    for n in range(25):
        make_release(title=f"Paged walrus {n}")
    first = get(client, q="walrus")
    assert len(titles(first)) == 20
    assert 'href="?q=walrus&amp;page=2"' in first.content.decode()
    second = get(client, q="walrus", page=2)
    assert len(titles(second)) == 5
    assert not set(titles(first)) & set(titles(second))
    assert get(client, q="walrus", page=3).status_code == HTTPStatus.NOT_FOUND
    assert get(client, q="walrus", page="last").status_code == HTTPStatus.NOT_FOUND
    assert get(client, q="walrus", page="zero").status_code == HTTPStatus.NOT_FOUND


def test_no_results_is_page_one_not_a_404(client):
    response = get(client, q="nothing-matches-this")
    assert response.status_code == HTTPStatus.OK
    assert "Nothing matches" in response.content.decode()


@pytest.mark.parametrize("count", [1, 50])
def test_search_page_queries_do_not_grow(client, django_assert_max_num_queries, count):
    speakers = [make_speaker() for _ in range(3)]
    for n in range(count):
        make_release(title=f"Walrus release {n}", speakers=speakers[:2], tags=["arctic"])
        make_speech(title=f"Walrus speech {n}", speakers=speakers, tags=["arctic"])
    get(client, q="walrus", tag="arctic")  # the public tag index is cached, as lists' options are
    with django_assert_max_num_queries(3):  # count, page, snippets and speakers
        response = get(client, q="walrus", tag="arctic")
    assert response.status_code == HTTPStatus.OK
    assert len(titles(response)) == min(20, 2 * count)
    assert all(result.speakers for result in response.context["results"])


@pytest.mark.parametrize(("in_title", "in_body"), [(3, 25), (25, 5)])
def test_pages_go_from_the_best_matches_on_to_the_others(
    client, django_assert_max_num_queries, in_title, in_body
):
    """Title matches (all older) first, then the others newest first, on either database."""
    for n in range(in_title):
        make_release(title=f"Ocelot {n:02}", published_at=hours_ago(2000 + n))
    for n in range(in_body):
        make_speech(title=f"Speech {n:02}", body="<p>An ocelot was seen.</p>",
                    delivered_on=timezone.localdate() - timedelta(days=n),
                    published_at=hours_ago(n))  # fmt: skip
    best = [f"Ocelot {n:02}" for n in range(in_title)]
    others = [f"Speech {n:02}" for n in range(in_body)]
    expected = best + others
    get(client, q="ocelot")  # the content version and next lift: read once a version
    found = []
    for page in (1, 2):
        with django_assert_max_num_queries(3):
            found += titles(get(client, q="ocelot", page=page))
    assert found == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ocelot", ["Ocelot in the title", "Ocelot sighting", "Lead", "Body"]),
        ("ocelot -lynx", ["Ocelot in the title", "Lead", "Body"]),
        ("ocelot or tapir", ["Tapir", "Ocelot in the title", "Ocelot sighting", "Lead", "Body"]),
    ],
)
def test_tiers_and_exclusions_hold_whatever_the_sql_leaves_out(client, query, expected):
    """Title matches, then summary matches, then the others newest first. Without "-word"
    the SQL leaves out lookups a lead match implies; with one, a word excluded from the
    title and summary but in the body still excludes the item."""
    make_release(title="Ocelot in the title", published_at=hours_ago(30))
    make_release(title="Lead", summary="An ocelot.", published_at=hours_ago(20))
    make_release(title="Tapir", summary="A tapir.", published_at=hours_ago(25))
    make_release(title="Ocelot sighting", body="<p>A lynx too.</p>", published_at=hours_ago(40))
    make_release(title="Body", body="<p>An ocelot.</p>", published_at=hours_ago(10))
    make_release(title="Ocelot draft", status=Status.DRAFT)
    found = titles(get(client, q=query))
    if "-" in query:
        # PostgreSQL's ts_rank scores a query with a negation its own way: the best
        # matches' order is the engines' own there; which items match is not.
        found, expected = sorted(found[:2]) + found[2:], sorted(expected[:2]) + expected[2:]
    assert found == expected


@pytest.mark.parametrize("sizes", [(1, 10**6, 2 * 10**6), (10**9, 1, 2)], ids=["walk", "collect"])
def test_sqlite_reads_each_tier_either_way_with_the_same_pages(client, monkeypatch, sizes):
    """SQLite reads the title tier and the other best matches by walking the public order
    when they are many, else by collecting them; both give the same pages."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the tiers are SQLite's (PostgreSQL ranks the best matches by ts_rank)")
    monkeypatch.setattr("articles.search.sqlite._index_sizes", lambda *args: sizes)
    for n in range(12):
        make_release(title=f"Ocelot {n:02}", published_at=hours_ago(100 + n))
        make_release(title=f"Lead {n:02}", summary="An ocelot.", published_at=hours_ago(50 + n))
        make_release(title=f"Body {n:02}", body="<p>Ocelot.</p>", published_at=hours_ago(n))
    make_release(title="Ocelot draft", status=Status.DRAFT)
    expected = [f"{tier} {n:02}" for tier in ("Ocelot", "Lead", "Body") for n in range(12)]
    found = titles(get(client, q="ocelot")) + titles(get(client, q="ocelot", page=2))
    assert found == expected


def test_the_count_is_kept_per_content_version(client, django_assert_max_num_queries):
    """Paging one search counts once; any publication starts a new count."""
    make_release(title="Pangolin one")
    assert "1 result for “pangolin”" in get(client, q="pangolin").content.decode()
    with django_assert_max_num_queries(2):  # the page and its snippets: no count
        get(client, q="pangolin")
    make_release(title="Pangolin two")
    assert "2 results for “pangolin”" in get(client, q="pangolin").content.decode()


@pytest.mark.parametrize(("in_title", "in_body"), [(5, 0), (2, 3), (0, 5)])
def test_past_the_cap_the_page_says_more_than_and_lists_no_further(
    client, monkeypatch, in_title, in_body
):
    monkeypatch.setattr(search_paging, "MAX_RESULTS", 3)
    for n in range(in_title):
        make_release(title=f"Caracal {n}")
    for n in range(in_body):
        make_speech(body=f"<p>A caracal, number {n}.</p>")
    response = get(client, q="caracal")
    assert "More than 3 results for “caracal”" in response.content.decode()
    assert len(titles(response)) == 3
    assert get(client, q="caracal", page=2).status_code == HTTPStatus.NOT_FOUND
    exactly = get(client, q="caracal", type="releases") if in_title == 2 else None
    if exactly is not None:
        assert "2 results for “caracal”" in exactly.content.decode()


# The lists' q filter ----------------------------------------------------------------


def test_list_q_uses_the_same_search(client):
    make_release(title="The annual report is out")
    make_release(title="A report on the annual exercise")
    body = client.get("/releases/?" + urlencode({"q": '"annual report"'})).content.decode()
    assert "The annual report is out" in body
    assert "A report on the annual exercise" not in body


def test_list_q_finds_speeches_and_keeps_other_filters(client):
    make_speech(title="Doorstep on Arctic", kind="doorstep")
    make_speech(title="Speech on Arctic", kind="speech")
    body = client.get("/speeches/?q=arctic&kind=doorstep").content.decode()
    assert "Doorstep on Arctic" in body and "Speech on Arctic" not in body


def test_list_q_too_long_is_a_400_naming_q(client):
    response = client.get("/releases/?" + urlencode({"q": "x" * 10_000}))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "<strong>q</strong>" in response.content.decode()


def test_lists_rank_by_relevance_when_q_is_given(client):
    make_release(title="Body only", body="<p>puffin</p>", published_at=timezone.now())
    make_release(title="Puffin in the title", published_at=timezone.now() - timedelta(days=9))
    body = client.get("/releases/?q=puffin").content.decode()
    assert body.index("Puffin in the title") < body.index("Body only")


def test_clear_all_filters_keeps_the_words_and_the_tab(client):
    make_release(title="Ukraine aid", tags=["ukraine"])
    body = client.get("/search/?q=aid&type=speeches&tag=ukraine").content.decode()
    assert 'class="clear-all" href="/search/?q=aid&amp;type=speeches"' in body
