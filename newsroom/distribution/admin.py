"""The press office's distribution desk: contacts and lists (with CSV import), advance
copies (send, see who opened what, revoke, resend) and the alerts' delivery record."""

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from newsroom.distribution import advance
from newsroom.distribution.alerts import preview_subscribers
from newsroom.distribution.contacts import ImportRefused, import_contacts, parse
from newsroom.distribution.models import (
    AdvanceCopy,
    AdvanceCopyAccess,
    AlertSend,
    Contact,
    DistributionList,
    Subscription,
)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8, with a header line: name, email (required), outlet, language, "
        "accreditation. Nothing is imported unless every row is right.",
    )
    add_to = forms.ModelChoiceField(
        DistributionList.objects.all(), required=False, label="Also add them to the list"
    )


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "outlet", "language", "accreditation"]
    list_filter = ["language", "lists"]
    search_fields = ["name", "email", "outlet"]
    show_full_result_count = False
    change_list_template = "admin/distribution/contact/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="distribution_contact_import"), *super().get_urls()]

    def import_view(self, request: HttpRequest):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = parse(upload.read(2 * 1024 * 1024 + 1)[: 2 * 1024 * 1024])
            except ImportRefused as refused:
                errors = refused.errors
            else:
                created, updated = import_contacts(rows, form.cleaned_data["add_to"])
                self.message_user(
                    request, f"Imported {created} new contact(s), updated {updated}.",
                    messages.SUCCESS,
                )  # fmt: skip
                return HttpResponseRedirect(reverse("admin:distribution_contact_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import contacts from CSV",
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "admin/distribution/contact/import.html", context,
                                status=400 if errors or form.errors else 200)  # fmt: skip


@admin.register(DistributionList)
class DistributionListAdmin(admin.ModelAdmin):
    list_display = ["name", "size"]
    search_fields = ["name"]
    filter_horizontal = ["contacts"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(size=Count("contacts"))

    @admin.display(description="contacts", ordering="size")
    def size(self, obj) -> int:
        return obj.size


class AccessInline(admin.TabularInline):
    model = AdvanceCopyAccess
    fields = ["at", "granted", "user_agent"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "Access log (every opening of this link)"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class SendForm(forms.Form):
    item = forms.ChoiceField(
        label="Scheduled item", help_text="Only embargoed items can be sent ahead."
    )
    lists = forms.ModelMultipleChoiceField(
        DistributionList.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Distribution lists",
    )  # fmt: skip
    contacts = forms.ModelMultipleChoiceField(
        Contact.objects.all(), required=False, label="Contacts",
        help_text="Hold Ctrl (Cmd on a Mac) to choose several.",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "—")] + [
            (advance.item_key(item), f"{item.title} ({item._meta.verbose_name}, "
             f"embargoed until {timezone.localtime(item.published_at):%d %b %Y %H:%M %Z})")
            for item in advance.scheduled_items()
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        if not data.get("lists") and not data.get("contacts"):
            raise forms.ValidationError("Choose at least one list or contact.")
        if data.get("item"):
            data["publication"] = advance.item_from_key(data["item"])
            if data["publication"] is None:
                self.add_error("item", "This item is no longer scheduled.")
        return data


class ItemFilter(admin.SimpleListFilter):
    """The copies of one item: select them all to revoke or resend every link at once."""

    title = "item"
    parameter_name = "item"

    def lookups(self, request, model_admin):
        pairs = AdvanceCopy.objects.values_list("content_type", "object_id").distinct()
        choices = []
        for content_type, object_id in pairs[:200]:
            model = ContentType.objects.get_for_id(content_type).model_class()
            item = model.objects.filter(pk=object_id).only("title").first()
            if item is not None:
                choices.append((f"{content_type}:{object_id}", item.title))
        return sorted(choices, key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        content_type, _, object_id = (self.value() or "").partition(":")
        if content_type.isdigit() and object_id.isdigit():
            return queryset.filter(content_type=content_type, object_id=object_id)
        return queryset


@admin.register(AdvanceCopy)
class AdvanceCopyAdmin(admin.ModelAdmin):
    list_display = ["item_title", "contact", "status", "sent_at", "opened", "revoked_at"]
    list_filter = [ItemFilter, "status", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["contact__name", "contact__email", "contact__outlet"]
    list_select_related = ["contact", "content_type"]
    readonly_fields = ["item_title", "contact", "status", "attempts", "sent_at", "last_error",
                       "sent_by", "created_at", "revoked_at"]  # fmt: skip
    fields = readonly_fields
    inlines = [AccessInline]
    actions = ["revoke", "resend"]
    change_list_template = "admin/distribution/advancecopy/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(opens=Count("accesses"))

    def has_add_permission(self, request) -> bool:
        return False  # the "Send advance copies" page makes them

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    @admin.display(description="item")
    def item_title(self, obj) -> str:
        return str(obj.item) if obj.item else "(deleted)"

    @admin.display(description="opened", ordering="opens")
    def opened(self, obj) -> int:
        return obj.opens

    @admin.action(description="Revoke the selected links", permissions=["change"])
    def revoke(self, request, queryset):
        count = advance.revoke(queryset)
        self.message_user(request, f"Revoked {count} link(s).", messages.SUCCESS)

    @admin.action(description="Resend with a new link (the old one stops working)",
                  permissions=["change"])  # fmt: skip
    def resend(self, request, queryset):
        count = advance.resend(queryset)
        self.message_user(request, f"Queued {count} new link(s).", messages.SUCCESS)

    def get_urls(self):
        view = self.admin_site.admin_view(self.send_view)
        return [path("send/", view, name="distribution_advancecopy_send"), *super().get_urls()]

    def send_view(self, request: HttpRequest):
        """Choose a scheduled item and recipients; see who will get it and how many;
        then confirm."""
        if not super().has_change_permission(request):
            raise PermissionDenied
        form = SendForm(request.POST or None)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": "Send advance copies", "form": form}  # fmt: skip
        if request.method == "POST" and form.is_valid():
            item = form.cleaned_data["publication"]
            people = advance.recipients(form.cleaned_data["lists"], form.cleaned_data["contacts"])
            if "confirm" in request.POST:
                queued, already = advance.send(item, people, request.user)
                note = f" ({already} already had one: resend from the list)" if already else ""
                text = f"Queued {queued} advance copies of “{item.title}”{note}."
                self.message_user(request, text, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:distribution_advancecopy_changelist"))
            context.update({"item": item, "recipients": people, "count": people.count(),
                            "alerts": preview_subscribers(item)})  # fmt: skip
        return TemplateResponse(request, "admin/distribution/advancecopy/send.html", context)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "scope", "filter_key", "frequency", "confirmed_at"]
    list_filter = ["scope", "frequency"]
    search_fields = ["email"]
    readonly_fields = ["email", "scope", "tags", "speaker", "event", "kind", "q", "frequency",
                       "confirmed_at"]  # fmt: skip
    fields = readonly_fields
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False  # readers subscribe themselves (double opt-in)


class PreviewForm(forms.Form):
    item = forms.ChoiceField(
        label="Item not yet public",
        help_text="Drafts, items in review and embargoed items, latest changed first.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "—")] + [
            (advance.item_key(item), f"{item.title} ({item._meta.verbose_name})")
            for item in advance.unpublished_items()
        ]


@admin.register(AlertSend)
class AlertSendAdmin(admin.ModelAdmin):
    change_list_template = "admin/distribution/alertsend/change_list.html"
    list_display = ["subscription", "item_title", "status", "digest", "attempts", "sent_at"]
    list_filter = ["status", "digest"]
    search_fields = ["subscription__email"]
    list_select_related = ["subscription", "content_type"]
    readonly_fields = ["subscription", "item_title", "status", "digest", "attempts",
                       "next_attempt_at", "sent_at", "last_error", "created_at"]  # fmt: skip
    fields = readonly_fields
    show_full_result_count = False

    @admin.display(description="item")
    def item_title(self, obj) -> str:
        return str(obj.item) if obj.item else "(deleted)"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.preview_view)
        return [path("preview/", view, name="distribution_alertsend_preview"), *super().get_urls()]

    def preview_view(self, request: HttpRequest):
        """Before publishing: how many subscribers an item's alert will reach."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PreviewForm(request.GET or None)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": "Who will be alerted", "form": form}  # fmt: skip
        if form.is_valid():
            item = advance.item_from_key(form.cleaned_data["item"], public=False)
            if item is not None:
                context.update({"item": item, "alerts": preview_subscribers(item)})
        return TemplateResponse(request, "admin/distribution/alertsend/preview.html", context)
