"""Messages: built from templates (HTML and plain text), with the headers mail needs,
handed to Django's email backend at a bounded rate, retried with backoff on failure.

A message record is claimed (queued -> sending) and committed before the mail server is
called, then marked sent, so two workers never send it both. Each record has a stable
`Message-ID`: should a worker die after the server took a message but before it was
marked sent, the sweep sends it again with the same `Message-ID`, which mail systems
treat as the same message.
"""

import logging
from datetime import datetime, timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from newsroom.distribution import links
from newsroom.distribution.models import (
    AdvanceCopy,
    AlertSend,
    DeliveryStatus,
    Subscription,
)

logger = logging.getLogger(__name__)

# A message left "sending" this long was interrupted (its worker died): the sweep sends it
# again (same Message-ID).
SENDING_LEASE = timedelta(minutes=10)


def domain() -> str:
    return links.root().split("://", 1)[1].split(":")[0]


def message_id(kind: str, pk: int, attempt_key: str = "") -> str:
    return f"<newsroom-{kind}-{pk}{attempt_key}@{domain()}>"


def render(template: str, context: dict) -> tuple[str, str]:
    """(plain text, HTML) of `distribution/email/<template>`."""
    context = {"NEWSROOM_NAME": settings.NEWSROOM_NAME, "site_root": links.root(), **context}
    text = render_to_string(f"distribution/email/{template}.txt", context)
    html = render_to_string(f"distribution/email/{template}.html", context)
    return text, html


def build(
    *, to: str, subject: str, template: str, context: dict, headers: dict
) -> EmailMultiAlternatives:
    text, html = render(template, context)
    message = EmailMultiAlternatives(
        subject=subject.replace("\n", " ").strip(), body=text, to=[to], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


def list_headers(subscription_id: int) -> dict:
    """List-Id and one-click unsubscribe (RFC 2369, RFC 8058)."""
    return {
        "List-Id": f"{settings.NEWSROOM_NAME} alerts <alerts.{domain()}>",
        "List-Unsubscribe": f"<{links.unsubscribe_url(subscription_id)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# --- the rate limit -------------------------------------------------------------------


def sent_in_last_minute(now: datetime) -> int:
    since = now - timedelta(minutes=1)
    recent = Q(sent_at__gte=since) | Q(status=DeliveryStatus.SENDING, claimed_at__gte=since)
    return AlertSend.objects.filter(recent).count() + AdvanceCopy.objects.filter(recent).count()


def rate_allows(now: datetime) -> bool:
    limit = settings.NEWSROOM_EMAIL_RATE_PER_MINUTE
    return not limit or sent_in_last_minute(now) < limit


# --- claiming, sending, retrying --------------------------------------------------------


def due_q(now: datetime) -> Q:
    return Q(status=DeliveryStatus.QUEUED) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def claim(model: type[models.Model], pk: int, now: datetime):
    """The record, now "sending" and committed as such, or None if another worker has it,
    it was sent, or it is not due. `select_for_update(skip_locked)` passes over rows
    another PostgreSQL transaction holds; the conditional update decides on any database."""
    with transaction.atomic():
        row = model.objects.select_for_update(skip_locked=True).filter(due_q(now), pk=pk).first()
        if row is None:
            return None
        won = model.objects.filter(due_q(now), pk=pk).update(
            status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        if not won:
            return None
    row.refresh_from_db()
    return row


def mark_sent(row, now: datetime) -> None:
    type(row).objects.filter(pk=row.pk).update(
        status=DeliveryStatus.SENT, sent_at=now, last_error="", next_attempt_at=None
    )


def mark_failed(row, error: str, *, final: bool = False) -> datetime | None:
    """Back to the queue with a doubling wait, or failed for good after the last try.
    The time of the next try, if any."""
    now = timezone.now()
    if final or row.attempts >= settings.NEWSROOM_EMAIL_MAX_ATTEMPTS:
        type(row).objects.filter(pk=row.pk).update(
            status=DeliveryStatus.FAILED, last_error=error[:2000], next_attempt_at=None
        )
        return None
    retry_at = now + timedelta(minutes=2 ** max(row.attempts - 1, 0))
    type(row).objects.filter(pk=row.pk).update(
        status=DeliveryStatus.QUEUED, last_error=error[:2000], next_attempt_at=retry_at
    )
    return retry_at


def alert_message(send: AlertSend) -> EmailMultiAlternatives | None:
    """The alert for one item, or None when the item is no longer public."""
    from newsroom.distribution.alerts import describe, subscription_filter

    model = send.content_type.model_class()
    item = model.objects.public().filter(pk=send.object_id).first()
    if item is None:
        return None
    subscription = send.subscription
    context = {
        "items": [item],
        "filter_words": describe(subscription_filter(subscription)),
        "manage_url": links.manage_url(subscription.pk),
        "unsubscribe_url": links.unsubscribe_url(subscription.pk),
    }
    noun = model._meta.verbose_name
    message = build(
        to=subscription.email,
        subject=f"New {noun}: {item.title}",
        template="alert",
        context=context,
        headers={"Message-ID": message_id("alert", send.pk), **list_headers(subscription.pk)},
    )
    return message


def digest_message(subscription: Subscription, sends: list[AlertSend]):
    """One message for a day's alerts of a subscription, public items only."""
    from newsroom.distribution.alerts import describe, subscription_filter

    items = []
    for send in sends:
        model = send.content_type.model_class()
        item = model.objects.public().filter(pk=send.object_id).first()
        if item is not None:
            items.append(item)
    if not items:
        return None
    context = {
        "items": items,
        "digest": True,
        "filter_words": describe(subscription_filter(subscription)),
        "manage_url": links.manage_url(subscription.pk),
        "unsubscribe_url": links.unsubscribe_url(subscription.pk),
    }
    first = min(send.pk for send in sends)
    return build(
        to=subscription.email,
        subject=f"{settings.NEWSROOM_NAME}: {len(items)} new item{'s' if len(items) > 1 else ''}",
        template="alert",
        context=context,
        headers={"Message-ID": message_id("digest", first), **list_headers(subscription.pk)},
    )


def advance_copy_message(copy: AdvanceCopy) -> EmailMultiAlternatives | None:
    """The personal link to an embargoed item, or None when it is no longer scheduled."""
    model = copy.content_type.model_class()
    item = (
        model.objects.embargoed().filter(pk=copy.object_id).first()
        or model.objects.public().filter(pk=copy.object_id).first()
    )
    if item is None:
        return None
    context = {
        "item": item,
        "contact": copy.contact,
        "url": links.advance_url(copy.pk, copy.nonce),
        "lift_at": item.published_at,
    }
    local = timezone.localtime(item.published_at)
    return build(
        to=formataddr((copy.contact.name, copy.contact.email)),
        subject=f"Embargoed until {local:%d %b %Y, %H:%M} {local.tzname()}: {item.title}",
        template="advance_copy",
        context=context,
        headers={
            "Message-ID": message_id("copy", copy.pk, f"-{copy.nonce[:8]}"),
            "List-Id": f"{settings.NEWSROOM_NAME} advance copies <advance.{domain()}>",
        },
    )


def deliver(model: type[models.Model], ids: list[int]) -> tuple[list[int], datetime | None]:
    """Send the due records among `ids`. Returns the ids left for later (the rate limit
    was reached) and when to try them; retries of failures are scheduled by the caller
    from the records' `next_attempt_at` (see tasks.py)."""
    builders = {AlertSend: alert_message, AdvanceCopy: advance_copy_message}
    for index, pk in enumerate(ids):
        now = timezone.now()
        if not rate_allows(now):
            return ids[index:], now + timedelta(minutes=1)
        row = claim(model, pk, now)
        if row is None:
            continue
        try:
            message = builders[model](row)
        except Exception as error:  # a template or data problem: retry, then give up
            logger.exception("Building message %s %s failed", model.__name__, pk)
            mark_failed(row, f"{type(error).__name__}: {error}")
            continue
        if message is None:
            mark_failed(row, "The item is no longer public or scheduled.", final=True)
            continue
        try:
            message.send()
        except Exception as error:  # SMTP or provider error: back to the queue
            logger.warning("Sending %s %s failed: %s", model.__name__, pk, error)
            mark_failed(row, f"{type(error).__name__}: {error}")
            continue
        mark_sent(row, timezone.now())
    return [], None
