"""What the API says about a release, speech, speaker, event and tag.

Each serializer declares its fields (they are the OpenAPI schema: types, formats, which
may be null) and writes its items itself, straight from what the public queries read in
one go (`for_detail()`'s JSON columns of tags, speakers and events). DRF's field-by-field
rendering cost about 5 ms for a page of 20 releases with their speakers, events and tags,
as much as the rest of the request; `tests/test_api.py` proves each item has exactly the
declared fields, and the schemathesis run that every answer matches the schema.

Dates are ISO 8601 in the newsroom's zone with its offset; body HTML passes the site's
sanitiser again on the way out (`articles.html.sanitise`), as on the pages.

Images (newsroom/media/): an item's lead image is the first of its `images` (figures in
the text are in `body_html`), a speaker's portrait is its `image`; each carries its alt
text, caption, credit and licence. A release lists its `downloads` in order.
"""

from functools import cache

from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from articles.directory_language import published_versions
from articles.html import sanitise
from articles.models import Event, Publication, Release, Speaker, Speech
from newsroom.api.links import Links
from newsroom.media.models import Document, Licence


def _time(value) -> str:
    return timezone.localtime(value).isoformat()


def _links(serializer: serializers.Serializer) -> Links:
    """One `Links` per request, shared by every serializer of the response."""
    context = serializer.context
    if "links" not in context:
        context["links"] = Links(context["request"])
    return context["links"]


class FastSerializer(serializers.Serializer):
    """Declared fields for the schema; `represent()` writes the item."""

    def to_representation(self, instance) -> dict:
        return self.represent(instance, _links(self))

    def represent(self, instance, links: Links) -> dict:
        raise NotImplementedError


def tag_ref(topic: dict, links: Links) -> dict:
    url, api_url = links.both("tag", topic["slug"])
    return {"name": topic["name"], "slug": topic["slug"], "url": url, "api_url": api_url}


def speaker_ref(speaker: Speaker, links: Links) -> dict:
    url, api_url = links.both("speaker", speaker.slug)
    return {"name": speaker.name, "slug": speaker.slug, "role": speaker.role,
            "url": url, "api_url": api_url}  # fmt: skip


def event_ref(event: Event, links: Links) -> dict:
    url, api_url = links.both("event", event.slug)
    return {"name": event.name, "slug": event.slug, "start_on": event.start_on.isoformat(),
            "url": url, "api_url": api_url}  # fmt: skip


class TagRefSerializer(FastSerializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.URLField(help_text="The topic's page on the site.")
    api_url = serializers.URLField()

    def represent(self, topic: dict, links: Links) -> dict:
        return tag_ref(topic, links)


class SpeakerRefSerializer(FastSerializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    role = serializers.CharField(help_text="As held when speaking; may be empty.")
    url = serializers.URLField()
    api_url = serializers.URLField()

    def represent(self, speaker: Speaker, links: Links) -> dict:
        return speaker_ref(speaker, links)


class EventRefSerializer(FastSerializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    start_on = serializers.DateField()
    url = serializers.URLField()
    api_url = serializers.URLField()

    def represent(self, event: Event, links: Links) -> dict:
        return event_ref(event, links)


def image_ref(image, links: Links, role: str) -> dict | None:
    """A picture with its rights: the largest JPEG/PNG rendition of the article column,
    the 1200x630 sharing crop, alt text, caption, credit and licence."""
    if image is None or not image.has_alt:
        return None
    shown = image.rendition("content")
    share = image.share_image
    return {
        "role": role,
        "url": links.absolute(shown["url"] if shown else image.url),
        "width": shown["width"] if shown else image.width,
        "height": shown["height"] if shown else image.height,
        "share_url": links.absolute(share["url"]) if share else None,
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "licence": image.licence,
        "licence_label": image.get_licence_display(),
        "licence_url": image.licence_url or None,
        "acquire_licence_page": image.acquire_licence_page or None,
    }


class ImageSerializer(FastSerializer):
    role = serializers.ChoiceField(choices=[("lead", "Lead image"), ("portrait", "Portrait")])
    url = serializers.URLField(help_text="The picture at the article column's largest width.")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    share_url = serializers.URLField(allow_null=True, help_text="The 1200x630 sharing crop.")
    alt_text = serializers.CharField(help_text="Empty only for a decorative picture.")
    caption = serializers.CharField()
    credit = serializers.CharField(help_text="Always given: publish it with the picture.")
    licence = serializers.ChoiceField(choices=Licence.choices)
    licence_label = serializers.CharField()
    licence_url = serializers.URLField(allow_null=True)
    acquire_licence_page = serializers.URLField(allow_null=True)

    def represent(self, image, links: Links) -> dict:
        return image_ref(image, links, "lead")


class DocumentSerializer(FastSerializer):
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Document.Kind.choices)
    language = serializers.CharField()
    url = serializers.URLField(help_text="The file on this site, or its external address.")
    type = serializers.CharField(help_text='"PDF", "Word"…, or "Link" for an external one.')
    size = serializers.IntegerField(allow_null=True, help_text="Bytes; null for a link.")

    def represent(self, document, links: Links) -> dict:
        return document_ref(document, links)


def document_ref(document, links: Links) -> dict:
    href = document.href
    return {
        "title": document.title,
        "kind": document.kind,
        "language": document.language,
        "url": links.absolute(href) if href.startswith("/") else href,
        "type": document.type_label,
        "size": document.file_size or None,
    }


class TranslationSerializer(serializers.Serializer):
    """A public version of the item in another language."""

    language = serializers.CharField()
    title = serializers.CharField()
    url = serializers.URLField()
    api_url = serializers.URLField()


class PublicationSerializer(FastSerializer):
    """What releases and speeches share (the publication interface)."""

    slug = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(help_text="The kind in words, as the site shows it.")
    summary = serializers.CharField(help_text="The lead, plain text; may be empty.")
    body_html = serializers.CharField(help_text="The text as sanitised HTML.")
    published_at = serializers.DateTimeField(help_text="First public (ISO 8601, with offset).")
    modified_at = serializers.DateTimeField(help_text="Last changed; never before published_at.")
    source = serializers.CharField()
    url = serializers.URLField(help_text="The canonical page on the site.")
    api_url = serializers.URLField()
    speakers = SpeakerRefSerializer(many=True)
    events = EventRefSerializer(many=True)
    tags = TagRefSerializer(many=True)
    images = ImageSerializer(many=True, help_text="The lead image first, with its rights.")
    language = serializers.CharField(help_text="The language it is written in: en or fr.")
    translations = TranslationSerializer(
        many=True, help_text="Its public versions in the other languages."
    )

    noun = ""  # "release", "speech"

    def represent(self, item: Publication, links: Links) -> dict:
        url, api_url = links.both(self.noun, item.slug, item.language)
        return {
            "slug": item.slug,
            "title": item.title,
            "kind": item.kind,
            "kind_label": item.get_kind_display(),
            "summary": item.summary,
            "body_html": sanitise(item.body),
            "published_at": _time(item.published_at),
            "modified_at": _time(item.last_modified),
            "source": item.source,
            "url": url,
            "api_url": api_url,
            "speakers": [speaker_ref(person, links) for person in item.speaker_list],
            "events": [event_ref(found, links) for found in item.event_list],
            "tags": [tag_ref(topic, links) for topic in item.topics],
            "images": [ref for ref in [image_ref(item.lead_image, links, "lead")] if ref],
            "language": item.language,
            "translations": [
                {
                    "language": version.language,
                    "title": version.title,
                    "url": links.absolute(version.url),
                    "api_url": links.api(self.noun, version.slug),
                }
                for version in item.translations
            ],  # fmt: skip
        }


class ReleaseSerializer(PublicationSerializer):
    """A release: its speakers are the people quoted, by name; its events, newest first,
    what it reports on."""

    kind = serializers.ChoiceField(choices=Release.Kind.choices)
    downloads = DocumentSerializer(many=True, help_text='"Downloads", in the page\'s order.')
    noun = "release"

    def represent(self, item: Release, links: Links) -> dict:
        data = super().represent(item, links)
        data["downloads"] = [document_ref(document, links) for document in item.download_list]
        return data


class SpeechSerializer(PublicationSerializer):
    """A speech: speakers in order (the first is the main speaker); `events` holds the
    event it was delivered at, if any."""

    kind = serializers.ChoiceField(choices=Speech.Kind.choices)
    delivered_on = serializers.DateField()
    delivered_time = serializers.CharField(
        allow_null=True, help_text="HH:MM, local time in the newsroom's zone, if known."
    )
    location = serializers.CharField()
    delivery_status = serializers.ChoiceField(
        choices=[("", "Not stated"), *Speech.Delivery.choices],
        help_text='"as-delivered", "check-against-delivery", or empty when not stated.',
    )
    noun = "speech"

    def represent(self, item: Speech, links: Links) -> dict:
        data = super().represent(item, links)
        data.update(
            delivered_on=item.delivered_on.isoformat(),
            delivered_time=f"{item.delivered_time:%H:%M}" if item.delivered_time else None,
            location=item.location,
            delivery_status=item.delivery_status,
        )
        return data


class CountsMixin(serializers.Serializer):
    release_count = serializers.IntegerField(help_text="Public releases naming it.")
    speech_count = serializers.IntegerField(help_text="Public speeches naming it.")
    releases_url = serializers.URLField(help_text="Its releases: the release list, filtered.")
    speeches_url = serializers.URLField(help_text="Its speeches: the speech list, filtered.")

    parameter = ""  # the list filter naming it: "speaker", "event", "tag"

    def counted(self, key: int, slug: str, links: Links) -> dict:
        counts = self.context["counts"]  # {"release": {id: n}, "speech": {id: n}}
        query = f"?{self.parameter}={slug}"
        return {
            "release_count": counts["release"].get(key, 0),
            "speech_count": counts["speech"].get(key, 0),
            "releases_url": links.absolute(_list_path("release") + query),
            "speeches_url": links.absolute(_list_path("speech") + query),
        }


@cache
def _list_path(noun: str) -> str:
    return reverse(f"api:{noun}-list")


class SpeakerVersionSerializer(serializers.Serializer):
    """The speaker's published words in another language."""

    language = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()
    organisation = serializers.CharField()
    country = serializers.CharField()
    bio = serializers.CharField()
    url = serializers.URLField(help_text="The speaker's page in that language.")


class EventVersionSerializer(serializers.Serializer):
    """The event's published words in another language."""

    language = serializers.CharField()
    name = serializers.CharField()
    location = serializers.CharField()
    description = serializers.CharField()
    url = serializers.URLField(help_text="The event's page in that language.")


def versions(entry: Speaker | Event, links: Links) -> list[dict]:
    """An entry's published versions in the other languages, with their page's address."""
    noun = entry._meta.model_name
    return [
        {
            "language": language,
            **{field: words[field] for field in type(entry).TRANSLATED_FIELDS},
            "url": links.page(f"articles:{noun}-detail", entry.slug, language),
        }
        for language, words in published_versions(entry).items()
    ]


class SpeakerSerializer(CountsMixin, FastSerializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    role = serializers.CharField(help_text="As held when speaking; may be empty.")
    organisation = serializers.CharField()
    country = serializers.CharField()
    bio = serializers.CharField(help_text="Short biography, plain text; may be empty.")
    url = serializers.URLField()
    api_url = serializers.URLField()
    image = ImageSerializer(allow_null=True, help_text="The portrait, with its rights.")
    versions = SpeakerVersionSerializer(
        many=True, help_text="Its published words in the newsroom's other languages."
    )
    parameter = "speaker"

    def represent(self, speaker: Speaker, links: Links) -> dict:
        url, api_url = links.both("speaker", speaker.slug)
        return {
            "name": speaker.name,
            "slug": speaker.slug,
            "role": speaker.role,
            "organisation": speaker.organisation,
            "country": speaker.country,
            "bio": speaker.bio,
            "url": url,
            "api_url": api_url,
            "image": image_ref(speaker.portrait, links, "portrait"),
            "versions": versions(speaker, links),
            **self.counted(speaker.pk, speaker.slug, links),
        }


class EventSerializer(CountsMixin, FastSerializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    kind = serializers.ChoiceField(choices=Event.Kind.choices)
    kind_label = serializers.CharField()
    start_on = serializers.DateField()
    end_on = serializers.DateField(allow_null=True, help_text="Empty for a one-day event.")
    location = serializers.CharField()
    description = serializers.CharField()
    image = ImageSerializer(allow_null=True, help_text="The event's picture, with its rights.")
    tags = TagRefSerializer(many=True)
    url = serializers.URLField()
    api_url = serializers.URLField()
    versions = EventVersionSerializer(
        many=True, help_text="Its published words in the newsroom's other languages."
    )
    parameter = "event"

    def represent(self, event: Event, links: Links) -> dict:
        url, api_url = links.both("event", event.slug)
        topics = sorted(event.topic_list or [], key=lambda t: (t["name"].casefold(), t["slug"]))
        return {
            "name": event.name,
            "slug": event.slug,
            "kind": event.kind,
            "kind_label": event.get_kind_display(),
            "start_on": event.start_on.isoformat(),
            "end_on": event.end_on.isoformat() if event.end_on else None,
            "location": event.location,
            "description": event.description,
            "image": image_ref(event.lead_image, links, "lead"),
            "tags": [tag_ref(topic, links) for topic in topics],
            "url": url,
            "api_url": api_url,
            "versions": versions(event, links),
            **self.counted(event.pk, event.slug, links),
        }


class TagSerializer(CountsMixin, FastSerializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.URLField()
    api_url = serializers.URLField()
    parameter = "tag"

    def represent(self, tag, links: Links) -> dict:
        url, api_url = links.both("tag", tag.slug)
        return {"name": tag.name, "slug": tag.slug, "url": url, "api_url": api_url,
                **self.counted(tag.pk, tag.slug, links)}  # fmt: skip


class ErrorSerializer(serializers.Serializer):
    """Every error answer: 400, 404, 405, 406, 429, 500, 503."""

    detail = serializers.CharField(help_text="What went wrong, in words.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="400 only: each wrong query parameter and what is wrong with it.",
    )
