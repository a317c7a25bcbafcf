"""Full-text search of releases and speeches: the one search behind `/search/` and `q`.

`search(queryset, query)` filters a queryset (already narrowed by `public()` and the
list filters) to the items matching `query`, and annotates `search_rank`; with
`snippets=True` it also annotates `search_snippet`, safe HTML with the matched words
in `<mark>`. Both backends accept the same queries: words (all must match), "quoted
phrases", `-word` to exclude and `or` between alternatives, as web search engines do.

PostgreSQL (production): each row's stored `search_document` (title weight A, summary
B, body C, `english` configuration: "summits" finds "summit"), kept current by a trigger
and GIN-indexed (migration 0004), matched with `websearch_to_tsquery` (any input is
valid, none raises a syntax error), ranked with `ts_rank` on the stored vector and
highlighted with `ts_headline`. `tests/test_search.py` proves with `EXPLAIN` that the
planner uses the index.

SQLite (development mode): the same queries answered by Python functions registered
on the connection, matching words as tokens, case- and accent-insensitively (NFC or
NFD input; "geoana" finds "Geoană") with light English suffix folding ("report" finds
"reports", "reported", "reporting"). Every row is read, so it suits development and
tests, not 100,000 items. There is no ranking: results come newest first.
"""

import html
import re
import unicodedata
from functools import lru_cache

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import (
    BooleanField,
    Expression,
    F,
    FloatField,
    Func,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.functions import Concat, Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONFIG = "english"  # also the configuration of the stored documents (migration 0004)
SNIPPET_WORDS = 35
MAX_CLAUSES = 16  # words, phrases and exclusions considered per query

# Private-use characters mark the matched words inside the database's output; they
# survive tag stripping and escaping, and only then become <mark> elements.
MARK_START, MARK_STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_STOP}]*){MARK_STOP}")
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")
_QUERY_PART = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


def search(queryset: QuerySet, query: str, *, snippets: bool = False) -> QuerySet:
    """Items of `queryset` matching `query`, annotated with `search_rank` (higher first).

    With `snippets=True`, also `search_snippet`: a short extract of the summary and body
    as safe HTML with the matched words in <mark>. Compute snippets for one page of
    results only, never for a whole result set.
    """
    query = unicodedata.normalize("NFC", query or "").translate(_QUOTES).strip()
    connection = connections[queryset.db]
    if connection.vendor == "postgresql":
        return _postgresql_search(queryset, query, snippets)
    return _fallback_search(queryset, query, snippets, connection)


class SnippetField(TextField):
    """Turns the marked text that either backend returns into safe HTML."""

    def from_db_value(self, value, expression, connection) -> SafeString:
        return _snippet_html(value)


def _snippet_html(raw: str | None) -> SafeString:
    if not raw:
        return mark_safe("")
    text = html.unescape(_TAG.sub(" ", raw))
    text = " ".join(text.split())
    marked = _MARKED.sub(r"<mark>\1</mark>", str(escape(text)))
    # Escaped just above: the only markup is the <mark> elements added here.
    return mark_safe(marked.replace(MARK_START, "").replace(MARK_STOP, ""))


def _text(value: str) -> Value:
    return Value(value, output_field=TextField())


def _escaped(field: str) -> Func:
    """A plain-text field escaped in SQL, so it can precede the HTML body in one document."""
    expression = F(field)
    for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        expression = Replace(expression, _text(character), _text(entity))
    return expression


def _snippet_document() -> Concat:
    parts = (_text("<p>"), _escaped("summary"), _text("</p> "), F("body"))
    return Concat(*parts, output_field=TextField())


# PostgreSQL -------------------------------------------------------------------------


class _StoredDocument(Expression):
    """The row's `search_document` tsvector column (PostgreSQL only, see migration 0004).

    Title (weight A), summary (B) and body (C) in the `english` configuration, kept
    current by a trigger and GIN-indexed. It is not a model field, so Django never
    loads it; this expression names it on the query's own table.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name('search_document')}", []


def _postgresql_search(queryset: QuerySet, query: str, snippets: bool) -> QuerySet:
    tsquery = SearchQuery(query, config=CONFIG, search_type="websearch")
    document = _StoredDocument()
    results = queryset.alias(search_document=document).filter(search_document=tsquery)
    results = results.annotate(search_rank=SearchRank(document, tsquery))
    if snippets:
        headline = SearchHeadline(
            _snippet_document(),
            tsquery,
            config=CONFIG,
            start_sel=MARK_START,
            stop_sel=MARK_STOP,
            max_words=SNIPPET_WORDS,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
        headline.output_field = SnippetField()
        results = results.annotate(search_snippet=headline)
    return results


# SQLite fallback --------------------------------------------------------------------


class _Matches(Func):
    function = "newsroom_search_match"
    output_field = BooleanField()


class _Snippet(Func):
    function = "newsroom_search_snippet"
    output_field = SnippetField()


def _fallback_search(queryset: QuerySet, query: str, snippets: bool, connection) -> QuerySet:
    connection.ensure_connection()
    _register_functions(connection=connection)
    terms = Value(query, output_field=TextField())
    results = queryset.filter(_Matches(F("title"), F("summary"), F("body"), terms))
    results = results.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if snippets:
        results = results.annotate(search_snippet=_Snippet(_snippet_document(), terms))
    return results


def _register_functions(*, connection, **_kwargs) -> None:
    if connection.vendor != "sqlite" or connection.connection is None:
        return
    raw = connection.connection
    raw.create_function("newsroom_search_match", 4, _sqlite_match, deterministic=True)
    raw.create_function("newsroom_search_snippet", 2, _sqlite_snippet, deterministic=True)


connection_created.connect(_register_functions, dispatch_uid="newsroom-search-functions")


def _fold(text: str) -> str:
    """Lower case without accents, so NFC and NFD spellings compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=50_000)
def _forms(token: str) -> frozenset[str]:
    """A folded word and its bare forms without a common English inflection."""
    forms = {token}
    for suffix in ("s", "es", "d", "ed", "ing"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            forms.add(token[: -len(suffix)])
    return frozenset(forms)


def _same_word(a: frozenset[str], b: frozenset[str]) -> bool:
    return not a.isdisjoint(b)


@lru_cache(maxsize=256)
def _parse(query: str) -> tuple[tuple[tuple[bool, tuple[frozenset[str], ...]], ...], ...]:
    """Alternatives (`or`), each a tuple of clauses (excluded?, word forms in order)."""
    groups: list[list] = [[]]
    clauses = 0
    for match in _QUERY_PART.finditer(query):
        negated, phrase, word = match.groups()
        if word is not None:
            if word.lower() == "or":
                groups.append([])
                continue
            negated, phrase = ("-", word[1:]) if word.startswith("-") else ("", word)
        tokens = tuple(_forms(token) for token in _WORD.findall(_fold(phrase)))
        if tokens and clauses < MAX_CLAUSES:
            groups[-1].append((bool(negated), tokens))
            clauses += 1
    return tuple(tuple(group) for group in groups if group)


def _plain_text(*parts: str | None) -> str:
    text = " ".join(html.unescape(_TAG.sub(" ", part or "")) for part in parts)
    return unicodedata.normalize("NFC", text)


def _positions(words: list[frozenset[str]], tokens: tuple[frozenset[str], ...]) -> list[int]:
    """Where the token sequence starts in `words`."""
    size = len(tokens)
    return [
        start
        for start in range(len(words) - size + 1)
        if all(_same_word(words[start + i], tokens[i]) for i in range(size))
    ]


def _group_matches(group, words: list[frozenset[str]], vocabulary: set[str]) -> bool:
    for negated, tokens in group:
        if len(tokens) == 1:
            found = not tokens[0].isdisjoint(vocabulary)
        else:
            found = bool(_positions(words, tokens))
        if found == negated:
            return False
    return True


def _sqlite_match(title, summary, body, query) -> bool:
    try:
        groups = _parse(query or "")
        if not groups:
            return False
        words = [_forms(token) for token in _WORD.findall(_fold(_plain_text(title, summary, body)))]
        vocabulary = set().union(*words) if words else set()
        return any(_group_matches(group, words, vocabulary) for group in groups)
    except Exception:  # a database function must never fail the query
        return False


def _sqlite_snippet(document, query) -> str:
    """An extract around the first match, HTML-escaped, matched words between the marks."""
    try:
        text = _plain_text(document)
        spans = [(m.start(), m.end(), _forms(_fold(m.group()))) for m in _WORD.finditer(text)]
        if not spans:
            return ""
        words = [forms for _start, _end, forms in spans]
        marked: set[int] = set()
        for group in _parse(query or ""):
            for negated, tokens in group:
                if not negated:
                    for start in _positions(words, tokens):
                        marked.update(range(start, start + len(tokens)))
        first = min(marked, default=0)
        begin = max(0, first - 8)
        end = min(len(spans), begin + SNIPPET_WORDS)
        pieces = ["… "] if begin else []
        cursor = spans[begin][0]
        for index in range(begin, end):
            start, stop, _forms_ = spans[index]
            pieces.append(html.escape(text[cursor:start]))
            word = html.escape(text[start:stop])
            pieces.append(f"{MARK_START}{word}{MARK_STOP}" if index in marked else word)
            cursor = stop
        if end < len(spans):
            pieces.append(" …")
        return "".join(pieces)
    except Exception:  # a database function must never fail the query
        return ""
