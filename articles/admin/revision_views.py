"""An item's revisions (list, compare, restore) and its staff preview, with their URLs."""

from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from articles import preview_links, revisions
from articles.admin.display import local_time
from articles.models.editorial import PREVIEW_LINK_DAYS

PREVIEW_SALT = "newsroom.preview"


class RevisionViewsMixin:
    """The history, compare, restore and preview views of a release or speech admin
    (PublicationAdmin, which gives `can_publish`)."""

    # --- revisions: list, compare, restore; preview ---------------------------------------

    def get_urls(self):
        name = self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/revisions/compare/",
                view(self.compare_view),
                name=f"articles_{name}_compare",
            ),
            path(
                "<path:object_id>/revisions/<uuid:revision_id>/restore/",
                view(self.restore_view),
                name=f"articles_{name}_restore",
            ),
            path("preview/<str:token>/", view(self.preview_view), name=f"articles_{name}_preview"),
            path(
                "<path:object_id>/preview-links/",
                view(self.preview_links_view),
                name=f"articles_{name}_preview_links",
            ),
            *super().get_urls(),
        ]

    def preview_url(self, obj) -> str:
        token = signing.dumps(obj.pk, salt=f"{PREVIEW_SALT}.{self.opts.model_name}")
        return reverse(f"admin:articles_{self.opts.model_name}_preview", args=[token])

    def _item_or_404(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404("No such item.")
        return obj

    def history_view(self, request, object_id, extra_context=None):
        obj = self._item_or_404(request, object_id)
        records = obj.history.select_related("history_user").order_by("-history_date")
        context = {
            **self.admin_site.each_context(request),
            "title": f"Revisions of “{obj}”",
            "subtitle": None,
            "opts": self.opts,
            "object": obj,
            "revisions": records,
            "can_restore": self.can_publish(request),
            "zone": timezone.get_current_timezone_name(),
            "preview_url": self.preview_url(obj),
            "can_share": self.can_publish(request),
            "preview_links": preview_links.links_of(obj).select_related("created_by")[:20],
            "link_days": [1, 3, 7, 14, 30],
            "default_days": PREVIEW_LINK_DAYS,
            "now": timezone.now(),
        }
        return TemplateResponse(request, "admin/articles/revisions.html", context)

    def preview_links_view(self, request, object_id):
        """POST: share a new preview link (`days`, `note`) or revoke one (`revoke`).
        Editors only; every link stays listed on the History page."""
        obj = self._item_or_404(request, object_id)
        history = reverse(f"admin:articles_{self.opts.model_name}_history", args=[obj.pk])
        if request.method != "POST":
            return HttpResponseRedirect(history)
        if not self.can_publish(request):
            self.message_user(request, "Only an editor can share a preview.", messages.ERROR)
            return HttpResponseRedirect(history)
        if "revoke" in request.POST:
            link = preview_links.links_of(obj).filter(pk=request.POST["revoke"]).first()
            if link is not None and link.revoked_at is None:
                link.revoked_at = timezone.now()
                link.save(update_fields=["revoked_at"])
                self.message_user(request, "The preview link no longer works.", messages.SUCCESS)
            return HttpResponseRedirect(history)
        try:
            days = int(request.POST.get("days", "7"))
        except ValueError:
            days = 0
        if not 1 <= days <= 30:
            self.message_user(request, "A link lasts from 1 to 30 days.", messages.ERROR)
            return HttpResponseRedirect(history)
        link = preview_links.create_link(
            item=obj, user=request.user, days=days, note=request.POST.get("note", "").strip()
        )
        address = request.build_absolute_uri(link.get_absolute_url())
        self.message_user(
            request,
            f"Preview link made, working until {local_time(link.expires_at)}: {address}",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(history)

    def compare_view(self, request, object_id):
        obj = self._item_or_404(request, object_id)
        ids = [request.GET.get("from", ""), request.GET.get("to", "")]
        try:
            old, new = (obj.history.get(history_id=value) for value in ids)
        except Exception:
            self.message_user(
                request, "Choose two revisions of this item to compare.", messages.ERROR
            )
            return HttpResponseRedirect(
                reverse(f"admin:articles_{self.opts.model_name}_history", args=[obj.pk])
            )
        if old.history_date > new.history_date:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare revisions of “{obj}”",
            "opts": self.opts,
            "object": obj,
            "old": old,
            "new": new,
            "changes": revisions.compare(old, new),
            "restorable": [r for r in (old, new) if r.history_date != obj.updated_at],
            "can_restore": self.can_publish(request),
        }
        return TemplateResponse(request, "admin/articles/compare.html", context)

    def restore_view(self, request, object_id, revision_id):
        obj = self._item_or_404(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse(f"admin:articles_{self.opts.model_name}_history", args=[obj.pk])
            )
        if not self.can_publish(request):
            self.message_user(request, "Only an editor can restore a revision.", messages.ERROR)
        elif obj.status in self.TAKEN_DOWN:
            # Its page (or 410 note) keeps the text it was taken down with.
            self.message_user(
                request,
                "This item is withdrawn or removed, so its text cannot change: publish it "
                "again or move it back to draft, then restore the revision.",
                messages.ERROR,
            )
        else:
            revision = get_object_or_404(obj.history, history_id=revision_id)
            live = type(obj).objects.public().filter(pk=obj.pk).exists()
            if live and request.POST.get("confirmed") != "yes":
                # The public page changes at once: say so, and ask first.
                context = {
                    **self.admin_site.each_context(request),
                    "title": "Restore this revision on the live page?",
                    "opts": self.opts,
                    "object": obj,
                    "revision": revision,
                    "when": local_time(revision.history_date),
                    "is_proposal": (revision.history_change_reason or "").startswith(
                        revisions.PROPOSAL_PREFIX
                    ),
                }
                return TemplateResponse(request, "admin/articles/restore_confirm.html", context)
            revisions.restore_revision(revision=revision, user=request.user)
            self.message_user(
                request,
                f"Restored the revision of {local_time(revision.history_date)}. "
                "The state before it is kept as a revision too.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(
            reverse(f"admin:articles_{self.opts.model_name}_history", args=[obj.pk])
        )

    @method_decorator(never_cache)
    def preview_view(self, request, token):
        try:
            pk = signing.loads(token, salt=f"{PREVIEW_SALT}.{self.opts.model_name}")
        except signing.BadSignature:
            raise Http404("No such preview.") from None
        return preview_links.render_preview(request, self._item_or_404(request, pk))
