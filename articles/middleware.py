"""Request guards that apply to every URL."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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
