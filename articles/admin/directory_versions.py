"""A speaker's or event's versions in the newsroom's other languages, edited on its own
page (issue 19).

The versions sit under the entry as a stacked inline, prefilled with the entry's words
for a language that has none yet (an untouched prefilled form saves nothing). Only an
editor publishes one. A save that changes a field the versions translate marks them
stale until each is saved again; the change list says, per language, whether a version
is missing, a draft, stale or up to date, and filters by it.
"""

from django import forms
from django.contrib import admin
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles import languages
from articles.admin.display import local_time
from articles.admin.forms import ConcurrentEditForm
from articles.models.directory import LanguageVersion


def other_languages() -> list[tuple[str, str]]:
    return [(code, name) for code, name in languages.choices() if code != languages.default()]


class VersionForm(ConcurrentEditForm):
    """A version's language is one of the others: the entry is in the first one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "language" in self.fields:
            self.fields["language"] = forms.ChoiceField(
                choices=other_languages(), label="Language", initial=other_languages()[0][0]
            )


class VersionInline(admin.StackedInline):
    """Versions of a speaker or event (`model`: SpeakerVersion, EventVersion)."""

    form = VersionForm
    readonly_fields = ["state", "updated", "updated_by"]
    verbose_name = "version in another language"
    verbose_name_plural = "Versions in other languages (readers of that language see them)"

    def get_fields(self, request, obj=None):
        entry = self.parent_model
        fields = ["language", *entry.TRANSLATED_FIELDS, "published", "edit_token"]
        return [*fields, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm(f"articles.publish_{self.parent_model._meta.model_name}"):
            fields.append("published")
        return fields

    def get_max_num(self, request, obj=None, **kwargs):
        return len(other_languages())

    def get_extra(self, request, obj=None, **kwargs):
        """A form for each language with no version yet."""
        return len(missing_languages(obj))

    @admin.display(description="State")
    def state(self, version) -> str:
        if not version.pk:
            return "New: prefilled with the entry's words; translate them and save."
        if version.state == "draft":
            return "Draft: not shown to readers."
        if version.state == "stale":
            return format_html(
                "<strong>Stale</strong>: the entry's text changed on {} after this version.",
                local_time(version.entry.text_changed_at),
            )
        return "Up to date."

    @admin.display(description="Last updated")
    def updated(self, version) -> str:
        return local_time(version.updated_at) if version.updated_at else "—"


def missing_languages(entry) -> list[str]:
    """The other languages `entry` has no version in (all of them for a new entry)."""
    taken = set(entry.versions.values_list("language", flat=True)) if entry and entry.pk else set()
    return [code for code, _ in other_languages() if code not in taken]


class VersionsAdminMixin:
    """For SpeakerAdmin and EventAdmin: the versions inline, prefilled; stale marking; a
    "Versions" column and filter."""

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, VersionInline):
            # The same initial data on GET and POST, so an untouched form is "unchanged".
            kwargs["initial"] = [
                {"language": code, **prefill(obj)} for code in missing_languages(obj)
            ]
        return kwargs

    def save_model(self, request, obj, form, change) -> None:
        if change and set(form.changed_data) & set(obj.TRANSLATED_FIELDS):
            obj.text_changed_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change) -> None:
        if issubclass(formset.model, LanguageVersion):
            for version_form in formset.forms:
                if version_form.has_changed() and not version_form.cleaned_data.get("DELETE"):
                    version_form.instance.updated_by = request.user
        super().save_formset(request, form, formset, change)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("versions")

    @admin.display(description="Versions")
    def version_states(self, entry) -> str:
        found = {version.language: version for version in entry.versions.all()}
        states = []
        for code, name in other_languages():
            version = found.get(code)
            states.append((name, version.state if version else "missing"))
        return format_html_join(", ", "{}: {}", states)


def prefill(entry) -> dict:
    """What a new version starts with: the entry's own words, to translate in place (as
    "Translate" prefills an item), so a field left alone never goes blank in French."""
    if entry is None or not entry.pk:
        return {}
    return {field: getattr(entry, field) for field in entry.TRANSLATED_FIELDS}


class VersionStateFilter(admin.SimpleListFilter):
    """Entries by the state of their versions in the other languages."""

    title = "version in another language"
    parameter_name = "version"

    def lookups(self, request, model_admin):
        return [
            ("missing", "Missing"),
            ("draft", "Draft"),
            ("stale", "Stale"),
            ("current", "Up to date"),
        ]

    def queryset(self, request, queryset):
        versions = queryset.model.versions.rel.related_model.objects.filter(
            **{queryset.model._meta.model_name: OuterRef("pk")}
        )
        stale = Q(**{f"{queryset.model._meta.model_name}__text_changed_at__gt": F("updated_at")})
        published = versions.filter(published=True)
        match self.value():
            case "missing":
                missing = Q()
                for code, _name in other_languages():
                    missing |= ~Exists(versions.filter(language=code))
                return queryset.filter(missing)
            case "draft":
                return queryset.filter(Exists(versions.filter(published=False)))
            case "stale":
                return queryset.filter(Exists(published.filter(stale)))
            case "current":
                return queryset.filter(Exists(published.exclude(stale)))
        return queryset
