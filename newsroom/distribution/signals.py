"""Publishing (or scheduling) a release or speech records its announcement in the same
transaction, and enqueues its fan-out for its publication time once that commits."""

from django.db.models.signals import post_delete, post_save

from articles.models import Release, Speech
from articles.querysets import Status


def record_announcement(sender, instance, raw: bool = False, **kwargs) -> None:
    """post_save: a published item owes its alerts at its publication time (now, or its
    embargo lift). Loaded fixtures and backups announce nothing."""
    if raw or instance.status != Status.PUBLISHED or instance.published_at is None:
        return
    from newsroom.distribution.models import Announcement
    from newsroom.distribution.tasks import announce, enqueue_on_commit, item_reference

    announcement, created = Announcement.objects.get_or_create(
        **item_reference(instance), due_at=instance.published_at
    )
    if created:
        enqueue_on_commit(announce, announcement.pk, run_after=announcement.due_at)


def forget_item(sender, instance, **kwargs) -> None:
    """post_delete: an item's distribution records go with it (they point to it by id)."""
    from newsroom.distribution.models import AdvanceCopy, AlertSend, Announcement
    from newsroom.distribution.tasks import item_reference

    reference = item_reference(instance)
    for model in (Announcement, AlertSend, AdvanceCopy):
        model.objects.filter(**reference).delete()


def connect() -> None:
    for model in (Release, Speech):
        post_save.connect(record_announcement, sender=model, dispatch_uid=f"announce-{model}")
        post_delete.connect(forget_item, sender=model, dispatch_uid=f"forget-{model}")
