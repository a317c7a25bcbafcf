"""The media library in the admin: images and documents, where each is used, uploads."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from newsroom.media.forms import DocumentForm, ImageForm, UploadSeveralForm
from newsroom.media.models import Document, Image


class NeedsAltTextFilter(admin.SimpleListFilter):
    title = "alt text"
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("missing", "Missing (cannot be used yet)"), ("given", "Given or decorative")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.exclude(pk__in=Image.objects.usable().values("pk"))
        if self.value() == "given":
            return queryset.usable()
        return queryset


def usage_label(counts: list[tuple[int, str, str]]) -> str:
    parts = [f"{n} {singular if n == 1 else plural}" for n, singular, plural in counts if n]
    return "used by " + ", ".join(parts) if parts else "not used"


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["preview", "__str__", "credit", "licence", "taken_on", "usage", "uploaded_at"]
    list_display_links = ["__str__"]
    list_filter = [NeedsAltTextFilter, "licence", "credit", ("taken_on", admin.DateFieldListFilter)]
    search_fields = ["alt_text", "caption", "credit", "source", "original_name"]
    date_hierarchy = "uploaded_at"
    list_per_page = 50
    save_on_top = True
    readonly_fields = ["preview_large", "details", "editor_address", "used_by"]
    fieldsets = [
        (None, {"fields": ["file", "preview_large", "details", "editor_address"]}),
        ("For readers", {"fields": ["alt_text", "decorative", "caption"]}),
        (
            "Credit and licence",
            {"fields": ["credit", "licence", "licence_page", "source", "taken_on"]},
        ),
        ("Cropping", {"fields": ["focal_x", "focal_y"]}),
        ("Where it is used", {"fields": ["used_by"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_usage()

    def get_urls(self):
        upload = self.admin_site.admin_view(self.upload_several)
        picker = self.admin_site.admin_view(self.picker)
        return [
            path("upload/", upload, name="media_library_image_upload"),
            path("picker/", picker, name="media_library_image_picker"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"upload_several_url": reverse("admin:media_library_image_upload")}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    @admin.display(description="Picture")
    def preview(self, obj: Image) -> str:
        thumb = obj.rendition("thumb")
        if not thumb:
            return "—"
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="" class="media-thumb">',
            thumb["url"], 96, round(96 * thumb["height"] / thumb["width"]),
        )  # fmt: skip

    @admin.display(description="Preview")
    def preview_large(self, obj: Image) -> str:
        shown = obj.rendition("content")
        if not obj.pk or not shown:
            return "Shown here once saved."
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="" class="media-preview">',
            shown["url"], min(480, shown["width"]),
            round(min(480, shown["width"]) * shown["height"] / shown["width"]),
        )  # fmt: skip

    @admin.display(description="File")
    def details(self, obj: Image) -> str:
        if not obj.pk:
            return "—"
        return (
            f"{obj.width}×{obj.height} pixels, {obj.file_size / 1024:.0f} KB "
            f"({obj.original_name or 'uploaded file'}); {len(obj.renditions)} renditions"
        )

    @admin.display(description="Address for the editor's image tool")
    def editor_address(self, obj: Image) -> str:
        if not obj.pk:
            return "—"
        return format_html("<code>{}</code>", obj.url)

    @admin.display(description="Used by")
    def usage(self, obj: Image) -> str:
        return usage_label([
            (getattr(obj, "releases_using", 0), "release", "releases"),
            (getattr(obj, "speeches_using", 0), "speech", "speeches"),
            (getattr(obj, "events_using", 0), "event", "events"),
            (getattr(obj, "speakers_using", 0), "speaker", "speakers"),
        ])  # fmt: skip

    @admin.display(description="Used by")
    def used_by(self, obj: Image) -> str:
        if not obj.pk:
            return "—"
        from articles.models import Event, Release, Speaker, Speech

        here = obj.pk
        in_item = Q(lead_image=here) | Q(figure_links__image=here)
        users = [
            *Release.objects.filter(in_item).distinct(),
            *Speech.objects.filter(in_item).distinct(),
            *Event.objects.filter(lead_image=here),
            *Speaker.objects.filter(portrait=here),
        ]
        if not users:
            return "Not used yet: the public cannot fetch it."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li>{}: <a href="{}">{}</a></li>',
                (
                    (
                        capfirst(user._meta.verbose_name),
                        reverse(f"admin:articles_{user._meta.model_name}_change", args=[user.pk]),
                        user,
                    )
                    for user in users
                ),
            ),
        )

    def picker(self, request: HttpRequest) -> HttpResponse:
        """The rich-text editor's "Browse…" window: library images ready to be placed (alt
        text given), searchable; choosing one fills the editor's image dialog with its
        address, alt text and caption (static/js/media-picker.js)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "")[:200]
        images = Image.objects.usable()
        if query:
            images = images.filter(
                Q(alt_text__icontains=query) | Q(caption__icontains=query)
                | Q(credit__icontains=query) | Q(original_name__icontains=query)
            )  # fmt: skip
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Choose a picture",
            "choices": [
                (image, (image.variants("thumb").get("jpeg") or [None])[0]) for image in images[:60]
            ],
            "query": query,
            "callback": request.GET.get("CKEditorFuncNum", "")[:12],
            "is_popup": True,
        }
        return TemplateResponse(request, "admin/media_library/image/picker.html", context)

    def upload_several(self, request: HttpRequest) -> HttpResponse:
        """Several pictures at once: their credit, licence and source are shared; the
        list then asks for each one's alt text (an image without it cannot be used)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadSeveralForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            saved = form.save()
            messages.success(
                request,
                f"{len(saved)} pictures uploaded. Give each its alt text (or mark it "
                "decorative) before it is used.",
            )
            changelist = reverse("admin:media_library_image_changelist")
            return HttpResponseRedirect(f"{changelist}?alt=missing")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Upload several pictures",
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/media_library/image/upload_several.html", context)


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    form = DocumentForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "kind", "language", "type_and_size", "usage", "uploaded_at"]
    list_filter = ["kind", "language"]
    search_fields = ["title", "url"]
    readonly_fields = ["type_and_size", "used_by"]
    fieldsets = [
        (None, {"fields": ["title", "kind", "language"]}),
        ("The document", {"fields": ["file", "url", "type_and_size"]}),
        ("Where it is used", {"fields": ["used_by"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_usage()

    @admin.display(description="Type and size")
    def type_and_size(self, obj: Document) -> str:
        if not obj.pk:
            return "—"
        if not obj.file:
            return "External link"
        return f"{obj.type_label}, {obj.file_size / 1024:.0f} KB"

    @admin.display(description="Used by")
    def usage(self, obj: Document) -> str:
        return usage_label([(getattr(obj, "releases_using", 0), "release", "releases")])

    @admin.display(description="Used by")
    def used_by(self, obj: Document) -> str:
        if not obj.pk:
            return "—"
        from articles.models import Release

        releases = Release.objects.filter(downloads__document=obj).distinct()
        if not releases:
            return "Not used yet."
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:articles_release_change", args=[r.pk]), r) for r in releases),
        )
