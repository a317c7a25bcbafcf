"""The API's endpoints. Every query starts from the one public rule: `public()` for
releases and speeches, `visible()` for speakers and events, the public tag index for tags.

Lists of releases and speeches take the list pages' parameters through the same
FilterSet (`articles.filters.PublicationFilterSet`) with django-filter's DRF backend; an
invalid value is a 400 naming the field (`errors.py`).
"""

from django.db.models import QuerySet
from django.views.generic import TemplateView
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularAPIView
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView, RetrieveAPIView
from taggit.models import Tag

from articles import languages
from articles.counts import public_counts, public_tag_index, public_tags
from articles.filters import PublicationFilterSet
from articles.models import Event, Publication, Release, Speaker, Speech
from articles.querysets import detail_rows, json_column
from articles.search.postgresql import searching_in
from newsroom.api import serializers
from newsroom.api.pagination import PublicationPagination
from newsroom.api.schema import ERRORS, LIST_ERRORS, ContractFilterBackend


def documented(tag: str, summary: str, description: str, *, many: bool):
    """An endpoint's place in the schema: its group, words, answer and error answers."""

    def decorate(view_class):
        errors = LIST_ERRORS if many else ERRORS
        responses = {200: view_class.serializer_class, **errors}
        parameters = [LANGUAGE] if many and hasattr(view_class, "filterset_class") else []
        operation = extend_schema(
            tags=[tag],
            summary=summary,
            description=description,
            responses=responses,
            parameters=parameters,
        )
        return extend_schema_view(get=operation)(view_class)

    return decorate


LANGUAGE = OpenApiParameter(
    "language",
    str,
    enum=languages.codes(),
    description="Only items written in this language (a release and its French translation "
    "are two items, linked by their `translations`). Every language when absent.",
    examples=[OpenApiExample("French", value="fr")],
)

LIST_WORDS = (
    "Takes the site's list filters, combinable (an example of each below). Pages follow "
    "one another through their `next` and `previous` links, in the public order; with "
    "`q`, results come best match first and pages are numbered. An unknown slug gives an "
    "empty list; an invalid value a 400 naming each wrong parameter."
)
DIRECTORY_WORDS = "Every public one, with its public release and speech counts; paged by cursor."


class ItemRows:
    """How a list view reads one page's rows in full, in the order of `ids`."""

    def rows(self, ids: list[int]) -> list:
        found = {row.pk: row for row in self.full_rows().filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]


class PublicationList(ItemRows, ListAPIView):
    model: type[Publication]
    filter_backends = [ContractFilterBackend]
    filterset_class = PublicationFilterSet
    filter_names = tuple(PublicationFilterSet.base_filters)
    pagination_class = PublicationPagination

    def get_queryset(self) -> QuerySet:
        resumed = self.paginator.resume(self.model.objects.all(), self.request)
        public = resumed.public()  # the cursor's bound first: see PublicationPagination.resume
        language = self.request.query_params.get("language", "")
        if not language:  # every language, each item saying its own
            return public
        if language not in languages.codes():
            choices = ", ".join(languages.codes())
            raise ValidationError({"language": [f"Choose one of {choices}."]})
        return public.in_language(language)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """`q` with `language`: asked in that language's search configuration (French
        stemming on PostgreSQL), while the response and its errors stay in English."""
        language = self.request.query_params.get("language", "")
        if language in languages.codes():
            with searching_in(language):
                return super().filter_queryset(queryset)
        return super().filter_queryset(queryset)

    def full_rows(self) -> QuerySet:
        return detail_rows(self.model).public()


class PublicationDetail(RetrieveAPIView):
    model: type[Publication]
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet:
        return detail_rows(self.model).public()


@documented("releases", "Public releases, newest first", LIST_WORDS, many=True)
class ReleaseList(PublicationList):
    model = Release
    serializer_class = serializers.ReleaseSerializer


@documented("releases", "A public release", "By its slug, as in its page's address.", many=False)
class ReleaseDetail(PublicationDetail):
    model = Release
    serializer_class = serializers.ReleaseSerializer


@documented("speeches", "Public speeches, latest delivered first", LIST_WORDS, many=True)
class SpeechList(PublicationList):
    model = Speech
    serializer_class = serializers.SpeechSerializer


@documented("speeches", "A public speech", "By its slug, as in its page's address.", many=False)
class SpeechDetail(PublicationDetail):
    model = Speech
    serializer_class = serializers.SpeechSerializer


class CountedMixin:
    """Speakers, events and tags carry their public release and speech counts (one
    grouped query per kind, kept per content version: `articles.counts.public_counts`)."""

    counted_by = ""  # "speaker", "event", "tag"

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        context["counts"] = {
            "release": public_counts(Release, self.counted_by),
            "speech": public_counts(Speech, self.counted_by),
        }
        return context


class DirectoryList(CountedMixin, ItemRows, ListAPIView):
    pagination_class = PublicationPagination
    filter_backends: list = []


@documented("speakers", "Public speakers, by name", DIRECTORY_WORDS, many=True)
class SpeakerList(DirectoryList):
    model = Speaker
    serializer_class = serializers.SpeakerSerializer
    counted_by = "speaker"

    def get_queryset(self) -> QuerySet:
        return Speaker.objects.visible().select_related("portrait")

    def full_rows(self) -> QuerySet:
        return Speaker.objects.select_related("portrait")  # the ids come from visible()


@documented("speakers", "A public speaker", "By slug.", many=False)
class SpeakerDetail(CountedMixin, RetrieveAPIView):
    serializer_class = serializers.SpeakerSerializer
    lookup_field = "slug"
    counted_by = "speaker"

    def get_queryset(self) -> QuerySet:
        return Speaker.objects.visible()


def _with_topics(events: QuerySet) -> QuerySet:
    link = Event.tags.through.objects.all()
    topics = json_column(link, "content_object", id="tag_id", name="tag__name", slug="tag__slug")
    return events.select_related("lead_image").annotate(topic_list=topics)


@documented("events", "Public events, latest first", DIRECTORY_WORDS, many=True)
class EventList(DirectoryList):
    model = Event
    serializer_class = serializers.EventSerializer
    counted_by = "event"

    def get_queryset(self) -> QuerySet:
        return Event.objects.visible()

    def full_rows(self) -> QuerySet:
        return _with_topics(Event.objects.all())  # the ids come from visible()


@documented("events", "A public event", "By slug.", many=False)
class EventDetail(CountedMixin, RetrieveAPIView):
    serializer_class = serializers.EventSerializer
    lookup_field = "slug"
    counted_by = "event"

    def get_queryset(self) -> QuerySet:
        return _with_topics(Event.objects.visible())


@documented("tags", "Topics of public items, by name", DIRECTORY_WORDS, many=True)
class TagList(DirectoryList):
    model = Tag
    serializer_class = serializers.TagSerializer
    counted_by = "tag"
    order = ["name", "id"]

    def get_queryset(self) -> QuerySet:
        return public_tags(Tag.objects.order_by("name", "id"))

    def full_rows(self) -> QuerySet:
        return Tag.objects.all()  # the ids come from public_tags()


@documented("tags", "A topic of public items", "By slug.", many=False)
class TagDetail(CountedMixin, RetrieveAPIView):
    serializer_class = serializers.TagSerializer
    counted_by = "tag"

    def get_object(self) -> Tag:
        found = public_tag_index().get(self.kwargs["slug"])  # kept per content version
        if found is None:
            raise NotFound("No public item has this topic.")
        return Tag(pk=found[0], slug=self.kwargs["slug"], name=found[1])


class SchemaJsonRenderer(OpenApiJsonRenderer):
    media_type = "application/json"  # what every client and tool reads as JSON


class SchemaView(SpectacularAPIView):
    """`/api/v1/schema/`: the OpenAPI 3 schema as JSON."""

    renderer_classes = [SchemaJsonRenderer]


class DocsView(TemplateView):
    """`/api/v1/docs/`: Swagger UI over the schema, from the project's own static files
    (drf-spectacular-sidecar), under the site's strict Content-Security-Policy."""

    template_name = "api/docs.html"
