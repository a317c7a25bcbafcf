"""Paging public lists at 100,000 items: a bound on depth, one count per content version,
deep pages read through their ids."""

import hashlib

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.functional import cached_property

from articles.cache import cached_public

# 100,000 items at 20 a page. Deeper pages answer 404 before any query, so a crawler
# cannot make the server count and skip through an unbounded archive.
MAX_PAGE = 5_000


def refuse_deep_pages(request: HttpRequest) -> None:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return  # not a number: the paginator answers 404
    if number > MAX_PAGE:
        raise Http404(f"Pages beyond {MAX_PAGE:,} are not served; narrow the list with dates.")


class CountOncePaginator(Paginator):
    """Counts a public list once per content version, not on every page of it.

    Reading page after page of one filter (or one tag of 20,000 releases) asked the
    database the same COUNT each time: 20-50 ms at 100,000 items. The count is kept
    under the list's filters through `cached_public`, so any save or embargo lift
    starts a new one.
    """

    DEEP = 1_000  # rows skipped before a page is read through its ids

    def __init__(self, *args, count_key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        return cached_public(f"count:{self.count_key}", lambda: Paginator.count.func(self))

    def page(self, number):
        """Skip to a deep page on the ordering index alone, then read only its rows.

        `OFFSET 40000` over whole rows made PostgreSQL fetch 40,000 rows to throw them
        away (page 2,000: 97 -> 9 ms); over the ids it is an index-only scan, and still
        one query. Near the top plain slicing is as fast, and on SQLite faster for a
        popular tag (43 against 107 ms).
        """
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom < self.DEEP:
            return self._get_page(self.object_list[bottom:top], number, self)
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


class CountOnceMixin:
    """A public list view whose paginator counts once per content version and query."""

    paginator_class = CountOncePaginator

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True):
        filters = self.request.GET.copy()
        filters.pop("page", None)
        digest = hashlib.sha256(filters.urlencode().encode()).hexdigest()[:32]
        return self.paginator_class(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            count_key=f"{self.model._meta.model_name}:{digest}",
        )


class InOrder:
    """The rows of `queryset` with the given ids, in the ids' order, for a `Paginator`:
    a page reads only its own rows. Filtering the whole directory by 2,000 ids on every
    page cost 15 ms of query building at 100,000 items; the page's 30 cost nothing."""

    def __init__(self, queryset: QuerySet, ids: list[int]):
        self.queryset, self.ids, self.model = queryset, ids, queryset.model

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, window: slice) -> list:
        ids = self.ids[window]
        found = self.queryset.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]
