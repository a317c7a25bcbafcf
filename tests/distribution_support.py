"""Helpers shared by the distribution tests."""

import re
from contextlib import contextmanager
from unittest.mock import patch

from django.core import mail
from django.core.management import call_command
from django.test import override_settings

WORKER = "django_tasks_db.management.commands.db_worker"

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def run_worker() -> None:
    """The database backend's worker, as `make run` starts it, until no task is due. In a
    test's transaction it must not close the connection between tasks, as it does to
    drop stale ones."""
    with patch(f"{WORKER}.close_old_connections"), patch(f"{WORKER}.Worker.configure_signals"):
        call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)


@contextmanager
def database_queue():
    with override_settings(TASKS=DATABASE):
        yield


def outbox_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to[0]]
