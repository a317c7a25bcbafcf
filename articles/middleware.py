"""Request guards that apply to every URL."""

import logging
import re

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


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
        if CONTROL_CHARACTERS.search(request.path):
            errors = {"address": ["contains a control character"]}
            return render(request, "400.html", {"errors": errors}, status=400)
        for key, values in request.GET.lists():
            if CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(v) for v in values):
                name = CONTROL_CHARACTERS.sub("", key) or "query"
                errors = {name: ["contains a control character"]}
                return render(request, "400.html", {"errors": errors}, status=400)
        return self.get_response(request)


class ReadOnlyPublicSiteMiddleware:
    """Answer 405 (with `Allow`) to a method the public site does not take.

    Everything outside the admin is read-only: pages, feeds, sitemaps, robots.txt and
    /healthz answer GET and HEAD, and OPTIONS here with the list. Any other method (POST,
    PUT, PATCH, DELETE, ...) is a 405 before CSRF runs, rather than a "form expired" 403
    for a form that does not exist. The admin (its login included) takes POST as before.
    """

    ADMIN_PREFIX = "/admin/"  # newsroom/urls.py
    ALLOWED = ("GET", "HEAD", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") or request.path_info.startswith(self.ADMIN_PREFIX):
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


def database_unavailable(error: Exception) -> HttpResponse:
    """The plain 503 page for a database that cannot be reached (no details)."""
    logger.error("database unavailable: %s", error.__class__.__name__)
    response = HttpResponse(
        render_to_string("503.html"), status=503, content_type="text/html; charset=utf-8"
    )
    response["Retry-After"] = "30"
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
