"""The search page's data: `/search/?q=` over releases and speeches together.

The words (`q`) and the list filters are read once, by the contract's FilterSet bound to
each kind; this page adds `type=releases|speeches` and a kind chosen across both. At
most `MAX_RESULTS` results are counted and listed (see `articles.search.paging`).
"""

import hashlib

from django import forms
from django.core.paginator import InvalidPage, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.cache import cached_public
from articles.directory_language import localise_names
from articles.filters import MAX_QUERY_LENGTH, filterset_for, query_string
from articles.results import PUBLICATIONS, RESULT_FIELDS, RESULT_ORDER, Result, result_rows
from articles.results import speakers_json as people_column
from articles.search import MatchCount, count_matches, ranked_rows, union_all, with_snippets

PER_PAGE = 20
SHOWN = ("q", "kind", "date_after", "date_before")  # filters the search form has controls for
# The models' names for their results (`SEARCH_TAB`), as readers read them.
TAB_LABELS = {"Releases and news": _("Releases and news"), "Speeches": _("Speeches")}


def tab_label(model) -> str:
    return TAB_LABELS.get(model.SEARCH_TAB, model.SEARCH_TAB)


class InvalidSearch(Exception):
    def __init__(self, errors: dict):
        super().__init__("Invalid search parameters")
        self.errors = errors


class SearchForm(forms.Form):
    """The search page's own parameters: which kind of result, and a kind of either."""

    type = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Everything"))]
        + [(model._meta.verbose_name_plural, tab_label(model)) for model in PUBLICATIONS.values()],
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any kind"))]
        + [(tab_label(model), model.Kind.choices) for model in PUBLICATIONS.values()],
    )


class MixedResults:
    """Releases and speeches as one ranked sequence for the Paginator.

    One query counts (best and all matches, up to `search.MAX_RESULTS`: `capped` says
    there are more), one fetches the page (a UNION of rows, best matches first, see
    `search.ranked_rows`); `Paginator` calls `count()` and slices.
    """

    def __init__(self, querysets: list[QuerySet], count_key: str):
        self.querysets = querysets
        self.count_key = count_key
        self.matches: MatchCount | None = None

    def count(self) -> int:
        """Counted once per content version and search, as the lists count (a page of
        "cyber defence" at 100,000 items spent 9 of its 30 ms of SQL counting)."""
        self.matches = cached_public(
            f"search-count:{self.count_key}", lambda: count_matches(self.querysets)
        )
        return self.matches.listed

    @property
    def capped(self) -> bool:
        return self.matches is not None and self.matches.capped

    def __getitem__(self, index: slice) -> list[dict]:
        if not isinstance(index, slice):  # e.g. the template's `object_list.capped` tries [] first
            raise TypeError("only slices of the results are fetched")
        rows = [result_rows(qs, "search_rank") for qs in self.querysets]
        return ranked_rows(rows, ("-search_rank", *RESULT_ORDER), index, self.matches)


def page_results(rows: list[dict], query: str) -> list[Result]:
    """One page of rows with their snippet and speakers: a single query, whatever the size."""
    extras: dict[tuple[str, int], dict] = {}
    parts = []
    for name, model in PUBLICATIONS.items():
        ids = [row["pk"] for row in rows if row["result_type"] == name]
        if ids:
            matched = with_snippets(model.objects.public().in_language().filter(pk__in=ids), query)
            parts.append(
                result_rows(matched, "search_snippet")
                .annotate(people=people_column(model))
                .values("result_type", "pk", "search_snippet", "people")
            )
    if parts:
        extras = {(row["result_type"], row["pk"]): row for row in union_all(parts)}
    results = []
    for row in rows:
        extra = extras.get((row["result_type"], row["pk"]), {})
        people = localise_names("speaker", extra.get("people") or [])
        people = sorted(people, key=lambda p: (p["position"], p["name"]))
        fields = {name: row[name] for name in RESULT_FIELDS}
        results.append(Result(**fields, snippet=extra.get("search_snippet", ""), speakers=people))
    return results


def search_context(request: HttpRequest) -> dict:
    """Everything the search page shows; raises InvalidSearch (a 400) for bad input and
    Http404 for a page past the end."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        raise InvalidSearch(form.errors)
    wanted, kind = form.cleaned_data["type"], form.cleaned_data["kind"]
    data = request.GET.copy()
    for param in ("page", "type"):
        data.pop(param, None)
    filtersets, errors = {}, {}
    for model in PUBLICATIONS.values():
        own = data.copy()
        if kind and kind not in model.Kind.values:
            own.pop("kind")  # the other kind's: this kind is left out below
        filterset = filterset_for(model, own)
        if filterset.is_valid():
            filtersets[model] = filterset
        else:
            errors.update(filterset.errors)
    if errors:
        raise InvalidSearch(errors)
    query = next(iter(filtersets.values())).form.cleaned_data["q"]
    chosen = [
        filterset.qs
        for model, filterset in filtersets.items()
        if (not wanted or wanted == model._meta.verbose_name_plural)
        and (not kind or kind in model.Kind.values)
    ]
    chips: dict[tuple[str, str], dict] = {}
    for filterset in filtersets.values():
        for chip in filterset.active_filters(request, skip=("q",)):
            chips.setdefault((chip["name"], str(chip["value"])), chip)
    path = reverse("articles:search")
    context = {
        "form": form,
        "query": query,
        "query_max_length": MAX_QUERY_LENGTH,
        "tabs": [
            {"value": value, "label": label, "current": value == wanted,
             "url": path + query_string(request.GET, type=value or None, kind=None)}
            for value, label in form.fields["type"].choices
        ],
        "kept": [
            (name, value)
            for name in next(iter(filtersets.values())).parameters()
            if name not in SHOWN
            for value in request.GET.getlist(name)
            if value.strip()
        ],
        "filtered": list(chips.values()),
        "clear_all_url": path + query_string(
            {name: value for name, value in (("q", query), ("type", wanted)) if value}
        ),
    }  # fmt: skip
    if query:
        counted = request.GET.copy()
        counted.pop("page", None)
        count_key = hashlib.sha256(counted.urlencode().encode()).hexdigest()[:32]
        paginator = Paginator(MixedResults(chosen, count_key), PER_PAGE)
        try:
            page = paginator.page(request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404(f"No such page of results: {error}") from None
        page.object_list = page_results(list(page.object_list), query)
        context.update(
            page_obj=page,
            paginator=paginator,
            results=page.object_list,
            page_range=paginator.get_elided_page_range(page.number, on_each_side=2),
        )
    return context
