"""The OpenAPI description of what the API takes and answers, beyond the serializers.

The list filters are described from `PublicationFilterSet` itself, one parameter per
declared filter, each with an example that works on the seed archive: a filter added to
the FilterSet reaches the API at once, and its schema here (a new kind of filter must be
described below, or the schema refuses to build and the tests fail).
"""

from django.core.exceptions import ImproperlyConfigured
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.utils import OpenApiResponse

from articles.filters import (
    MAX_SLUG_LENGTH,
    MAX_TAGS,
    DateFilter,
    IndexedSlugFilter,
    KindFilter,
    TagFilter,
    WordsFilter,
)
from articles.models import Publication
from newsroom.api.serializers import ErrorSerializer

# One example per filter of the contract (values of the seed archive, `loaddata seed`).
EXAMPLES = {
    "tag": "sweden",
    "speaker": "jens-stoltenberg",
    "event": "washington-summit-2024",
    "kind": {"release": "press-release", "speech": "press-conference"},
    "date_after": "2024-03-01",
    "date_before": "2024-03-31",
    "q": "annual report",
}

# What each filter means to a partner (the FilterSet's help texts are the form's hints).
API_NOTES = {
    "tag": "A tag's slug. Repeat it for items carrying every one: "
    "`tag=sweden&tag=enlargement` (at most 6).",
    "speaker": "A speaker's slug: items quoting (releases) or delivered by (speeches) them.",
    "event": "An event's slug: releases reporting on it, speeches delivered at it.",
    "kind": "One kind of release or speech.",
    "date_after": "Public date on or after this day (YYYY-MM-DD): the publication day in the "
    "newsroom's zone for releases, the delivery date for speeches.",
    "date_before": "Public date on or before this day (YYYY-MM-DD).",
    "q": "Words to search (at most 200 characters; quoted phrases, -word and or work). "
    "Results then come best match first, paged with `page` (not `cursor`).",
}


def _schema(flt, model: type[Publication]) -> dict:
    if isinstance(flt, TagFilter):
        return {"type": "array", "maxItems": MAX_TAGS,
                "items": {"type": "string", "maxLength": MAX_SLUG_LENGTH}}  # fmt: skip
    if isinstance(flt, IndexedSlugFilter):
        return {"type": "string", "maxLength": MAX_SLUG_LENGTH}
    if isinstance(flt, KindFilter):
        return {"type": "string", "enum": list(model.Kind.values)}
    if isinstance(flt, DateFilter):
        return {"type": "string", "format": "date"}
    if isinstance(flt, WordsFilter):
        return {"type": "string", "maxLength": flt.extra.get("max_length", 200)}
    raise ImproperlyConfigured(
        f"Describe the filter {flt.field_name!r} ({type(flt).__name__}) for the API's "
        "schema in newsroom/api/schema.py."
    )


def filter_parameters(filterset_class, model: type[Publication]) -> list[dict]:
    """The query parameters of a list of `model`, one per filter of `filterset_class`."""
    parameters = []
    for name, flt in filterset_class.base_filters.items():
        if name not in EXAMPLES:
            raise ImproperlyConfigured(f"Give the filter {name!r} an example in {__name__}.")
        example = EXAMPLES[name]
        if isinstance(example, dict):
            example = example[model._meta.model_name]
        schema = _schema(flt, model)
        words = f"{flt.label}. {API_NOTES.get(name, '')}".strip()
        parameter = {
            "name": name,
            "in": "query",
            "required": False,
            "description": words,
            "schema": schema,
            "example": [example] if schema["type"] == "array" else example,
        }
        if schema["type"] == "array":
            parameter.update(style="form", explode=True)
        parameters.append(parameter)
    return parameters


def _error(words: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=words)


ERRORS = {
    400: _error("A control character in the address or query; `errors` names where."),
    404: _error("No public item at this address."),
    429: _error("Too many requests from this address: wait `Retry-After` seconds."),
}
LIST_ERRORS = {
    400: _error("A query parameter is invalid; `errors` names each one."),
    404: _error("A page number past the last page of ranked results."),
    429: ERRORS[429],
}


class ContractFilterBackend(DjangoFilterBackend):
    """django-filter's DRF backend over the contract's FilterSet (a 400 naming each
    invalid field); its OpenAPI parameters come from `filter_parameters()`."""


class ContractFilterExtension(OpenApiFilterExtension):
    """Describes `ContractFilterBackend`'s parameters from the FilterSet's declarations,
    rather than drf-spectacular's guess from model fields (which the contract's filters,
    a tag list or a public date, are not)."""

    target_class = ContractFilterBackend
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs) -> list[dict]:
        view = auto_schema.view
        return filter_parameters(view.filterset_class, view.model)
