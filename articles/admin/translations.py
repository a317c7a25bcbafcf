"""Translations in the admin: "Translate into …", each item's versions and whether they
are up to date, on the change list and the change form.

The versions of one item in different languages share its `translation_key`. The version
in the newsroom's first language (`languages.default()`, English) is the *source*; a
translation is *stale* when the source's readers were told of a substantive change (its
`revised_at`) after the translation last changed (its `updated_at`). Saving the
translation clears it. A draft made by "Translate" starts as a copy of the source, in
the source's words, for the translator to rewrite.
"""

import uuid
from datetime import datetime
from typing import NamedTuple

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from articles import languages, revisions
from articles.admin.changelist import DateDrillDownChangeList
from articles.admin.display import local_time
from articles.models import Publication
from articles.querysets import Status


class Version(NamedTuple):
    """One language's version of an item, as the admin lists it."""

    pk: int
    language: str
    title: str
    status: str
    updated_at: datetime
    revised_at: datetime | None

    @property
    def language_name(self) -> str:
        return languages.name(self.language)


VERSION_FIELDS = ("pk", "language", "title", "status", "updated_at", "revised_at")


def versions_by_key(model: type[Publication], keys) -> dict[uuid.UUID, list[Version]]:
    """Every version sharing one of `keys`, by key, in one query (none for no keys)."""
    keys = {key for key in keys if key is not None}
    found: dict[uuid.UUID, list[Version]] = {}
    if not keys:
        return found
    rows = model._default_manager.filter(translation_key__in=keys).order_by()
    for key, *fields in rows.values_list("translation_key", *VERSION_FIELDS):
        found.setdefault(key, []).append(Version(*fields))
    return found


def versions_of(item: Publication) -> list[Version]:
    """The item's versions, itself included: from the change list's one query for the
    page (`TranslationsChangeList`), else a query of their own."""
    if "translation_versions" not in item.__dict__:
        found = versions_by_key(type(item), [item.translation_key])
        item.translation_versions = found.get(item.translation_key, [])
    return item.translation_versions


def is_stale(version: Version | Publication, source: Version | None) -> bool:
    """Whether the source's readers were told of a change after `version` last changed."""
    if source is None or version.language == source.language or source.revised_at is None:
        return False
    return source.revised_at > version.updated_at


# --- the change list: one query for the page's versions, a column, the filter ---------


class TranslationsChangeList(DateDrillDownChangeList):
    """The change list, with every version of the page's items read in one query for the
    "Translations" column (`versions_of()`), however many rows the page has."""

    def get_results(self, request):
        super().get_results(request)
        items = list(self.result_list)  # the page's rows, read once (the queryset keeps them)
        found = versions_by_key(self.model, [item.translation_key for item in items])
        for item in items:
            item.translation_versions = found.get(item.translation_key, [])


def change_url(model: type[Publication], pk: int) -> str:
    return reverse(f"admin:articles_{model._meta.model_name}_change", args=[pk])


def column(item: Publication) -> str:
    """The "Translations" cell: each other language's version, "missing", "up to date"
    or "stale" (linked to it when it exists); for a translation, its source and whether
    it is stale against it."""
    model, default = type(item), languages.default()
    by_language = {version.language: version for version in versions_of(item)}
    source = by_language.get(default)
    lines = []
    for code in languages.others(item.language):
        version = by_language.get(code)
        if version is None:
            lines.append((languages.name(code), "", gettext("missing"), ""))
            continue
        if code == default:
            state = gettext("source")
            behind = (
                gettext("this version is stale")
                if is_stale(item, source)
                else gettext("this version is up to date")
            )
            note = format_html(" ({})", behind)
        else:
            state = gettext("stale") if is_stale(version, source) else gettext("up to date")
            note = ""
        lines.append((languages.name(code), change_url(model, version.pk), state, note))
    return format_html_join(
        mark_safe("<br>"),
        "{}: {}{}",
        (
            (name, format_html('<a href="{}">{}</a>', url, state) if url else state, note)
            for name, url, state, note in lines
        ),
    )


def stale_q(model: type[Publication]) -> Q:
    """Rows in a stale pair: a translation whose source's readers were told of a change
    after it last changed, and a source with such a translation."""
    default = languages.default()
    versions = model._default_manager.filter(translation_key=OuterRef("translation_key"))
    source_newer = versions.filter(language=default, revised_at__gt=OuterRef("updated_at"))
    behind = versions.exclude(language=default).filter(updated_at__lt=OuterRef("revised_at"))
    return (~Q(language=default) & Exists(source_newer)) | (Q(language=default) & Exists(behind))


def stale(queryset: QuerySet) -> QuerySet:
    return queryset.filter(stale_q(queryset.model))


def up_to_date(queryset: QuerySet) -> QuerySet:
    """Rows with at least one other version and none of them stale."""
    model = queryset.model
    others = model._default_manager.filter(translation_key=OuterRef("translation_key")).exclude(
        pk=OuterRef("pk")
    )
    return queryset.filter(Exists(others)).exclude(stale_q(model))


def missing(queryset: QuerySet, language: str) -> QuerySet:
    """Rows in another language with no version in `language`."""
    found = queryset.model._default_manager.filter(
        translation_key=OuterRef("translation_key"), language=language
    )
    return queryset.exclude(language=language).exclude(Exists(found))


# --- "Translate": a linked draft made from the item ---------------------------------


def free_slug(model: type[Publication], slug: str, language: str) -> str:
    """The source's slug with the language ("…-fr"), with a number if that is taken."""
    room = model._meta.get_field("slug").max_length - len(language) - 1 - 4  # "-999"
    base = f"{slug[:room].rstrip('-')}-{language}"
    taken = set(model._default_manager.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def shared_key(source: Publication) -> uuid.UUID:
    """The source's translation key, given one first if it has none: by an UPDATE of that
    column alone (the item's `updated_at` and `revised_at`, its revisions and its edit
    token stay as they are). Whoever sets it first wins; the others read theirs."""
    model = type(source)
    if source.translation_key is None:
        rows = model._default_manager.filter(pk=source.pk)
        rows.filter(translation_key__isnull=True).update(translation_key=uuid.uuid4())
        source.translation_key = rows.values_list("translation_key", flat=True).get()
    return source.translation_key


def copy_as_draft(source: Publication, language: str, reason: str) -> Publication:
    """A new draft in `language` sharing the source's key, with its text, kind, source,
    tags, speakers (in order), events, lead image and (for a speech) its delivery; one
    revision, like any other save, with `reason`."""
    model = type(source)
    fields = {name: getattr(source, name) for name in [*model.REVISED_FIELDS, "lead_image_id"]}
    draft = model(
        **fields,
        slug=free_slug(model, source.slug, language),
        status=Status.DRAFT,
        language=language,
        translation_key=source.translation_key,
    )
    draft._change_reason = reason
    draft.save()
    draft.tags.set(list(source.tags.all()))
    draft.set_speakers(source.speaker_list)
    events = model._meta.get_field(model.EVENTS_FIELD)
    if events.many_to_many:
        getattr(draft, events.name).set(list(getattr(source, events.name).all()))
    revisions.refresh_latest_snapshot(draft, reason)  # with its tags, speakers and events
    return draft


def translate(source: Publication, language: str) -> tuple[Publication, bool]:
    """The source's version in `language`, and whether it was made now: an existing one
    is returned as it is, also when another editor made it a moment ago."""
    model = type(source)
    reason = f"Translated from {languages.name(source.language)} version"[:100]
    with transaction.atomic():
        versions = model._default_manager.filter(translation_key=shared_key(source))
        existing = versions.filter(language=language).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():  # a savepoint: the race below leaves the rest usable
                return copy_as_draft(source, language, reason), True
        except IntegrityError:
            existing = versions.filter(language=language).first()
            if existing is None:
                raise
            return existing, False


class TranslationAdminMixin:
    """For the release and speech admins: the "Translate into …" view and buttons, the
    "Translations" column and its change list, the change form's versions and warning."""

    def get_urls(self):
        name = self.opts.model_name
        return [
            path(
                "<path:object_id>/translate/<str:language>/",
                self.admin_site.admin_view(self.translate_view),
                name=f"articles_{name}_translate",
            ),
            *super().get_urls(),
        ]

    def get_changelist(self, request, **kwargs):
        return TranslationsChangeList

    @admin.display(description=gettext_lazy("Translations"))
    def translation_states(self, obj) -> str:
        return column(obj)

    def translate_view(self, request, object_id, language):
        """POST: make the item's draft in `language` and open it, or open the version
        that exists. Needs the permission to add items of this kind."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        source = self.get_object(request, unquote(object_id))
        if source is None or not self.has_view_or_change_permission(request, source):
            raise Http404("No such item.")
        if language not in dict(languages.choices()):
            raise Http404("No such language.")
        if not self.has_add_permission(request):
            raise PermissionDenied
        name = languages.adjective(language)
        if source.language == language:
            self.message_user(
                request,
                gettext("This item is written in %(language)s already.") % {"language": name},
                messages.INFO,
            )
            return HttpResponseRedirect(change_url(self.model, source.pk))
        if source.status in self.TAKEN_DOWN:
            self.message_user(
                request,
                gettext("A withdrawn or removed item is not translated."),
                messages.ERROR,
            )
            return HttpResponseRedirect(change_url(self.model, source.pk))
        version, made = translate(source, language)
        if not made:
            self.message_user(
                request,
                gettext("This item has a %(language)s version already: here it is.")
                % {"language": name},
                messages.INFO,
            )
            return HttpResponseRedirect(change_url(self.model, version.pk))
        self.log_addition(request, version, [{"added": {}}])
        self.message_user(
            request,
            gettext(
                "A %(language)s draft was made from the %(source)s version, in its words: "
                "translate the title, summary and text, then save it."
            )
            % {"language": name, "source": languages.adjective(source.language)},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(change_url(self.model, version.pk))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["translation_panel"] = self.translation_panel(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def translation_panel(self, request, obj) -> dict:
        """The change form's additions: the warning when the item is a stale translation,
        its other versions, and the languages it can be translated into."""
        model, default = type(obj), languages.default()
        by_language = {version.language: version for version in versions_of(obj)}
        source = by_language.get(default)
        warning = ""
        if is_stale(obj, source):
            warning = format_html(
                '{} <a href="{}">{}</a>',
                gettext("The %(language)s version was updated on %(date)s after this translation.")
                % {
                    "language": languages.adjective(source.language),
                    "date": local_time(source.revised_at),
                },
                change_url(model, source.pk),
                gettext("Open the %(language)s version")
                % {"language": languages.adjective(source.language)},
            )
        versions = []
        for code in languages.others(obj.language):
            version = by_language.get(code)
            if version is None:
                continue
            if code == default:
                state = gettext("source")
            else:
                state = gettext("stale") if is_stale(version, source) else gettext("up to date")
            versions.append({
                "code": version.language,
                "language": version.language_name,
                "title": version.title,
                "status": Status(version.status).label,
                "state": state,
                "url": change_url(model, version.pk),
            })  # fmt: skip
        translate_into = []
        if self.has_add_permission(request) and obj.status not in self.TAKEN_DOWN:
            translate_into = [
                {
                    "language": languages.name(code),
                    "url": reverse(
                        f"admin:articles_{model._meta.model_name}_translate", args=[obj.pk, code]
                    ),
                }
                for code in languages.others(obj.language)
                if code not in by_language
            ]
        return {"warning": warning, "versions": versions, "translate_into": translate_into}
