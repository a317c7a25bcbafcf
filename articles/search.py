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
(migrations 0004 and 0007), matched with `websearch_to_tsquery` of the rebuilt query
and highlighted with `ts_headline`.
`tests/test_search.py` proves with `EXPLAIN` that the planner uses the indexes.

Both backends read the query through one parser, `parse_query()`: the raw `q` becomes
a bounded `ParsedQuery` (at most `MAX_TERMS` words or quoted phrases, each maybe
excluded, in `or` groups); stray operators and punctuation are dropped. PostgreSQL is
given a clean web search string rebuilt from it (`ParsedQuery.websearch()`), never the
raw input: `websearch_to_tsquery` accepts any syntax, but 33 hyphens in a row overflowed
its 32-deep operator stack ("tsquery stack too small", a 500). A query that parses to
nothing (only punctuation) matches nothing, without asking the database.

SQLite (development mode): the same queries answered by Python functions registered
on the connection, matching words as tokens, case- and accent-insensitively (NFC or
NFD input; "geoana" finds "Geoană") with light English suffix folding ("report" finds
"reports", "reported", "reporting"). Every row is read, so it suits development and
tests, not 100,000 items. There is no ranking: results come newest first.
"""

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.postgres.search import (
    SearchQuery,
    SearchVectorField,
)
from django.db import connections
from django.db.backends.signals import connection_created
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
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONFIG = "english"  # also the configuration of the stored documents (migration 0004)
SNIPPET_WORDS = 35
# The bound on what a query sends to the database (`parse_query()`): its first 16 words
# or "quoted phrases", each maybe excluded with `-`, in `or` groups; the rest of the
# query is ignored. Whatever is typed, websearch_to_tsquery then reads at most 16 terms,
# 15 `or`/and between them and 16 `-`. Raw, a `q` of 200 characters could hold 200
# operators, and 33 hyphens in a row overflowed its 32-deep operator stack (a 500).
MAX_TERMS = 16
MAX_PHRASE_WORDS = 32  # words read from one quoted phrase; the phrase's start is matched
MAX_RESULTS = 1_000  # results the search page counts and lists (50 pages of 20)

# Private-use characters mark the matched words inside the database's output; they
# survive tag stripping and escaping, and only then become <mark> elements.
MARK_START, MARK_STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_STOP}]*){MARK_STOP}")
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")


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
    return _fallback_search(queryset, parsed, snippets, connection)


def with_snippets(queryset: QuerySet, query: str) -> QuerySet:
    """`queryset` annotated with `search_snippet` only: for rows already known to match."""
    parsed = parse_query(query)
    if not parsed:
        return queryset.annotate(search_snippet=Value("", output_field=SnippetField()))
    connection = connections[queryset.db]
    if connection.vendor == "postgresql":
        return queryset.annotate(search_snippet=_headline(_tsquery(parsed)))
    _register_connection(connection)
    return queryset.annotate(search_snippet=_Snippet(_snippet_document(), _terms(parsed)))


def _no_match(queryset: QuerySet, snippets: bool) -> QuerySet:
    """No rows, with the annotations of `search()` (the lists and the page order by them)."""
    results = queryset.none().alias(search_lead_match=Value(False, output_field=BooleanField()))
    results = results.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if snippets:
        results = results.annotate(search_snippet=Value("", output_field=SnippetField()))
    return results


# The query language: one parser for both backends ---------------------------------------


@dataclass(frozen=True)
class Term:
    """A word or a "quoted phrase" (its words in order), maybe excluded with `-`."""

    words: tuple[str, ...]
    excluded: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """A query as `parse_query()` reads it: alternatives (`or`), each a group of terms.

    A row matches when it matches every term of one group (an excluded term: when it
    does not hold it). At most `MAX_TERMS` terms in all; no group is empty.
    """

    groups: tuple[tuple[Term, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def terms(self) -> tuple[Term, ...]:
        return tuple(term for group in self.groups for term in group)

    @property
    def excludes(self) -> bool:
        return any(term.excluded for term in self.terms)

    def websearch(self) -> str:
        """The query rebuilt for `websearch_to_tsquery`, read back by `parse_query()` as is.

        Words joined by spaces, `-` before an excluded term, quotes around a phrase and
        ` or ` between groups: nothing else, so PostgreSQL reads the same bounded terms.
        """
        groups = (" ".join(_websearch_term(term) for term in group) for group in self.groups)
        return " or ".join(groups)


# Quotes as typed on phones and in other languages count as straight quotes.
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
# A term: hyphens (exclusion), then a "quoted phrase" (an unclosed one runs to the end,
# as in websearch_to_tsquery) or a word. A word stops at space and at the characters
# websearch_to_tsquery reads as operators (`!&|()<`) or as the end of a word (`"`, `:`);
# those only separate terms.
_TERM = re.compile(r'(-*)(?:"([^"]*)"?|([^\s"!&|()<:]+))')
# A word of a phrase: leading hyphens are no exclusion there (nor for PostgreSQL).
_PHRASE_WORD = re.compile(r'-*([^\s"!&|()<:-][^\s"!&|()<:]*)')


@lru_cache(maxsize=256)
def parse_query(query: str | None) -> ParsedQuery:
    """The terms of a raw `q`: words, "quoted phrases", `-` exclusions and `or` groups.

    The query language of the README, read the way `websearch_to_tsquery` reads it,
    with everything else dropped: hyphens or quotes with no word, operator characters,
    punctuation alone, control and format characters (read as spaces), `or` with
    nothing on one side. A word is kept as typed (`nato-ukraine`, `U.S.`) when it holds
    a letter or digit. Only the first `MAX_TERMS` terms count, and a phrase's first
    `MAX_PHRASE_WORDS` words. Typographic quotes are quotes; input is NFC-normalised.
    """
    text = unicodedata.normalize("NFC", query or "").translate(_QUOTES)
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    groups: list[list[Term]] = [[]]
    count = 0
    for match in _TERM.finditer(text):
        hyphens, phrase, word = match.groups()
        if phrase is not None:
            words = tuple(_PHRASE_WORD.findall(phrase))
        elif not hyphens and word.lower() == "or":
            groups.append([])
            continue
        else:
            words = (word,)
        words = tuple(word for word in words if _has_letter_or_digit(word))[:MAX_PHRASE_WORDS]
        if not words:
            continue  # e.g. "-", "...", '""', "-(": stray punctuation
        groups[-1].append(Term(words, excluded=bool(hyphens)))
        count += 1
        if count == MAX_TERMS:
            break
    return ParsedQuery(tuple(tuple(group) for group in groups if group))


def _has_letter_or_digit(word: str) -> bool:
    return any(c.isalnum() for c in word)


def _websearch_term(term: Term) -> str:
    text = " ".join(term.words)
    if len(term.words) > 1 or _reads_as_or(text):
        text = f'"{text}"'  # in quotes, websearch_to_tsquery reads no `or`
    return f"-{text}" if term.excluded else text


def _reads_as_or(word: str) -> bool:
    """Whether websearch_to_tsquery might read the start of `word` as `or` ("or.", "or²").

    It does when "or" is followed by anything but a letter, digit, `-` or `_`; which
    characters are letters depends on the database's locale, so any non-ASCII one counts.
    """
    if word[:2].lower() != "or":
        return False
    if len(word) == 2:
        return True
    follower = word[2]
    return not (follower.isascii() and (follower.isalnum() or follower in "-_"))


# The search page: best matches first, at most MAX_RESULTS -----------------------------


@dataclass(frozen=True)
class MatchCount:
    """Matches of a search, each figure counted up to `MAX_RESULTS` + 1."""

    best: int  # best matches (title and summary): listed first
    total: int  # all matches

    @property
    def capped(self) -> bool:
        """More matches than the page lists: say "more than", suggest the filters."""
        return self.total > MAX_RESULTS

    @property
    def listed(self) -> int:
        return min(self.total, MAX_RESULTS)


def count_matches(querysets: Sequence[QuerySet]) -> MatchCount:
    """One query counts the best and all matches of `search()`ed querysets, up to the cap.

    All matches are counted only when the best ones do not already pass the cap, so a
    common query stops after MAX_RESULTS + 1 small rows; PostgreSQL evaluates the second
    count (an InitPlan) only when the CASE needs it.
    """
    querysets = [qs for qs in querysets if not qs.query.is_empty()]  # e.g. an unknown tag
    if not querysets:
        return MatchCount(0, 0)
    db = querysets[0].db
    over = MAX_RESULTS + 1
    # Each part limited too: besides stopping early, a LIMIT under the UNION keeps
    # PostgreSQL from a parallel plan, whose workers cost more than these small counts.
    limit = (
        slice(over)
        if connections[db].features.supports_slicing_ordering_in_compound
        else slice(None)
    )
    best_sql, best_params = _union_sql(
        [_best(qs).order_by().values("pk")[limit] for qs in querysets]
    )
    all_sql, all_params = _union_sql([qs.order_by().values("pk")[limit] for qs in querysets])
    sql = (
        "SELECT best_count.n, CASE WHEN best_count.n >= %s THEN best_count.n ELSE"
        f" (SELECT COUNT(*) FROM (SELECT 1 FROM ({all_sql}) m LIMIT %s) matched) END"
        f" FROM (SELECT COUNT(*) AS n FROM (SELECT 1 FROM ({best_sql}) b LIMIT %s) best) best_count"
    )
    with connections[db].cursor() as cursor:
        cursor.execute(sql, (over, *all_params, over, *best_params, over))
        best, total = cursor.fetchone()
    return MatchCount(best=best, total=max(best, total))


def ranked_rows(
    rows: Sequence[QuerySet], order: Sequence[str], index: slice, count: MatchCount | None
) -> list[dict]:
    """One page of a UNION of `search()`ed row querysets (`.values()`), best first.

    `order` starts with "-search_rank" and goes on newest first, in the same direction
    as each model's own `Meta.ordering`. On PostgreSQL each model contributes its best
    matches (ranked: only the small lead vector is read) and, only when the page
    reaches past them (`count` from `count_matches()`), its other matches in the
    order of its public order index: LIMIT stops that scan after the page's rows, so a
    page never ranks or reads the whole result set. SQLite, which cannot limit the
    parts of a UNION, ranks nothing anyway: the plain UNION, newest first.
    """
    stop = index.stop
    if not rows or (stop is not None and stop <= (index.start or 0)):
        return []  # no results: Paginator asks for [0:0]
    if stop is None or not connections[rows[0].db].features.supports_slicing_ordering_in_compound:
        return list(union_all(rows).order_by(*order)[index])
    parts = []  # (rows, their own order, in the direction of `order`)
    for queryset in rows:
        parts.append((_best(queryset), order))
        if count is None or stop > count.best:
            others = queryset.filter(search_lead_match=False)
            parts.append((others, queryset.model._meta.ordering))
    if len(parts) == 1:
        [(part, part_order)] = parts
        return list(part.order_by(*part_order)[index])
    limited = [part.order_by(*part_order)[:stop] for part, part_order in parts]
    return list(union_all(limited).order_by(*order)[index])


def _best(queryset: QuerySet) -> QuerySet:
    return queryset.filter(search_lead_match=True)


def union_all(querysets: Sequence[QuerySet]) -> QuerySet:
    """The querysets as one UNION ALL (rows that line up), or the single one alone."""
    first, *rest = querysets
    return first.union(*rest, all=True) if rest else first


def _union_sql(querysets: Sequence[QuerySet]) -> tuple[str, tuple]:
    combined = union_all(querysets)
    sql, params = combined.query.get_compiler(combined.db).as_sql()
    return sql, tuple(params)


# Snippets -----------------------------------------------------------------------------


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


class _SnippetText(Func):
    """The text a snippet is taken from: the summary, escaped, then the HTML body.

    One SQL expression, `'<p>' || <summary with & < > escaped> || '</p> ' || <body>`,
    valid on both backends (the plain-text summary can then precede the HTML body).
    """

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        (summary, summary_params), (body, body_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        escaped = f"COALESCE({summary}, '')"
        for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
            escaped = f"REPLACE({escaped}, '{character}', '{entity}')"
        sql = f"('<p>' || {escaped} || '</p> ' || COALESCE({body}, ''))"
        return sql, (*summary_params, *body_params)


def _snippet_document(body: Expression | None = None) -> _SnippetText:
    return _SnippetText(F("summary"), body or F("body"))


# PostgreSQL -------------------------------------------------------------------------


class _StoredVector(Expression):
    """A tsvector column of the query's own table (PostgreSQL only, migrations 0004, 0007).

    `search_document` (title A, summary B, body C) or `search_lead` (title A, summary
    B), both in the `english` configuration, kept current by a trigger and GIN-indexed.
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
    return SearchQuery(parsed.websearch(), config=CONFIG, search_type="websearch")


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
    """`ts_headline` in the `english` configuration with the options above."""

    function = "ts_headline"
    template = f"%(function)s('{CONFIG}'::regconfig, %(expressions)s, %%s)"
    output_field = SnippetField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return sql, (*params, _HEADLINE_OPTIONS)


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


# SQLite fallback --------------------------------------------------------------------


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
