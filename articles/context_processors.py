from django.conf import settings
from django.http import HttpRequest

from articles import languages


def newsroom(request: HttpRequest) -> dict:
    return {
        "NEWSROOM_NAME": settings.NEWSROOM_NAME,
        "NEWSROOM_TIME_ZONE": settings.TIME_ZONE,
        "DEFAULT_LANGUAGE": languages.default(),
    }
