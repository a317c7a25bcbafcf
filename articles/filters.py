"""The list filters of the public contract: one declaration each, shared by every surface.

Parameters: tag (repeatable, AND), speaker, event, kind, date_after, date_before, q.
Typed parameters (kind, dates) make the form invalid, which the views answer with a
400 naming the field; slugs are plain text, so an unknown one gives an empty page.

A filter is declared once, on `PublicationFilterSet`, and carries everything the site
says about it: its label, its form control (`template_name`), how a value reads on a
chip and in a feed's title (`describe()`), and what to say when a value matches nothing
(`unknown()`). The lists, the search page, the feeds and their titles, the chips and the
filter form all read the FilterSet (`active_filters()`, `describe()`, `parameters()`),
and every filtered link is made by `query_string()`.
"""

from collections.abc import Iterable, Mapping
from datetime import date

import django_filters
from django import forms
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles.cache import cached_public
from articles.counts import public_tag_index, visible_index, walks_the_order
from articles.directory_language import name_in_language, version_texts
from articles.models import Event, Publication, Speaker, TagRedirect
from articles.names import resolve, suggest
from articles.search import search

MAX_TAGS = 6
MAX_SLUG_LENGTH = 200
MAX_QUERY_LENGTH = 200
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)


def query_string(params: Mapping, *, without: tuple[str, str] | None = None, **changes) -> str:
    """`?a=1&b=2` for a filtered link (or "" when nothing is left): `params` (a request's
    GET, or a dict) without its page number and without the `(name, value)` pair
    `without`, with `changes` applied (a value of None drops the parameter)."""
    query = params.copy() if isinstance(params, QueryDict) else QueryDict(mutable=True)
    if not isinstance(params, QueryDict):
        for name, value in params.items():
            query.setlist(name, value if isinstance(value, list) else [value])
    query.pop("page", None)
    if without is not None:
        name, value = without
        query.setlist(name, [v for v in query.getlist(name) if v.strip() != value])
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else ""


class ContractFilter:
    """What every public filter tells people about itself (mixed into django-filter's)."""

    template_name = ""  # its control in the filter form (templates/includes/filters/)
    multiple = False  # repeatable (tag=a&tag=b): a chip per value, each cleared on its own
    first_in_form = False  # the form leads with it (the words box)
    group = ""  # controls of one group share a fieldset with this legend
    help_text = ""  # under the control
    directory = ("", "")  # (URL name, link text) of a page listing every value
    any_label = ""  # a choice control's first option ("Any kind")
    add_label = ""  # a repeatable control's label ("Add a tag")

    def __init__(self, *args, help_text: str = "", directory: tuple[str, str] = ("", ""),
                 **kwargs):  # fmt: skip
        self.help_text, self.directory = help_text or self.help_text, directory
        super().__init__(*args, **kwargs)

    @property
    def label(self) -> str | None:
        """Its name in the language being read (declared lazily, read as text)."""
        label = django_filters.Filter.label.fget(self)
        return None if label is None else str(label)

    @label.setter
    def label(self, value) -> None:
        django_filters.Filter.label.fset(self, value)

    def describe(self, value) -> list[tuple[str, object]]:
        """Each chosen value as (the value in the address, what people read)."""
        return [(str(value), value)]

    def unknown(self, value) -> list[str]:
        """Messages for values that match nothing (an unknown slug)."""
        return []

    def phrase(self, value) -> str:
        """The filter in words, for a feed's title."""
        shown = ", ".join(str(shown) for _raw, shown in self.describe(value))
        # Translators: a filter in a feed's title: its name in lower case, then its value
        # ("speaker Jens Stoltenberg").
        return gettext("%(filter)s %(value)s") % {"filter": self.label.lower(), "value": shown}

    def names(self) -> dict | None:
        """Slug -> (id, name) of the values people may type by name (tags, speakers,
        events); None for a filter whose values are not names."""
        return None

    def redirects(self) -> dict:
        """Old slug -> current slug (a tag merged into another)."""
        return {}


def tag_redirects() -> dict[str, str]:
    """Old slug -> slug of every tag merged into another (TagRedirect), per content version."""
    rows = TagRedirect.objects.values_list("old_slug", "tag__slug")
    return cached_public("tag-redirects", lambda: dict(rows))


class TagInput(forms.Widget):
    """Reads every `tag=` value; the filter form renders its own controls."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return [value.strip() for value in values if value and value.strip()]


class SlugListField(forms.Field):
    widget = TagInput
    default_error_messages = {
        "too_many": _("Combine at most %(limit)d tags."),
        "too_long": _("A tag is at most %(limit)d characters."),
    }

    def to_python(self, value) -> list[str]:
        return list(dict.fromkeys(value or []))  # keep order, drop repeats

    def validate(self, value: list[str]) -> None:
        if len(value) > MAX_TAGS:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": MAX_TAGS}
            )
        if any(len(slug) > MAX_SLUG_LENGTH for slug in value):
            raise forms.ValidationError(
                self.error_messages["too_long"], code="too_long", params={"limit": MAX_SLUG_LENGTH}
            )


def linked(qs: QuerySet, key: str, target_id: int) -> QuerySet:
    """`qs` narrowed to the items linked to one tag, speaker or event (`key`), by id, in
    the shape `walks_the_order()` chooses for how many items that one carries."""
    link = qs.model.links(key)
    if link.item == "pk":  # a column of the item's own row (a speech's event)
        return qs.filter(**{f"{link.target}_id": target_id})
    rows = link.rows.filter(**{f"{link.target}_id": target_id})
    if walks_the_order(qs.model, key, target_id):
        return qs.filter(Exists(rows.filter(**{link.item: OuterRef("pk")})))
    return qs.filter(pk__in=rows.values(link.item))


class TagFilter(ContractFilter, django_filters.Filter):
    """`tag=a&tag=b`: items that carry every given tag."""

    field_class = SlugListField
    template_name = "includes/filters/tag.html"
    multiple = True
    add_label = _("Add a tag")

    def filter(self, qs: QuerySet, value: list[str]) -> QuerySet:
        """Filters by the tags' ids, found in `public_tag_index()`.

        Ids rather than a join on the slug: PostgreSQL then plans with the tag's own
        frequency, a tag on a third of the archive or on a hundred items (a popular tag's
        first page at 100,000 items: 73 -> 3 ms). A tag that no public item carries
        matches nothing.
        """
        index = public_tag_index() if value else {}
        for slug in value or []:
            if slug not in index:
                return qs.none()
            qs = linked(qs, "tag", index[slug][0])
        return qs

    def describe(self, value: list[str]) -> list[tuple[str, object]]:
        index = public_tag_index()
        return [(slug, index[slug][1] if slug in index else slug) for slug in value]

    def unknown(self, value: list[str]) -> list[str]:
        index = public_tag_index()
        return [
            gettext("There is no tag “%(slug)s”.") % {"slug": slug}
            for slug in value
            if slug not in index
        ]

    def phrase(self, value: list[str]) -> str:
        names = [str(name) for _raw, name in self.describe(value)]
        tags = names[0] if names else ""
        for name in names[1:]:
            tags = gettext("%(first)s and %(second)s") % {"first": tags, "second": name}
        return ngettext("tagged %(tags)s", "tagged %(tags)s", len(names)) % {"tags": tags}

    def names(self) -> dict:
        return public_tag_index()

    def redirects(self) -> dict:
        return tag_redirects()


class IndexedSlugFilter(ContractFilter, django_filters.CharFilter):
    """`speaker=` or `event=`: a slug, looked up in `visible_index()`, filtered by id.

    By id for the same reason as tags: one speaker is quoted in 8,000 releases, another
    in ten, and PostgreSQL plans each well only when it sees which (a popular speaker
    with a popular tag and a date range: 50 -> 6 ms of SQL).
    """

    template_name = "includes/filters/suggested.html"

    def __init__(self, *args, named: type[models.Model], **kwargs):
        self.named = named
        kwargs.setdefault("max_length", MAX_SLUG_LENGTH)
        super().__init__(*args, **kwargs)

    @property
    def noun(self) -> str:
        return self.named._meta.model_name  # "speaker", "event"

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if not value:
            return qs
        found = visible_index(self.named).get(value)
        if found is None:
            return qs.none()
        return linked(qs, self.noun, found[0])

    def describe(self, value: str) -> list[tuple[str, object]]:
        found = visible_index(self.named).get(value)
        if found is None:
            return [(value, value)]
        return [(value, name_in_language(self.noun, *found))]

    def unknown(self, value: str) -> list[str]:
        if value in visible_index(self.named):
            return []
        messages = {
            "speaker": gettext("There is no speaker “%(slug)s”."),
            "event": gettext("There is no event “%(slug)s”."),
        }
        return [messages[self.noun] % {"slug": value}]

    def names(self) -> dict:
        """The visible entries with their names in the language being read: on the French
        site a French name finds its entry and "Did you mean" offers French names (an
        English name still finds it by its slug)."""
        index = visible_index(self.named)
        texts = version_texts(self.noun)
        if not texts:
            return index
        return {slug: (pk, texts[pk]["name"] if pk in texts else name)
                for slug, (pk, name) in index.items()}  # fmt: skip


class KindFilter(ContractFilter, django_filters.ChoiceFilter):
    """`kind=`: one of the model's kinds (press release, news…; speech, interview…)."""

    template_name = "includes/filters/choice.html"
    any_label = _("Any kind")

    @property
    def field(self):
        self.extra["choices"] = self.parent.queryset.model.Kind.choices
        return super().field

    def describe(self, value: str) -> list[tuple[str, object]]:
        return [(value, dict(self.parent.queryset.model.Kind.choices)[value])]

    def phrase(self, value: str) -> str:
        return str(self.describe(value)[0][1])


class BoundedDateField(forms.DateField):
    """A YYYY-MM-DD date in a sane range (no year 1 or 9999 overflows downstream)."""

    input_formats = ["%Y-%m-%d"]
    default_error_messages = {
        "invalid": _("Enter a date as YYYY-MM-DD, for example 2024-03-14."),
    }

    def validate(self, value) -> None:
        super().validate(value)
        if value and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise forms.ValidationError(
                gettext("Enter a date between %(first)s and %(last)s.")
                % {"first": f"{EARLIEST_DATE:%Y}", "last": f"{LATEST_DATE:%Y}"},
                code="range",
            )


class DateFilter(ContractFilter, django_filters.Filter):
    """`date_after=` / `date_before=`: the item's public date (the publication day in the
    newsroom's zone for releases, the delivery date for speeches), both ends included."""

    field_class = BoundedDateField
    template_name = "includes/filters/date.html"
    group = _("Date")

    def __init__(self, *args, bound: str, words: str, **kwargs):
        # "after" or "before"; "from %(date)s" or "until %(date)s"
        self.bound, self.words = bound, words
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: date | None) -> QuerySet:
        return qs.filter(qs.model.dated(**{self.bound: value})) if value else qs

    def describe(self, value: date) -> list[tuple[str, object]]:
        return [(f"{value:%Y-%m-%d}", value)]

    def phrase(self, value: date) -> str:
        return str(self.words) % {"date": f"{value:%Y-%m-%d}"}


class WordsFilter(ContractFilter, django_filters.CharFilter):
    """`q=`: the site search (articles.search): best matches first, then newest."""

    template_name = "includes/filters/words.html"
    first_in_form = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, max_length=MAX_QUERY_LENGTH, strip=True, **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if not value:
            return qs
        return search(qs, value).order_by("-search_rank", *qs.model._meta.ordering)

    def phrase(self, value: str) -> str:
        return gettext("matching “%(words)s”") % {"words": value}


class PublicationFilterSet(django_filters.FilterSet):
    """The contract's filters, for releases and speeches alike (bind it to either's
    `public()`). A new filter is one declaration here: the lists, the search page, the
    feeds and their titles, the chips and the form take it from this class."""

    tag = TagFilter(
        label=_("Tag"),
        help_text=_("Type to choose; every chosen tag must match."),
        directory=("articles:tag-list", _("All topics")),
    )
    speaker = IndexedSlugFilter(
        named=Speaker,
        label=_("Speaker"),
        help_text=_("The most quoted are suggested."),
        directory=("articles:speaker-list", _("All speakers")),
    )
    event = IndexedSlugFilter(
        named=Event,
        label=_("Event"),
        help_text=_("The latest are suggested."),
        directory=("articles:event-list", _("All events")),
    )
    kind = KindFilter(label=_("Kind"))
    date_after = DateFilter(bound="after", words=_("from %(date)s"), label=_("From"))
    date_before = DateFilter(bound="before", words=_("until %(date)s"), label=_("To"))
    q = WordsFilter(label=_("Words"))

    @classmethod
    def canonical_query(cls, data: QueryDict) -> str | None:
        """`data` with every tag, speaker or event given by its name (any case, with or
        without accents) or by a merged tag's old slug replaced by its slug, as a query
        string; None when every value is already canonical (or means nothing known)."""
        changed = False
        query = data.copy()
        for name, flt in cls.base_filters.items():
            values = data.getlist(name)
            if not values or len(values) > MAX_TAGS:
                continue
            index = flt.names()
            if index is None:
                continue
            fixed = []
            for value in values:
                value = value.strip()
                found = resolve(value, index, flt.redirects()) if value else None
                if len(value) <= MAX_SLUG_LENGTH and found is not None and found != value:
                    changed, value = True, found
                fixed.append(value)
            query.setlist(name, fixed)
        return query_string(query) if changed else None

    def did_you_mean(self, request: HttpRequest) -> list[dict]:
        """For each typed value that matches nothing, the closest names, each with the
        address of this page with that value replaced ("Did you mean …?")."""
        offers = []
        for name, flt, value in self.chosen():
            index = flt.names()
            if index is None:
                continue
            for typed in value if isinstance(value, list) else [value]:
                if typed in index:
                    continue
                options = []
                for slug, shown in suggest(typed, index):
                    query = request.GET.copy()
                    query.setlist(name, [slug if v.strip() == typed else v
                                         for v in request.GET.getlist(name)])  # fmt: skip
                    options.append({"name": shown, "url": request.path + query_string(query)})
                if options:
                    offers.append({"label": flt.label.lower(), "typed": typed,
                                   "options": options, "links": either(options)})  # fmt: skip
        return offers

    def is_valid(self) -> bool:
        """The fields' own checks, then the date range: a "From" later than its "To" is an
        error naming both (the views answer it with a 400), not an empty list."""
        if not super().is_valid():
            return False
        data = self.form.cleaned_data
        after, before = data.get("date_after"), data.get("date_before")
        if after and before and after > before:
            self.form.add_error(
                "date_before",
                gettext(
                    "“To” (date_before=%(before)s) is earlier than “From” "
                    "(date_after=%(after)s): swap the two dates."
                )
                % {"before": f"{before:%Y-%m-%d}", "after": f"{after:%Y-%m-%d}"},
            )
            return False
        return True

    @classmethod
    def parameters(cls) -> list[str]:
        """The query parameters of the contract, in the order chips and titles name them."""
        return list(cls.base_filters)

    def chosen(self, skip: Iterable[str] = ()) -> list[tuple[str, ContractFilter, object]]:
        """(name, filter, cleaned value) of each filter given a value; after is_valid()."""
        data = self.form.cleaned_data
        return [
            (name, flt, data[name])
            for name, flt in self.filters.items()
            if data.get(name) not in (None, "", []) and name not in skip
        ]

    def active_filters(self, request: HttpRequest, skip: Iterable[str] = ()) -> list[dict]:
        """A chip per chosen value: its label, how it reads, and a link that clears it."""
        chips = []
        for name, flt, value in self.chosen(skip):
            for raw, shown in flt.describe(value):
                # A repeatable filter loses this one value; any other all of its values
                # (however the date was typed: 2024-3-1 is 2024-03-01).
                rest = {"without": (name, raw)} if flt.multiple else {name: None}
                cleared = request.path + query_string(request.GET, **rest)
                chips.append({"name": name, "label": flt.label, "value": shown,
                              "clear_url": cleared})  # fmt: skip
        return chips

    def controls(self, suggestions: Mapping[str, str] | None = None) -> list[dict]:
        """The filter form, from the declarations: groups of controls (a group with a
        legend is a fieldset), each with its filter, current value and `suggestions`
        (rendered <option>s, by filter name)."""
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        suggestions = suggestions or {}
        groups: list[dict] = []
        ordered = sorted(self.filters.items(), key=lambda item: not item[1].first_in_form)
        for name, flt in ordered:
            control = {"name": name, "filter": flt, "value": data.get(name),
                       "suggestions": suggestions.get(name, "")}  # fmt: skip
            if groups and flt.group and groups[-1]["legend"] == flt.group:
                groups[-1]["controls"].append(control)
            else:
                groups.append({"legend": flt.group, "controls": [control]})
        return groups

    def unknown_filters(self) -> list[str]:
        return [message for _, flt, value in self.chosen() for message in flt.unknown(value)]

    def describe(self) -> str:
        """The chosen filters in words, for a feed's title."""
        return ", ".join(flt.phrase(value) for _, flt, value in self.chosen())


def either(options: list[dict]) -> str:
    """Links to `options` (`name`, `url`) as one choice: "A, B or C"."""
    links = [
        format_html('<a href="{}">{}</a>', option["url"], option["name"]) for option in options
    ]
    if len(links) < 2:
        return links[0] if links else ""
    items = format_html_join(", ", "{}", ((link,) for link in links[:-1]))
    return format_html(gettext("{items} or {last}"), items=items, last=links[-1])


# The lists', feeds' and search page's names for the two bindings of the one FilterSet.
ReleaseFilterSet = SpeechFilterSet = PublicationFilterSet


def filterset_for(model: type[Publication], data, **kwargs) -> PublicationFilterSet:
    """The contract's filters bound to `data` over `model`'s public items."""
    return PublicationFilterSet(data, queryset=model.objects.public().in_language(), **kwargs)
