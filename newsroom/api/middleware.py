"""HTTP for the API (`/api/`), around everything else, the page cache's hits included:

- CORS: `GET` (and `HEAD`) from any origin, without credentials; a preflight `OPTIONS`
  is answered here; every other method is a 405 in JSON.
- A rate limit per client address (`client_ip()`: the address `TRUSTED_PROXY_COUNT`
  proxies away), counted in Django's cache (shared by every worker and server with
  Redis): `NEWSROOM_API_RATE_LIMIT` requests a minute, then 429 with `Retry-After`.
- Conditional requests: a strong `ETag` (a digest of the body, so any change, an embargo
  lift included, changes it) and `Last-Modified` (when public content last changed:
  `last_change()`), 304 for a matching `If-None-Match` / `If-Modified-Since`.
- `Cache-Control: public, max-age` of at most `NEWSROOM_API_MAX_AGE` seconds and never
  past the next embargo lift; errors are not to be stored.
- Errors in JSON (`{"detail": ...}`) whoever made them: an unknown address (404), a 500,
  the 503 of an unreachable database, a control character (400).
"""

import contextlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

from articles.cache import _warnings, cached_public, content_version, safe_timeout
from articles.middleware import control_character_errors
from articles.models import Release, Speech
from newsroom.api.errors import error_response
from newsroom.client_ip import client_ip

API_PREFIX = "/api/"
READ_METHODS = ("GET", "HEAD")
WINDOW = 60  # seconds: the rate limit counts requests a minute
EXPOSED = "ETag, Last-Modified, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining"


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        response, remaining = self._answer(request)
        return self._headers(request, response, remaining)

    def _answer(self, request: HttpRequest) -> tuple[HttpResponse, int | None]:
        if request.method == "OPTIONS":
            return _preflight(), None
        if request.method not in READ_METHODS:
            response = error_response(405, f"{request.method} is not accepted: the API is "
                                           "read-only (GET and HEAD).")  # fmt: skip
            response["Allow"] = "GET, HEAD, OPTIONS"
            return response, None
        errors = control_character_errors(request)
        if errors:
            return error_response(400, "Invalid query parameters.", errors), None
        remaining, retry_after = _count(request)
        if retry_after:
            response = error_response(429, f"More than {settings.NEWSROOM_API_RATE_LIMIT} "
                                           "requests a minute from this address.")  # fmt: skip
            response["Retry-After"] = str(retry_after)
            return response, 0
        response = self.get_response(request)
        if response.status_code >= 400 and "json" not in response.get("Content-Type", ""):
            status = response.status_code
            replaced = error_response(status)
            if response.has_header("Retry-After"):
                replaced["Retry-After"] = response["Retry-After"]
            return replaced, remaining
        if response.status_code == 200 and "json" in response.get("Content-Type", ""):
            # The body is right even when its dates cannot be read.
            with contextlib.suppress(DatabaseError):
                response = _conditional(request, response)
        return response, remaining

    @staticmethod
    def _headers(request, response: HttpResponse, remaining: int | None) -> HttpResponse:
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED
        limit = settings.NEWSROOM_API_RATE_LIMIT
        if limit and remaining is not None:
            response["X-RateLimit-Limit"] = str(limit)
            response["X-RateLimit-Remaining"] = str(remaining)
        if response.status_code in (200, 304) and request.method in READ_METHODS:
            if not response.has_header("Cache-Control"):
                try:
                    seconds = min(settings.NEWSROOM_API_MAX_AGE, safe_timeout())
                except DatabaseError:
                    seconds = 0
                response["Cache-Control"] = f"public, max-age={seconds}"
        elif request.method != "OPTIONS":
            response["Cache-Control"] = "no-store"
        return response


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Methods"] = "GET, HEAD"
    response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
    response["Access-Control-Max-Age"] = "86400"
    return response


def _count(request: HttpRequest) -> tuple[int | None, int]:
    """(requests left this minute, seconds to wait or 0) for the client's address.

    A fixed window per minute of the clock, counted with `add` and `incr` (atomic in
    Redis). With the cache unreachable nothing is counted: the API stays up.
    """
    limit = settings.NEWSROOM_API_RATE_LIMIT
    if limit <= 0:
        return None, 0
    now = time.time()
    window = int(now // WINDOW)
    key = f"newsroom:api-rate:{client_ip(request) or 'unknown'}:{window}"
    try:
        used = 1 if cache.add(key, 1, timeout=WINDOW + 5) else cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        used = 1
    except Exception as error:
        _warnings.warn("cache unavailable, API requests not counted", error)
        return None, 0
    if used > limit:
        return 0, max(1, math.ceil((window + 1) * WINDOW - now))
    return limit - used, 0


def last_change() -> float:
    """When public content last changed, as a timestamp: the content version (raised with
    every save, withdrawal or delete, in milliseconds of the clock) or the latest
    embargo lift, whichever is later. Kept per content version, until the next lift."""

    def latest_lift() -> float:
        moments = [model.objects.public().aggregate(last=Max("published_at"))["last"]
                   for model in (Release, Speech)]  # fmt: skip
        return max((moment.timestamp() for moment in moments if moment), default=0.0)

    lifted = cached_public("api-latest-lift", latest_lift)
    return min(time.time(), max(content_version() / 1000, lifted))


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if not response.has_header("ETag"):
        set_response_etag(response)
    response["Last-Modified"] = http_date(math.floor(last_change()))
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=parse_http_date_safe(response["Last-Modified"]),
        response=response,
    )
