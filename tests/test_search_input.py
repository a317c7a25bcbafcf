"""Search input is parsed, not passed through (articles.search.parse_query).

`q` becomes a bounded structure of terms (words, "quoted phrases", `-` exclusions, `or`
groups) before any database sees it: both backends read that structure, PostgreSQL as
a web search string rebuilt from it. Reproduced before: `q` of 33 or more hyphens (or
`- - -`, `-(-(`) made PostgreSQL's `websearch_to_tsquery` fail with "tsquery stack too
small", a 500 on the search page, the lists and the feeds. CI runs this module on
SQLite and on PostgreSQL.
"""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.filters import MAX_QUERY_LENGTH
from articles.models import Release, Speech
from articles.search import (
    MAX_PHRASE_WORDS,
    MAX_TERMS,
    ParsedQuery,
    Term,
    count_matches,
    parse_query,
    search,
    with_snippets,
)
from articles.search.sqlite import _fts5_query
from tests.factories import make_release, make_speech

ON_POSTGRESQL = connection.vendor == "postgresql"

SEARCH_URL = "/search/"
LIST_URLS = ["/releases/", "/speeches/"]
FEED_URLS = [
    "/feeds/releases/",
    "/feeds/releases/atom/",
    "/feeds/speeches/",
    "/feeds/speeches/atom/",
]
URLS = [SEARCH_URL, *LIST_URLS, *FEED_URLS]


def words(*terms: str) -> ParsedQuery:
    """One group of plain (not excluded) one-word terms."""
    return ParsedQuery((tuple(Term((term,)) for term in terms),))


@pytest.fixture(autouse=True)
def _uncached_pages(settings):
    """Each request runs its search: the page cache would answer repeated queries."""
    settings.NEWSROOM_PAGE_CACHE = False


@pytest.fixture
def walruses(db):
    make_release(title="Walrus census in the Arctic", summary="Counting walruses.")
    make_speech(title="Remarks on the walrus", body="<p>The walrus and the Arctic.</p>")


# The parser -------------------------------------------------------------------------


def test_words_must_all_match_in_one_group():
    assert parse_query("summit vilnius") == words("summit", "vilnius")
    assert parse_query("  summit   vilnius  ").websearch() == "summit vilnius"


def test_quoted_phrases_keep_their_words_in_order():
    parsed = parse_query('"annual report" exercise')
    assert parsed.groups == ((Term(("annual", "report")), Term(("exercise",))),)
    assert parse_query("“annual report”") == parse_query('"annual report"')
    assert parsed.websearch() == '"annual report" exercise'


def test_minus_excludes_a_word_or_a_phrase():
    parsed = parse_query('exercise -poland -"cold war"')
    assert parsed.groups == (
        (
            Term(("exercise",)),
            Term(("poland",), excluded=True),
            Term(("cold", "war"), excluded=True),
        ),
    )
    assert parsed.excludes
    assert parsed.websearch() == 'exercise -poland -"cold war"'
    assert parse_query("--poland") == parse_query("-poland")  # one exclusion, however typed


def test_a_hyphen_inside_a_word_is_part_of_the_word():
    assert parse_query("nato-ukraine council") == words("nato-ukraine", "council")
    assert not parse_query("nato-ukraine covid-19").excludes


def test_or_separates_alternatives_in_any_case():
    parsed = parse_query('norway OR "north sea" or -poland')
    assert parsed.groups == (
        (Term(("norway",)),),
        (Term(("north", "sea")),),
        (Term(("poland",), excluded=True),),
    )
    assert parsed.websearch() == 'norway or "north sea" or -poland'


def test_or_with_nothing_on_one_side_is_dropped():
    assert parse_query("or walrus or") == words("walrus")
    assert parse_query("walrus or or or seal").groups == ((Term(("walrus",)),), (Term(("seal",)),))
    assert not parse_query("or or or")


def test_or_inside_a_phrase_is_a_word():
    assert parse_query('"war or peace"').groups == ((Term(("war", "or", "peace")),),)


def test_a_word_that_postgresql_could_read_as_or_is_quoted():
    """websearch_to_tsquery reads "or." after a word as `or`; quoted, it cannot."""
    parsed = parse_query("walrus or. seal")
    assert parsed == words("walrus", "or.", "seal")
    assert parsed.websearch() == 'walrus "or." seal'
    assert parse_query("walrus order ore-mining").websearch() == "walrus order ore-mining"


@pytest.mark.parametrize(
    "query",
    [
        "-" * 33,
        "-" * 40,
        "-" * 200,
        "- " * 40,
        "-(" * 40,
        "(-" * 40,
        "-)" * 40,
        '-"' * 40,
        '"-' * 40,
        "!" * 200,
        "&|!():*<>" * 10,
        "or - or - or -",
        '"" "" ""',
        "... ,,, ;;; ---",
        "<-> :* ::",
        "\u200b\u200d\ufeff",
        "🦭🦭🦭",
    ],
)
def test_operators_and_punctuation_alone_parse_to_nothing(query):
    parsed = parse_query(query)
    assert not parsed
    assert parsed.groups == ()
    assert parsed.websearch() == ""


def test_a_hyphen_flood_around_words_keeps_only_the_words():
    assert parse_query("- " * 40 + "walrus") == words("walrus")
    assert parse_query("-(" * 40 + " walrus " + ")-" * 40) == words("walrus")
    assert parse_query("-" * 40 + "walrus").groups == ((Term(("walrus",), excluded=True),),)


def test_unbalanced_quotes_and_parentheses():
    # An unclosed quote runs to the end, as in websearch_to_tsquery.
    assert parse_query('walrus "annual report').groups == (
        (Term(("walrus",)), Term(("annual", "report"))),
    )
    assert parse_query('"a b" "c').groups == ((Term(("a", "b")), Term(("c",))),)
    assert parse_query("((walrus (seal") == words("walrus", "seal")
    assert parse_query(")))walrus(((") == words("walrus")
    assert parse_query('"') == ParsedQuery()


def test_operator_characters_separate_words():
    assert parse_query("a&b|c!d") == words("a", "b", "c", "d")
    assert parse_query("foo:* bar") == words("foo", "bar")
    assert parse_query("foo:A <2>") == words("foo", "A", "2>")  # as PostgreSQL reads them
    assert parse_query("(walrus)") == words("walrus")


def test_control_and_format_characters_are_spaces():
    assert parse_query("walrus\x00seal") == words("walrus", "seal")
    assert parse_query("walrus\u200bseal\u2028arctic") == words("walrus", "seal", "arctic")


def test_words_keep_letters_digits_and_inner_punctuation():
    assert parse_query("U.S. 5.5% Geoană") == words("U.S.", "5.5%", "Geoană")


def test_the_number_of_terms_is_capped():
    assert MAX_TERMS == 16
    parsed = parse_query(" ".join(f"w{n}" for n in range(40)))
    assert parsed == words(*(f"w{n}" for n in range(MAX_TERMS)))
    excluded = parse_query(" ".join(f"-w{n} or" for n in range(40)))
    assert len(excluded.terms) == MAX_TERMS
    assert len(excluded.groups) == MAX_TERMS  # so at most 15 `or` between them


def test_a_phrase_keeps_its_first_words():
    phrase = parse_query('"' + " ".join(f"w{n}" for n in range(50)) + '"')
    assert phrase.groups == ((Term(tuple(f"w{n}" for n in range(MAX_PHRASE_WORDS))),),)


def test_input_is_normalised_to_nfc():
    assert parse_query("Geoana\u0306") == words("Geoană")


def test_empty_input():
    for query in (None, "", "   "):
        assert not parse_query(query)


text_queries = st.one_of(
    st.text(max_size=250),
    st.lists(
        st.sampled_from(
            list("-\"()|&!:*<>' .,\\_²“”") + ["or", "OR", "Or", "-", "--", "a", "walrus", "é"]
        ),
        max_size=120,
    ).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(query=text_queries)
def test_parsing_is_bounded_and_the_rebuilt_query_reads_back_the_same(query):
    parsed = parse_query(query)
    assert len(parsed.terms) <= MAX_TERMS
    assert all(0 < len(term.words) <= MAX_PHRASE_WORDS for term in parsed.terms)
    assert all(group for group in parsed.groups)
    rebuilt = parsed.websearch()
    assert parse_query(rebuilt) == parsed
    for character in "!&|()<:\x00":  # what websearch_to_tsquery reads as operators
        assert character not in rebuilt


# Over HTTP: the reproduced 500s ------------------------------------------------------

FLOODS = ["-" * 33, "-" * 40, "- " * 40, "-(" * 40, "(-" * 40, '-"' * 40, "-" * 200, "!-" * 100]


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("query", FLOODS)
def test_hyphen_floods_are_answered_with_a_page_not_a_500(client, walruses, url, query):
    response = client.get(url, {"q": query})
    assert response.status_code == HTTPStatus.OK, (url, query)


@pytest.mark.django_db
@pytest.mark.parametrize("query", FLOODS)
def test_a_query_of_operators_alone_finds_nothing(client, walruses, query):
    response = client.get(SEARCH_URL, {"q": query})
    assert response.status_code == HTTPStatus.OK
    assert list(response.context["results"]) == []
    assert "Nothing matches" in response.content.decode()
    listed = client.get("/releases/", {"q": query}).content.decode()
    assert "Walrus census" not in listed


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_words_amid_a_flood_are_still_found(client, walruses, url):
    query = "- " * 40 + "walrus " + "-(" * 30
    response = client.get(url, {"q": query})
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "Walrus census" in body or "Remarks on the walrus" in body


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_a_query_over_200_characters_is_the_documented_400(client, url):
    response = client.get(url, {"q": "-" * (MAX_QUERY_LENGTH + 1)})
    assert response.status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.django_db
def test_the_database_never_sees_the_raw_operators(client, walruses):
    query = "walrus " + "-(" * 40 + " -seal " + "-" * 60
    with CaptureQueriesContext(connection) as captured:
        for url in URLS:
            assert client.get(url, {"q": query}).status_code == HTTPStatus.OK
    sql = "\n".join(entry["sql"] for entry in captured.captured_queries)
    rebuilt = "walrus -seal" if ON_POSTGRESQL else '(("walrus") NOT "seal")'
    assert rebuilt in sql  # the rebuilt query, a parameter
    assert "-(" not in sql and "---" not in sql


def test_fts5_reads_every_word_as_a_quoted_string():
    """SQLite: FTS5 syntax typed by a reader (`*`, `^`, `NEAR`, `col:`, `AND`) is text."""
    parsed = parse_query('nato* ^start NEAR(a b) title:x AND "say ""no"""')
    assert _fts5_query(parsed) == (
        '("nato*" AND "^start" AND "NEAR" AND "a" AND "b" AND "title" AND "x" AND "AND"'
        ' AND "say" AND "no")'
    )
    assert _fts5_query(parse_query("-nato")) == ""  # FTS5 has no "everything but"
    assert _fts5_query(parse_query("a or b -c"), "title") == '{title} : (("a") OR (("b") NOT "c"))'


@pytest.mark.django_db
def test_more_terms_than_the_cap_still_answer(client, walruses):
    query = " ".join(["walrus"] + [f"-w{n}" for n in range(40)])[:MAX_QUERY_LENGTH]
    response = client.get(SEARCH_URL, {"q": query})
    assert response.status_code == HTTPStatus.OK
    assert len(response.context["results"]) == 2  # the excluded words are in no item


# Property-based: arbitrary `q` to the search page, the lists and the feeds ------------

PUNCTUATION_HEAVY = st.lists(
    st.one_of(
        st.sampled_from(list("-\"()|&!:*<>' ") + [" or ", " OR ", "-(", '-"', "<->", ":*"]),
        st.sampled_from(["walrus", "arctic", "Geoană", "NATO-Ukraine", "ß", "Ж", "中文", "é"]),
        st.characters(exclude_categories=("Cc", "Cs")),
    ),
    max_size=120,
).map("".join)
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=230)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(url=st.sampled_from(URLS), query=st.one_of(PUNCTUATION_HEAVY, ANY_TEXT))
@pytest.mark.django_db
def test_any_q_gets_a_page_or_a_400_never_a_500(client, walruses, url, query):
    response = client.get(url, {"q": query})
    assert response.status_code in {HTTPStatus.OK, HTTPStatus.BAD_REQUEST}, (url, query)
    too_long = len(query.strip()) > MAX_QUERY_LENGTH
    control = any(ord(c) < 32 and c not in "\t\n\r" or c == "\x7f" for c in query)
    if not (too_long or control):
        assert response.status_code == HTTPStatus.OK, (url, query)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.one_of(PUNCTUATION_HEAVY, st.text(max_size=300)))
@pytest.mark.django_db
def test_search_itself_accepts_any_text(walruses, query):
    """`search()` and `with_snippets()` directly: past the forms' length limit, and with
    control characters (NUL included), which the parser reads as spaces."""
    releases = search(Release.objects.public(), query, snippets=True)
    speeches = search(Speech.objects.public(), query)
    found = list(releases) + list(speeches)
    assert count_matches([releases, speeches]).total == len(found)
    assert len(list(with_snippets(Release.objects.public(), query))) == Release.objects.count()


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRESQL, reason="websearch_to_tsquery is PostgreSQL's")
@pytest.mark.django_db
@settings(max_examples=150, deadline=None)
@given(query=st.one_of(PUNCTUATION_HEAVY, st.text(max_size=200)))
def test_postgresql_reads_the_rebuilt_query_as_the_parsed_terms(query):
    """websearch_to_tsquery(rebuilt) is exactly the tsquery built from the terms.

    Built the other way with functions that take plain text (`phraseto_tsquery` for
    each term, `!!`, `&&`, `||`): so PostgreSQL reads no operator the parser did not.
    """
    parsed = parse_query(query)
    if not parsed:
        return
    built, params = [], []
    for group in parsed.groups:
        parts = []
        for term in group:
            params.append(" ".join(term.words))
            part = "phraseto_tsquery('english', %s)"
            parts.append(f"(!! {part})" if term.excluded else part)
        built.append("(" + " && ".join(parts) + ")")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT websearch_to_tsquery('english', %s)::text, ({' || '.join(built)})::text",
            [parsed.websearch(), *params],
        )
        rebuilt, expected = cursor.fetchone()
    assert rebuilt == expected, (query, parsed.websearch())
