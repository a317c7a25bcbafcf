"""Request guards that apply to every URL."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class RejectNulBytesMiddleware:
    """Answer 400 to a NUL byte anywhere in the path or the query string.

    PostgreSQL refuses NUL in text parameters, so it is handled once, here, rather
    than as a database error in whichever view first passes it on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return render(
                request, "400.html", {"errors": {"address": ["contains a NUL byte"]}}, status=400
            )
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                context = {"errors": {key.replace("\x00", "") or "query": ["contains a NUL byte"]}}
                return render(request, "400.html", context, status=400)
        return self.get_response(request)


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
            logger.error("database unavailable: %s", exception.__class__.__name__)
            response = HttpResponse(
                render_to_string("503.html"), status=503, content_type="text/html; charset=utf-8"
            )
            response["Retry-After"] = "30"
            return response
        return None
