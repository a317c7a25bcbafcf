"""Releases and speeches side by side: the rows of mixed lists (search, related items)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import QuerySet, Subquery, Value
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from articles.models import Publication, Release, Speech
from articles.querysets import json_column

# Every kind of publication, by the name results carry ("release", "speech").
PUBLICATIONS: dict[str, type[Publication]] = {
    model._meta.model_name: model for model in (Release, Speech)
}
RESULT_FIELDS = ("result_type", "pk", "title", "slug", "kind", "summary", "published_at",
                 "result_date")  # fmt: skip
RESULT_ORDER = ("-result_date", "-published_at")
# What readers call each kind in a sentence ("This release was withdrawn"), by model name.
NOUNS = {
    "release": pgettext_lazy("noun", "release"),
    "speech": pgettext_lazy("noun", "speech"),
}


def noun(name: str) -> str:
    """A kind of publication in words ("release", "speech") in the language being read."""
    return str(NOUNS.get(str(name), name))


@dataclass
class Result:
    """A release or a speech among mixed results (search, related items)."""

    result_type: str  # "release" or "speech"
    pk: int
    title: str
    slug: str
    kind: str
    summary: str
    published_at: datetime
    result_date: date
    snippet: str = ""
    speakers: list[dict] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return dict(PUBLICATIONS[self.result_type].Kind.choices).get(self.kind, self.kind)

    @property
    def url(self) -> str:
        return reverse(f"articles:{self.result_type}-detail", kwargs={"slug": self.slug})


def result_rows(queryset: QuerySet, *extra: str) -> QuerySet:
    """`queryset` as rows that line up with the other kind's, for a UNION."""
    model = queryset.model
    rows = queryset.order_by().annotate(
        result_type=Value(model._meta.model_name), result_date=model.public_day()
    )
    return rows.values(*RESULT_FIELDS, *extra)


def speakers_json(model: type[Publication]) -> Subquery:
    """Each row's speakers (id, name, slug, position) in one column, instead of a query per
    model."""
    link = model.links("speaker")
    position = model.SPEAKER_POSITION or Value(0)
    return json_column(
        link.rows, link.item, id="speaker_id", name="speaker__name", slug="speaker__slug",
        position=position,
    )  # fmt: skip
