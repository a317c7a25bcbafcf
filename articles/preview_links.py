"""Preview links: an item as it will look once live, for an approver without an account.

An editor makes a link from the item's History page; it works until it expires or is
revoked, answers `noindex` and `no-store`, and every opening is counted and logged. An
unknown, expired or revoked token is a plain 404 that names nothing.
"""

import logging
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from articles.models import PreviewLink, Release, Speech

logger = logging.getLogger("newsroom.preview")

MODELS = {model._meta.model_name: model for model in (Release, Speech)}


def create_link(*, item, user, days: int, note: str = "") -> PreviewLink:
    """A new link to `item`'s preview, usable for `days` days."""
    now = timezone.now()
    return PreviewLink.objects.create(
        content_type=ContentType.objects.get_for_model(type(item)),
        object_id=item.pk,
        created_by=user,
        created_at=now,
        expires_at=now + timedelta(days=days),
        note=note[:200],
    )


def links_of(item):
    """Every link made for `item`, newest first (usable or not: the record stays)."""
    content_type = ContentType.objects.get_for_model(type(item))
    return PreviewLink.objects.filter(content_type=content_type, object_id=item.pk)


def render_preview(request: HttpRequest, item, **extra) -> TemplateResponse:
    """`item`'s detail page with the preview banner, `noindex` and never cached."""
    model = type(item)
    item = model.objects.for_detail().get(pk=item.pk)
    name = model._meta.model_name
    context = {"object": item, name: item, "preview": True, **extra}
    response = TemplateResponse(request, f"articles/{name}_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def preview_link(request: HttpRequest, token: str) -> HttpResponse:
    """`/preview/<token>/`: the read-only preview a link grants."""
    link = PreviewLink.objects.usable().select_related("content_type").filter(token=token).first()
    model = MODELS.get(link.content_type.model) if link else None
    item = model.objects.previewable().filter(pk=link.object_id).first() if model else None
    if item is None:
        raise Http404("This preview link is unknown, expired or revoked.")
    PreviewLink.objects.filter(pk=link.pk).update(
        views=F("views") + 1, last_viewed_at=timezone.now()
    )
    logger.info(
        "preview link opened",
        extra={"preview_link": link.pk, "item": f"{model._meta.model_name}:{item.pk}"},
    )
    response = render_preview(request, item, shared_preview=True)
    response["Referrer-Policy"] = "no-referrer"  # the token never leaves in a Referer
    return response
