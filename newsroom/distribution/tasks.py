"""Background work, through the Django tasks API (the django-tasks backport).

Each task is safe to run twice, late or concurrently: what it owes is in the database
(announcements, send records, advance copies), and every write is guarded by a unique
constraint or a conditional update. The queue only says *when* to look.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from newsroom.distribution import mail
from newsroom.distribution.models import (
    AdvanceCopy,
    AlertSend,
    Announcement,
    DeliveryStatus,
    Frequency,
    Schedule,
    Subscription,
)

logger = logging.getLogger(__name__)

CHUNK = 100  # messages per delivery task: 10,000 alerts are 100 tasks
SWEEP_EVERY = timedelta(minutes=5)
MODELS = {"alert": AlertSend, "copy": AdvanceCopy}


def later(when: datetime | None) -> datetime | None:
    """A task's `run_after`: None for now or the past."""
    return when if when and when > timezone.now() else None


def enqueue(task_object, *args, run_after: datetime | None = None) -> None:
    """Enqueue, logging rather than failing when the queue is unreachable: the sweep
    finds the work in the database."""
    try:
        task_object.using(run_after=later(run_after)).enqueue(*args)
    except Exception:
        logger.exception("Could not enqueue %s%r; the sweep will", task_object.name, args)


def enqueue_on_commit(task_object, *args, run_after: datetime | None = None) -> None:
    transaction.on_commit(lambda: enqueue(task_object, *args, run_after=run_after))


def enqueue_deliveries(kind: str, ids: list[int], run_after: datetime | None = None) -> None:
    for start in range(0, len(ids), CHUNK):
        enqueue(deliver, kind, ids[start : start + CHUNK], run_after=run_after)


@task()
def announce(announcement_id: int) -> int:
    """Fan an announcement out into send records: one per matching subscription and the
    item, made once (the unique constraint) however often this runs. Returns how many
    alerts it queued."""
    from newsroom.distribution.alerts import matching_subscriptions

    announcement = Announcement.objects.filter(pk=announcement_id, done_at=None).first()
    if announcement is None:
        return 0
    now = timezone.now()
    if announcement.due_at > now:  # run early (a clock apart): come back at the time
        enqueue(announce, announcement_id, run_after=announcement.due_at)
        return 0
    model = announcement.content_type.model_class()
    item = model.objects.public().filter(pk=announcement.object_id).first()
    if item is None:
        # Not public at its time (rescheduled, or back to draft): nothing is owed for this
        # time; a save that makes the item due again records a new announcement.
        Announcement.objects.filter(pk=announcement.pk).delete()
        return 0
    matches = matching_subscriptions(item)
    with transaction.atomic():
        AlertSend.objects.bulk_create(
            [
                AlertSend(
                    subscription_id=pk,
                    content_type=announcement.content_type,
                    object_id=announcement.object_id,
                    digest=frequency == Frequency.DAILY,
                )
                for pk, frequency in matches
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        Announcement.objects.filter(pk=announcement.pk).update(done_at=now)
    pending = list(
        AlertSend.objects.filter(
            content_type=announcement.content_type,
            object_id=announcement.object_id,
            status=DeliveryStatus.QUEUED,
            digest=False,
        ).values_list("pk", flat=True)
    )
    enqueue_deliveries("alert", pending)
    return len(pending)


@task()
def deliver(kind: str, ids: list[int]) -> int:
    """Send these alerts or advance copies (those still due). Returns how many were sent."""
    model = MODELS[kind]
    left, resume_at = mail.deliver(model, ids)
    if left:
        enqueue(deliver, kind, left, run_after=resume_at)
    retries = model.objects.filter(
        pk__in=ids, status=DeliveryStatus.QUEUED, next_attempt_at__gt=timezone.now()
    ).values_list("pk", "next_attempt_at")
    for pk, when in retries:
        if pk not in left:
            enqueue(deliver, kind, [pk], run_after=when)
    return model.objects.filter(pk__in=ids, status=DeliveryStatus.SENT).count()


@task()
def send_confirmation(email: str, token: str, filter_words: str) -> None:
    """The double opt-in message: the only mail sent to an address not yet confirmed."""
    from django.urls import reverse

    from newsroom.distribution.links import absolute_url

    url = absolute_url(reverse("distribution:confirm", args=[token]))
    message = mail.build(
        to=email,
        subject=f"Confirm your {settings.NEWSROOM_NAME} alert",
        template="confirm",
        context={"url": url, "filter_words": filter_words},
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.send()


def send_digests(now: datetime) -> int:
    """One message per daily subscription with queued alerts; returns how many."""
    pending = (
        AlertSend.objects.filter(mail.due_q(now), digest=True)
        .values_list("subscription_id", flat=True)
        .distinct()
    )
    sent = 0
    for subscription in Subscription.objects.filter(pk__in=list(pending)):
        ids = AlertSend.objects.filter(
            mail.due_q(now), digest=True, subscription=subscription
        ).values_list("pk", flat=True)
        claimed = [row for pk in ids if (row := mail.claim(AlertSend, pk, now)) is not None]
        if not claimed:
            continue
        try:
            message = mail.digest_message(subscription, claimed)
            if message is not None:
                message.send()
        except Exception as error:
            for row in claimed:
                mail.mark_failed(row, f"{type(error).__name__}: {error}")
            continue
        for row in claimed:
            mail.mark_sent(row, timezone.now())
        sent += 1
    return sent


def next_digest_time(now: datetime) -> datetime:
    local = timezone.localtime(now)
    at = local.replace(hour=settings.NEWSROOM_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return at if at > local else at + timedelta(days=1)


def take_turn(
    name: str, now: datetime, next_run_at: datetime, *, first: datetime | None = None
) -> bool:
    """Whether this worker runs the recurring job `name` now (its time has come and no
    other worker took this turn); moves its next run to `next_run_at`. A job never run
    before is first due at `first` (default: now)."""
    schedule, _ = Schedule.objects.get_or_create(name=name, defaults={"next_run_at": first or now})
    return bool(
        Schedule.objects.filter(pk=schedule.pk, next_run_at__lte=now).update(
            next_run_at=next_run_at
        )
    )


@task()
def sweep() -> dict:
    """Catch what a lost task or a stopped worker left behind, send the daily digests when
    their hour has come, and schedule the next sweep. Safe to run at any time."""
    now = timezone.now()
    report = {"announcements": 0, "alerts": 0, "copies": 0, "digests": 0}
    for pk in Announcement.objects.filter(done_at=None, due_at__lte=now).values_list(
        "pk", flat=True
    ):
        announce.call(pk)
        report["announcements"] += 1
    stale = now - mail.SENDING_LEASE
    for kind, model in MODELS.items():
        # Interrupted sends go back to the queue (same Message-ID); due ones are enqueued.
        model.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=stale).update(
            status=DeliveryStatus.QUEUED
        )
        quiet = Q(next_attempt_at__lte=now - timedelta(minutes=1)) | Q(
            next_attempt_at__isnull=True, created_at__lte=now - timedelta(minutes=1)
        )
        due = model.objects.filter(mail.due_q(now)).filter(quiet)
        if model is AlertSend:
            due = due.filter(digest=False)
        ids = list(due.values_list("pk", flat=True)[:10_000])
        enqueue_deliveries(kind, ids)
        report["alerts" if kind == "alert" else "copies"] = len(ids)
    if take_turn("digest", now, next_digest_time(now), first=next_digest_time(now)):
        report["digests"] = send_digests(now)
    schedule_sweep(now)
    return report


def schedule_sweep(now: datetime | None = None) -> None:
    """Keep one chain of sweeps going: the worker whose conditional update wins enqueues
    the next; a chain lost with its queue is taken over once overdue."""
    now = now or timezone.now()
    if take_turn("sweep", now, now + SWEEP_EVERY):
        enqueue(sweep, run_after=now + SWEEP_EVERY)


def item_reference(item) -> dict:
    return {
        "content_type": ContentType.objects.get_for_model(type(item)),
        "object_id": item.pk,
    }
