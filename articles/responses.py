"""Answers shared by pages, feeds and middleware: the contract's 400 and the 503."""

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

logger = logging.getLogger("articles.middleware")


def bad_request(request: HttpRequest, errors: dict) -> HttpResponse:
    """The contract's 400: a page that names each wrong field."""
    return render(request, "400.html", {"errors": errors}, status=400)


def database_unavailable(error: Exception) -> HttpResponse:
    """The plain 503 page for a database that cannot be reached (no details)."""
    logger.error("database unavailable: %s", error.__class__.__name__)
    response = HttpResponse(
        render_to_string("503.html"), status=503, content_type="text/html; charset=utf-8"
    )
    response["Retry-After"] = "30"
    return response
