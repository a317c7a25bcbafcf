"""`{% review_queue %}`: the admin home's review queue (articles/admin/queue.py)."""

from django import template
from django.utils import timezone

from articles.admin.queue import sections

register = template.Library()


@register.inclusion_tag("admin/articles/_review_queue.html", takes_context=True)
def review_queue(context) -> dict:
    request = context["request"]
    zone = f"{timezone.get_current_timezone_name()} time ({timezone.localtime().tzname()})"
    return {"sections": sections(request.user), "zone_name": zone}
