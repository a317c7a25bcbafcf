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
def gunicorn(port: int, env: dict):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
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


@pytest.fixture
def servers(django_user_model, tmp_path_factory):
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
        "REDIS_URL": "redis://127.0.0.1:6379/4",
        "PYTHONPATH": str(ROOT / "tests"),
        "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    with gunicorn(free_port(), env) as first, gunicorn(free_port(), env) as second:
        yield first, second


def test_publish_on_one_server_shows_on_the_other_with_a_shared_session(servers, editor):
    first, second = servers
    editor.set_password("editor-password-77")
    editor.save()
    draft = make_release(title="Two servers walrus", slug="two-servers-walrus", status=Status.DRAFT)
    reader = Browser()
    assert reader.request(f"{second}/releases/")[0] == HTTPStatus.OK  # warm the cache on B
    assert reader.request(f"{second}{draft.get_absolute_url()}")[0] == HTTPStatus.NOT_FOUND

    staff = Browser()
    token = staff.csrf(f"{first}/admin/login/")
    status, _ = staff.request(
        f"{first}/admin/login/?next=/admin/",
        {
            "csrfmiddlewaretoken": token,
            "username": editor.username,
            "password": "editor-password-77",
            "next": "/admin/",
        },
    )
    assert status == HTTPStatus.FOUND
    token = staff.csrf(f"{first}/admin/articles/release/")
    status, _ = staff.request(
        f"{first}/admin/articles/release/",
        {"csrfmiddlewaretoken": token, "action": "publish_now", "_selected_action": draft.pk},
    )
    assert status == HTTPStatus.FOUND

    status, page = reader.request(f"{second}/releases/")
    assert "Two servers walrus" in page
    assert reader.request(f"{second}{draft.get_absolute_url()}")[0] == HTTPStatus.OK

    # The session made on the first server is valid on the second.
    status, page = staff.request(f"{second}/admin/")
    assert status == HTTPStatus.OK
    assert "Log out" in page
