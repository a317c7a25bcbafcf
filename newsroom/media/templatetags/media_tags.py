"""Pictures as readers get them: responsive, sized, described, credited."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from newsroom.media.models import Image

register = template.Library()

# The article column is 42rem wide; below that, the screen less the page's margins.
CONTENT_SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
THUMB_SIZES = "10rem"
MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}


def picture_html(image: Image, spec: str, sizes: str, lazy: bool) -> SafeString:
    """The `<picture>` element, or "" when the image has no fallback rendition. Built
    here rather than by a template: a list page draws twenty (a tenth of its time when
    each was a template rendered on its own)."""
    variants = image.variants(spec)
    fallback = variants.get("jpeg") or variants.get("png")
    if not fallback:
        return mark_safe("")

    def srcset(rows: list[dict]) -> str:
        return ", ".join(f"{row['url']} {row['width']}w" for row in rows)

    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        (
            (MIME[fmt], srcset(variants[fmt]), sizes)
            for fmt in ("avif", "webp")
            if variants.get(fmt)
        ),
    )
    largest = fallback[-1]
    loading = ' loading="lazy"' if lazy else ' fetchpriority="high"'
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"'
        ' decoding="async"{}></picture>',
        sources, fallback[0]["url"], srcset(fallback), sizes, largest["width"],
        largest["height"], image.alt_text, mark_safe(loading),
    )  # fmt: skip


@register.simple_tag
def picture(image: Image | None, spec: str = "content", lazy: bool = True) -> SafeString:
    """`<picture>`: AVIF and WebP sources, a JPEG or PNG fallback, width and height set
    (no layout shift), lazy unless it is the first thing on the page."""
    if image is None or not image.has_alt:
        return mark_safe("")
    sizes = THUMB_SIZES if spec == "thumb" else CONTENT_SIZES
    return picture_html(image, spec, sizes, lazy)


@register.inclusion_tag("media/_figure.html")
def lead_figure(image: Image | None) -> dict:
    """The lead image at the top of a page: eager (it is above the fold), with its
    caption, credit and licence under it."""
    return {"image": image if image is not None and image.has_alt else None, "lead": True}


@register.inclusion_tag("media/_share_meta.html", takes_context=True)
def share_meta(context, image: Image | None) -> dict:
    """OpenGraph and Twitter card tags of a page's picture (the 1200×630 crop)."""
    from articles.site_url import absolute_url

    share = image.share_image if image is not None and image.has_alt else None
    if share is None:
        return {"share": None}
    return {
        "share": share,
        "image": image,
        "url": absolute_url(share["url"], context.get("request")),
    }


@register.filter
def library_figures(html: str) -> SafeString:
    """The last filter on a body (`|clean_html|library_figures`): figures of library
    images rendered from the library (responsive, alt text, caption, credit, licence).
    Text not already marked safe by the sanitising filters is sanitised first."""
    from articles.html import sanitise
    from newsroom.media.figures import figure_html

    if not isinstance(html, SafeString):
        html = sanitise(html or "")
    return figure_html(html)
