"""The allow-list for stored rich text: one sanitiser for save and for output.

Bodies are stored as HTML that has passed `sanitise()`, and are passed through it
again when rendered (`|clean_html`), so stored HTML is never trusted on output.
"""

import re
from unicodedata import normalize

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "a",
    "strong", "em", "b", "i", "u", "s", "sub", "sup", "hr",
    "figure", "figcaption", "img", "cite", "small",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "figcaption": {"class"},
    "small": {"class"},
}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)


# Characters XML 1.0 cannot carry (feeds, sitemaps), e.g. the vertical tab of a line
# break pasted from a word processor. Tab, line feed and carriage return are kept.
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(value: str) -> str:
    """Stored text in one Unicode form (NFC), without characters XML cannot carry."""
    return _XML_INVALID.sub(" ", normalize("NFC", value or ""))


def sanitise(html: str) -> str:
    """Return `html` reduced to the newsroom's allow-list (no scripts, handlers, js: URLs)."""
    if not html:
        return ""
    return _cleaner.clean(html).strip()
