"""The archive by year and month: public releases and speeches counted per period."""

from calendar import monthrange
from collections import defaultdict
from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.urls import reverse

from articles.cache import cached_public
from articles.filters import query_string
from articles.results import PUBLICATIONS


def archive_years() -> list[dict]:
    """Every year with public items, newest first, with its months: kept per content
    version (the archive pages and the sitemap read it)."""
    return cached_public("archive", archive_periods)


def archive_periods() -> list[dict]:
    """Counts per year and month of each kind ("releases", "speeches"), with links to the
    lists filtered to each period."""
    nouns = [model._meta.verbose_name_plural for model in PUBLICATIONS.values()]
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(dict.fromkeys(nouns, 0).copy)
    for model in PUBLICATIONS.values():
        monthly = (
            model.objects.public().in_language().annotate(month=TruncMonth(model.PUBLIC_DATE_FIELD))
        )
        noun = model._meta.verbose_name_plural
        for row in monthly.order_by().values("month").annotate(n=Count("pk")):
            counts[(row["month"].year, row["month"].month)][noun] += row["n"]
    years: list[dict] = []
    for (year, month), numbers in sorted(counts.items(), reverse=True):
        if not years or years[-1]["year"] != year:
            first, last = date(year, 1, 1), date(year, 12, 31)
            years.append({"year": year, **dict.fromkeys(nouns, 0), "months": [],
                          **_period_links(first, last)})  # fmt: skip
        first = date(year, month, 1)
        last = date(year, month, monthrange(year, month)[1])
        years[-1]["months"].append({"month": first, **numbers, **_period_links(first, last)})
        for noun in nouns:
            years[-1][noun] += numbers[noun]
    return years


def _period_links(first: date, last: date) -> dict[str, str]:
    """`release_url` and `speech_url`: each list, filtered to the period."""
    query = query_string({"date_after": f"{first:%Y-%m-%d}", "date_before": f"{last:%Y-%m-%d}"})
    return {f"{name}_url": reverse(f"articles:{name}-list") + query for name in PUBLICATIONS}
