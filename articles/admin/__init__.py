"""The press officers' workspace.

Roles (groups made by a data migration): a *Press officer* writes, edits and submits
for review; an *Editor* also publishes, schedules, withdraws and restores revisions
(the `publish_<model>` permission). Every save records a revision; a save over a
newer version is refused; staff preview an item exactly as the public will see it.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from taggit.models import Tag

from articles.admin.changelist import SaneDateHierarchyMixin
from articles.admin.directory_versions import VersionInline, VersionsAdminMixin, VersionStateFilter
from articles.admin.display import local_time as local_time  # for repair_publication_dates
from articles.admin.filters import (
    LanguageFilter,
    ProposalFilter,
    SpeakerNameFilter,
    TagNameFilter,
    TranslationFilter,
    VisibilityFilter,
)
from articles.admin.forms import ConcurrentEditForm
from articles.admin.publication import PublicationAdmin
from articles.admin.tags import TagAdmin
from articles.admin.vocabulary import use_vocabulary
from articles.models import (
    Event,
    EventVersion,
    Release,
    ReleaseDownload,
    Speaker,
    SpeakerVersion,
    Speech,
    SpeechSpeaker,
)


class DownloadInline(admin.TabularInline):
    """ "Downloads" on a release: documents from the media library, in this order."""

    model = ReleaseDownload
    autocomplete_fields = ["document"]
    fields = ["document", "position"]
    extra = 0
    verbose_name_plural = "Downloads (documents from the media library, in this order)"


@admin.register(Release)
class ReleaseAdmin(PublicationAdmin):
    list_display = [
        "title",
        "kind",
        "visibility",
        "published_at_local",
        "updated_at_local",
        "translation_states",
    ]
    list_filter = [
        VisibilityFilter,
        ProposalFilter,
        "status",
        "kind",
        LanguageFilter,
        TranslationFilter,
        SpeakerNameFilter,
        TagNameFilter,
    ]
    date_hierarchy = "published_at"
    autocomplete_fields = ["speakers", "events", "lead_image"]
    inlines = [DownloadInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "kind", "summary", "lead_image", "body"]}),
        ("Publication", {"fields": ["status", "published_at", "updated_at_local", "edit_token"]}),
        ("People, events and tags", {"fields": ["speakers", "events", "tags"]}),
        ("Advanced", {"fields": ["source"], "classes": ["collapse"]}),
    ]


class SpeechSpeakerInline(admin.TabularInline):
    model = SpeechSpeaker
    autocomplete_fields = ["speaker"]
    fields = ["speaker", "position"]
    extra = 1
    verbose_name_plural = "Speakers (the first is the main speaker)"


@admin.register(Speech)
class SpeechAdmin(PublicationAdmin):
    list_display = [
        "title",
        "kind",
        "main_speaker",
        "delivered_on",
        "visibility",
        "published_at_local",
        "translation_states",
    ]
    list_filter = [
        VisibilityFilter,
        ProposalFilter,
        "status",
        "kind",
        "delivery_status",
        LanguageFilter,
        TranslationFilter,
        SpeakerNameFilter,
        TagNameFilter,
    ]
    list_select_related = ["event"]
    date_hierarchy = "delivered_on"
    autocomplete_fields = ["event", "lead_image"]
    inlines = [SpeechSpeakerInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "kind", "summary", "lead_image", "body"]}),
        (
            "Delivery",
            {"fields": ["delivered_on", "delivered_time", "location", "delivery_status", "event"]},
        ),
        ("Publication", {"fields": ["status", "published_at", "updated_at_local", "edit_token"]}),
        ("Tags", {"fields": ["tags"]}),
        ("Advanced", {"fields": ["source"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("speaker_links__speaker")

    @admin.display(description="Main speaker")
    def main_speaker(self, obj: Speech) -> str:
        speakers = obj.speaker_list
        return str(speakers[0]) if speakers else "—"


class ListedByEditorMixin:
    """Speakers and events: only an editor publishes one on its own (`listed`)."""

    form = ConcurrentEditForm

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm(f"articles.publish_{self.opts.model_name}"):
            fields.append("listed")
        return fields


class SpeakerVersionInline(VersionInline):
    model = SpeakerVersion


class EventVersionInline(VersionInline):
    model = EventVersion


@admin.register(Speaker)
class SpeakerAdmin(VersionsAdminMixin, ListedByEditorMixin, admin.ModelAdmin):
    list_display = ["name", "role", "organisation", "listed", "version_states"]
    list_filter = ["listed", VersionStateFilter, "organisation", "country"]
    inlines = [SpeakerVersionInline]
    search_fields = ["name", "role", "organisation", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["portrait"]
    exclude = ["photo"]  # superseded by the portrait from the media library
    save_on_top = True


class EventForm(ConcurrentEditForm):
    """An event's tags come from the vocabulary too (articles/admin/vocabulary.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_vocabulary(self)


@admin.register(Event)
class EventAdmin(VersionsAdminMixin, ListedByEditorMixin, SaneDateHierarchyMixin, admin.ModelAdmin):
    form = EventForm
    list_display = ["name", "kind", "start_on", "end_on", "location", "listed", "version_states"]
    list_filter = ["listed", VersionStateFilter, "kind"]
    inlines = [EventVersionInline]
    date_hierarchy = "start_on"
    search_fields = ["name", "location", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["lead_image"]
    save_on_top = True


admin.site.unregister(Tag)
admin.site.register(Tag, TagAdmin)
