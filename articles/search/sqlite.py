"""The SQLite engine: the FTS5 index of migration 0009 (see `fts5.py`).

A query becomes an FTS5 expression in which every word and phrase is a quoted string
(`_fts5_query()`), so nothing a reader types is read as FTS5 syntax (`*`, `:`, `^`,
`NEAR`, column names, a stray `"`). Matching is FTS5's: its `porter unicode61
remove_diacritics 2` tokenizer is case- and accent-insensitive and stems English.

Rows are matched with `+id IN (SELECT rowid FROM <index> WHERE <index> MATCH ...)`: the
`+` keeps SQLite walking the public order index and testing each row against the set of
matches, which stops after a page of newest rows (the alternative plan, a lookup for
every match then a sort, took 65 ms instead of 12 for 24,000 matches of 60,000 rows).

Ranking, like PostgreSQL's: the best matches are the rows whose title and summary match
by themselves; among them a title match ranks above a summary match (`search_rank` 2,
then 1); every other match has 0 and comes newest first. Measured at 100,000 items, a
bm25 rank of every match ("cyber defence": 24,000 rows) cost 120 ms a page, of the best
matches alone 20 ms through a join the ORM cannot express. The search page reads the
best matches as two tiers (`best_tiers()`), each in the public order, so no rank is
sorted; the SQL leaves out the lookups a lead match implies (a query without
exclusions). Snippets are FTS5's own `snippet()`, of the summary when it matches, else
of the body, for the rows of one page.
"""

import hashlib
import html
import unicodedata

from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import (
    BooleanField,
    Expression,
    F,
    FloatField,
    Func,
    QuerySet,
    Value,
)

from articles.cache import cached_public
from articles.search.fts5 import TEXT_FUNCTION
from articles.search.query import ParsedQuery, Term
from articles.search.snippets import (
    _TAG,
    MARK_START,
    MARK_STOP,
    SNIPPET_WORDS,
    PlainSnippetField,
    SnippetField,
)


def search_text(value: str | None, is_html: int) -> str:
    """The text the index holds for a column: tags stripped from HTML, entities decoded, NFC.

    Registered on every SQLite connection as `newsroom_search_text()`; the index's view
    and triggers call it (`fts5.py`). Deterministic: the index is updated with the text
    it was built with.
    """
    text = value or ""
    if is_html:
        text = html.unescape(_TAG.sub(" ", text))
    return unicodedata.normalize("NFC", text)


def _register_functions(*, connection, **_kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(TEXT_FUNCTION, 2, search_text, deterministic=True)


connection_created.connect(_register_functions, dispatch_uid="newsroom-search-functions")


def _quoted(term: Term) -> str:
    """A word or phrase as an FTS5 string: its tokens in order, never syntax."""
    text = " ".join(term.words).replace('"', '""')
    return f'"{text}"'


def _fts5_query(parsed: ParsedQuery, columns: str = "") -> str:
    """`parse_query()`'s groups as an FTS5 expression, optionally limited to columns.

    A group is its words joined by AND, minus its excluded ones (NOT); groups are joined
    by OR. FTS5 has no "everything but": a group of exclusions only matches nothing
    (PostgreSQL's `-nato` alone matches every item without the word; nobody searches so).
    """
    groups = []
    for group in parsed.groups:
        wanted = [_quoted(term) for term in group if not term.excluded]
        if not wanted:
            continue
        expression = "(" + " AND ".join(wanted) + ")"
        for term in group:
            if term.excluded:
                expression = f"({expression} NOT {_quoted(term)})"
        groups.append(expression)
    if not groups:
        return ""
    query = " OR ".join(groups)
    return f"{{{columns}}} : ({query})" if columns else query


class _InIndex(Expression):
    """Whether the row is among the matches of an FTS5 query: `id IN (SELECT rowid ...)`.

    `drive=False` writes `+id` in an ordered query, which SQLite cannot answer from the
    primary key: it then keeps the plan of the rest of the query (the public order index)
    and tests each row, stopping after a page. `drive=None` writes `+id` in every query:
    for a condition ORed with others that cannot drive either (the admin's search box).
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, query: str, drive: bool = True, implied_by: tuple[str, ...] = ()):
        super().__init__()
        self.query, self.drive, self.implied_by = query, drive, implied_by

    def as_sql(self, compiler, connection):
        query = compiler.query
        required = _required(query.where) if self.implied_by else {}
        if any(required.get(implying) for implying in self.implied_by):
            return "1", ()  # every row the rest of the WHERE admits matches: no lookup
        meta = query.get_meta()
        alias = compiler.quote_name_unless_alias(query.get_initial_alias())
        index = f"{meta.db_table}_fts"
        drives = self.drive or (self.drive is False and self._drives_count(query))
        sign = "" if drives else "+"
        sql = (
            f"{sign}{alias}.{meta.pk.column} IN (SELECT rowid FROM {index} WHERE {index} MATCH %s)"
        )
        return sql, (self.query,)

    def _drives_count(self, query) -> bool:
        """Whether SQLite should find this condition's rows from the matches themselves.

        So in unordered rows (a count), unless a narrower condition (the best matches)
        is there to do it: walking the order index to count 40 matches of "Arctic
        challenge" read all 60,000 rows (15 ms against 3), while counting up to the cap
        from all 24,000 matches of "cyber defence" to find the best ones cost 26 ms
        against 8 from the best matches.
        """
        if query.order_by or (query.default_ordering and query.get_meta().ordering):
            return False
        return not any(
            isinstance(node, _InIndex) and node is not self and node.drive
            for node in _nodes(query.where)
        )


def _required(where) -> dict[str, bool]:
    """FTS5 queries whose match the WHERE requires (True) or excludes (False) of every
    row: the `_InIndex` conditions among its top-level ANDs."""
    found = {}
    if where.connector != "AND" or where.negated:
        return found
    for child in where.children:
        if isinstance(child, _InIndex):
            found[child.query] = True
        elif isinstance(getattr(child, "lhs", None), _InIndex) and child.lookup_name == "exact":
            if isinstance(child.rhs, bool):
                found[child.lhs.query] = child.rhs
        elif hasattr(child, "connector"):
            found.update(_required(child))
    return found


def _nodes(node):
    """`node` and everything under it: a WHERE tree's nodes, lookups and expressions."""
    yield node
    for child in getattr(node, "children", None) or node.get_source_expressions():
        if child is not None and not isinstance(child, str | int | float):
            yield from _nodes(child)


class _Rank(Expression):
    """`search_rank`: 2 for a title match, 1 for a summary match, 0 for the others.

    With `nested` (a query without exclusions, where a title match is a lead match), the
    part of the search page that holds only the best matches asks only for the title,
    and the part that holds the others asks for nothing: each lookup of the index is a
    list of every match ("cyber defence": 1,500 lead and 24,000 matches in all).
    """

    output_field = FloatField()

    def __init__(self, title: str, lead: str, nested: bool = False):
        super().__init__()
        self.title, self.lead, self.nested = title, lead, nested

    def as_sql(self, compiler, connection):
        required = _required(compiler.query.where)
        title_known = required.get(self.title)
        lead_known = required.get(self.lead) if self.nested else None
        if title_known:
            return "2.0", ()
        if lead_known is False:
            return "0.0", ()
        if lead_known and title_known is False:
            return "1.0", ()
        title_sql, title_params = compiler.compile(_InIndex(self.title))
        if lead_known:
            return f"(CASE WHEN {title_sql} THEN 2.0 ELSE 1.0 END)", title_params
        lead_sql, lead_params = compiler.compile(_InIndex(self.lead))
        sql = f"(CASE WHEN {title_sql} THEN 2.0 WHEN {lead_sql} THEN 1.0 ELSE 0.0 END)"
        return sql, (*title_params, *lead_params)


class _Snippets(Func):
    """The row's FTS5 snippet: of its summary when that matches, else of its body.

    `snippet()` works only in a query of the index itself, hence a subquery for the row
    (`rowid =` lets FTS5 seek to it: about 0.3 ms a row). For one page of rows only.
    """

    output_field = PlainSnippetField()

    def __init__(self, query: str):
        super().__init__(F("pk"))
        self.query = query

    def as_sql(self, compiler, connection, **extra_context):
        pk, pk_params = compiler.compile(self.get_source_expressions()[0])
        index = f"{compiler.query.get_meta().db_table}_fts"
        marks = f"'{MARK_START}', '{MARK_STOP}', '…', {SNIPPET_WORDS}"
        summary, body = f"snippet({index}, 1, {marks})", f"snippet({index}, 2, {marks})"
        chosen = f"CASE WHEN instr({summary}, '{MARK_START}') THEN {summary} ELSE {body} END"
        sql = f"(SELECT {chosen} FROM {index} WHERE {index} MATCH %s AND rowid = {pk})"
        return sql, (self.query, *pk_params)


def sqlite_search(queryset: QuerySet, parsed: ParsedQuery, snippets: bool) -> QuerySet | None:
    """`search()` on SQLite; None when nothing can match (a query of exclusions only)."""
    query = _fts5_query(parsed)
    if not query:
        return None
    lead = _fts5_query(parsed, "title summary")
    # Without exclusions a lead match (title and summary) is a match of the whole row, and
    # a title match a lead match: the SQL leaves out what the best matches imply. With
    # one ("-word"), a word kept out of the lead may still be in the body: not so.
    nested = not parsed.excludes
    title = _fts5_query(parsed, "title")
    implying = (lead, title) if nested else ()
    results = queryset.filter(_InIndex(query, drive=False, implied_by=implying))
    results = results.alias(search_lead_match=_InIndex(lead))
    if nested:  # the best matches as two tiers, read by `best_tiers()`
        results = results.alias(
            search_title_match=_InIndex(title),
            search_title_walk=_InIndex(title, drive=False),
            search_lead_walk=_InIndex(lead, drive=False),
        )
    results = results.annotate(search_rank=_Rank(title, lead, nested))
    if snippets:
        results = results.annotate(search_snippet=_Snippets(query))
    return results


def sqlite_matching(parsed: ParsedQuery) -> _InIndex | None:
    """Whether a row is among the query's matches, tested row by row (`+id IN`); None when
    nothing can match (a query of exclusions only)."""
    query = _fts5_query(parsed)
    return _InIndex(query, drive=None) if query else None


def sqlite_snippets(queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
    query = _fts5_query(parsed)
    if not query:
        return queryset.annotate(search_snippet=Value("", output_field=SnippetField()))
    return queryset.annotate(search_snippet=_Snippets(query))


def best_tiers(queryset: QuerySet, stop: int) -> list[QuerySet] | None:
    """The best matches of a `sqlite_search()` as two parts, title matches and the other
    lead matches, each read in the shape its size calls for; None when the query has no
    tiers (another engine, or an exclusion: a title match may then not be a lead match).

    Ranking the best matches sorts all of them: "nato" is in the title or summary of
    46,000 of 60,000 releases (150 ms of SQL a page). A tier of n matches is read by
    walking the public order when a page's `stop` rows come early in it (n² > stop ×
    rows, as `counts.walks_the_order()` decides for tags), else by collecting its
    matches and sorting them ("cyber defence": 228 title matches).
    """
    aliases = queryset.query.annotations
    if "search_title_walk" not in aliases:
        return None
    title, lead = aliases["search_title_walk"].query, aliases["search_lead_walk"].query
    rows, titled, leading = _index_sizes(queryset.model, title, lead)

    def walks(n: int) -> bool:
        return n * n > stop * rows

    title_tier = {"search_title_walk" if walks(titled) else "search_title_match": True}
    lead_tier = {"search_lead_walk" if walks(leading - titled) else "search_lead_match": True}
    return [
        queryset.filter(**title_tier),
        queryset.filter(**lead_tier, search_title_walk=False),
    ]


def _index_sizes(model, title: str, lead: str) -> tuple[int, int, int]:
    """Rows in the model's index, and its title and lead matches (public or not: an
    estimate), kept per content version and query."""
    index = f"{model._meta.db_table}_fts"

    def count() -> tuple[int, int, int]:
        matches = f"SELECT count(*) FROM {index} WHERE {index} MATCH %s"
        sql = f"SELECT (SELECT max(rowid) FROM {index}), ({matches}), ({matches})"
        with connections[model.objects.db].cursor() as cursor:
            cursor.execute(sql, (title, lead))
            rows, titled, leading = cursor.fetchone()
        return rows or 0, titled, leading

    digest = hashlib.sha256(f"{title}\n{lead}".encode()).hexdigest()
    return cached_public(f"fts-sizes:{model._meta.model_name}:{digest}", count)
