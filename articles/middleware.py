"""Every middleware of the project: request guards, the public page cache, the 503."""

import hashlib
import re

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from articles.cache import content_version, fresh_until, note_page_version, read, store
from articles.responses import bad_request, database_unavailable

# C0 control characters other than tab, line feed and carriage return, and DEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RejectControlCharactersMiddleware:
    """Answer 400 to a NUL byte or another control character in the path or query string.

    PostgreSQL refuses NUL in text parameters and XML 1.0 (feeds, sitemaps) cannot carry
    control characters, so they are refused once, here, rather than failing deep in
    whichever view first passes them on. No legitimate address contains them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        errors = control_character_errors(request)
        if errors:
            return bad_request(request, errors)
        return self.get_response(request)


def control_character_errors(request: HttpRequest) -> dict[str, list[str]] | None:
    """The field that carries a control character (`address` for the path), if any."""
    if CONTROL_CHARACTERS.search(request.path):
        return {"address": ["contains a control character"]}
    for key, values in request.GET.lists():
        if CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(v) for v in values):
            name = CONTROL_CHARACTERS.sub("", key) or "query"
            return {name: ["contains a control character"]}
    return None


class ReadOnlyPublicSiteMiddleware:
    """Answer 405 (with `Allow`) to a method the public site does not take.

    Everything outside the admin is read-only: pages, feeds, sitemaps, robots.txt and
    /healthz answer GET and HEAD, and OPTIONS here with the list. Any other method (POST,
    PUT, PATCH, DELETE, ...) is a 405 before CSRF runs, rather than a "form expired" 403
    for a form that does not exist. The admin (its login included) takes POST as before.
    """

    ADMIN_PREFIX = "/admin/"  # newsroom/urls.py
    # Alert sign-up, confirmation and unsubscription are POSTs (newsroom/distribution/).
    WRITABLE_PREFIXES = (ADMIN_PREFIX, "/alerts/")
    ALLOWED = ("GET", "HEAD", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") or request.path_info.startswith(
            self.WRITABLE_PREFIXES
        ):
            return self.get_response(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=200)
        else:
            response = HttpResponseNotAllowed(
                self.ALLOWED,
                f"{request.method} is not accepted here: the public site only answers "
                "GET and HEAD.\n",
                content_type="text/plain; charset=utf-8",
            )
        response["Allow"] = ", ".join(self.ALLOWED)
        return response


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, answer a plain 503 page (no traceback, no
    settings) instead of a 500. The next request tries again: Django's connection
    health checks reconnect by themselves when the database returns."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            return database_unavailable(exception)
        return None


class PublicPageCacheMiddleware:
    """Serve anonymous GET requests for public pages from the shared cache.

    Never for signed-in staff, the admin, previews, or responses that are not a plain
    200; keyed by content version and full path; expiring no later than the first
    embargo lift still to come when the page began to be built. Sits after Django's
    authentication middleware: a stray session cookie does not make a reader uncached.
    """

    SKIP_PREFIXES = ("/admin/", "/healthz", "/static/", "/media/", "/alerts/", "/advance/")

    def __init__(self, get_response):
        self.get_response = get_response

    def _public_page(self, request: HttpRequest) -> bool:
        return request.method in ("GET", "HEAD") and not request.path.startswith(self.SKIP_PREFIXES)

    def _cacheable_request(self, request: HttpRequest) -> bool:
        return getattr(settings, "NEWSROOM_PAGE_CACHE", True) and (
            # Read only when a session cookie came (one query): no cookie, no session.
            settings.SESSION_COOKIE_NAME not in request.COOKIES or not request.user.is_authenticated
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            if not self._public_page(request):
                return self.get_response(request)
            version = content_version()
            # Before the view reads anything, cached page or not: the version its cards
            # are kept under (articles/cache.py: fragments).
            note_page_version(version)
            if not self._cacheable_request(request):
                return self.get_response(request)
        except DatabaseError as error:
            return database_unavailable(error)
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(address.encode()).hexdigest()
        key = f"newsroom:page:{version}:{digest}"
        cached = read(key)
        if cached is not None:
            cached["X-Newsroom-Cache"] = "hit"
            return cached
        try:
            until = fresh_until(version)  # before the view reads anything
        except DatabaseError as error:
            return database_unavailable(error)
        response = self.get_response(request)
        if self._cacheable_response(response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            store(key, response, until)
            response["X-Newsroom-Cache"] = "miss"
        return response

    @staticmethod
    def _cacheable_response(response: HttpResponse) -> bool:
        control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and "private" not in control
            and "no-cache" not in control
            and "no-store" not in control
            and not response.cookies
        )
