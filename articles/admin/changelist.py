"""The changelist's date drill-down, at a fixed number of queries, and its guard."""

import datetime

from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.db.models import Exists, QuerySet
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext


def following(start: datetime.date, unit: str) -> datetime.date | None:
    """The start of the next year, month or day; None past the calendar's last day."""
    try:
        if unit == "year":
            return start.replace(year=start.year + 1)
        if unit == "month":
            return (start + datetime.timedelta(days=32)).replace(day=1)
        return start + datetime.timedelta(days=1)
    except (ValueError, OverflowError):
        return None


class DateDrillDownChangeList(ChangeList):
    """Django's changelist, with a date drill-down whose cost does not grow with the archive.

    Django finds the years (months, days) holding items with a MIN/MAX and a SELECT
    DISTINCT of every row's truncated date: 480 ms at 60,000 releases on SQLite, which
    truncates each date in Python, 30 ms on PostgreSQL. Here the archive's first and
    last dates are two index seeks; then, for the whole archive, each year between them
    is one EXISTS (an index range seek), all in one query, and for a filtered list (a
    year, a status, a search) the list's rows are sorted into the periods by comparing
    their dates with the periods' bounds (a few comparisons a row). Same links, same
    choice of level and same template (`admin/date_hierarchy.html`) as Django's.
    """

    MAX_PERIODS = 100  # a wider span (a stray year) is left to Django's own queries

    @cached_property
    def date_drilldown(self) -> dict:
        field = self.date_hierarchy
        year_field, month_field, day_field = (f"{field}__{p}" for p in ("year", "month", "day"))
        year, month, day = (self.params.get(name) for name in (year_field, month_field, day_field))
        if year and month and day:
            return date_hierarchy(self)  # one day chosen: no query

        def link(filters: dict) -> str:
            return self.get_query_string(filters, [f"{field}__"])

        def months_of(year) -> list[datetime.date]:
            start = datetime.date(int(year), 1, 1)
            return self._with_items(start, following(start, "year"), "month")

        months = None
        if not year:
            if not self.result_count:
                return {"show": True, "back": None, "choices": []}
            first, last = self._archive_span()
            if last.year - first.year >= self.MAX_PERIODS:
                return date_hierarchy(self)
            start, end = first.replace(month=1, day=1), last.replace(month=1, day=1)
            years = self._with_items(start, following(end, "year"), "year")
            if len(years) != 1 or month or day:
                return {
                    "show": True,
                    "back": None,
                    "choices": [
                        {"link": link({year_field: str(y.year)}), "title": str(y.year)}
                        for y in years
                    ],
                }
            # Like Django: a list within one year opens on its months, or on its days
            # when they all fall in one month.
            year, months = years[0].year, months_of(years[0].year)
            if len(months) == 1:
                month = months[0].month

        if month:
            start = datetime.date(int(year), int(month), 1)
            days = self._with_items(start, following(start, "month"), "day")
            return {
                "show": True,
                "back": {"link": link({year_field: year}), "title": str(year)},
                "choices": [
                    {
                        "link": link({year_field: year, month_field: month, day_field: d.day}),
                        "title": capfirst(date_format(d, "MONTH_DAY_FORMAT")),
                    }
                    for d in days
                ],
            }
        return {
            "show": True,
            "back": {"link": link({}), "title": gettext("All dates")},
            "choices": [
                {
                    "link": link({year_field: year, month_field: m.month}),
                    "title": capfirst(date_format(m, "YEAR_MONTH_FORMAT")),
                }
                for m in (months if months is not None else months_of(year))
            ],
        }

    @cached_property
    def _is_datetime(self) -> bool:
        return isinstance(self.opts.get_field(self.date_hierarchy), models.DateTimeField)

    def _rows(self) -> QuerySet:
        return self.queryset.order_by().prefetch_related(None)

    def _bound(self, day: datetime.date):
        """The start of a day in the newsroom's zone, for comparison with the field."""
        if self._is_datetime:
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
        return day

    def _archive_span(self) -> tuple[datetime.date, datetime.date]:
        """The first and last dates of the whole archive (both ends of its index), in the
        newsroom's zone; a filtered list lies between them."""
        field = self.date_hierarchy
        rows = self.root_queryset.order_by().filter(**{f"{field}__isnull": False})
        edges = [rows.order_by(o).values_list(field, flat=True)[0] for o in (field, f"-{field}")]
        if self._is_datetime:
            return tuple(timezone.localtime(edge).date() for edge in edges)
        return tuple(edges)

    def _with_items(self, start: datetime.date, end: datetime.date | None, unit: str) -> list:
        """The starts of the years, months or days from `start` to `end` (None: the end
        of the calendar) holding an item of the list, found in one query."""
        field = self.date_hierarchy
        starts = []
        while start is not None and (end is None or start < end):
            starts.append(start)
            start = following(start, unit)
        if not starts:
            return []
        bounds = [self._bound(s) for s in starts] + [end and self._bound(end)]

        def within(i: int, j: int) -> dict:
            """From the start of period i to the start of period j."""
            lookups = {f"{field}__gte": bounds[i]}
            if bounds[j] is not None:
                lookups[f"{field}__lt"] = bounds[j]
            return lookups

        if not self.queryset.query.where:
            # The whole table: has each period a row? An index seek each. (From the plain
            # table, not the list's annotated queryset: 25% less time to build 27 probes.)
            table = self.model._default_manager.order_by()
            probes = {f"p{i}": Exists(table.filter(**within(i, i + 1))) for i in range(len(starts))}
            found = table.annotate(**probes).values(*probes)[:1]
            row = found[0] if found else {}
            return [s for i, s in enumerate(starts) if row.get(f"p{i}")]

        def period(low: int, high: int) -> models.Expression:
            """Which of the periods low..high-1 a row's date falls in: a binary search."""
            if high - low == 1:
                return models.Value(low)
            middle = (low + high) // 2
            return models.Case(
                models.When(**{f"{field}__lt": bounds[middle]}, then=period(low, middle)),
                default=period(middle, high),
                output_field=models.IntegerField(),
            )

        # A filtered list: which periods its own rows fall in, reading them once.
        rows = self._rows().filter(**within(0, len(starts)))
        found = rows.annotate(period=period(0, len(starts))).values_list("period", flat=True)
        return [starts[i] for i in sorted(set(found.distinct()))]


class SaneDateHierarchyMixin:
    """The admin's date lookups crash on a year such as -1 or 99999 in the address (the
    drill-down's, and any date field's `__year`, which Django accepts on every local
    field); such an address is answered like any other bad filter: the list with "?e=1".
    Its year, month and day links cost a fixed number of queries (DateDrillDownChangeList)."""

    LIMITS = {"year": (1, 9999), "iso_year": (1, 9999), "month": (1, 12), "day": (1, 31)}

    def get_changelist(self, request, **kwargs):
        return DateDrillDownChangeList

    def changelist_view(self, request, extra_context=None):
        for key, values in request.GET.lists():
            low, high = self.LIMITS.get(key.rpartition("__")[2], (None, None))
            if "__" not in key or low is None:
                continue
            for raw in values:
                try:
                    valid = low <= int(raw) <= high
                except ValueError:
                    valid = False
                if not valid:
                    return HttpResponseRedirect(f"{request.path}?e=1")
        return super().changelist_view(request, extra_context)
