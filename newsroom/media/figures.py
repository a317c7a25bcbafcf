"""Figures in rich text: which library images a text shows, and what readers see of them.

A press officer places a picture in a release or speech with the editor's image tool,
giving the address the library shows for the image (`/media/images/<key>.<ext>`). On
save, the item's figure links are written from its text (`sync_figures`), so the library
can say where each image is used, refuse to delete it, and let the public fetch it exactly
while a public item shows it. On output, `figure_html()` turns each figure of a library
image into a responsive <picture> with the library's alt text, caption, credit and licence.
"""

import re
from html import unescape

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

_SRC = re.compile(r'<img\b[^>]*?\ssrc="([^"]+)"')
_FIGURE = re.compile(r"<figure>(?:(?!</figure>).)*?</figure>", re.S)
_KEY = re.compile(r"^(?:images/([0-9a-f]{32})\.[a-z]+|renditions/([0-9a-f]{32})/[\w.-]+)$")


def media_prefix() -> str:
    return "/" + settings.MEDIA_URL.strip("/") + "/"


def key_of(src: str) -> str | None:
    """The image key in a library address (original or rendition), else None."""
    src = unescape(src)
    prefix = media_prefix()
    if not src.startswith(prefix):
        return None
    match = _KEY.match(src[len(prefix) :])
    return (match.group(1) or match.group(2)) if match else None


def keys_in(html: str) -> list[str]:
    return [key for key in (key_of(src) for src in _SRC.findall(html or "")) if key]


def sync_figures(item) -> None:
    """Write `item`'s figure links from its text (a release or a speech)."""
    from newsroom.media.models import Image

    links = item.figure_links
    wanted = set(Image.objects.filter(key__in=keys_in(item.body)).values_list("pk", flat=True))
    have = set(links.values_list("image_id", flat=True))
    if have - wanted:
        links.filter(image_id__in=have - wanted).delete()
    if wanted - have:
        model = links.model
        owner = links.field.name
        model.objects.bulk_create([model(**{owner: item, "image_id": pk}) for pk in wanted - have])


def figure_html(html: str) -> SafeString:
    """Sanitised rich text with each figure of a library image rendered from the library
    (responsive <picture>, alt text, caption, credit, licence). A figure whose image is not
    in the library (or not ready: no alt text) is left as it is; its <img> would answer 404,
    so it is dropped, caption kept."""
    keys = keys_in(html)
    if not keys:
        return mark_safe(html)
    from newsroom.media.models import Image

    images = {image.key.hex: image for image in Image.objects.filter(key__in=keys).usable()}

    def render(match: re.Match) -> str:
        figure = match.group(0)
        sources = _SRC.findall(figure)
        key = key_of(sources[0]) if sources else None
        if key is None:
            return figure
        image = images.get(key)
        if image is None:
            return re.sub(r"<img\b[^>]*>", "", figure)
        caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", figure, re.S)
        return render_to_string(
            "media/_figure.html",
            {"image": image, "caption_html": mark_safe(caption.group(1)) if caption else ""},
        ).strip()

    return mark_safe(_FIGURE.sub(render, html))
