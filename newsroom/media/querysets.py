"""Who may fetch an image or a document: the public rule of the items that use it.

A file has no visibility of its own. It is public while something the public may read
uses it: a release or speech that `readable()` admits (its lead image, a figure in its
text, its downloads), an event or speaker that `visible()` admits (its lead image, a
portrait). A file used only by drafts and embargoed items answers 404 to the public, and
becomes reachable at the lift with nothing to run: the rule is asked at each request, and
it is the articles' own rule (`articles/querysets.py`), not restated here.
"""

from typing import Self

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q


class ByKey:
    """Natural keys by the file's key, so backups and fixtures never carry primary keys."""

    def get_by_natural_key(self, key: str):
        return self.get(key=key)


class ImageQuerySet(ByKey, models.QuerySet):
    def public(self) -> Self:
        """Images used by something the public may read."""
        from articles.models import Event, Release, Speaker, Speech

        used = Q()
        for model in (Release, Speech):
            readable = model.objects.readable()
            used |= Exists(readable.filter(lead_image=OuterRef("pk")))
            used |= Exists(readable.filter(figure_links__image=OuterRef("pk")))
        used |= Exists(Event.objects.visible().filter(lead_image=OuterRef("pk")))
        used |= Exists(Speaker.objects.visible().filter(portrait=OuterRef("pk")))
        return self.filter(used)

    def usable(self) -> Self:
        """Images that may be placed on a page: alt text given, or marked decorative."""
        return self.filter(Q(decorative=True) | ~Q(alt_text=""))

    def with_usage(self) -> Self:
        """How many releases, speeches, events and speakers use each image (the admin's
        "used by" column): one counted subquery per kind, no joins multiplying rows."""
        from articles.models import Event, Release, Speaker, Speech

        def count(queryset: models.QuerySet, condition: Q) -> models.Subquery:
            return models.Subquery(
                _count_subquery(queryset.filter(condition)), output_field=models.IntegerField()
            )

        here = OuterRef("pk")
        return self.annotate(
            releases_using=count(
                Release.objects.all(), Q(lead_image=here) | Q(figure_links__image=here)
            ),
            speeches_using=count(
                Speech.objects.all(), Q(lead_image=here) | Q(figure_links__image=here)
            ),
            events_using=count(Event.objects.all(), Q(lead_image=here)),
            speakers_using=count(Speaker.objects.all(), Q(portrait=here)),
        )


def _count_subquery(queryset: models.QuerySet) -> models.QuerySet:
    """SELECT COUNT(DISTINCT id) of `queryset`, as a one-row subquery."""
    return (
        queryset.order_by()
        .annotate(_group=models.Value(1))
        .values("_group")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )


class DocumentQuerySet(ByKey, models.QuerySet):
    def public(self) -> Self:
        """Documents offered as downloads by a release the public may read."""
        from articles.models import Release

        downloads = Release.objects.readable().filter(downloads__document=OuterRef("pk"))
        return self.filter(Exists(downloads))

    def with_usage(self) -> Self:
        from articles.models import Release

        return self.annotate(
            releases_using=models.Subquery(
                _count_subquery(Release.objects.filter(downloads__document=OuterRef("pk"))),
                output_field=models.IntegerField(),
            )
        )
