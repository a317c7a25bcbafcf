"""Public pages. Every query of releases and speeches starts from `public()`.

Pages only: what they are built from lives beside them, by concern (`filters`,
`pagination`, `counts`, `related`, `structured_data`, `archive`, `search.page`,
`responses`).
"""

from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from articles import languages
from articles.archive import archive_years
from articles.cache import cached_public
from articles.corrections import (
    ItemRemoved,
    Version,
    correction_record,
    entries,
    find_version,
    public_changes,
    public_versions,
    readable_item,
    script_and_delivered,
)
from articles.counts import filter_options, public_counts, public_tag_index, visible_ids
from articles.directory_language import localise, localise_one
from articles.filters import PublicationFilterSet, linked, query_string, tag_redirects
from articles.models import Event, Publication, Release, Speaker, Speech, TagNote
from articles.names import resolve
from articles.pagination import CountOnceMixin, InOrder, refuse_deep_pages
from articles.querysets import detail_rows
from articles.responses import bad_request, gone
from articles.search.page import InvalidSearch, search_context
from articles.site_url import absolute_url
from articles.structured_data import rich_preview

RELATED_LIMIT = 10


class FilteredListView(CountOnceMixin, ListView):
    """A public list filtered by the contract's parameters; bad input is a 400."""

    paginate_by = 20
    filterset_class = PublicationFilterSet
    model: type[Publication]

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refuse_deep_pages(request)
        canonical = self.filterset_class.canonical_query(request.GET)
        if canonical is not None:  # a name typed for a slug: the canonical address
            return HttpResponseRedirect(request.path + canonical)
        self.filterset = self.filterset_class(
            request.GET, queryset=self.model.objects.public().in_language()
        )
        if not self.filterset.is_valid():  # .qs alone would drop bad fields silently
            return bad_request(request, self.filterset.errors)
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        return self.filterset.qs.for_listing()

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        options = filter_options(self.model)
        context.update(
            filterset=self.filterset,
            options=options,
            filter_groups=self.filterset.controls(options["datalists"]),
            active_filters=self.filterset.active_filters(self.request),
            unknown_filters=self.filterset.unknown_filters(),
            did_you_mean=self.filterset.did_you_mean(self.request),
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2),
            feeds=feed_links(self.request, self.model),  # <link rel=alternate>
        )
        return context


class ReleaseListView(FilteredListView):
    model = Release


class SpeechListView(FilteredListView):
    model = Speech


def feed_links(request: HttpRequest, model: type[Publication]) -> list[dict]:
    """RSS and Atom links for a list page, carrying its filters (not its page number)."""
    query = query_string(request.GET)
    name = f"articles:{model._meta.model_name}-feed"
    return [
        {"type": "application/rss+xml", "title": "RSS feed of this list",
         "href": reverse(name) + query},
        {"type": "application/atom+xml", "title": "Atom feed of this list",
         "href": reverse(f"{name}-atom") + query},
    ]  # fmt: skip


class WrittenInAnotherLanguage(Exception):
    """An item's address read in another language's site (a French slug under /)."""

    def __init__(self, item: Publication):
        self.item = item


class RemovedIsGoneMixin:
    """A removed item's addresses answer 410 with the editor's note, not 404; an item's
    pages read in another language's site redirect to its own language's."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return super().dispatch(request, *args, **kwargs)
        except ItemRemoved as removed:
            return gone(request, removed.item)
        except WrittenInAnotherLanguage as other:
            return HttpResponseRedirect(translate_url(request.path, other.item.language))


class PublicationDetailView(RemovedIsGoneMixin, DetailView):
    """A release's or speech's page, with its related items and structured data; a
    withdrawn one under its withdrawal notice."""

    model: type[Publication]

    def get_object(self, queryset: QuerySet | None = None) -> Publication:
        # readable(), not public(): the one page a withdrawn item keeps.
        readable = detail_rows(self.model).readable()
        item = readable_item(self.model, self.kwargs["slug"], readable)
        if item is None:
            raise Http404(f"No {self.model._meta.verbose_name} at this address.")
        return item

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.object = self.get_object()
        if self.object.language != languages.current():  # a French item's slug under /
            return HttpResponseRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(rich_preview(self.request, self.object))  # meta, related, JSON-LD
        return context


class ReleaseDetailView(PublicationDetailView):
    model = Release


class SpeechDetailView(PublicationDetailView):
    model = Speech


class VersionsMixin(RemovedIsGoneMixin):
    """An item's public versions: `/<kind>/<slug>/versions/…`."""

    model: type[Publication] | None = None  # given by the URL (as_view(model=…))

    def versions_context(self) -> dict:
        item = readable_item(self.model, self.kwargs["slug"])
        if item is None:
            raise Http404(f"No {self.model._meta.verbose_name} at this address.")
        if item.language != languages.current():
            raise WrittenInAnotherLanguage(item)
        versions = public_versions(item)
        return {"object": item, "item": item, "versions": versions,
                "noun": self.model._meta.verbose_name}  # fmt: skip

    def chosen(self, context: dict) -> Version:
        found = find_version(context["versions"], self.kwargs["version"])
        if found is None:  # never public, or not this item's
            raise Http404("This item has no public version by that name.")
        return found


class VersionListView(VersionsMixin, TemplateView):
    """Every public version of an item, newest first, with its change note."""

    template_name = "articles/version_list.html"

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), **self.versions_context()}


class VersionDetailView(VersionsMixin, TemplateView):
    """An earlier version as readers saw it (not indexed; the current page is canonical)."""

    template_name = "articles/version_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        context = {**super().get_context_data(**kwargs), **self.versions_context()}
        context["version"] = self.chosen(context)
        context["canonical_url"] = absolute_url(context["item"].get_absolute_url(), self.request)
        return context


class VersionChangesView(VersionsMixin, TemplateView):
    """What a version changed from the public version before it, word by word."""

    template_name = "articles/version_changes.html"

    def get_context_data(self, **kwargs) -> dict:
        context = {**super().get_context_data(**kwargs), **self.versions_context()}
        version = self.chosen(context)
        if version.number == 1:
            raise Http404("This is the first public version: nothing came before it.")
        previous = context["versions"][version.number - 2]
        context.update(
            version=version,
            previous=previous,
            changes=[c for c in public_changes(previous, version) if c.changed],
            canonical_url=absolute_url(context["item"].get_absolute_url(), self.request),
        )
        return context


class ScriptChangesView(VersionsMixin, TemplateView):
    """A speech as delivered compared with its script as released: the newest public
    "Check against delivery" version against the current text, in the same diff view.
    404 while there is no transcript, or no public script."""

    template_name = "articles/version_changes.html"

    def get_context_data(self, **kwargs) -> dict:
        context = {**super().get_context_data(**kwargs), **self.versions_context()}
        found = script_and_delivered(context["versions"])
        if found is None:
            raise Http404("This speech has no public script to compare with its delivered text.")
        script, delivered = found
        context.update(
            version=delivered,
            previous=script,
            comparing_script=True,
            changes=[c for c in public_changes(script, delivered) if c.changed],
            canonical_url=absolute_url(context["item"].get_absolute_url(), self.request),
        )
        return context


class CorrectionListView(ListView):
    """`/corrections/`: every public correction and withdrawal, newest first."""

    template_name = "articles/correction_list.html"
    context_object_name = "rows"
    paginate_by = 20

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refuse_deep_pages(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        return correction_record()

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context.update(
            entries=entries(page.object_list),
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2),
            feeds=[
                {"type": "application/rss+xml", "title": "RSS feed of corrections",
                 "href": reverse("articles:correction-feed")},
                {"type": "application/atom+xml", "title": "Atom feed of corrections",
                 "href": reverse("articles:correction-feed-atom")},
            ],
        )  # fmt: skip
        return context


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        latest = Event.objects.visible().filter(start_on__lte=today).order_by("-start_on")[:5]
        context.update(
            releases=Release.objects.public().in_language().for_listing()[:6],
            speeches=Speech.objects.public().in_language().for_listing()[:4],
            # Which events are visible is asked of every event (40 ms on PostgreSQL at
            # 2,000 events): kept until content changes, like the other derived data.
            events=localise(
                cached_public(f"home-events:{today.isoformat()}", lambda: list(latest))
            ),
        )
        return context


class SpeakerListView(ListView):
    model = Speaker
    paginate_by = 50

    def get_queryset(self) -> InOrder:
        """Visible speakers by name: their ids kept per content version (`visible()`)."""
        return InOrder(Speaker.objects.all(), visible_ids(Speaker))

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["speaker_list"] = localise(context["speaker_list"])
        speeches, releases = public_counts(Speech, "speaker"), public_counts(Release, "speaker")
        for speaker in context["speaker_list"]:
            speaker.speech_count = speeches.get(speaker.pk, 0)
            speaker.release_count = releases.get(speaker.pk, 0)
        return context


class SpeakerDetailView(DetailView):
    model = Speaker

    def get_queryset(self) -> QuerySet:
        return Speaker.objects.visible().select_related("portrait")

    def get_object(self, queryset: QuerySet | None = None) -> Speaker:
        return localise_one(super().get_object(queryset))

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        speaker = self.object
        speeches = speaker.speeches.public().in_language()
        releases = speaker.releases.public().in_language()
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

    def get_queryset(self) -> InOrder:
        """Visible events, latest first: their ids kept per content version (`visible()`)."""
        return InOrder(Event.objects.all(), visible_ids(Event))

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["event_list"] = localise(context["event_list"])
        return context


class EventDetailView(DetailView):
    model = Event

    def get_queryset(self) -> QuerySet:
        return Event.objects.visible().select_related("lead_image").prefetch_related("tags")

    def get_object(self, queryset: QuerySet | None = None) -> Event:
        return localise_one(super().get_object(queryset))

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        event = self.object
        context.update(
            speeches=event.speeches.public()
            .in_language()
            .for_listing()
            .order_by("delivered_on", "published_at"),
            releases=event.releases.public().in_language().for_listing().order_by("published_at"),
        )
        return context


class TagListView(ListView):
    """Every tag that has public releases or speeches, with their public counts."""

    template_name = "articles/tag_list.html"
    context_object_name = "tags"

    def get_queryset(self) -> list[Tag]:
        releases, speeches = public_counts(Release, "tag"), public_counts(Speech, "tag")
        tags = list(Tag.objects.filter(pk__in=releases.keys() | speeches.keys()).order_by("name"))
        for tag in tags:
            tag.release_count, tag.speech_count = releases.get(tag.pk, 0), speeches.get(tag.pk, 0)
        return tags


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Everything published with a tag: its releases and speeches, and the events it names.

    The tag and its counts come from the cached public-tag index and counts, so the
    page asks only for its rows.
    """
    index = public_tag_index()
    found = index.get(slug)
    if found is None:
        # A merged tag's old address (permanently), or the topic typed by its name.
        redirects = tag_redirects()
        canonical = resolve(slug, index, redirects)
        if canonical is None:
            raise Http404("No published item has this topic.")
        target = reverse("articles:tag-detail", args=[canonical])
        return (
            HttpResponseRedirect(target)
            if slug not in redirects
            else (HttpResponsePermanentRedirect(target))
        )
    tag = Tag(pk=found[0], slug=slug, name=found[1])
    notes = cached_public(
        "tag-notes", lambda: dict(TagNote.objects.values_list("tag_id", "description"))
    )
    context = {"tag": tag, "description": notes.get(tag.pk, "")}
    for model in (Release, Speech):
        items = linked(model.objects.public().in_language(), "tag", tag.pk)
        plural, name = model._meta.verbose_name_plural, model._meta.model_name
        context[plural] = items.for_listing()[:RELATED_LIMIT]
        context[f"{name}_count"] = public_counts(model, "tag").get(tag.pk, 0)
    context["events"] = localise(
        Event.objects.visible().filter(tags=tag).order_by("-start_on")[:RELATED_LIMIT]
    )
    return render(request, "articles/tag_detail.html", context)


def search_page(request: HttpRequest) -> HttpResponse:
    """`/search/?q=`: releases and speeches together, best match first, 20 a page.

    Takes the list filters too (tag, speaker, event, kind, date_after, date_before) and
    `type=releases|speeches`; bad values are a 400 naming the field, as on the lists.
    """
    refuse_deep_pages(request)
    canonical = PublicationFilterSet.canonical_query(request.GET)
    if canonical is not None:  # a name typed for a slug: the canonical address
        return HttpResponseRedirect(request.path + canonical)
    try:
        context = search_context(request)
    except InvalidSearch as invalid:
        return bad_request(request, invalid.errors)
    return render(request, "articles/search.html", context)


def archive(request: HttpRequest) -> HttpResponse:
    """`/archive/`: public releases and speeches counted by year."""
    return render(request, "articles/archive.html", {"years": archive_years()})


def archive_year(request: HttpRequest, year: int) -> HttpResponse:
    """`/archive/<year>/`: that year's public releases and speeches counted by month."""
    years = archive_years()
    found = next((period for period in years if period["year"] == year), None)
    if found is None:
        raise Http404("Nothing was published that year.")
    newer = min((period["year"] for period in years if period["year"] > year), default=None)
    older = max((period["year"] for period in years if period["year"] < year), default=None)
    context = {"period": found, "newer": newer, "older": older}
    return render(request, "articles/archive_year.html", context)
