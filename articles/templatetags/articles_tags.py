from datetime import datetime
from html.parser import HTMLParser

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from articles.html import sanitise

register = template.Library()


@register.filter
def clean_html(value: str) -> SafeString:
    """Stored rich text, sanitised again on output: stored HTML is never trusted."""
    return mark_safe(sanitise(value or ""))


# Elements that never have an end tag: they do not open a level of nesting.
_VOID_ELEMENTS = frozenset({"br", "hr", "img", "wbr", "input", "source", "col", "area"})


class _ParagraphAnchors(HTMLParser):
    """Re-emits sanitised HTML unchanged, except that each top-level <p> gets `id="p-N"`
    and ends with a link to itself (in a `.para-tools` span, where quote.js adds its
    button). Text and character references pass through as
    written (`convert_charrefs=False`), so nothing is decoded or re-encoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []
        self.depth = 0
        self.count = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        text = self.get_starttag_text() or f"<{tag}>"
        if tag == "p" and self.depth == 0:
            self.count += 1
            text = f'<p id="p-{self.count}">'
        if tag not in _VOID_ELEMENTS:
            self.depth += 1
        self.parts.append(text)

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.parts.append(self.get_starttag_text() or f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_ELEMENTS:
            return
        self.depth = max(0, self.depth - 1)
        if tag == "p" and self.depth == 0:
            number = self.count
            # No text of its own (the ¶ is drawn by CSS, the name is its aria-label), so the
            # paragraph's text, as read or copied, is exactly the speaker's words.
            self.parts.append(
                f'<span class="para-tools"><a class="para-link" href="#p-{number}" '
                f'aria-label="Link to paragraph {number}"></a></span>'
            )
        self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_entityref(self, name: str) -> None:
        self.parts.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.parts.append(f"&#{name};")


@register.filter
def paragraph_anchors(value: str) -> SafeString:
    """Rich text with stable paragraph anchors: the Nth top-level paragraph is `#p-N` and
    carries a "link to this paragraph" link. For speech pages, so readers can cite a
    passage; stored bodies are untouched. The input is sanitised again first: this
    filter never trusts it, and adds only its own id and link."""
    parser = _ParagraphAnchors()
    parser.feed(sanitise(value or ""))
    parser.close()
    return mark_safe("".join(parser.parts))  # sanitised above; only our id and link added


@register.filter
def delivered_at(speech) -> datetime | None:
    """When a speech was delivered, as an aware time in the newsroom's zone, so a page can
    give its offset (`<time datetime="…T17:00:00+01:00">`); None when only the day is known."""
    if not speech.delivered_time:
        return None
    zone = timezone.get_current_timezone()
    return datetime.combine(speech.delivered_on, speech.delivered_time, tzinfo=zone)
