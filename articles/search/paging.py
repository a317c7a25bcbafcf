"""The search page's counting and paging SQL: best matches first, at most `MAX_RESULTS`."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet

from articles.search.sqlite import best_tiers

MAX_RESULTS = 1_000  # results the search page counts and lists (50 pages of 20)


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
    page never ranks or reads the whole result set. SQLite cannot limit the parts of a
    UNION: each part is limited in a subquery in FROM instead (sorting every match of
    "cyber defence" at 100,000 items took 240 ms).
    """
    stop = index.stop
    if not rows or (stop is not None and stop <= (index.start or 0)):
        return []  # no results: Paginator asks for [0:0]
    if stop is None:
        return list(union_all(rows).order_by(*order)[index])
    parts = []  # (rows, their own order, in the direction of `order`)
    for queryset in rows:
        # The model's own order, which agrees with `order` (a release's day follows its
        # time): SQLite need not compute the day of every best match to sort them.
        ordering = queryset.model._meta.ordering
        tiers = best_tiers(queryset, stop)
        if tiers:  # SQLite: each tier has one rank, so the model's order is the order
            parts.extend((tier, ordering) for tier in tiers)
        else:
            parts.append((_best(queryset), (order[0], *ordering)))
        if count is None or stop > count.best:
            others = queryset.filter(search_lead_match=False)
            parts.append((others, queryset.model._meta.ordering))
    if len(parts) == 1:
        [(part, part_order)] = parts
        return list(part.order_by(*part_order)[index])
    limited = [part.order_by(*part_order)[:stop] for part, part_order in parts]
    if connections[rows[0].db].features.supports_slicing_ordering_in_compound:
        return list(union_all(limited).order_by(*order)[index])
    return _sqlite_union_page(limited, order, index)


def _sqlite_union_page(parts: Sequence[QuerySet], order: Sequence[str], index: slice) -> list[dict]:
    """A page of the UNION ALL of ordered, limited `.values()` parts, on SQLite.

    SQLite refuses ORDER BY and LIMIT on the parts of a compound SELECT but takes them
    in a subquery in FROM, so each part is wrapped in one. (Filtering each part by a
    subquery of its limited ids, as the ORM can, evaluated every full-text condition
    twice: 16 index lookups instead of 8, 40 ms of a 62 ms page at 100,000 items.) The
    rows go through the first part's converters, as Django does for its own unions:
    the parts' columns line up.
    """
    first = parts[0]
    compiler = first.query.get_compiler(first.db)
    pieces, params = [], []
    for part in parts:
        sql, part_params = part.query.get_compiler(part.db).as_sql()
        pieces.append(f"SELECT * FROM ({sql})")
        params.extend(part_params)
    compiler.as_sql()  # sets up the select list, its names and the rows' converters
    names = [alias for _expression, _sql, alias in compiler.select[: compiler.col_count]]
    terms = []
    for field in order:
        name = field.removeprefix("-")
        terms.append(f"{names.index(name) + 1} {'DESC' if field.startswith('-') else 'ASC'}")
    start = index.start or 0
    sql = (
        f"{' UNION ALL '.join(pieces)} ORDER BY {', '.join(terms)}"
        f" LIMIT {int(index.stop) - start} OFFSET {start}"
    )
    with connections[first.db].cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    return [dict(zip(names, row, strict=True)) for row in compiler.results_iter(results=[fetched])]


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
