"""The press officers' workspace."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from articles.models import Event, Release, Speaker, Speech, SpeechSpeaker
from articles.querysets import Status


def local_time(moment) -> str:
    """A time in the newsroom's zone, with the zone named (e.g. "14 Mar 2024, 17:08 CET")."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'j M Y, H:i')} {local.tzname()}"


class PublicationAdmin(admin.ModelAdmin):
    """What release and speech admins share: visibility at a glance and publishing actions."""

    list_filter = ["status", "kind", "tags"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    save_on_top = True
    show_full_result_count = False
    list_per_page = 50
    actions = ["publish_now", "unpublish"]
    readonly_fields = ["updated_at_local"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_visibility()

    @admin.display(description="Visibility", ordering="status")
    def visibility(self, obj) -> str:
        if obj.status == Status.DRAFT:
            return "Draft"
        if obj.status == Status.IN_REVIEW:
            return "In review"
        if getattr(obj, "is_public", False):
            return "Live"
        return f"Embargoed until {local_time(obj.published_at)}"

    @admin.display(description="Last updated", ordering="updated_at")
    def updated_at_local(self, obj) -> str:
        return local_time(obj.updated_at) if obj.pk else "—"

    @admin.action(description="Publish now (visible to the public at once)")
    def publish_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        now = timezone.now()
        count = 0
        for item in queryset:  # save() one by one so every change is recorded
            item.status = Status.PUBLISHED
            item.published_at = min(item.published_at, now)
            item.save()
            count += 1
        self.message_user(
            request, f"Published {count} item(s); they are live now.", messages.SUCCESS
        )

    @admin.action(description="Unpublish (back to draft, hidden from the public)")
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = 0
        for item in queryset:
            item.status = Status.DRAFT
            item.save()
            count += 1
        self.message_user(request, f"{count} item(s) moved back to draft.", messages.SUCCESS)


@admin.register(Release)
class ReleaseAdmin(PublicationAdmin):
    list_display = ["title", "kind", "visibility", "published_at", "updated_at"]
    list_filter = [
        "status",
        "kind",
        ("speakers", admin.RelatedOnlyFieldListFilter),
        ("tags", admin.RelatedOnlyFieldListFilter),
    ]
    date_hierarchy = "published_at"
    autocomplete_fields = ["speakers", "events"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "summary", "body"]}),
        ("Publication", {"fields": ["status", "published_at", "updated_at_local"]}),
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
    list_display = ["title", "kind", "main_speaker", "delivered_on", "visibility", "published_at"]
    list_filter = [
        "status",
        "kind",
        "delivery_status",
        ("speakers", admin.RelatedOnlyFieldListFilter),
        ("tags", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["event"]
    date_hierarchy = "delivered_on"
    autocomplete_fields = ["event"]
    inlines = [SpeechSpeakerInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "summary", "body"]}),
        (
            "Delivery",
            {"fields": ["delivered_on", "delivered_time", "location", "delivery_status", "event"]},
        ),
        ("Publication", {"fields": ["status", "published_at", "updated_at_local"]}),
        ("Tags", {"fields": ["tags"]}),
        ("Advanced", {"fields": ["source"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("speaker_links__speaker")

    @admin.display(description="Main speaker")
    def main_speaker(self, obj: Speech) -> str:
        speakers = obj.ordered_speakers
        return str(speakers[0]) if speakers else "—"


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organisation", "country"]
    list_filter = ["organisation", "country"]
    search_fields = ["name", "role", "organisation", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    save_on_top = True


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "start_on", "end_on", "location"]
    list_filter = ["kind"]
    date_hierarchy = "start_on"
    search_fields = ["name", "location", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    save_on_top = True


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    """taggit's admin without its generic inline: our items use their own tag tables."""

    inlines = []
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
