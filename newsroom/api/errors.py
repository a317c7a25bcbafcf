"""The API's error bodies: `{"detail": "...", "errors": {"field": ["..."]}}` (`errors` on
a 400 only), for DRF's own exceptions; `middleware.py` gives the same shape to answers
made outside DRF (an unknown address, a refused method, the rate limit, a 500 or 503).
"""

from http import HTTPStatus

from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict) -> Response | None:
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API exception: Django's 500, turned into JSON by the middleware
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"query": exc.detail}
        response.data = {"detail": "Invalid query parameters.", "errors": errors}
    else:
        phrase = HTTPStatus(response.status_code).phrase
        response.data = {"detail": str(getattr(exc, "detail", phrase))}
    return response


def error_response(status: int, detail: str = "", errors: dict | None = None) -> JsonResponse:
    body = {"detail": detail or HTTPStatus(status).phrase + "."}
    if errors is not None:
        body["errors"] = errors
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
