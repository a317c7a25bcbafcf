"""Paging the API's lists at 100,000 items: cursors in the public order, no counting.

A list is read in its public order (`Meta.ordering`, which ends with the id, so no two
rows tie), and a page goes on from where the last one ended: the `next` link carries the
last row's values of those columns (an opaque cursor), and the next page is the rows
strictly after them. Nothing is counted or skipped, so page 5,000 costs what page 1 does,
and items published between two requests never shift a page (they come before the
cursor) nor make a row appear twice. `previous` links read the same way backwards.

Ranked search (`q=`) orders by relevance, which has no stable position to resume from:
those pages are numbered (`page=`), at most `MAX_RESULTS` results, as on the search page.

A page is read in two queries: the page's ids in order from the lean filtered query (an
index scan that stops after the page), then those rows with their tags, speakers and
events (the JSON columns of `for_detail()`), which the database then builds for the page's
rows only, not for every row a filter matched.
"""

import base64
import binascii
import json
from datetime import date, datetime

from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from articles.filters import EARLIEST_DATE, LATEST_DATE
from articles.search import MAX_RESULTS
from newsroom.api.links import Links

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_CURSOR_LENGTH = 1_000


def invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def page_size(request: HttpRequest) -> int:
    raw = request.query_params.get("page_size")
    if raw is None or raw == "":
        return DEFAULT_PAGE_SIZE
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise invalid("page_size", f"Enter a whole number from 1 to {MAX_PAGE_SIZE}.")
    return int(raw)


def keyset(model: type[models.Model]) -> list[str]:
    """The public order of `model`'s lists, ending with the id so that no two rows tie."""
    order = list(model._meta.ordering or [])
    if not {"id", "-id", "pk", "-pk"} & set(order):
        order.append("id")
    return order


def _column(field: str) -> str:
    return field.removeprefix("-")


def beyond(order: list[str], values: list, backwards: bool) -> Q:
    """Rows strictly after `values` in the order `order` (before them if `backwards`).

    The lexicographic comparison spelt out (a < x, or a = x and b < y, ...), with the
    first column's bound stated on its own so the database starts its index scan there.
    """
    first = order[0]
    forward_is_lower = first.startswith("-") != backwards
    condition = Q(**{f"{_column(first)}__{'lte' if forward_is_lower else 'gte'}": values[0]})
    either = Q()
    equal: dict = {}
    for field, value in zip(order, values, strict=True):
        lower = field.startswith("-") != backwards
        either |= Q(**equal, **{f"{_column(field)}__{'lt' if lower else 'gt'}": value})
        equal[_column(field)] = value
    return condition & either


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def encode_cursor(label: str, values: list, backwards: bool) -> str:
    raw = json.dumps([label, int(backwards), *[_plain(value) for value in values]])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(raw: str, model: type[models.Model], order: list[str]) -> tuple[list, bool]:
    """The values and direction of a cursor of `model`'s list; a 400 naming `cursor` when
    it is not one."""
    problem = invalid("cursor", "Not a cursor of this list: use a next or previous link as given.")
    if len(raw) > MAX_CURSOR_LENGTH:
        raise problem
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        label, backwards, *values = json.loads(text)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise problem from None
    if label != model._meta.label_lower or backwards not in (0, 1) or len(values) != len(order):
        raise problem
    try:
        fields = [model._meta.get_field(_column(field)) for field in order]
        parsed = [_parse(field, value) for field, value in zip(fields, values, strict=True)]
    except (TypeError, ValueError, OverflowError):
        raise problem from None
    return parsed, bool(backwards)


def _parse(field: models.Field, value):
    """A cursor value as `field`'s type; ValueError or TypeError when it cannot be one."""
    if isinstance(field, models.DateTimeField):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None or not EARLIEST_DATE <= moment.date() <= LATEST_DATE:
            raise ValueError(value)
        return moment
    if isinstance(field, models.DateField):
        day = date.fromisoformat(value)
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise ValueError(value)
        return day
    if isinstance(field, models.IntegerField | models.AutoField):
        if type(value) is not int or not 0 <= value < 2**63:
            raise ValueError(value)
        return value
    if type(value) is not str or len(value) > MAX_CURSOR_LENGTH:
        raise ValueError(value)
    return value


class PublicationPagination(BasePagination):
    """Cursor pages in the public order; numbered pages for ranked search (`q=`).

    `paginate_queryset()` takes the filtered, lean list and the view's `rows(ids)`, which
    reads the page's rows in full.
    """

    resumed: tuple[list, bool] | None = None

    def resume(self, queryset: QuerySet, request: HttpRequest) -> QuerySet:
        """`queryset` narrowed to the rows after the request's cursor, for a view to apply
        before `public()`: SQLite then starts its index scan at the cursor (two upper
        bounds on the publication time, and it takes the first: a page 40,000 rows deep
        went from 17.6 to 0.5 ms). `paginate_queryset()` does not narrow it again."""
        cursor = request.query_params.get("cursor")
        if not cursor:
            return queryset
        order = keyset(queryset.model)
        self.resumed = decode_cursor(cursor, queryset.model, order)
        return queryset.filter(beyond(order, *self.resumed))

    def paginate_queryset(self, queryset: QuerySet, request: HttpRequest, view=None) -> list:
        self.request = request
        self.size = page_size(request)
        self.next_url = self.previous_url = None
        params = request.query_params
        ranked = bool(params.get("q", "").strip()) and "q" in getattr(view, "filter_names", ())
        if ranked:
            if params.get("cursor"):
                raise invalid("cursor", "Ranked search results (q=) are paged with page=.")
            ids = self._numbered(queryset, params.get("page"))
        else:
            if params.get("page"):
                raise invalid("page", "Only ranked search results (q=) have page numbers; "
                                      "follow the next link.")  # fmt: skip
            order = getattr(view, "order", None) or keyset(queryset.model)
            ids = self._keyset(queryset, params.get("cursor"), order)
        return view.rows(ids) if ids else []

    # --- cursor pages

    def _keyset(self, queryset: QuerySet, cursor: str | None, order: list[str]) -> list[int]:
        model = queryset.model
        backwards = False
        if self.resumed is not None:
            backwards = self.resumed[1]
        elif cursor:
            values, backwards = decode_cursor(cursor, model, order)
            queryset = queryset.filter(beyond(order, values, backwards))
        reading = [_flip(field) for field in order] if backwards else order
        columns = [_column(field) for field in order]
        found = list(queryset.order_by(*reading).values_list("pk", *columns)[: self.size + 1])
        more = len(found) > self.size
        found = found[: self.size]
        if backwards:
            found.reverse()
        label = model._meta.label_lower

        def link(row: tuple, back: bool) -> str:
            return self._url(cursor=encode_cursor(label, list(row[1:]), back))

        if found and backwards:
            self.next_url = link(found[-1], False)
            self.previous_url = link(found[0], True) if more else None
        elif found:
            self.next_url = link(found[-1], False) if more else None
            self.previous_url = link(found[0], True) if cursor else None
        return [row[0] for row in found]

    # --- numbered pages (ranked search)

    def _numbered(self, queryset: QuerySet, raw: str | None) -> list[int]:
        last = -(-MAX_RESULTS // self.size)  # pages of at most MAX_RESULTS results
        if raw is None or raw == "":
            number = 1
        elif raw.isascii() and raw.isdigit() and 1 <= int(raw) <= last:
            number = int(raw)
        else:
            words = f"Enter a page number from 1 to {last} ({MAX_RESULTS:,} results at most: "
            raise invalid("page", words + "narrow the search with the filters).")
        start = (number - 1) * self.size
        stop = min(start + self.size, MAX_RESULTS)
        ids = list(queryset.values_list("pk", flat=True)[start : stop + 1])
        if not ids and number > 1:
            raise NotFound("There are fewer results than this page number.")
        if len(ids) > stop - start:
            self.next_url = self._url(page=number + 1)
        if number > 1:
            self.previous_url = self._url(page=number - 1 if number > 2 else None)
        return ids[: stop - start]

    # --- the answer

    def _url(self, **changes) -> str:
        query = self.request.GET.copy()
        for name in ("cursor", "page"):
            query.pop(name, None)
        for name, value in changes.items():
            if value is not None:
                query[name] = value
        encoded = query.urlencode()
        return Links(self.request).absolute(self.request.path + (f"?{encoded}" if encoded else ""))

    def get_paginated_response(self, data: list) -> Response:
        return Response({"next": self.next_url, "previous": self.previous_url, "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page, or null on the last."},
                "previous": {**link, "description": "The page before, or null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = [
            {"name": "cursor", "in": "query", "required": False,
             "description": "Where the page starts: the opaque value of a `next` or "
                            "`previous` link. Leave it out for the first page.",
             "schema": {"type": "string", "maxLength": MAX_CURSOR_LENGTH}},
            {"name": "page_size", "in": "query", "required": False,
             "description": f"Items a page (default {DEFAULT_PAGE_SIZE}).",
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE,
                        "default": DEFAULT_PAGE_SIZE}},
        ]  # fmt: skip
        if "q" in getattr(view, "filter_names", ()):
            parameters.append(
                {"name": "page", "in": "query", "required": False,
                 "description": f"With `q` only: the page of ranked results (at most "
                                f"{MAX_RESULTS:,} results in all). Follow `next` links.",
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_RESULTS}}
            )  # fmt: skip
        return parameters


def _flip(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"
