"""The PostgreSQL engine (production): stored vectors, `websearch_to_tsquery`, `ts_headline`."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.postgres.search import (
    SearchQuery,
    SearchVectorField,
)
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    F,
    FloatField,
    Func,
    QuerySet,
    TextField,
    Value,
    When,
)

from articles import languages
from articles.search.query import ParsedQuery
from articles.search.snippets import (
    MARK_START,
    MARK_STOP,
    SNIPPET_WORDS,
    SnippetField,
    _snippet_document,
)

# `english` and `french` with `unaccent`: each stored document is in its item's language's
# (migrations 0009, 0015); a query is asked in the configuration of the language being read.
CONFIGS = {"en": "newsroom_english", "fr": "newsroom_french"}

# The language a search is asked in when it is not the reader's: the API's `?language=fr`
# searches French items as French in an English response (`searching_in()`).
_searched_language: ContextVar[str | None] = ContextVar("searched_language", default=None)


@contextmanager
def searching_in(language: str) -> Iterator[None]:
    token = _searched_language.set(language)
    try:
        yield
    finally:
        _searched_language.reset(token)


def config() -> str:
    return CONFIGS.get(_searched_language.get() or languages.current(), CONFIGS["en"])


class _StoredVector(Expression):
    """A tsvector column of the query's own table (PostgreSQL only, migrations 0004, 0007).

    `search_document` (title A, summary B, body C) or `search_lead` (title A, summary
    B), both in the `newsroom_english` configuration (0009), kept current by a trigger
    and GIN-indexed.
    They are not model fields, so Django never loads them; this names one on the
    query's own table.
    """

    output_field = SearchVectorField()

    def __init__(self, column: str):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name(self.column)}", []


def _tsquery(parsed: ParsedQuery) -> SearchQuery:
    """`websearch_to_tsquery` of the rebuilt query, passed as a parameter."""
    return SearchQuery(parsed.websearch(), config=config(), search_type="websearch")


class _VectorMatch(Func):
    """`vector @@ query`, or whether any of several vectors matches (`… OR …`).

    Written out here rather than as lookups: the search builds these for every
    queryset of a request, and plain SQL keeps Django's per-query work small.
    """

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        *vectors, tsquery = self.get_source_expressions()
        query_sql, query_params = compiler.compile(tsquery)
        tests, params = [], []
        for vector in vectors:
            vector_sql, vector_params = compiler.compile(vector)
            tests.append(f"{vector_sql} @@ {query_sql}")
            params += [*vector_params, *query_params]
        return f"({' OR '.join(tests)})", params


class _LeadRank(Func):
    """`search_rank`: 1 + `ts_rank` over title (A) and summary (B) for a lead match, else 0."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        (lead, lead_params), (query, query_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        sql = f"CASE WHEN {lead} @@ {query} THEN ts_rank({lead}, {query})::float8 + 1 ELSE 0 END"
        return sql, (*lead_params, *query_params) * 2


def postgresql_document_match(parsed: ParsedQuery) -> _VectorMatch:
    """Whether the row's whole document matches (its index finds every match)."""
    return _VectorMatch(_StoredVector("search_document"), _tsquery(parsed))


def _postgresql_search(queryset: QuerySet, parsed: ParsedQuery, snippets: bool) -> QuerySet:
    tsquery = _tsquery(parsed)
    lead, document = _StoredVector("search_lead"), _StoredVector("search_document")
    if parsed.excludes:
        # "-word": the lead may match while the body holds the excluded word.
        matches = _VectorMatch(document, tsquery)
    else:
        # The lead starts the document, positions included: a lead match is a match.
        # Said explicitly, so that the best matches never need the long document.
        matches = _VectorMatch(lead, document, tsquery)
    results = queryset.filter(matches).alias(search_lead_match=_VectorMatch(lead, tsquery))
    results = results.annotate(search_rank=_LeadRank(lead, tsquery))
    if snippets:
        results = results.annotate(search_snippet=_headline(tsquery))
    return results


# ts_headline's options: constant, so written once rather than quoted per query.
_HEADLINE_OPTIONS = ", ".join(
    f"{option}={value}"
    for option, value in {
        "StartSel": f"'{MARK_START}'",
        "StopSel": f"'{MARK_STOP}'",
        "MaxWords": SNIPPET_WORDS,
        "MinWords": 15,
        "MaxFragments": 2,
        "FragmentDelimiter": "' … '",
    }.items()
)


class _Headline(Func):
    """`ts_headline` in the reader's language's configuration with the options above."""

    function = "ts_headline"
    template = "%(function)s(%%s::regconfig, %(expressions)s, %%s)"
    output_field = SnippetField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return sql, (config(), *params, _HEADLINE_OPTIONS)


def _text(value: str) -> Value:
    return Value(value, output_field=TextField())


def _headline(tsquery: SearchQuery) -> _Headline:
    """The snippet of a row: from its summary for the best matches.

    `ts_headline` parses all the text it is given, about 0.3 ms for an average summary
    and body: most of a page's SQL time. A best match has the words in its title and
    summary, so its summary (marked) is its snippet; other matches are found in the body.
    """
    body = Case(
        When(_VectorMatch(_StoredVector("search_lead"), tsquery), then=_text("")),
        default=F("body"),
        output_field=TextField(),
    )
    return _Headline(_snippet_document(body), tsquery)
