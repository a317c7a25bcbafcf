"""The release and speech admins' shared base: permissions, columns, workflow, saving,
translations."""

import base64
import functools
import hashlib
import re

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from articles import revisions
from articles.admin.changelist import SaneDateHierarchyMixin
from articles.admin.display import local_time
from articles.admin.forms import PublicationForm, ScheduleForm, TakedownForm
from articles.admin.revision_views import RevisionViewsMixin
from articles.admin.search import admin_search, matches_from_the_index
from articles.admin.translations import TranslationAdminMixin
from articles.html import clean_text, sanitise
from articles.models import CLEANED_FIELDS, SpeechSpeaker, now_ms
from articles.notifications import notify_editors
from articles.querysets import ChangeKind, Status


@functools.cache
def editor_importmap_source() -> str:
    """CSP source allowing the rich-text editor's one inline import map, by its hash."""
    from django_prose_editor.widgets import importmap

    body = re.search(r">(.*)</script>", str(importmap.render()), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    return f"'sha256-{digest}'"


# The rich-text editor (Tiptap, in django-prose-editor's editor.js) adds one <style> element
# of its base rules; without this hash the CSP refuses it and the browser logs an error on
# every change form. Its text is fixed per release of django-prose-editor: after an
# upgrade, tests/browser/test_editorial_day.py names the new hash if it changed.
EDITOR_STYLE_SOURCE = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


def quotation_hint(edited: list[str], kind: str) -> str:
    """The review hint for a change to a live item that edits words someone is quoted as
    saying: a warning after the save, never a refusal (a quote may be fixed to match the
    recording)."""
    quoted = "; ".join(f"“{quote[:80]}{'…' if len(quote) > 80 else ''}”" for quote in edited)
    advice = (
        "If the words changed, readers should be told: save it again as an update or a "
        "correction with a note."
        if kind == ChangeKind.MINOR
        else "Your note should say what the quotation said before and says now."
    )
    return (
        f"Please review: this change edits a quotation ({quoted}). Check the new wording "
        f"against what was said (the recording or the transcript). {advice}"
    )


def really_changed(form, name: str) -> bool:
    """Whether a text field's value differs from the stored one once both are cleaned
    as `save()` cleans them (whitespace between tags does not count)."""
    if name not in CLEANED_FIELDS:
        return True
    before, after = form.initial.get(name) or "", form.cleaned_data.get(name) or ""
    if name == "body":
        before, after = sanitise(clean_text(before)), sanitise(clean_text(after))
    else:
        before, after = clean_text(before), clean_text(after)
    squeeze = lambda text: " ".join(re.sub(r">\s+<", "><", text).split())  # noqa: E731
    return squeeze(before) != squeeze(after)


class PublicationAdmin(
    RevisionViewsMixin, TranslationAdminMixin, SaneDateHierarchyMixin, admin.ModelAdmin
):
    """What release and speech admins share: visibility, workflow, revisions, preview,
    translations (articles/admin/translations.py)."""

    form = PublicationForm
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    save_on_top = True
    show_full_result_count = False
    list_per_page = 50
    actions = [
        "submit_for_review",
        "publish_now",
        "schedule",
        "back_to_draft",
        "withdraw",
        "remove",
    ]
    readonly_fields = ["updated_at_local"]
    editor_actions = {"publish_now", "schedule", "back_to_draft", "withdraw", "remove"}
    # Only the actions take an item down: each asks for the public notice.
    TAKEN_DOWN = (Status.WITHDRAWN, Status.REMOVED)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        response._csp_update = {
            "script-src": [editor_importmap_source()],
            "style-src": [EDITOR_STYLE_SOURCE],
        }
        return response

    # --- permissions -------------------------------------------------------------

    def can_publish(self, request: HttpRequest) -> bool:
        return request.user.has_perm(f"articles.publish_{self.opts.model_name}")

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        if not self.can_publish(request):
            for name in self.editor_actions:
                actions.pop(name, None)
        return actions

    def has_change_permission(self, request, obj=None) -> bool:
        """A withdrawn or removed item is shown, not edited: its public page (or 410
        note) must keep the text it was taken down with. Publish it again or move it back
        to draft to edit it."""
        if obj is not None and obj.status in self.TAKEN_DOWN:
            return False
        return super().has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and obj.status in self.TAKEN_DOWN:
            notice = "Removed" if obj.status == Status.REMOVED else "Withdrawn"
            fieldsets.insert(0, (f"{notice} from the public site", {
                "fields": ["withdrawn_at", "withdrawal_note"],
                "description": "Taken down by an editor with this public notice. To edit the "
                "item, publish it again (“Publish now”) or move it back to draft.",
            }))  # fmt: skip
        elif obj is not None and self.can_publish(request):
            fieldsets.append(("Tell readers what changed", {
                "fields": ["change_kind", "change_note"],
                "description": "For a change to a live item: readers see it on the page.",
            }))  # fmt: skip
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "status" in form.base_fields and not form.base_fields["status"].disabled:
            field = form.base_fields["status"]
            field.choices = [c for c in field.choices if c[0] not in self.TAKEN_DOWN]
        if not self.can_publish(request) and "status" in form.base_fields:
            field = form.base_fields["status"]
            if obj is not None and obj.status == Status.PUBLISHED:
                field.disabled = True
                field.help_text = "Published: your changes are kept as a proposal for an editor."
            else:
                field.choices = [(Status.DRAFT, "Draft"), (Status.IN_REVIEW, "In review")]
                field.help_text = "Submit for review when it is ready; an editor publishes it."
        return form

    # --- lists ---------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_visibility()

    def changelist_view(self, request, extra_context=None):
        """A search's page is drawn (every query run) with its matches read from the
        full-text index (`matches_from_the_index()`)."""
        term = request.GET.get("q", "") if request.method == "GET" else ""
        with matches_from_the_index(self.get_queryset(request), term):
            response = super().changelist_view(request, extra_context)
            if hasattr(response, "render"):
                response.render()
        return response

    def get_search_results(self, request, queryset, search_term):
        """The public search's engine, speakers' names and tags (articles/admin/search.py)."""
        return admin_search(queryset, search_term), False

    @admin.display(description="Visibility", ordering="status")
    def visibility(self, obj) -> str:
        if obj.status == Status.DRAFT:
            return "Draft"
        if obj.status == Status.IN_REVIEW:
            return "In review"
        if obj.status == Status.WITHDRAWN:
            return f"Withdrawn {local_time(obj.withdrawn_at)}"
        if obj.status == Status.REMOVED:
            return f"Removed {local_time(obj.withdrawn_at)} (410)"
        if getattr(obj, "is_public", False):
            return "Live"
        return f"Embargoed until {local_time(obj.published_at)}"

    @admin.display(description="Publication time", ordering="published_at")
    def published_at_local(self, obj) -> str:
        return local_time(obj.published_at)

    @admin.display(description="Last updated", ordering="updated_at")
    def updated_at_local(self, obj) -> str:
        return local_time(obj.updated_at) if obj and obj.pk else "—"

    def view_on_site(self, obj) -> str:
        """Public items open their page; others open the staff preview."""
        if type(obj).objects.public().filter(pk=obj.pk).exists():
            return obj.get_absolute_url()
        return self.preview_url(obj)

    # --- actions (object by object, so every change is a revision) ------------------

    def _apply(self, request, queryset, change, reason: str, message: str) -> None:
        """`change(item)` changes one item; it may return a reason of its own."""
        count = 0
        for item in queryset:
            # The revision's reason holds 100 characters (PostgreSQL enforces it); a
            # withdrawal's whole notice is on the revision itself (withdrawal_note).
            item._change_reason = (change(item) or reason)[:100]
            item.save()
            count += 1
        self.message_user(request, message.format(count=count), messages.SUCCESS)

    @admin.action(description="Submit for review")
    def submit_for_review(self, request, queryset):
        editable = queryset.exclude(status__in=[Status.PUBLISHED, *self.TAKEN_DOWN])
        skipped = queryset.count() - editable.count()
        submitted = list(editable.exclude(status=Status.IN_REVIEW))

        def change(item):
            item.status = Status.IN_REVIEW

        self._apply(
            request,
            editable,
            change,
            "Submitted for review",
            "{count} item(s) submitted for review.",
        )
        notify_editors("review", submitted, actor=request.user, request=request)
        if skipped:
            self.message_user(
                request,
                f"{skipped} published, withdrawn or removed item(s) left as they are.",
                messages.WARNING,
            )

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_now(self, request, queryset):
        now = now_ms()
        queryset = queryset.exclude(pk__in=queryset.model.objects.public().values("pk"))

        def change(item):  # live items are left as they are, with their date
            item.status = Status.PUBLISHED
            # One that was public before (then withdrawn) keeps its first publication
            # date; the republication shows as an update ("Last updated").
            first = revisions.first_public_time(item)
            item.published_at = first or now
            if first:  # back for readers: a change they see ("Last updated")
                item.revised_at = now
            return f"Republished (first published {local_time(first)})" if first else None

        self._apply(request, queryset, change, "Published", "Published {count} item(s); live now.")

    @admin.action(description="Schedule… (publish at a chosen time)", permissions=["publish"])
    def schedule(self, request, queryset):
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            moment = form.cleaned_data["publish_at"]

            def change(item):
                item.status = Status.PUBLISHED
                item.published_at = moment

            self._apply(
                request,
                queryset,
                change,
                f"Scheduled for {local_time(moment)}",
                f"Scheduled {{count}} item(s): embargoed until {local_time(moment)}.",
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Schedule publication",
            "opts": self.opts,
            "queryset": queryset,
            "form": form,
            "zone": timezone.get_current_timezone_name(),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/schedule.html", context)

    @admin.action(description="Back to draft (withdraw from the public)", permissions=["publish"])
    def back_to_draft(self, request, queryset):
        def change(item):
            item.status = Status.DRAFT

        self._apply(
            request,
            queryset,
            change,
            "Back to draft",
            "{count} item(s) moved back to draft; not public.",
        )

    @admin.action(description="Withdraw… (page stays readable with a public notice)",
                  permissions=["publish"])  # fmt: skip
    def withdraw(self, request, queryset):
        return self._take_down(request, queryset, Status.WITHDRAWN)

    @admin.action(description="Remove… (address answers 410 with a short note)",
                  permissions=["publish"])  # fmt: skip
    def remove(self, request, queryset):
        return self._take_down(request, queryset, Status.REMOVED)

    def _take_down(self, request, queryset, status: Status):
        """Withdraw or remove live items (a withdrawn one may also be removed), with the
        public notice the editor writes on the intermediate page."""
        model = queryset.model
        # What readers can open now: live items, and for a removal withdrawn ones too.
        allowed = model.objects.readable() if status == Status.REMOVED else model.objects.public()
        eligible = queryset.filter(pk__in=allowed.values("pk"))
        skipped = queryset.count() - eligible.count()
        action, verb = (
            ("withdraw", "withdrawn") if status == Status.WITHDRAWN else ("remove", "removed")
        )
        form = TakedownForm(request.POST if "apply" in request.POST else None)
        if eligible.exists() and form.is_valid():
            moment, note = now_ms(), form.cleaned_data["note"]

            def change(item):
                item.status, item.withdrawn_at, item.withdrawal_note = status, moment, note

            self._apply(
                request, eligible, change, f"{verb.capitalize()}: {note}",
                f"{{count}} item(s) {verb}; readers see your notice.",
            )  # fmt: skip
        elif eligible.exists():
            context = {
                **self.admin_site.each_context(request),
                "title": f"{action.capitalize()} from the public site",
                "opts": self.opts,
                "queryset": eligible,
                "form": form,
                "action": action,
                "removing": status == Status.REMOVED,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/articles/take_down.html", context)
        if skipped:
            self.message_user(
                request,
                f"{skipped} item(s) not {verb}: only a live item can be withdrawn, and a live "
                "or withdrawn one removed (use “Back to draft” for drafts and embargoes).",
                messages.WARNING,
            )
        return None

    def has_publish_permission(self, request) -> bool:
        return self.can_publish(request)

    # --- saving: revisions, proposals -------------------------------------------------

    def _is_proposal(self, request, form) -> bool:
        return not self.can_publish(request) and form.stored_status == Status.PUBLISHED

    def save_model(self, request, obj, form, change):
        if change and self._is_proposal(request, form):
            return  # the item is public: the edit is kept as a revision in save_related
        if not self.can_publish(request) and obj.status == Status.PUBLISHED:
            raise PermissionDenied("Only editors publish.")  # the form offers no such choice
        becomes_public = obj.status == Status.PUBLISHED and form.stored_status != Status.PUBLISHED
        obj._change_reason = "Created" if not change else "Edited"
        kind, note = (
            form.cleaned_data.get("change_kind", ""),
            form.cleaned_data.get("change_note", ""),
        )
        obj._public_note = (kind, note) if kind else ("", "")
        now = now_ms()
        if becomes_public and "published_at" not in form.changed_data and obj.published_at <= now:
            # Published from the form without choosing a time (a future time already saved
            # on the draft is an embargo, and stays): it is published now, not at the
            # moment the draft was first saved; or, if it was public before and withdrawn,
            # at its first publication time, the republication an update.
            first = revisions.first_public_time(obj) if change else None
            obj.published_at = first or now
            if first:
                obj.revised_at = now
                obj._change_reason = f"Republished (first published {local_time(first)})"
        super().save_model(request, obj, form, change)
        if obj.status == Status.IN_REVIEW and form.stored_status != Status.IN_REVIEW:
            notify_editors("review", [obj], actor=request.user, request=request)
        edited = getattr(form, "quotations_edited", [])
        if edited:
            self.message_user(request, quotation_hint(edited, kind), messages.WARNING)

    def save_related(self, request, form, formsets, change):
        text = self._reason_text(form, change)
        if getattr(form.instance, "_change_reason", "").startswith("Republished"):
            text = form.instance._change_reason
        if change and self._is_proposal(request, form):
            related = self._related_from_form(form, formsets)
            revisions.record_proposal(item=form.instance, user=request.user, related=related)
            live = type(form.instance).objects.get(pk=form.instance.pk)  # named as readers know it
            notify_editors("proposal", [live], actor=request.user, request=request)
            request._newsroom_proposal = True
            for formset in formsets:  # nothing of theirs was saved (the admin log asks)
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        super().save_related(request, form, formsets, change)
        revisions.refresh_latest_snapshot(form.instance, text)

    def _reason_text(self, form, change) -> str:
        """What the History page says a save did: "Status: Draft → In review" for a change
        of status, then the fields whose stored value really changed (the rich-text
        editor re-serialising an untouched body is not "Changed body")."""
        if not change:
            return "Created"
        changed = [
            form.fields[name].label or name
            for name in form.changed_data
            if name not in {"edit_token", "change_kind", "change_note", "status"}
            and really_changed(form, name)
        ]
        parts = []
        if "status" in form.changed_data and form.stored_status != form.instance.status:
            before = Status(form.stored_status).label if form.stored_status else "—"
            parts.append(f"Status: {before} → {Status(form.instance.status).label}")
        if changed:
            words = ", ".join(str(label).lower() for label in changed)
            parts.append(f"{'changed' if parts else 'Changed'} {words}")
        return "; ".join(parts) or "Saved"

    def _related_from_form(self, form, formsets) -> dict[str, list[str]]:
        data = form.cleaned_data
        related = revisions.snapshot(form.instance)
        if "tags" in data:
            related["tag_names"] = sorted(data["tags"], key=str.lower)
        if "speakers" in data:
            related["speaker_slugs"] = sorted(s.slug for s in data["speakers"])
        if "events" in data:
            related["event_slugs"] = sorted(e.slug for e in data["events"])
        for formset in formsets:
            if formset.model is SpeechSpeaker:
                rows = [row for row in formset.cleaned_data if row and not row.get("DELETE")]
                rows.sort(key=lambda row: row.get("position") or 0)
                related["speaker_slugs"] = [row["speaker"].slug for row in rows]
        return related

    def response_change(self, request, obj):
        if getattr(request, "_newsroom_proposal", False):
            self.message_user(
                request,
                "This item is published, so your changes were not applied. They are kept as a "
                "proposed revision; an editor can review and restore it.",
                messages.WARNING,
            )
            return HttpResponseRedirect(
                reverse(f"admin:articles_{self.opts.model_name}_history", args=[obj.pk])
            )
        return super().response_change(request, obj)
