"""The allow-list for stored rich text: one sanitiser for save and for output.

Bodies are stored as HTML that has passed `sanitise()`, and are passed through it
again when rendered (`|clean_html`), so stored HTML is never trusted on output.
"""

import re
from unicodedata import normalize

import nh3
from django.utils.http import url_has_allowed_host_and_scheme

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


def same_site_image(src: str) -> bool:
    """Whether an image address is a path on this site (`/media/...`), nothing else.

    An image from another host would be fetched by every reader's browser and feed
    reader (a tracking pixel, or content that changes after review), and the site's
    Content-Security-Policy blocks it anyway. Absolute and protocol-relative URLs,
    `data:` and page-relative paths are refused; so is any space or control character,
    which browsers drop from a URL (`/\t/host` is `//host` to them).
    """
    return (
        src.startswith("/")
        and not any(char.isspace() or ord(char) < 0x20 or ord(char) == 0x7F for char in src)
        and "\\" not in src
        and url_has_allowed_host_and_scheme(src, allowed_hosts=None)
    )


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not same_site_image(value):
        return None  # the <img> left without a source is removed below
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
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


# An <img> as nh3 writes it: attribute values are always double-quoted, with any `"`
# inside written `&quot;` (but `>` left as it is, so `[^>]*` would not do).
_IMG = re.compile(r'<img((?:\s+[^\s=>"]+(?:="[^"]*")?)*)\s*/?>')
_ATTRIBUTE = re.compile(r'\s+([^\s=>"]+)(?:="[^"]*")?')


def _keep_image(img: re.Match) -> str:
    names = {attribute.group(1).lower() for attribute in _ATTRIBUTE.finditer(img.group(1))}
    return img.group(0) if "src" in names else ""


def _drop_sourceless_images(html: str) -> str:
    """Remove each <img> whose source the attribute filter refused, with its alt text:
    an image that is not shown has nothing for the alt text to stand in for."""
    return _IMG.sub(_keep_image, html)


def sanitise(html: str) -> str:
    """Return `html` reduced to the newsroom's allow-list (no scripts, handlers, js: URLs,
    no images from other sites)."""
    if not html:
        return ""
    return _drop_sourceless_images(_cleaner.clean(html)).strip()
