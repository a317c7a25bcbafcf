"""What a detail page tells machines: its canonical URL and schema.org JSON-LD."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from articles.models import Event, Publication, Speaker
from articles.related import related_items
from articles.site_url import absolute_url

_JSON_LD_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def rich_preview(request: HttpRequest, item: Publication) -> dict:
    """Canonical URL, related items and schema.org JSON-LD for a detail page."""
    canonical = absolute_url(item.get_absolute_url(), request)  # the site's address, not Host
    return {
        "canonical_url": canonical,
        "modified_at": item.date_modified,  # the last substantive change
        "related": related_items(item),
        "json_ld": json_ld(structured_data(request, item, canonical)),
    }


def json_ld(data: dict) -> SafeString:
    """JSON for a <script> element: `<`, `>` and `&` escaped so nothing can close it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None)
    return mark_safe(text.translate(_JSON_LD_ESCAPES))  # escaped like `json_script`


def structured_data(request: HttpRequest, item: Publication, url: str) -> dict:
    """schema.org data of a release or speech; what differs is the kind's own
    `article_schema()`."""

    def absolute(path: str) -> str:
        return absolute_url(path, request)

    def person(speaker: Speaker) -> dict:
        data = {
            "@type": "Person",
            "name": speaker.name,
            "url": absolute(speaker.get_absolute_url()),
        }
        if speaker.role:
            data["jobTitle"] = speaker.role
        return data

    def event_data(event: Event) -> dict:
        return {"@type": "Event", "name": event.name, "url": absolute(event.get_absolute_url()),
                "startDate": event.start_on.isoformat()}  # fmt: skip

    publisher = {"@type": "Organization", "name": settings.NEWSROOM_NAME,
                 "url": absolute(reverse("articles:home"))}  # fmt: skip
    data = {
        "@context": "https://schema.org",
        "@type": item.SCHEMA_TYPE,
        "headline": item.title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": item.published_at.isoformat(),
        "dateModified": item.date_modified.isoformat(),  # moved by updates, not minor edits
        "publisher": publisher,
        "inLanguage": item.language,
        "keywords": [topic["name"] for topic in item.topics],
        "articleSection": item.get_kind_display(),
    }
    if item.summary:
        data["description"] = item.summary
    people = [person(speaker) for speaker in item.speaker_list]
    events = [event_data(event) for event in item.event_list]
    corrections = [note for note in item.change_notes if note.is_correction]
    if corrections:  # schema.org `correction`: what was wrong and what is right now
        data["correction"] = [
            {"@type": "CorrectionComment", "text": note.note,
             "datePublished": note.at.isoformat(),
             "url": absolute(reverse(f"articles:{item._meta.model_name}-version-changes",
                                     kwargs={"slug": item.slug, "version": note.version}))}
            for note in corrections
        ]  # fmt: skip
    data.update(item.article_schema(people, events, publisher))
    image = item.lead_image
    if image is not None and image.has_alt:  # with its credit and licence (newsroom/media/)
        from newsroom.media.models import image_object

        data["image"] = image_object(image, absolute)
    return data
