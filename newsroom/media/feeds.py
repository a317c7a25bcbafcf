"""Pictures in feeds: Media RSS (`media:content`) with the alt text, credit and licence,
in RSS and Atom alike, so feed readers and aggregators carry the credit with the picture."""

MEDIA_RSS = "http://search.yahoo.com/mrss/"


def feed_picture(image, absolute) -> dict | None:
    """What a feed entry says of its lead image (None without one ready to show)."""
    if image is None or not image.has_alt:
        return None
    shown = image.share_image or image.rendition("content")
    if shown is None:
        return None
    return {
        "url": absolute(shown["url"]),
        "width": str(shown["width"]),
        "height": str(shown["height"]),
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "licence": image.get_licence_display(),
        "licence_url": image.licence_url,
    }


class MediaRSSMixin:
    """For a feed generator (Rss201rev2Feed, Atom1Feed): the namespace, and each item's
    `picture` (from the feed's `item_extra_kwargs`) as <media:content>."""

    def root_attributes(self) -> dict:
        attributes = super().root_attributes()
        attributes["xmlns:media"] = MEDIA_RSS
        return attributes

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        picture = item.get("picture")
        if not picture:
            return
        handler.startElement(
            "media:content",
            {"url": picture["url"], "type": "image/jpeg", "medium": "image",
             "width": picture["width"], "height": picture["height"]},
        )  # fmt: skip
        if picture["alt"]:
            handler.addQuickElement("media:description", picture["alt"], {"type": "plain"})
        if picture["caption"]:
            handler.addQuickElement("media:title", picture["caption"], {"type": "plain"})
        handler.addQuickElement("media:credit", picture["credit"])
        licence = (
            {"type": "text/html", "href": picture["licence_url"]} if picture["licence_url"] else {}
        )
        handler.addQuickElement("media:license", picture["licence"], licence)
        handler.endElement("media:content")
