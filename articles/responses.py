"""Answers shared by pages, feeds and middleware: the contract's 400, the 410 of a
removed item and the 503."""

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

logger = logging.getLogger("articles.middleware")


def bad_request(request: HttpRequest, errors: dict) -> HttpResponse:
    """The contract's 400: a page that names each wrong field."""
    context = {"errors": errors, "error_page": True}
    return render(request, "400.html", context, status=400)


def gone(request: HttpRequest, item) -> HttpResponse:
    """410 for a removed item's addresses: its title, when it was published and removed,
    and the editor's short note. Only an item that was public reaches here
    (`removed()`), so the title tells readers nothing they could not read before."""
    context = {"item": item, "noun": item._meta.verbose_name, "error_page": True}
    response = render(request, "410.html", context, status=410)
    response["X-Robots-Tag"] = "noindex"
    return response


def database_unavailable(error: Exception) -> HttpResponse:
    """The plain 503 page for a database that cannot be reached (no details)."""
    logger.error("database unavailable: %s", error.__class__.__name__)
    response = HttpResponse(
        render_to_string("503.html"), status=503, content_type="text/html; charset=utf-8"
    )
    response["Retry-After"] = "30"
    return response
