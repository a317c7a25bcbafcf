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

from articles import revisions
from articles.admin.display import local_time

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
        }
        return TemplateResponse(request, "admin/articles/revisions.html", context)

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
        obj = self._item_or_404(request, pk)
        obj = self.model.objects.for_detail().get(pk=obj.pk)
        template = f"articles/{self.opts.model_name}_detail.html"
        context = {"object": obj, self.opts.model_name: obj, "preview": True}
        response = TemplateResponse(request, template, context)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
