"""The live server's request threads and the database: each thread has a connection of its
own, closed when its request ends, and none holds a lock between requests, so the flush
after a browser test never waits on one.

The hang this guards against: with Django's default in-memory SQLite test database,
pytest-django hands the test's connection to the live server, and Django's threaded server
installs that one connection in every request thread. Chromium loads a page over several
connections at once, so several threads ran statements on one sqlite3 connection at once.
CPython binds a statement's parameters holding the GIL, and waits for the connection's
mutex; SQLite, holding that mutex, calls back into Python (Django's date functions on
SQLite, the search's match function) and waits for the GIL. Every thread stopped, the
test's teardown flush among them, and no timeout could fire. (That was a whole run; with
`-m browser` the server starts before the database exists, so shares nothing, and its
threads' own connections stayed open: Django never closes one to an in-memory database.)
The test database is now a file (newsroom/settings.py): each thread connects on its own.

These tests need the live server, not Chromium; they are browser tests for their place in
the run (last: each flushes the database) and for `pytest -m browser`.
"""

import http.client
import re
import sqlite3
import threading
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.management import call_command
from django.core.signals import request_started
from django.db import connection, connections

from articles.models import Release

pytestmark = pytest.mark.browser

# Pages whose queries call Python functions inside SQLite: the home page's and the archive's
# dates (TruncDate, TruncMonth) and the search's match function, one search per term so that
# no cached result spares a query.
PAGES = ["/", "/archive/", "/releases/", "/speeches/"] + [
    f"/search/?q={term}" for term in ("NATO", "defence", "innovation", "report", "security")
]
PARALLEL = 6  # Chromium opens up to six connections to one host
# Sent with this module's requests, so that a late request of an earlier test is not counted.
PROBE = {"X-Connection-Probe": "yes"}


class RequestThreads:
    """The thread that handled each of this module's requests, with the database connection
    (Django's wrapper) that thread uses."""

    def __init__(self) -> None:
        self.seen: list[tuple[threading.Thread, object]] = []
        self._lock = threading.Lock()

    def record(self, environ, **kwargs) -> None:
        if environ.get("HTTP_X_CONNECTION_PROBE") != "yes":
            return
        with self._lock:
            self.seen.append((threading.current_thread(), connections["default"]))

    def finished(self) -> list[object]:
        """Wait for every thread that handled a request to end; their connections."""
        with self._lock:
            seen = list(self.seen)
        for thread, _ in seen:
            thread.join()
        return [wrapper for _, wrapper in seen]


@pytest.fixture
def request_threads(live_server, transactional_db) -> Iterator[RequestThreads]:
    call_command("loaddata", "seed", verbosity=0)
    threads = RequestThreads()
    request_started.connect(threads.record, weak=False, dispatch_uid="request-threads")
    yield threads
    request_started.disconnect(dispatch_uid="request-threads")


def get(url: str) -> int:
    request = urllib.request.Request(url, headers=PROBE)
    with urllib.request.urlopen(request) as response:  # "Connection: close": thread a request
        response.read()
        return response.status


def assert_own_connections_closed(wrappers: list[object]) -> None:
    ours = connections["default"]
    for wrapper in wrappers:
        assert wrapper is not ours, (
            "a live-server request ran on the test's own database connection: two threads in "
            "one SQLite connection can deadlock the interpreter (see this module's docstring)"
        )
        assert wrapper.connection is None, (
            "a live-server request thread ended and left its database connection open"
        )


def test_each_request_thread_has_a_connection_of_its_own_and_closes_it(
    live_server, request_threads
):
    # One request first: sharing the test's connection fails here, before parallel
    # requests could deadlock on it.
    assert get(live_server.url + "/") == 200
    first = request_threads.finished()
    assert len(first) == 1
    assert_own_connections_closed(first)

    with ThreadPoolExecutor(PARALLEL) as pool:
        statuses = list(pool.map(get, [live_server.url + page for page in PAGES * PARALLEL]))

    assert statuses == [200] * len(PAGES) * PARALLEL
    wrappers = request_threads.finished()
    assert len(wrappers) == 1 + len(PAGES) * PARALLEL
    assert len({id(wrapper) for wrapper in wrappers}) == len(wrappers)
    assert_own_connections_closed(wrappers)


def lock_holders() -> list[str]:
    """Who, besides this test's own connection, holds a lock on the test database."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT state, query FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid()"
                " AND state IN ('idle in transaction', 'idle in transaction (aborted)')"
            )
            return [f"{state}: {query}" for state, query in cursor.fetchall()]
    assert connection.vendor == "sqlite"
    assert not connection.is_in_memory_db(), (
        "the test database is in memory: the live server shares the test's connection "
        "with its request threads (see this module's docstring)"
    )
    # An exclusive lock is granted only if no other connection holds any lock at all,
    # and with no busy timeout the attempt fails at once instead of waiting.
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
    except sqlite3.OperationalError as error:
        return [str(error)]
    else:
        other.execute("ROLLBACK")
        return []
    finally:
        other.close()


def test_a_kept_alive_request_thread_holds_no_lock_and_the_flush_goes_through(
    live_server, request_threads
):
    """A browser keeps its connections to the server open between requests, and the
    thread serving one keeps its database connection open as long (CONN_MAX_AGE). Open,
    after a failed log-in that wrote to the database, it must hold no lock."""
    address = urlsplit(live_server.url)
    browser = http.client.HTTPConnection(address.hostname, address.port)
    try:
        browser.request("GET", "/admin/login/", headers=PROBE)
        response = browser.getresponse()
        form = response.read().decode()
        assert response.status == 200
        csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie"))[1]
        csrf_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]

        browser.request(
            "POST",
            "/admin/login/",
            body=urlencode(
                {
                    "csrfmiddlewaretoken": csrf_token,
                    "username": "nobody",
                    "password": "not-the-password",
                }
            ),
            headers={
                **PROBE,
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf_cookie}",
            },
        )
        response = browser.getresponse()
        assert "Please enter the correct username and password" in response.read().decode()

        browser.request("GET", "/", headers=PROBE)
        response = browser.getresponse()
        response.read()
        assert response.status == 200

        # The server's thread for this connection is still there, its database connection
        # open, waiting for the next request.
        assert lock_holders() == []
        call_command("flush", interactive=False, verbosity=0)
        assert not Release.objects.exists()
    finally:
        browser.close()

    assert_own_connections_closed(request_threads.finished())
