"""Full-text search of releases and speeches: the one search behind `/search/` and `q`.

`search(queryset, query)` filters a queryset (already narrowed by `public()` and the
list filters) to the items matching `query`, and annotates `search_rank`; with
`snippets=True` it also annotates `search_snippet`, safe HTML with the matched words
in `<mark>` (`with_snippets()` does only that, for rows known to match). Both backends
accept the same queries: words (all must match), "quoted phrases", `-word` to exclude
and `or` between alternatives, as web search engines do.

Order: best matches first, then newest. On PostgreSQL the best matches are the items
whose title and summary match the query by themselves; they come first, ranked by
`ts_rank` over title (weight A) and summary (B), so a title match outranks a summary
match. Every other match (found only with the body) comes after them, newest first:
`search_rank` is 0 for those, and 1 + the title-and-summary rank for the best ones.
This changed in issue 7. Before, every match was ranked by its whole document, so
among body-only matches the one using the words most often came first; ranking that
way read each match's long document (600 ms for a query matching a third of 100,000
items). Now only the small lead vector of the best matches is read, and a page needs
none of the other matches beyond its own rows. The snippet of a best match is its
summary with the words marked; other matches get an extract of the body.

The search page (`count_matches()`, `ranked_rows()`) builds on that: at most
`MAX_RESULTS` results are counted and listed (50 pages), as many site searches do, and
the rest is reached with the filters. Counting every match of a common query would read
a third of the archive for each request; past the cap the page says "more than".

PostgreSQL (production): each row's stored `search_document` (title weight A, summary
B, body C, `english` configuration: "summits" finds "summit") and `search_lead` (title
and summary only, the same start), kept current by a trigger and GIN-indexed
(migrations 0004 and 0007; `newsroom_english` since 0009), matched with
`websearch_to_tsquery` of the rebuilt query and highlighted with `ts_headline`.
`tests/test_search_engine.py` proves with `EXPLAIN` that the planner uses the indexes.

Both backends read the query through one parser, `parse_query()`: the raw `q` becomes
a bounded `ParsedQuery` (at most `MAX_TERMS` words or quoted phrases, each maybe
excluded, in `or` groups); stray operators and punctuation are dropped. PostgreSQL is
given a clean web search string rebuilt from it (`ParsedQuery.websearch()`), never the
raw input: `websearch_to_tsquery` accepts any syntax, but 33 hyphens in a row overflowed
its 32-deep operator stack ("tsquery stack too small", a 500). A query that parses to
nothing (only punctuation) matches nothing, without asking the database.

SQLite: an FTS5 index of the same text (migration 0009, `fts5.py`), kept current by
triggers, with the same query language: every word and phrase is quoted for FTS5, so
nothing typed is read as its syntax. Case- and accent-insensitive (NFC or NFD input;
"geoana" finds "Geoană") with English (Porter) stemming. The same best matches come
first: title matches, then summary matches, then the others newest first (see
`sqlite.py` for why tiers rather than bm25). A query of exclusions only ("-nato")
matches nothing on SQLite, and everything without the word on PostgreSQL.

Both engines fold accents: PostgreSQL through the `newsroom_english` configuration
(`english` with `unaccent`, migration 0009), SQLite through its tokenizer;
`tests/test_search_parity.py` runs the same queries on both against the seed archive.

The package: this module is the public API, `search()`, `matching()` and
`with_snippets()`, which pick the engine by `connection.vendor`, and re-exports what
other code imports from `articles.search`. `query.py` is the query language
(`parse_query()`); `paging.py` counts and pages the search page (`count_matches()`,
`ranked_rows()`, `MAX_RESULTS`); `postgresql.py` and `sqlite.py` are the two engines;
`snippets.py` is what both engines' snippets share (the marks, the summary-then-body
text, `SnippetField`); `page.py` is the search page's data (`search_context()`), `q`
read once.
"""

from django.db import connections
from django.db.models import BooleanField, FloatField, Q, QuerySet, Value

from articles.search.paging import MAX_RESULTS, MatchCount, count_matches, ranked_rows, union_all
from articles.search.postgresql import (
    _headline,
    _postgresql_search,
    _tsquery,
    postgresql_document_match,
)
from articles.search.query import MAX_PHRASE_WORDS, MAX_TERMS, ParsedQuery, Term, parse_query
from articles.search.snippets import SnippetField
from articles.search.sqlite import sqlite_matching, sqlite_search, sqlite_snippets

__all__ = [
    "MAX_PHRASE_WORDS",
    "MAX_RESULTS",
    "MAX_TERMS",
    "MatchCount",
    "ParsedQuery",
    "Term",
    "count_matches",
    "matching",
    "parse_query",
    "ranked_rows",
    "search",
    "union_all",
    "with_snippets",
]


def search(queryset: QuerySet, query: str, *, snippets: bool = False) -> QuerySet:
    """Items of `queryset` matching `query`, annotated with `search_rank` (higher first).

    `search_rank` is 0 for matches found only with the body and 1 + a relevance rank
    for the best matches (title and summary, see the module docstring); order by it,
    then newest first. With `snippets=True`, also `search_snippet`: a short extract of
    the summary and body as safe HTML with the matched words in <mark>. Compute
    snippets for one page of results only, never for a whole result set.
    """
    parsed = parse_query(query)
    if not parsed:  # only punctuation or operators: nothing to look for
        return _no_match(queryset, snippets)
    connection = connections[queryset.db]
    if connection.vendor == "postgresql":
        return _postgresql_search(queryset, parsed, snippets)
    results = sqlite_search(queryset, parsed, snippets)
    return _no_match(queryset, snippets) if results is None else results


def matching(model, query: str) -> Q | None:
    """The condition "this row matches `query`", to combine with others in a filter of
    `model`'s rows (the admin's search box ORs it with names and slugs), without the
    ranking of `search()`; None when nothing can match.

    On SQLite each row is tested against the set of matches (`+id IN`), so an ordered
    list stops after a page of them rather than collecting them all. On PostgreSQL the
    matches are collected from the document's GIN index (`id IN (…)`, hashed; the lead
    is part of the document): testing each row's stored vectors instead read every
    row's document for a rare word (220 ms at 100,000 items against 20).
    """
    parsed = parse_query(query)
    if not parsed:
        return None
    if connections[model.objects.db].vendor == "postgresql":
        rows = model._default_manager.order_by().filter(postgresql_document_match(parsed))
        return Q(pk__in=rows.values("pk"))
    condition = sqlite_matching(parsed)
    return None if condition is None else Q(condition)


def with_snippets(queryset: QuerySet, query: str) -> QuerySet:
    """`queryset` annotated with `search_snippet` only: for rows already known to match."""
    parsed = parse_query(query)
    if not parsed:
        return queryset.annotate(search_snippet=Value("", output_field=SnippetField()))
    connection = connections[queryset.db]
    if connection.vendor == "postgresql":
        return queryset.annotate(search_snippet=_headline(_tsquery(parsed)))
    return sqlite_snippets(queryset, parsed)


def _no_match(queryset: QuerySet, snippets: bool) -> QuerySet:
    """No rows, with the annotations of `search()` (the lists and the page order by them)."""
    results = queryset.none().alias(search_lead_match=Value(False, output_field=BooleanField()))
    results = results.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if snippets:
        results = results.annotate(search_snippet=Value("", output_field=SnippetField()))
    return results
