"""Media files, served through the public rule (`querysets.py`).

Every original, rendition and document is fetched at /media/<name>. The view finds the
image or document the name belongs to and answers 404 unless the reader may see it (staff
always may). The file itself is then sent by the proxy when one is configured
(X-Accel-Redirect for nginx, X-Sendfile for Apache), by a short-lived signed address on S3
storage, or streamed by Django.
"""

import mimetypes
import re

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponseRedirect,
)
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from newsroom.media.models import Document, Image

_IMAGE = re.compile(r"^images/(?P<key>[0-9a-f]{32})\.(?:jpg|png|webp|avif)$")
_RENDITION = re.compile(r"^renditions/(?P<key>[0-9a-f]{32})/[a-z]+-\d+\.(?:jpg|png|webp|avif)$")
_DOCUMENT = re.compile(r"^documents/(?P<key>[0-9a-f]{32})/[^/]+$")

# Public files may be kept by browsers and proxies this long. A file stops being public
# only when an editor takes its item down: that reaches caches within this time.
PUBLIC_MAX_AGE = 300


def owner_of(name: str):
    """The image or document a stored name belongs to (a queryset of one), or None."""
    for pattern, model in ((_IMAGE, Image), (_RENDITION, Image), (_DOCUMENT, Document)):
        match = pattern.match(name)
        if match:
            return model.objects.filter(key=match.group("key"))
    return None


@require_safe
def serve(request: HttpRequest, name: str) -> HttpResponse:
    owner = owner_of(name)
    user = request.user
    staff = user.is_authenticated and user.is_active and user.is_staff
    found = None
    if owner is not None:
        found = owner.first() if staff else owner.public().first()
    if found is None or name not in found_names(found):
        return not_found()
    response = send(name)
    if staff:  # perhaps a file of an embargoed item: no shared cache may keep it
        patch_cache_control(response, private=True, no_store=True)
    elif response.status_code == 200:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    if isinstance(found, Document):
        filename = name.rsplit("/", 1)[-1]
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def not_found() -> HttpResponse:
    """404, kept by no cache: the same address answers 200 from the embargo's lift."""
    response = HttpResponseNotFound("Not found.\n", content_type="text/plain; charset=utf-8")
    patch_cache_control(response, no_store=True)
    return response


def found_names(found) -> list[str]:
    return found.file_names() if isinstance(found, Image) else [found.file.name]


def send(name: str) -> HttpResponse:
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if settings.NEWSROOM_MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = (
            settings.NEWSROOM_MEDIA_ACCEL_REDIRECT.rstrip("/") + "/" + name
        )
        return response
    try:
        path = default_storage.path(name)
    except NotImplementedError:  # object storage: a signed address valid for a minute
        response = HttpResponseRedirect(default_storage.url(name))
        patch_cache_control(response, private=True, no_store=True)
        return response
    if settings.NEWSROOM_MEDIA_SENDFILE:
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = path
        return response
    try:
        return FileResponse(open(path, "rb"), content_type=content_type)
    except FileNotFoundError:
        return not_found()
