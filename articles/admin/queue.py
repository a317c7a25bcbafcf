"""The review queue on the admin home: what waits for an editor, what goes live soon,
what went live lately; each section links to its filtered change list.

A *pending proposal* is a press officer's edit of a live item kept as a revision newer
than the item's last saved state (`updated_at`): applying it, or any later save by an
editor, answers it.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from articles.admin.display import local_time
from articles.models import Release, Speech
from articles.querysets import RevisionQuerySet, Status

QUEUE_ROWS = 8  # rows per kind in each section; the link opens the whole list
SCHEDULE_DAYS = 7
RECENT_DAYS = 7


def with_pending_proposal(queryset: QuerySet) -> QuerySet:
    """Items carrying a proposal revision made after their last saved state."""
    proposals = queryset.model.history.filter(
        id=OuterRef("pk"),
        history_change_reason__startswith=RevisionQuerySet.PROPOSAL_PREFIX,
        history_date__gt=OuterRef("updated_at"),
    )
    return queryset.filter(Exists(proposals))


def sections(user) -> list[dict]:
    """The queue's four sections for `user`, each with its rows and list links."""
    now = timezone.now()
    section_specs = [
        (
            "Waiting for review",
            "Submitted by their writers; publish, schedule or send back.",
            lambda qs: qs.filter(status=Status.IN_REVIEW).order_by("updated_at"),
            {"visibility": "review"},
            lambda item: f"submitted {local_time(item.updated_at)}",
            "history",
        ),
        (
            "Proposed changes",
            "Press officers’ edits of live items: open one to compare and apply it.",
            lambda qs: with_pending_proposal(qs).order_by("updated_at"),
            {"proposal": "pending"},
            lambda item: f"live since {local_time(item.published_at)}",
            "history",
        ),
        (
            f"Scheduled — next {SCHEDULE_DAYS} days",
            "Embargoed items and the time their embargo lifts.",
            lambda qs: (
                qs.embargoed()
                .filter(published_at__lte=now + timedelta(days=SCHEDULE_DAYS))
                .order_by("published_at")
            ),
            {"visibility": "embargoed"},
            lambda item: f"lifts {local_time(item.published_at)}",
            "change",
        ),
        (
            "Recently published",
            f"Live in the last {RECENT_DAYS} days.",
            lambda qs: (
                qs.public()
                .filter(published_at__gte=now - timedelta(days=RECENT_DAYS))
                .order_by("-published_at")
            ),
            {"visibility": "live"},
            lambda item: f"live {local_time(item.published_at)}",
            "change",
        ),
    ]
    out = []
    for title, hint, select, params, when, target in section_specs:
        rows, links = [], []
        for model in (Release, Speech):
            opts = model._meta
            if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
                continue
            query = select(model.objects.only("pk", "title", "status", "published_at",
                                                "updated_at"))  # fmt: skip
            for item in query[:QUEUE_ROWS]:
                rows.append({
                    "title": item.title,
                    "kind": opts.verbose_name,
                    "when": when(item),
                    "url": reverse(f"admin:articles_{opts.model_name}_{target}", args=[item.pk]),
                })  # fmt: skip
            changelist = reverse(f"admin:articles_{opts.model_name}_changelist")
            query_string = "&".join(f"{k}={v}" for k, v in params.items())
            links.append({"label": f"All {opts.verbose_name_plural}",
                          "url": f"{changelist}?{query_string}"})  # fmt: skip
        out.append({"title": title, "hint": hint, "rows": rows, "links": links,
                    "id": title.split()[0].lower()})  # fmt: skip
    return out
