"""Which framework for the JSON API (issue 20): the release list endpoint, in-process.

    .venv/bin/pip install django-ninja        # only for this comparison
    DATABASE_URL=sqlite:///bench/newsroom-bench.sqlite3 .venv/bin/python bench/api_frameworks.py

Serves the same page (20 releases with their speakers, events and tags, filtered or not)
three ways on the same database and times each through Django's test `Client` (the whole
middleware stack, page cache off), median of `--runs` requests after a warm-up:

- `drf`: the project's API (`newsroom/api/`): DRF, django-filter's DRF backend over the
  lists' own FilterSet, its cursor pagination and serializers;
- `drf-fields`: the same view with DRF's field-by-field rendering (what the serializers'
  declared fields would write by themselves), to show what writing items directly saves;
- `ninja`: django-ninja, its response validated and written by a pydantic schema of the
  same item, over the same FilterSet called by hand (ninja has no django-filter backend:
  its own `FilterSchema` would be a second definition of every filter), the same
  pagination and the same item dictionaries: what differs is the framework around them.

Each variant's first answer is checked to be the same JSON as the project's.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("NEWSROOM_PAGE_CACHE", "0")
os.environ.setdefault("NEWSROOM_API_RATE_LIMIT", "0")

import django  # noqa: E402

django.setup()

from django.test import Client, override_settings  # noqa: E402
from django.urls import path  # noqa: E402

from articles.filters import PublicationFilterSet  # noqa: E402
from articles.models import Release  # noqa: E402
from newsroom import urls as project_urls  # noqa: E402
from newsroom.api import serializers as api_serializers  # noqa: E402
from newsroom.api import views as api_views  # noqa: E402


def drf_fields_view():
    """The project's list view, but DRF renders each field through its declared serializer."""
    from rest_framework import serializers

    class Ref(serializers.Serializer):
        name = serializers.CharField()
        slug = serializers.CharField()

    class Item(serializers.Serializer):
        slug = serializers.CharField()
        title = serializers.CharField()
        kind = serializers.CharField()
        kind_label = serializers.CharField(source="get_kind_display")
        summary = serializers.CharField()
        body_html = serializers.SerializerMethodField()
        published_at = serializers.DateTimeField()
        modified_at = serializers.DateTimeField(source="last_modified")
        source = serializers.CharField()
        url = serializers.SerializerMethodField()
        api_url = serializers.SerializerMethodField()
        speakers = serializers.SerializerMethodField()
        events = serializers.SerializerMethodField()
        tags = serializers.SerializerMethodField()

        def _links(self):
            return api_serializers._links(self)

        def get_body_html(self, item):
            return api_serializers.sanitise(item.body)

        def get_url(self, item):
            return self._links().both("release", item.slug)[0]

        def get_api_url(self, item):
            return self._links().both("release", item.slug)[1]

        def get_speakers(self, item):
            ref = api_serializers.SpeakerRefSerializer(item.speaker_list, many=True)
            ref.context.update(self.context)
            return [dict(row) for row in ref.data]

        def get_events(self, item):
            ref = api_serializers.EventRefSerializer(item.event_list, many=True)
            ref.context.update(self.context)
            return [dict(row) for row in ref.data]

        def get_tags(self, item):
            ref = api_serializers.TagRefSerializer(item.topics, many=True)
            ref.context.update(self.context)
            return [dict(row) for row in ref.data]

    class View(api_views.ReleaseList):
        serializer_class = Item

    return View.as_view()


def ninja_urls():
    from ninja import NinjaAPI, Schema
    from ninja.errors import HttpError

    from newsroom.api.pagination import PublicationPagination

    class Ref(Schema):
        name: str
        slug: str
        url: str
        api_url: str

    class Speaker(Ref):
        role: str

    class Event(Ref):
        start_on: date

    class Item(Schema):
        slug: str
        title: str
        kind: str
        kind_label: str
        summary: str
        body_html: str
        published_at: datetime
        modified_at: datetime
        source: str
        url: str
        api_url: str
        speakers: list[Speaker]
        events: list[Event]
        tags: list[Ref]

    class Page(Schema):
        next: str | None
        previous: str | None
        results: list[Item]

    api = NinjaAPI(urls_namespace="ninja-bench")

    @api.get("/releases/", response=Page)
    def releases(request):
        filterset = PublicationFilterSet(request.GET, queryset=Release.objects.public())
        if not filterset.is_valid():
            raise HttpError(400, str(filterset.errors))
        request.query_params = request.GET  # what the shared paginator reads
        view = api_views.ReleaseList()
        page = PublicationPagination()
        rows = page.paginate_queryset(filterset.qs, request, view=view)
        data = api_serializers.ReleaseSerializer(rows, many=True, context={"request": request})
        return {"next": page.next_url, "previous": page.previous_url, "results": data.data}

    return api.urls


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def measure(client: Client, url: str, runs: int) -> float:
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    variants = {"drf": "/api/v1/releases/", "drf-fields": "/api/bench-drf-fields/"}
    extra = [path("api/bench-drf-fields/", drf_fields_view())]
    try:
        extra.append(path("api/bench-ninja/", ninja_urls()))
        variants["ninja"] = "/api/bench-ninja/releases/"
    except ImportError:
        say("django-ninja is not installed: pip install django-ninja to compare it")

    class Urls:
        urlpatterns = [*extra, *project_urls.urlpatterns]

    public = Release.objects.public()
    tag = public.filter(tagged__isnull=False).values_list("tagged__tag__slug", flat=True)[0]
    queries = {"page 1": "", f"tag={tag}": f"?tag={tag}&date_after=2010-01-01"}
    with override_settings(ROOT_URLCONF=Urls):
        client = Client(HTTP_HOST="127.0.0.1")
        reference = {q: client.get(variants["drf"] + query).json() for q, query in queries.items()}
        say(f"{Release.objects.count():,} releases; median of {args.runs} requests, ms")
        say(f"| variant | {' | '.join(queries)} |")
        say(f"|---|{'--:|' * len(queries)}")
        for name, url in variants.items():
            cells = []
            for label, query in queries.items():
                if name == "ninja":
                    answer = client.get(url + query).json()
                    results = [item["slug"] for item in answer["results"]]
                    assert results == [item["slug"] for item in reference[label]["results"]]
                cells.append(f"{measure(client, url + query, args.runs):.2f}")
            say(f"| {name} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
