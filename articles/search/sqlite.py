"""The SQLite engine (development): Python functions registered on each connection."""

import html
import re
import unicodedata
from functools import lru_cache

from django.db.backends.signals import connection_created
from django.db.models import BooleanField, F, FloatField, Func, QuerySet, TextField, Value

from articles.search.query import ParsedQuery, parse_query
from articles.search.snippets import (
    _TAG,
    MARK_START,
    MARK_STOP,
    SNIPPET_WORDS,
    SnippetField,
    _snippet_document,
)

_WORD = re.compile(r"\w+")


class _Matches(Func):
    function = "newsroom_search_match"
    output_field = BooleanField()


class _Snippet(Func):
    function = "newsroom_search_snippet"
    output_field = SnippetField()


def _terms(parsed: ParsedQuery) -> Value:
    """The rebuilt query, which the functions below parse again (cached)."""
    return Value(parsed.websearch(), output_field=TextField())


def _fallback_search(
    queryset: QuerySet, parsed: ParsedQuery, snippets: bool, connection
) -> QuerySet:
    _register_connection(connection)
    terms = _terms(parsed)
    results = queryset.filter(_Matches(F("title"), F("summary"), F("body"), terms))
    results = results.alias(search_lead_match=Value(False, output_field=BooleanField()))
    results = results.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if snippets:
        results = results.annotate(search_snippet=_Snippet(_snippet_document(), terms))
    return results


def _register_connection(connection) -> None:
    connection.ensure_connection()
    _register_functions(connection=connection)


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
def _sqlite_groups(query: str) -> tuple[tuple[tuple[bool, tuple[frozenset[str], ...]], ...], ...]:
    """`parse_query()`'s groups as matched here: each term (excluded?, word forms in order)."""
    groups = []
    for group in parse_query(query).groups:
        terms = []
        for term in group:
            forms = (_forms(token) for word in term.words for token in _WORD.findall(_fold(word)))
            tokens = tuple(forms)
            if tokens:
                terms.append((term.excluded, tokens))
        if terms:
            groups.append(tuple(terms))
    return tuple(groups)


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
        groups = _sqlite_groups(query or "")
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
        for group in _sqlite_groups(query or ""):
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
