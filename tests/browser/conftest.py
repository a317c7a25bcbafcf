"""Browser tests: Playwright (sync API) driving Debian's Chromium against a live server.

Run them alone with `pytest -m browser`. They skip, saying why, only when
`/usr/bin/chromium` is absent; `.ci/run` installs it, so CI always runs them.
Each test gets a live server (pytest-django's `live_server`, a thread of this
process) over a fresh database with the seed archive loaded. Each request thread of the
server has a database connection of its own, closed when its request ends; on SQLite that
is why the test database is a file, not in memory (test_live_server_connections.py).
"""

import faulthandler
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import pytest_timeout
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run after every other test. Each one flushes the database (the live
    server needs real transactions), roles made by data migrations included, and
    Chromium's event loop stays in this thread until the end: no test after them should
    have to care about either."""
    browser_tests = [item for item in items if item.get_closest_marker("browser")]
    if browser_tests:
        others = [item for item in items if not item.get_closest_marker("browser")]
        items[:] = others + browser_tests


# pytest-timeout (pyproject.toml) ends a stuck test with every thread's stack, but from a
# Python thread, which needs the GIL: a deadlock in C code that holds the GIL, as two threads
# in one SQLite connection had here (test_live_server_connections.py), stops it too. The
# faulthandler watchdog is a C thread that needs no GIL: a minute after pytest-timeout
# should have acted, it prints every thread's stack and ends the run.
BACKSTOP_MARGIN_S = 60


@pytest.fixture(scope="session")
def _stderr_fd(pytestconfig) -> Iterator[int]:
    """The real standard error, not pytest's capture file, which is lost when the
    watchdog ends the process."""
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    if capture is None:
        fd = os.dup(2)
    else:
        with capture.global_and_fixture_disabled():
            fd = os.dup(2)
    yield fd
    os.close(fd)


@pytest.fixture(autouse=True)
def _hang_watchdog(request, _stderr_fd) -> Iterator[None]:
    """Armed for each browser test with pytest-timeout's limit plus the margin; off when
    pytest-timeout is (`--timeout=0`, `-p no:timeout`, a debugger)."""
    timeout = None
    if request.config.pluginmanager.hasplugin("timeout"):
        marker = request.node.get_closest_marker("timeout")  # @pytest.mark.timeout(seconds)
        timeout = marker and (marker.args[0] if marker.args else marker.kwargs.get("timeout"))
        if timeout is None:
            timeout = pytest_timeout.get_env_settings(request.config).timeout
    if not timeout or pytest_timeout.is_debugging():
        yield
        return
    faulthandler.dump_traceback_later(timeout + BACKSTOP_MARGIN_S, exit=True, file=_stderr_fd)
    yield
    faulthandler.cancel_dump_traceback_later()


def pytest_enter_pdb() -> None:
    """Someone is debugging: a stopped test is not a hang (pytest-timeout stops too)."""
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in this thread, so Django's guard
    # against ORM calls from async code would refuse the test's own ORM calls. They
    # are synchronous; the guard is lifted only while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    chromium = manager.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield chromium
    chromium.close()
    manager.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True, scope="session")
def _media_through_the_site():
    """Django's live server answers /media/ itself, from MEDIA_ROOT (a development
    convenience): the site serves media through its own view, which applies the public
    rule (newsroom/media/views.py), so the shortcut is turned off."""
    from django.test.testcases import _MediaFilesHandler

    original = _MediaFilesHandler._should_handle
    _MediaFilesHandler._should_handle = lambda self, path: False
    yield
    _MediaFilesHandler._should_handle = original


@pytest.fixture
def site(browser, live_server, transactional_db) -> str:
    """The live server's address, its database holding the seed archive."""
    call_command("loaddata", "seed", verbosity=0)
    return live_server.url


class Session:
    """A browser context with every request it made, for the network assertions."""

    def __init__(self, browser, base_url: str, **options):
        self.base_url = base_url
        self.requests: list[str] = []
        self.context = browser.new_context(base_url=base_url, **options)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.on("request", lambda request: self.requests.append(request.url))

    def new_page(self):
        return self.context.new_page()

    def foreign_requests(self) -> list[str]:
        """Every request that did not go to the live server (data: URLs are inline)."""
        host = urlsplit(self.base_url).netloc
        return [
            url
            for url in self.requests
            if not url.startswith("data:") and urlsplit(url).netloc != host
        ]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_session(browser, site) -> Iterator:
    """`open_session(**context_options)` opens another browser context (a person).
    Every request each one makes is recorded; none may leave the live server."""
    sessions: list[Session] = []

    def open_one(**options) -> Session:
        options.setdefault("viewport", DESKTOP)
        session = Session(browser, site, **options)
        sessions.append(session)
        return session

    yield open_one
    foreign = [url for session in sessions for url in session.foreign_requests()]
    for session in sessions:
        session.close()
    # Every browser test doubles as a check that pages fetch nothing from elsewhere.
    assert not foreign, f"requests that did not go to the live server: {foreign}"


@pytest.fixture
def session(open_session) -> Session:
    return open_session()


@pytest.fixture
def page(session):
    """A desktop-sized page of a reader's browser, addresses relative to the live server."""
    return session.new_page()


@pytest.fixture
def screenshots_dir() -> Path:
    """Screenshots are artifacts of the run (git-ignored), not committed."""
    directory = ARTIFACTS / "screenshots"
    directory.mkdir(parents=True, exist_ok=True)
    return directory
