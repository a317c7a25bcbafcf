"""Related items of a detail page: public releases and speeches sharing the most with it."""

import operator
from functools import reduce

from django.db.models import Exists, OuterRef, QuerySet

from articles.cache import cached_public
from articles.counts import public_count
from articles.models import Publication
from articles.results import PUBLICATIONS, RESULT_FIELDS, RESULT_ORDER, Result, result_rows
from articles.search import union_all

RELATED_ITEMS = 4
# A shared speaker or event counts twice as much as a shared tag.
WEIGHTS = {"tag": 1, "speaker": 2, "event": 2}
# Related items are ranked among the newest public items that share anything with the
# page's item, not among all of them: a tag on a third of 100,000 items made the ranking
# count links for 20,000 candidates (release detail 456 ms of SQL on SQLite, 1 s on
# PostgreSQL). Walking the newest first on the public-order index stops after this many.
RELATED_CANDIDATES = 200


def related_items(item: Publication) -> list[Result]:
    """Up to four public items sharing the most tags, speakers or events with `item`.

    A shared speaker or event counts twice as much as a shared tag; ties go to the
    newer item. Candidates are the newest `RELATED_CANDIDATES` of each kind that share
    something. Reads the item's prefetched tags, speakers and events, then asks one
    query (a UNION of both models), kept in the cache until public content changes.
    """
    shared = {
        "tag": [topic["id"] for topic in item.topics],
        "speaker": [speaker.pk for speaker in item.speaker_list],
        "event": [event.pk for event in item.event_list],
    }
    if not any(shared.values()):
        return []

    def rank() -> list[Result]:
        parts = [_related_rows(model, item, shared) for model in PUBLICATIONS.values()]
        ranked = union_all(parts).order_by("-score", *RESULT_ORDER)[:RELATED_ITEMS]
        return [Result(**{name: row[name] for name in RESULT_FIELDS}) for row in ranked]

    # Kept per item until anything public changes (or the next embargo lifts), like the
    # filter options: the same four answers on every view cost 10-30 ms of SQL each.
    return cached_public(f"related:{item._meta.model_name}:{item.pk}", rank)


def _related_rows(model: type[Publication], item: Publication, shared: dict) -> QuerySet:
    conditions, scores = [], []
    for key, ids in shared.items():
        if ids:
            link = model.links(key)
            rows = link.rows.filter(**{f"{link.target}__in": ids})
            # EXISTS, probed row by row while the public-order index is walked newest
            # first, up to RELATED_CANDIDATES: reading the links first would fetch (or
            # hash) every item carrying a popular tag, 25,000 of them.
            conditions.append(Exists(rows.filter(**{link.item: OuterRef("pk")})))
            scores.append(public_count(rows, link.item) * WEIGHTS[key])
    newest = model.objects.public().in_language().filter(reduce(operator.or_, conditions))
    if isinstance(item, model):
        newest = newest.exclude(pk=item.pk)
    newest = newest.order_by(*model._meta.ordering).values("pk")[:RELATED_CANDIDATES]
    candidates = model.objects.filter(pk__in=newest).annotate(score=reduce(operator.add, scores))
    return result_rows(candidates, "score")
