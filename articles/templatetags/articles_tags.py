from datetime import datetime
from html.parser import HTMLParser

from django import template
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from articles import languages, translations
from articles.cache import fragments
from articles.html import sanitise
from articles.results import noun
from articles.site_url import absolute_url

register = template.Library()


@register.simple_tag
def summary_card(item) -> SafeString:
    """A release's or speech's card in lists (`includes/_release_summary.html`,
    `includes/_speech_summary.html`), rendered once per content version and language in
    each process (`articles.cache.fragments`): twenty cards were 40% of a list page.
    The card template sees the item alone, as `release` or `speech`."""
    name = item._meta.model_name

    def render() -> str:
        return get_template(f"includes/_{name}_summary.html").render({name: item})

    return mark_safe(fragments.get((name, item.pk), render))


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
        self.link_label = gettext("Link to paragraph %(number)s")

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
            label = escape(self.link_label % {"number": number})
            # No text of its own (the ¶ is drawn by CSS, the name is its aria-label), so the
            # paragraph's text, as read or copied, is exactly the speaker's words.
            self.parts.append(
                f'<span class="para-tools"><a class="para-link" href="#p-{number}" '
                f'aria-label="{label}"></a></span>'
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


@register.filter
def same_site_path(path: str) -> str:
    """`path` (e.g. `request.path`) as a link that stays on this site, else the home page.

    `request.path` is whatever the client asked for: `//evil.example/x` or
    `/\\evil.example/` printed as an `href` would lead to another host (a
    protocol-relative URL). Such a path, or one with a control character, links home.
    """
    text = str(path or "")
    if (
        not text.startswith("/")
        or any(ord(char) < 0x20 or ord(char) == 0x7F for char in text)
        or not url_has_allowed_host_and_scheme(text, allowed_hosts=None)
    ):
        return reverse("articles:home")
    return escape_uri_path(text)


@register.simple_tag(takes_context=True)
def site_url(context, path: str) -> str:
    """The absolute URL of a path on this site, from the configured site address."""
    return absolute_url(path, context.get("request"))


@register.filter
def verbose_name(item) -> str:
    """ "release" or "speech": the item's kind in words, in the language being read."""
    return noun(str(item._meta.verbose_name))


@register.filter
def translated_noun(name: str) -> str:
    """A kind named in English ("release", "speech": a view's `noun`) in the language being
    read."""
    return noun(name)


@register.filter
def version_url_name(item, page: str) -> str:
    """The URL name of an item's versions pages: `item|version_url_name:"versions"` is
    "articles:release-versions" for a release."""
    return f"articles:{item._meta.model_name}-{page}"


@register.simple_tag(takes_context=True)
def language_versions(context) -> dict:
    """The page in each language (`versions`, for the language switch) and the versions
    its `hreflang` links announce (`alternates`): see articles/translations.py. None on
    an error page (Django's handlers give it the `exception`, ours `error_page`): its
    address may name something the public may not see."""
    request, item = context.get("request"), context.get("object")
    if request is None or context.get("error_page") or "exception" in context:
        return {"versions": [], "alternates": []}
    versions = translations.page_versions(request, item)
    return {"versions": versions, "alternates": translations.alternates(versions, item)}


@register.filter
def og_locale(language: str) -> str:
    return translations.og_locale(language)


@register.filter
def language_adjective(language: str) -> str:
    return languages.adjective(language)


@register.filter
def lang_attr(entry) -> SafeString:
    """` lang="en"` on a speaker or event whose words are not in the page's language (one
    with no published version in it, articles/directory_language.py), else nothing."""
    if isinstance(entry, dict):
        shown = entry.get("text_language")
    else:
        shown = getattr(entry, "text_language", None)
    if not shown or shown == languages.current():
        return mark_safe("")
    return format_html(' lang="{}"', shown)


@register.filter
def own_words(entry, field: str) -> SafeString:
    """A field of a speaker or event as text, in a `<span lang="en">` when its words are
    not in the page's language (see `lang_attr`), else as it is."""
    marked = lang_attr(entry)
    text = getattr(entry, field)
    return format_html("<span{}>{}</span>", marked, text) if marked else escape(text)
