"""Both task backends, and exactly once with two workers side by side.

The database backend (the default): two real `db_worker` loops in two threads, each
with its own connection, over the same announcements and delivery tasks, enqueued
several times over. RQ on Redis (NEWSROOM_TASKS=rq): a task enqueued through the Django
tasks API is run by an RQ worker.
"""

import os
import socket
import threading
import uuid
from datetime import timedelta
from unittest.mock import patch

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from newsroom.distribution import alerts
from newsroom.distribution.models import AlertSend, Announcement, DeliveryStatus, Subscription
from newsroom.distribution.tasks import announce, deliver
from tests.distribution_support import DATABASE, WORKER
from tests.factories import make_release


def subscribe_many(count: int) -> list[Subscription]:
    cleaned = alerts.clean_filter({"scope": "all"})
    return Subscription.objects.bulk_create(
        Subscription(email=f"reader{n}@example.org", scope="all", tags=[],
                     filter_key=alerts.filter_key(cleaned), confirmed_at=timezone.now())
        for n in range(count)
    )  # fmt: skip


def run_worker_thread(errors: list, barrier: threading.Barrier) -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    try:
        barrier.wait(timeout=30)
        with patch(f"{WORKER}.Worker.configure_signals"):
            Worker(queue_names=["*"], interval=0, batch=True, backend_name="default",
                   startup_delay=False, max_tasks=None, worker_id=uuid.uuid4().hex[:20],
                   excluded_queue_names=[]).run()  # fmt: skip
    except BaseException as error:  # reported by the test
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_alert_exactly_once(settings):
    if connection.vendor != "postgresql":
        pytest.skip(
            "two workers claiming rows with SKIP LOCKED: run with DATABASE_URL=postgres://…"
        )
    settings.TASKS = DATABASE
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    settings.NEWSROOM_EMAIL_RATE_PER_MINUTE = 0
    subscribe_many(40)
    release = make_release(published_at=timezone.now() - timedelta(seconds=1))  # commits
    announcement = Announcement.objects.get(object_id=release.pk)
    for _ in range(3):  # the same work, owed several times over (reruns, a sweep)
        announce.enqueue(announcement.pk)
    mail.outbox = []
    errors: list = []
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=run_worker_thread, args=(errors, barrier))
               for _ in range(2)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    # Everything fanned out; now the deliveries again, twice each, by both workers.
    ids = list(AlertSend.objects.values_list("pk", flat=True))
    for _ in range(2):
        deliver.enqueue("alert", ids)
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=run_worker_thread, args=(errors, barrier))
               for _ in range(2)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    recipients = [message.to[0] for message in mail.outbox]
    assert len(recipients) == 40 and len(set(recipients)) == 40
    assert AlertSend.objects.filter(status=DeliveryStatus.SENT).count() == 40


def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/3"
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return url
    except OSError:
        return None


@pytest.mark.redis
@pytest.mark.django_db
def test_the_rq_backend_runs_the_same_tasks(settings):
    url = redis_url()
    if url is None:
        pytest.skip("Redis is not reachable at 127.0.0.1:6379; the RQ backend test is skipped")
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    queue_name = f"newsroom-test-{uuid.uuid4().hex[:8]}"  # runs side by side never share it
    settings.RQ_QUEUES = {queue_name: {"URL": url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend",
                                  "QUEUES": [queue_name]}}  # fmt: skip
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    with patch.object(django_rq.settings, "QUEUES", settings.RQ_QUEUES):
        subscribe_many(3)
        release = make_release(published_at=timezone.now() - timedelta(seconds=1))
        announcement = Announcement.objects.get(object_id=release.pk)
        result = announce.using(queue_name=queue_name).enqueue(announcement.pk)
        assert result.backend == "default"
        queue = django_rq.get_queue(queue_name, job_class=Job)
        try:
            # Delivery tasks the fan-out enqueues go to the default queue name: send them
            # to this test's queue too.
            with patch("newsroom.distribution.tasks.deliver",
                       deliver.using(queue_name=queue_name)):  # fmt: skip
                SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
        finally:
            queue.empty()
            queue.delete(delete_jobs=True)
    assert AlertSend.objects.filter(status=DeliveryStatus.SENT).count() == 3
    assert len(mail.outbox) == 3
