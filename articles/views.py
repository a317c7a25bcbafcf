"""Public pages. Every query of releases and speeches starts from `public()`."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from articles.cache import cached_public
from articles.filters import ReleaseFilterSet, SpeechFilterSet
from articles.models import Event, Release, Speaker, Speech, TaggedRelease, TaggedSpeech

RELATED_LIMIT = 10


def bad_request(request: HttpRequest, errors: dict) -> HttpResponse:
    """The contract's 400: a page that names each wrong field."""
    return render(request, "400.html", {"errors": errors}, status=400)


def public_count(queryset: QuerySet, lookup: str) -> Coalesce:
    """Count of `queryset` rows whose `lookup` is the outer row: for per-row public counts."""
    counted = (
        queryset.filter(**{lookup: OuterRef("pk")})
        .order_by()
        .values(lookup)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def filter_options(model: type[Release] | type[Speech]) -> dict[str, list[tuple[str, str]]]:
    """Tags, speakers and events that have public items of `model`, for the filter form."""
    through = TaggedRelease if model is Release else TaggedSpeech

    def build() -> dict[str, list[tuple[str, str]]]:
        public = model.objects.public()
        tags = (
            Tag.objects.annotate(
                n=public_count(through.objects.filter(content_object__in=public), "tag")
            )
            .filter(n__gt=0)
            .order_by("name")
        )
        speakers = Speaker.objects.filter(Exists(public.filter(speakers=OuterRef("pk")))).order_by(
            "name"
        )
        event_filter = (
            Exists(public.filter(events=OuterRef("pk")))
            if model is Release
            else Exists(public.filter(event=OuterRef("pk")))
        )
        events = Event.objects.filter(event_filter).order_by("-start_on")
        return {
            "tags": [(t.slug, f"{t.name} ({t.n})") for t in tags],
            "speakers": [(s.slug, s.name) for s in speakers],
            "events": [(e.slug, e.name) for e in events],
        }

    return cached_public(f"filter-options:{model._meta.model_name}", build)


class FilteredListView(ListView):
    """A public list filtered by the contract's parameters; bad input is a 400."""

    paginate_by = 20
    filterset_class: type
    feed_url_name = ""

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.filterset = self.filterset_class(request.GET, queryset=self.model.objects.public())
        if not self.filterset.is_valid():  # .qs alone would drop bad fields silently
            return bad_request(request, self.filterset.errors)
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        return self.filterset.qs.for_listing()

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        active, unknown = self.describe_filters()
        page = context["page_obj"]
        context.update(
            filterset=self.filterset,
            options=filter_options(self.model),
            active_filters=active,
            unknown_filters=unknown,
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2),
        )
        return context

    def describe_filters(self) -> tuple[list[dict], list[str]]:
        """Active filters as labelled values with a link that clears each one."""
        data = self.filterset.form.cleaned_data
        query = self.request.GET
        active: list[dict] = []
        unknown: list[str] = []

        def without(param: str, value: str) -> str:
            remaining = query.copy()
            remaining.setlist(param, [v for v in query.getlist(param) if v.strip() != value])
            remaining.pop("page", None)
            encoded = remaining.urlencode()
            return f"?{encoded}" if encoded else self.request.path

        names = {
            "tag": dict(Tag.objects.filter(slug__in=data["tag"]).values_list("slug", "name"))
            if data.get("tag")
            else {},
            "speaker": dict(
                Speaker.objects.filter(slug=data["speaker"]).values_list("slug", "name")
            )
            if data.get("speaker")
            else {},
            "event": dict(Event.objects.filter(slug=data["event"]).values_list("slug", "name"))
            if data.get("event")
            else {},
        }
        for slug in data.get("tag") or []:
            active.append({"label": "Tag", "value": names["tag"].get(slug, slug),
                           "clear_url": without("tag", slug)})  # fmt: skip
            if slug not in names["tag"]:
                unknown.append(f"There is no tag “{slug}”.")
        for param, label in (("speaker", "Speaker"), ("event", "Event")):
            slug = data.get(param)
            if slug:
                active.append({"label": label, "value": names[param].get(slug, slug),
                               "clear_url": without(param, slug)})  # fmt: skip
                if slug not in names[param]:
                    unknown.append(f"There is no {param} “{slug}”.")
        if data.get("kind"):
            kinds = dict(self.model.Kind.choices)
            active.append({"label": "Kind", "value": kinds[data["kind"]],
                           "clear_url": without("kind", data["kind"])})  # fmt: skip
        for param, label in (("date_after", "From"), ("date_before", "To")):
            if data.get(param):
                raw = query.get(param, "").strip()
                active.append(
                    {"label": label, "value": data[param], "clear_url": without(param, raw)}
                )
        if data.get("q"):
            active.append({"label": "Words", "value": data["q"],
                           "clear_url": without("q", query.get("q", "").strip())})  # fmt: skip
        return active, unknown


class ReleaseListView(FilteredListView):
    model = Release
    filterset_class = ReleaseFilterSet


class SpeechListView(FilteredListView):
    model = Speech
    filterset_class = SpeechFilterSet


class ReleaseDetailView(DetailView):
    def get_queryset(self) -> QuerySet:
        return Release.objects.public().for_detail()


class SpeechDetailView(DetailView):
    def get_queryset(self) -> QuerySet:
        return Speech.objects.public().for_detail()


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(
            releases=Release.objects.public().for_listing()[:6],
            speeches=Speech.objects.public().for_listing()[:4],
            events=Event.objects.filter(start_on__lte=today).order_by("-start_on")[:5],
        )
        return context


class SpeakerListView(ListView):
    model = Speaker
    paginate_by = 50

    def get_queryset(self) -> QuerySet:
        return Speaker.objects.annotate(
            speech_count=public_count(Speech.objects.public(), "speakers"),
            release_count=public_count(Release.objects.public(), "speakers"),
        )


class SpeakerDetailView(DetailView):
    model = Speaker

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        speaker = self.object
        speeches = speaker.speeches.public()
        releases = speaker.releases.public()
        context.update(
            speeches=speeches.for_listing()[:RELATED_LIMIT],
            speech_count=speeches.count(),
            releases=releases.for_listing()[:RELATED_LIMIT],
            release_count=releases.count(),
        )
        return context


class EventListView(ListView):
    model = Event
    paginate_by = 30


class EventDetailView(DetailView):
    model = Event

    def get_queryset(self) -> QuerySet:
        return Event.objects.prefetch_related("tags")

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        event = self.object
        context.update(
            speeches=event.speeches.public().for_listing().order_by("delivered_on", "published_at"),
            releases=event.releases.public().for_listing().order_by("published_at"),
        )
        return context


class TagListView(ListView):
    """Every tag that has public releases or speeches, with their public counts."""

    template_name = "articles/tag_list.html"
    context_object_name = "tags"

    def get_queryset(self) -> QuerySet:
        public_releases = TaggedRelease.objects.filter(content_object__in=Release.objects.public())
        public_speeches = TaggedSpeech.objects.filter(content_object__in=Speech.objects.public())
        return (
            Tag.objects.annotate(
                release_count=public_count(public_releases, "tag"),
                speech_count=public_count(public_speeches, "tag"),
            )
            .filter(Q(release_count__gt=0) | Q(speech_count__gt=0))
            .order_by("name")
        )


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Everything published with a tag: its releases and speeches, and the events it names."""
    tag = get_object_or_404(Tag, slug=slug)
    releases = Release.objects.public().filter(Exists(TaggedRelease.objects.filter(
        content_object=OuterRef("pk"), tag=tag)))  # fmt: skip
    speeches = Speech.objects.public().filter(Exists(TaggedSpeech.objects.filter(
        content_object=OuterRef("pk"), tag=tag)))  # fmt: skip
    context = {
        "tag": tag,
        "releases": releases.for_listing()[:RELATED_LIMIT],
        "release_count": releases.count(),
        "speeches": speeches.for_listing()[:RELATED_LIMIT],
        "speech_count": speeches.count(),
        "events": Event.objects.filter(tags=tag).order_by("-start_on")[:RELATED_LIMIT],
    }
    return render(request, "articles/tag_detail.html", context)
