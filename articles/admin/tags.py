"""The tag vocabulary's admin (issue 22): its description (shown on the topic's page),
new tags made by editors only, and merging duplicates.

Merging tags moves every release, speech and event carrying the merged tags to the one
kept, records each merged tag's old slug (`TagRedirect`: `/tags/<old>/` and `?tag=<old>`
redirect to the kept tag) and deletes the merged tags, in one transaction. The link rows
are moved in bulk (a tag may be on thousands of items); the items' revisions keep the tag
names they had, and a restore reads a merged name as the tag it became.
"""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.template.response import TemplateResponse
from taggit.models import Tag

from articles.admin.forms import ConcurrentEditForm
from articles.models import Release, Speech, TaggedEvent, TagNote, TagRedirect


def can_edit_vocabulary(request) -> bool:
    """Editors (who may publish) add and merge tags; press officers choose among them."""
    return request.user.has_perm("articles.publish_release")


class TagNoteInline(admin.StackedInline):
    model = TagNote
    can_delete = False
    fields = ["description"]
    verbose_name = verbose_name_plural = "Description on the topic's page"


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        widget=forms.RadioSelect,
        label="Keep this tag",
        help_text="The other selected tags are merged into it.",
    )

    def __init__(self, *args, tags=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = tags


@transaction.atomic
def merge_tags(*, keep: Tag, merged: list[Tag]) -> int:
    """Move every item of `merged` to `keep`, redirect their slugs, delete them; returns
    the number of links moved."""
    moved = 0
    links = [Release.links("tag").rows.model, Speech.links("tag").rows.model, TaggedEvent]
    for tag in merged:
        for link_model in links:
            rows = link_model.objects.filter(tag=tag)
            already = link_model.objects.filter(tag=keep).values("content_object")
            rows.filter(content_object__in=already).delete()  # carried both: one link will do
            moved += rows.update(tag=keep)
        TagRedirect.objects.filter(tag=tag).update(tag=keep)
        TagRedirect.objects.update_or_create(
            old_slug=tag.slug, defaults={"old_name": tag.name, "tag": keep}
        )
        tag.delete()
    return moved


class TagAdmin(admin.ModelAdmin):
    """The shared vocabulary. Not taggit's own admin: its inline and its "merge tags"
    action work on taggit's generic table, which this project's items do not use."""

    form = ConcurrentEditForm
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]
    inlines = [TagNoteInline]
    actions = ["merge"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and can_edit_vocabulary(request)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not can_edit_vocabulary(request):
            actions.pop("merge", None)
        return actions

    @admin.action(description="Merge the selected tags…")
    def merge(self, request, queryset):
        tags = queryset.order_by("name")
        if tags.count() < 2:
            self.message_user(request, "Select two or more tags to merge.", messages.WARNING)
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None, tags=tags)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            merged = [tag for tag in tags if tag.pk != keep.pk]
            moved = merge_tags(keep=keep, merged=merged)
            names = ", ".join(f"“{tag.name}”" for tag in merged)
            self.message_user(
                request,
                f"Merged {names} into “{keep.name}”: {moved} item link(s) moved; the old "
                "topic addresses redirect to it.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge tags",
            "opts": self.opts,
            "queryset": tags,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/merge_tags.html", context)
