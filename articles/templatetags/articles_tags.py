from django import template
from django.utils.safestring import SafeString, mark_safe

from articles.html import sanitise

register = template.Library()


@register.filter
def clean_html(value: str) -> SafeString:
    """Stored rich text, sanitised again on output: stored HTML is never trusted."""
    return mark_safe(sanitise(value or ""))
