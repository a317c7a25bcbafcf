"""The admin in the editor's language.

Django's LocaleMiddleware gives every address outside the language-prefixed patterns the
default language when the default language has no prefix (`i18n_patterns(…,
prefix_default_language=False)` in newsroom/urls.py): the public site's English pages,
but also the admin, whatever the editor's browser asks for. This middleware, placed just
after LocaleMiddleware in settings.MIDDLEWARE, lets the admin follow the editor instead:
the language cookie (Django's `set_language` view) or the browser's Accept-Language.
"""

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

ADMIN_PREFIX = "/admin/"  # newsroom/urls.py


class AdminLanguageMiddleware:
    """Activate the editor's language for /admin/ (after LocaleMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(ADMIN_PREFIX):
            return self.get_response(request)
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers["Content-Language"] = request.LANGUAGE_CODE
        return response
