"""Two app servers on one PostgreSQL and one Redis behave as one site.

Starts two gunicorn servers (DEBUG=0) on different ports against the test database
and Redis, publishes through one and reads through the other, and uses a session made
on one with the other. Runs when the suite runs on PostgreSQL with Redis reachable
(CI's second pass); skips with the reason otherwise.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from django.db import connection

from articles.querysets import Status
from tests.factories import make_release

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]


def reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(port: int, env: dict, workers: int = 1):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--config",
            "python:gunicorn_test_settings",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            if reachable(port):
                break
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode()[-2000:])
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


class Browser:
    """Just enough of a browser: cookies by hand, no redirects followed."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, url: str, data: dict | None = None) -> tuple[int, str]:
        body = urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body)
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        # As behind a TLS-terminating proxy: HTTPS requests need a same-origin Referer.
        request.add_header("X-Forwarded-Proto", "https")
        request.add_header("Referer", url.replace("http://", "https://", 1))
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=20)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";")[0]
        return response.status, response.read().decode()

    def csrf(self, url: str) -> str:
        _, page = self.request(url)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


SERVERS_REDIS = "redis://127.0.0.1:6379/4"  # the servers' shared cache, this test's own


@pytest.fixture
def server_env(tmp_path_factory) -> dict:
    """The environment of a production app server on the test database."""
    if connection.vendor != "postgresql":
        pytest.skip("the two-server test needs PostgreSQL (run with DATABASE_URL=postgres://…)")
    if not reachable(6379):
        pytest.skip("the two-server test needs Redis at 127.0.0.1:6379")
    settings = connection.settings_dict
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "two-servers-test-" + "x" * 48,
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_TLS_PROXY": "1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}",
        "REDIS_URL": SERVERS_REDIS,
        "PYTHONPATH": str(ROOT / "tests"),
        "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
    }
    redis.Redis.from_url(SERVERS_REDIS).flushdb()  # no entry left by an earlier run
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return env


@pytest.fixture
def servers(server_env):
    with gunicorn(free_port(), server_env) as first, gunicorn(free_port(), server_env) as second:
        yield first, second


# How long a change may take to reach every server: the content version is read at
# most once a second (NEWSROOM_VERSION_CHECK_SECONDS); this bound only ends a failing
# test, it measures nothing.
PATIENCE = 20.0


def until(check, patience: float = PATIENCE) -> float:
    """Poll `check()` until it is true; return the seconds it took (fail past patience)."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < patience, "the change never reached the server"
        time.sleep(0.1)
    elapsed = time.monotonic() - start
    print(f"reached after {elapsed:.1f} s")  # noqa: T201 - shown with -s, for the note
    return elapsed


def sign_in(browser: "Browser", server: str, editor) -> None:
    editor.set_password("editor-password-77")
    editor.save()
    token = browser.csrf(f"{server}/admin/login/")
    status, _ = browser.request(
        f"{server}/admin/login/?next=/admin/",
        {
            "csrfmiddlewaretoken": token,
            "username": editor.username,
            "password": "editor-password-77",
            "next": "/admin/",
        },
    )
    assert status == HTTPStatus.FOUND


def run_action(browser: "Browser", server: str, action: str, item) -> None:
    token = browser.csrf(f"{server}/admin/articles/release/")
    status, _ = browser.request(
        f"{server}/admin/articles/release/",
        {"csrfmiddlewaretoken": token, "action": action, "_selected_action": item.pk},
    )
    assert status == HTTPStatus.FOUND


def test_publish_on_one_server_shows_on_the_other_with_a_shared_session(servers, editor):
    first, second = servers
    draft = make_release(title="Two servers walrus", slug="two-servers-walrus", status=Status.DRAFT)
    reader = Browser()
    assert reader.request(f"{second}/releases/")[0] == HTTPStatus.OK  # warm the cache on B
    assert reader.request(f"{second}{draft.get_absolute_url()}")[0] == HTTPStatus.NOT_FOUND

    staff = Browser()
    sign_in(staff, first, editor)
    run_action(staff, first, "publish_now", draft)

    until(lambda: "Two servers walrus" in reader.request(f"{second}/releases/")[1])
    assert reader.request(f"{second}{draft.get_absolute_url()}")[0] == HTTPStatus.OK

    # The session made on the first server is valid on the second.
    status, page = staff.request(f"{second}/admin/")
    assert status == HTTPStatus.OK
    assert "Log out" in page


PAGES = ["/", "/releases/", "/feeds/releases/", "/sitemap-releases.xml"]


def test_a_withdrawal_on_a_server_whose_cache_is_down_reaches_the_other(server_env, editor):
    """Server A cannot reach Redis; server B can and has every page cached. "Back to
    draft" on A must reach B: the version that decides freshness is in the database."""
    item = make_release(title="Cacheless walrus", slug="cacheless-walrus")
    broken = {**server_env, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
    with gunicorn(free_port(), broken) as first, gunicorn(free_port(), server_env) as second:
        reader = Browser()
        urls = [f"{second}{page}" for page in PAGES] + [f"{second}{item.get_absolute_url()}"]
        for url in urls:  # cached on B, twice to be sure
            reader.request(url)
        assert "Cacheless walrus" in reader.request(f"{second}/releases/")[1]

        staff = Browser()
        sign_in(staff, first, editor)
        run_action(staff, first, "back_to_draft", item)

        until(lambda: "Cacheless walrus" not in reader.request(f"{second}/releases/")[1])
        for url in urls[:-1]:
            assert "Cacheless walrus" not in reader.request(url)[1], url
        assert reader.request(urls[-1])[0] == HTTPStatus.NOT_FOUND


def test_workers_without_redis_agree_after_a_withdrawal(server_env):
    """One server, three workers, each with its own local-memory cache and page cache on:
    after a withdrawal, no worker keeps serving the item (in lists, counts, related)."""
    env = {**server_env, "REDIS_URL": "", "NEWSROOM_PAGE_CACHE": "1"}
    item = make_release(title="Worker walrus", slug="worker-walrus", tags=["Ukraine"])
    neighbour = make_release(title="Neighbour walrus", tags=["Ukraine"])
    with gunicorn(free_port(), env, workers=3) as server:
        reader = Browser()
        related = f"{server}{neighbour.get_absolute_url()}"
        for _ in range(15):  # every worker caches the pages and the related items
            assert "Worker walrus" in reader.request(f"{server}/releases/?tag=ukraine")[1]
            assert "Worker walrus" in reader.request(related)[1]

        item.status = Status.DRAFT
        item.save()

        def counts(pages: list[str]) -> set[str | None]:
            found = (re.search(r"(\d+) releases?\b", page) for page in pages)
            return {match.group(1) if match else None for match in found}

        def every_worker_agrees() -> bool:
            """Items and counts alike: a worker that read the content version just before
            the change keeps its cached count for up to a check interval (1 s)."""
            lists = [reader.request(f"{server}/releases/?tag=ukraine")[1] for _ in range(15)]
            pages = lists + [reader.request(related)[1] for _ in range(15)]
            return not any("Worker walrus" in page for page in pages) and counts(lists) == {"1"}

        until(every_worker_agrees)
        pages = [reader.request(f"{server}/releases/?tag=ukraine")[1] for _ in range(15)]
        assert not any("Worker walrus" in page for page in pages)
        assert counts(pages) == {"1"}


def test_an_embargo_lifts_on_every_server_at_its_time(servers):
    """Both servers have the list cached just before the lift: each shows the item from
    its time on (never before), within the polling interval of it."""
    from datetime import timedelta

    from django.utils import timezone

    lift = timezone.now() + timedelta(seconds=4)
    make_release(title="Lifting walrus", slug="lifting-walrus", published_at=lift)
    reader = Browser()
    seen: dict[str, float] = {}
    while len(seen) < len(servers):
        assert timezone.now() < lift + timedelta(seconds=PATIENCE), "the lift never showed"
        for server in servers:
            if server not in seen and "Lifting walrus" in reader.request(f"{server}/releases/")[1]:
                seen[server] = (timezone.now() - lift).total_seconds()
        time.sleep(0.05)
    print(f"lift shown after {sorted(seen.values())} s")  # noqa: T201 - for the note
    assert all(late >= 0 for late in seen.values())  # never before its time
