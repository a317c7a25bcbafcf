"""Advance copies: an embargoed item sent ahead to contacts, each with a personal link."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from articles.models import Publication, Release, Speech
from articles.querysets import Status
from newsroom.distribution import links
from newsroom.distribution.models import AdvanceCopy, Contact, DeliveryStatus
from newsroom.distribution.tasks import enqueue_deliveries, item_reference

MODELS = {"release": Release, "speech": Speech}


def scheduled_items() -> list[Publication]:
    """Items an editor may send ahead: published with a future time (embargoed)."""
    items = [*Release.objects.embargoed(), *Speech.objects.embargoed()]
    return sorted(items, key=lambda item: item.published_at)


def unpublished_items(limit: int = 200) -> list[Publication]:
    """Items not public yet (drafts, in review, embargoed), latest changed first."""
    items = []
    for model in (Release, Speech):
        hidden = model.objects.exclude(pk__in=model.objects.public().values("pk"))
        hidden = hidden.exclude(status__in=[Status.WITHDRAWN, Status.REMOVED])
        items += hidden.order_by("-updated_at")[:limit]
    return sorted(items, key=lambda item: item.updated_at, reverse=True)[:limit]


def item_key(item: Publication) -> str:
    return f"{item._meta.model_name}:{item.pk}"


def item_from_key(key: str, *, public: bool = True) -> Publication | None:
    """The embargoed item `key` names; with public=False any item not yet public."""
    name, _, pk = key.partition(":")
    model = MODELS.get(name)
    if model is None or not pk.isdigit():
        return None
    if public:
        return model.objects.embargoed().filter(pk=int(pk)).first()
    return next((item for item in unpublished_items() if item_key(item) == key), None)


def recipients(lists: QuerySet, contacts: QuerySet) -> QuerySet:
    """Everyone on the chosen lists and the chosen contacts, each once."""
    ids = set(contacts.values_list("pk", flat=True))
    ids |= set(Contact.objects.filter(lists__in=lists).values_list("pk", flat=True))
    return Contact.objects.filter(pk__in=ids).order_by("name")


def issue_link(copy: AdvanceCopy) -> None:
    """A new personal link for `copy` (the previous one stops working)."""
    copy.nonce = links.new_nonce()
    copy.token_digest = links.token_digest(links.advance_token(copy.pk, copy.nonce))


@transaction.atomic
def send(item: Publication, contacts: QuerySet, user) -> tuple[int, int]:
    """Queue an advance copy of `item` for each contact who has none yet; (queued, already).
    The emails go from the worker once this commits."""
    reference = item_reference(item)
    queued, already = [], 0
    for contact in contacts:
        copy, created = AdvanceCopy.objects.get_or_create(
            contact=contact, **reference, defaults={"sent_by": user}
        )
        if not created:
            already += 1
            continue
        issue_link(copy)
        copy.save(update_fields=["nonce", "token_digest"])
        queued.append(copy.pk)
    transaction.on_commit(lambda: enqueue_deliveries("copy", queued))
    return len(queued), already


@transaction.atomic
def resend(copies: QuerySet) -> int:
    """A fresh link for each copy (un-revoked), emailed again."""
    ids = []
    chosen = list(copies.values_list("pk", flat=True))  # the admin's rows carry a count
    for copy in AdvanceCopy.objects.select_for_update().filter(pk__in=chosen):
        issue_link(copy)
        copy.revoked_at = None
        copy.status, copy.attempts, copy.next_attempt_at = DeliveryStatus.QUEUED, 0, None
        copy.save()
        ids.append(copy.pk)
    transaction.on_commit(lambda: enqueue_deliveries("copy", ids))
    return len(ids)


def revoke(copies: QuerySet) -> int:
    chosen = list(copies.values_list("pk", flat=True))
    live = AdvanceCopy.objects.filter(pk__in=chosen, revoked_at=None)
    return live.update(revoked_at=timezone.now())
