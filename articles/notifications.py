"""Editors are told by email when an item is submitted for review or a change to a live
item is proposed (issue 22).

Each message goes on the task queue (the Django tasks API, as distribution's alerts do:
`make run` and `make worker` start the worker) once the transaction that made the change
commits: a save that fails or is rolled back tells nobody, and a mail server that is
slow or down never slows or fails the save. The task retries a failed send a few times,
minutes apart, then logs it; if the queue itself cannot take the message, it is sent at
once instead. Recipients are the active accounts with an email address that may publish
that kind of item (superusers included), except the person who made the change.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from articles.site_url import absolute_url

logger = logging.getLogger("newsroom.notifications")

SUBJECTS = {
    "review": "For review: {title}",
    "proposal": "Proposed change to a live item: {title}",
}
ATTEMPTS = 4  # a message is tried this many times ...
RETRY_AFTER = timedelta(minutes=5)  # ... this far apart

INTROS = {
    "review": "{who} submitted this {noun} for review:",
    "proposal": "{who} proposed a change to this live {noun}; it is not applied until an "
    "editor applies it:",
}


def editors_to_tell(model, actor) -> list[str]:
    """Email addresses of the accounts that can publish `model` items, but not `actor`'s."""
    codename = f"publish_{model._meta.model_name}"
    permission = Permission.objects.filter(codename=codename, content_type__app_label="articles")
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=permission)
            | Q(groups__permissions__in=permission)
        )
        .distinct()
    )
    if actor is not None and actor.pk:
        users = users.exclude(pk=actor.pk)
    return sorted(set(users.values_list("email", flat=True)))


def notify_editors(kind: str, items: Iterable, *, actor, request=None) -> None:
    """Tell the editors about `items` (one message each) once the change has committed.
    `kind` is "review" (submitted for review) or "proposal" (a change to a live item)."""
    items = list(items)
    if not items:
        return
    model = type(items[0])
    recipients = editors_to_tell(model, actor)
    if not recipients:
        return
    who = (actor.get_full_name() or actor.get_username()) if actor else "Someone"
    messages = []
    for item in items:
        name = model._meta.model_name
        page = "history" if kind == "proposal" else "change"
        path = reverse(f"admin:articles_{name}_{page}", args=[item.pk])
        queue = reverse("admin:index")
        try:
            link, queue_link = absolute_url(path, request), absolute_url(queue, request)
        except Exception:  # no configured address and no request: the paths still help
            link, queue_link = path, queue
        body = "\n\n".join([
            INTROS[kind].format(who=who, noun=model._meta.verbose_name),
            f"“{item.title}”",
            f"Open it: {link}",
            f"Everything waiting for review: {queue_link}",
        ])  # fmt: skip
        messages.append((SUBJECTS[kind].format(title=item.title)[:150], body))

    def enqueue_all() -> None:
        for subject, body in messages:
            try:
                send_to_editors.enqueue(subject, body, recipients)
            except Exception:  # the queue is unreachable: better sent now than never
                logger.exception("review notification not queued; sending it now")
                send_to_editors.call(subject, body, recipients, attempt=ATTEMPTS)

    transaction.on_commit(enqueue_all)


@task()
def send_to_editors(subject: str, body: str, recipients: list[str], attempt: int = 1) -> bool:
    """Send one notification; a failure is retried later (up to `ATTEMPTS` tries), then
    logged. Returns whether it was sent."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        return True
    except Exception:
        if attempt >= ATTEMPTS:
            logger.exception("review notification not sent", extra={"subject": subject})
            return False
        logger.warning("review notification not sent (try %d of %d); retrying", attempt,
                       ATTEMPTS, exc_info=True)  # fmt: skip
        try:
            send_to_editors.using(run_after=timezone.now() + RETRY_AFTER).enqueue(
                subject, body, recipients, attempt + 1
            )
        except Exception:
            logger.exception("review notification not sent", extra={"subject": subject})
        return False
