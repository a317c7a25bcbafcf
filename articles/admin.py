"""The press officers' workspace.

Roles (groups made by a data migration): a *Press officer* writes, edits and submits
for review; an *Editor* also publishes, schedules, withdraws and restores revisions
(the `publish_<model>` permission). Every save records a revision; a save over a
newer version is refused; staff preview an item exactly as the public will see it.
"""

import base64
import datetime
import functools
import hashlib
import json
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Exists, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from taggit.models import Tag

from articles import revisions
from articles.models import Event, Release, Speaker, Speech, SpeechSpeaker, now_ms
from articles.querysets import Status

PREVIEW_SALT = "newsroom.preview"


@functools.cache
def editor_importmap_source() -> str:
    """CSP source allowing the rich-text editor's one inline import map, by its hash."""
    from django_prose_editor.widgets import importmap

    body = re.search(r">(.*)</script>", str(importmap.render()), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def local_time(moment) -> str:
    """A time in the newsroom's zone, with the zone named (e.g. "14 Mar 2024, 17:08 CET")."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'j M Y, H:i')} {local.tzname()}"


def edit_token(moment) -> str:
    return moment.isoformat() if moment else ""


class PublicationForm(forms.ModelForm):
    """Carries the version being edited, so a save over a newer one is refused."""

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_status = self.instance.status if self.instance.pk else None
        self.stored_token = edit_token(self.instance.updated_at) if self.instance.pk else ""
        self.fields["edit_token"].initial = self.stored_token
        zone = timezone.get_current_timezone_name()
        if "published_at" in self.fields:
            self.fields[
                "published_at"
            ].help_text = (
                f"Visible to the public from this time ({zone} time). A future time is an embargo."
            )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Lock the row until this save commits (the admin view runs in a transaction),
            # so two saves of the same version cannot both pass this check.
            current = (
                type(self.instance)
                .objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            self.stored_token = edit_token(current)
        if self.instance.pk and cleaned.get("edit_token") != self.stored_token:
            history_url = reverse(
                f"admin:articles_{self._meta.model._meta.model_name}_history",
                args=[self.instance.pk],
            )
            raise forms.ValidationError(
                format_html(
                    "Someone else saved this item at {} while you were editing. Your changes "
                    'were <strong>not</strong> saved. <a href="{}">Compare the versions</a>, '
                    "then reload this page and make your changes again.",
                    local_time(self.instance.updated_at),
                    history_url,
                ),
                code="stale",
            )
        return cleaned


def following(start: datetime.date, unit: str) -> datetime.date | None:
    """The start of the next year, month or day; None past the calendar's last day."""
    try:
        if unit == "year":
            return start.replace(year=start.year + 1)
        if unit == "month":
            return (start + datetime.timedelta(days=32)).replace(day=1)
        return start + datetime.timedelta(days=1)
    except (ValueError, OverflowError):
        return None


class DateDrillDownChangeList(ChangeList):
    """Django's changelist, with a date drill-down whose cost does not grow with the archive.

    Django finds the years (months, days) holding items with a MIN/MAX and a SELECT
    DISTINCT of every row's truncated date: 480 ms at 60,000 releases on SQLite, which
    truncates each date in Python, 30 ms on PostgreSQL. Here the archive's first and
    last dates are two index seeks; then, for the whole archive, each year between them
    is one EXISTS (an index range seek), all in one query, and for a filtered list (a
    year, a status, a search) the list's rows are sorted into the periods by comparing
    their dates with the periods' bounds (a few comparisons a row). Same links, same
    choice of level and same template (`admin/date_hierarchy.html`) as Django's.
    """

    MAX_PERIODS = 100  # a wider span (a stray year) is left to Django's own queries

    @cached_property
    def date_drilldown(self) -> dict:
        field = self.date_hierarchy
        year_field, month_field, day_field = (f"{field}__{p}" for p in ("year", "month", "day"))
        year, month, day = (self.params.get(name) for name in (year_field, month_field, day_field))
        if year and month and day:
            return date_hierarchy(self)  # one day chosen: no query

        def link(filters: dict) -> str:
            return self.get_query_string(filters, [f"{field}__"])

        def months_of(year) -> list[datetime.date]:
            start = datetime.date(int(year), 1, 1)
            return self._with_items(start, following(start, "year"), "month")

        months = None
        if not year:
            if not self.result_count:
                return {"show": True, "back": None, "choices": []}
            first, last = self._archive_span()
            if last.year - first.year >= self.MAX_PERIODS:
                return date_hierarchy(self)
            start, end = first.replace(month=1, day=1), last.replace(month=1, day=1)
            years = self._with_items(start, following(end, "year"), "year")
            if len(years) != 1 or month or day:
                return {
                    "show": True,
                    "back": None,
                    "choices": [
                        {"link": link({year_field: str(y.year)}), "title": str(y.year)}
                        for y in years
                    ],
                }
            # Like Django: a list within one year opens on its months, or on its days
            # when they all fall in one month.
            year, months = years[0].year, months_of(years[0].year)
            if len(months) == 1:
                month = months[0].month

        if month:
            start = datetime.date(int(year), int(month), 1)
            days = self._with_items(start, following(start, "month"), "day")
            return {
                "show": True,
                "back": {"link": link({year_field: year}), "title": str(year)},
                "choices": [
                    {
                        "link": link({year_field: year, month_field: month, day_field: d.day}),
                        "title": capfirst(date_format(d, "MONTH_DAY_FORMAT")),
                    }
                    for d in days
                ],
            }
        return {
            "show": True,
            "back": {"link": link({}), "title": gettext("All dates")},
            "choices": [
                {
                    "link": link({year_field: year, month_field: m.month}),
                    "title": capfirst(date_format(m, "YEAR_MONTH_FORMAT")),
                }
                for m in (months if months is not None else months_of(year))
            ],
        }

    @cached_property
    def _is_datetime(self) -> bool:
        return isinstance(self.opts.get_field(self.date_hierarchy), models.DateTimeField)

    def _rows(self) -> QuerySet:
        return self.queryset.order_by().prefetch_related(None)

    def _bound(self, day: datetime.date):
        """The start of a day in the newsroom's zone, for comparison with the field."""
        if self._is_datetime:
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
        return day

    def _archive_span(self) -> tuple[datetime.date, datetime.date]:
        """The first and last dates of the whole archive (both ends of its index), in the
        newsroom's zone; a filtered list lies between them."""
        field = self.date_hierarchy
        rows = self.root_queryset.order_by().filter(**{f"{field}__isnull": False})
        edges = [rows.order_by(o).values_list(field, flat=True)[0] for o in (field, f"-{field}")]
        if self._is_datetime:
            return tuple(timezone.localtime(edge).date() for edge in edges)
        return tuple(edges)

    def _with_items(self, start: datetime.date, end: datetime.date | None, unit: str) -> list:
        """The starts of the years, months or days from `start` to `end` (None: the end
        of the calendar) holding an item of the list, found in one query."""
        field = self.date_hierarchy
        starts = []
        while start is not None and (end is None or start < end):
            starts.append(start)
            start = following(start, unit)
        if not starts:
            return []
        bounds = [self._bound(s) for s in starts] + [end and self._bound(end)]

        def within(i: int, j: int) -> dict:
            """From the start of period i to the start of period j."""
            lookups = {f"{field}__gte": bounds[i]}
            if bounds[j] is not None:
                lookups[f"{field}__lt"] = bounds[j]
            return lookups

        if not self.queryset.query.where:
            # The whole table: has each period a row? An index seek each. (From the plain
            # table, not the list's annotated queryset: 25% less time to build 27 probes.)
            table = self.model._default_manager.order_by()
            probes = {f"p{i}": Exists(table.filter(**within(i, i + 1))) for i in range(len(starts))}
            found = table.annotate(**probes).values(*probes)[:1]
            row = found[0] if found else {}
            return [s for i, s in enumerate(starts) if row.get(f"p{i}")]

        def period(low: int, high: int) -> models.Expression:
            """Which of the periods low..high-1 a row's date falls in: a binary search."""
            if high - low == 1:
                return models.Value(low)
            middle = (low + high) // 2
            return models.Case(
                models.When(**{f"{field}__lt": bounds[middle]}, then=period(low, middle)),
                default=period(middle, high),
                output_field=models.IntegerField(),
            )

        # A filtered list: which periods its own rows fall in, reading them once.
        rows = self._rows().filter(**within(0, len(starts)))
        found = rows.annotate(period=period(0, len(starts))).values_list("period", flat=True)
        return [starts[i] for i in sorted(set(found.distinct()))]


class SaneDateHierarchyMixin:
    """The admin's date drill-down crashes on a year such as -1 or 99999 in the address;
    such an address is answered like any other bad filter: the list with "?e=1". Its
    year, month and day links cost a fixed number of queries (DateDrillDownChangeList)."""

    LIMITS = {"year": (1, 9999), "month": (1, 12), "day": (1, 31)}

    def get_changelist(self, request, **kwargs):
        return DateDrillDownChangeList

    def changelist_view(self, request, extra_context=None):
        field = self.date_hierarchy
        for part, (low, high) in self.LIMITS.items():
            raw = request.GET.get(f"{field}__{part}") if field else None
            if raw is None:
                continue
            try:
                valid = low <= int(raw) <= high
            except ValueError:
                valid = False
            if not valid:
                return HttpResponseRedirect(f"{request.path}?e=1")
        return super().changelist_view(request, extra_context)


class VisibilityFilter(admin.SimpleListFilter):
    title = "visibility"
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("review", "In review"),
            ("embargoed", "Embargoed"),
            ("live", "Live"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "draft":
            return queryset.filter(status=Status.DRAFT)
        if value == "review":
            return queryset.filter(status=Status.IN_REVIEW)
        if value == "embargoed":
            return queryset.embargoed()
        if value == "live":
            return queryset.public()
        return queryset


class NameFilter(admin.SimpleListFilter):
    """Items naming a speaker or carrying a tag, typed into a box rather than picked from
    a list: hundreds of speakers and tags make a sidebar nobody can scan, and listing
    only those in use read every item (150 ms a page at 60,000 releases on SQLite, 90 ms
    on PostgreSQL). This costs no query until it is used; the address takes the name or
    the slug, so links from the public site's filters work here too."""

    template = "admin/articles/name_filter.html"
    relation = ""  # the many-to-many field: "speakers" or "tags"
    label = ""  # how the typed text is matched, shown above the box

    def match(self, value: str) -> Q:
        """The speakers or tags meant by the text typed."""
        raise NotImplementedError

    def lookups(self, request, model_admin):
        value = self.value()
        return [(value, f"“{value}”")] if value else []

    def has_output(self) -> bool:
        return True  # the box shows even when nothing is chosen

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        # Straight from the link table (item, speaker or tag), without joining the items.
        field = queryset.model._meta.get_field(self.relation)
        links = field.remote_field.through
        columns = {f.related_model: f.name for f in links._meta.get_fields() if f.many_to_one}
        chosen = field.related_model._default_manager.filter(self.match(value))
        linked = links._default_manager.filter(**{f"{columns[field.related_model]}__in": chosen})
        return queryset.filter(pk__in=linked.values(columns[queryset.model]))

    def choices(self, changelist):
        # The box's form keeps the other filters, the search and the order of the list.
        self.kept_params = [
            (name, value)
            for name, value in changelist.params.items()
            if name != self.parameter_name
        ]
        yield from super().choices(changelist)


class SpeakerNameFilter(NameFilter):
    title = "speaker"
    parameter_name = "speaker"
    relation = "speakers"
    label = "Name contains"

    def match(self, value: str) -> Q:
        return Q(name__icontains=value) | Q(slug=value)


class TagNameFilter(NameFilter):
    # Exact, not "contains": "NATO" is in the names of 25 of the benchmark's 295 tags,
    # carried by 27,430 of its 60,000 releases (150 ms a query on SQLite to match them).
    title = "tag"
    parameter_name = "tag"
    relation = "tags"
    label = "Tag name (exact)"

    def match(self, value: str) -> Q:
        return Q(name__iexact=value) | Q(slug=value)


class ScheduleForm(forms.Form):
    publish_at = forms.SplitDateTimeField(
        label="Publish at", widget=AdminSplitDateTime, help_text="In the newsroom's time zone."
    )

    def clean_publish_at(self):
        moment = self.cleaned_data["publish_at"]
        if moment <= timezone.now():
            raise forms.ValidationError("Choose a time in the future, or use “Publish now”.")
        return moment


class PublicationAdmin(SaneDateHierarchyMixin, admin.ModelAdmin):
    """What release and speech admins share: visibility, workflow, revisions, preview."""

    form = PublicationForm
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    save_on_top = True
    show_full_result_count = False
    list_per_page = 50
    actions = ["submit_for_review", "publish_now", "schedule", "back_to_draft"]
    readonly_fields = ["updated_at_local"]
    editor_actions = {"publish_now", "schedule", "back_to_draft"}

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        response._csp_update = {"script-src": [editor_importmap_source()]}
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
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

    @admin.display(description="Visibility", ordering="status")
    def visibility(self, obj) -> str:
        if obj.status == Status.DRAFT:
            return "Draft"
        if obj.status == Status.IN_REVIEW:
            return "In review"
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
            item._change_reason = change(item) or reason
            item.save()
            count += 1
        self.message_user(request, message.format(count=count), messages.SUCCESS)

    @admin.action(description="Submit for review")
    def submit_for_review(self, request, queryset):
        editable = queryset.exclude(status=Status.PUBLISHED)
        skipped = queryset.count() - editable.count()

        def change(item):
            item.status = Status.IN_REVIEW

        self._apply(
            request,
            editable,
            change,
            "Submitted for review",
            "{count} item(s) submitted for review.",
        )
        if skipped:
            self.message_user(
                request, f"{skipped} published item(s) left as they are.", messages.WARNING
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
        if becomes_public and "published_at" not in form.changed_data:
            # Published from the form without choosing a time: it is published now, not
            # at the moment the draft was first saved; or, if it was public before and
            # withdrawn, at its first publication time, the republication an update.
            first = revisions.first_public_time(obj) if change else None
            obj.published_at = first or max(obj.published_at, now_ms())
            if first:
                obj._change_reason = f"Republished (first published {local_time(first)})"
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        text = self._reason_text(form, change)
        if getattr(form.instance, "_change_reason", "").startswith("Republished"):
            text = form.instance._change_reason
        if change and self._is_proposal(request, form):
            related = self._related_from_form(form, formsets)
            revisions.record_proposal(item=form.instance, user=request.user, related=related)
            request._newsroom_proposal = True
            return
        super().save_related(request, form, formsets, change)
        revisions.refresh_latest_snapshot(form.instance, text)

    def _reason_text(self, form, change) -> str:
        if not change:
            return "Created"
        changed = [
            form.fields[name].label or name
            for name in form.changed_data
            if name not in {"edit_token"}
        ]
        return (
            ("Changed " + ", ".join(str(label).lower() for label in changed))
            if changed
            else "Saved"
        )

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


@admin.register(Release)
class ReleaseAdmin(PublicationAdmin):
    list_display = ["title", "kind", "visibility", "published_at_local", "updated_at_local"]
    list_filter = [
        VisibilityFilter,
        "status",
        "kind",
        SpeakerNameFilter,
        TagNameFilter,
    ]
    date_hierarchy = "published_at"
    autocomplete_fields = ["speakers", "events"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "summary", "body"]}),
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
    ]
    list_filter = [
        VisibilityFilter,
        "status",
        "kind",
        "delivery_status",
        SpeakerNameFilter,
        TagNameFilter,
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
        ("Publication", {"fields": ["status", "published_at", "updated_at_local", "edit_token"]}),
        ("Tags", {"fields": ["tags"]}),
        ("Advanced", {"fields": ["source"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("speaker_links__speaker")

    @admin.display(description="Main speaker")
    def main_speaker(self, obj: Speech) -> str:
        speakers = obj.ordered_speakers
        return str(speakers[0]) if speakers else "—"


def stored_fingerprint(model: type[models.Model], pk, *, lock: bool = False) -> str:
    """A digest of a row as stored (its columns and many-to-many links), for models that
    have no "last updated" time to tell versions apart: speakers, events, tags."""
    rows = model._default_manager.filter(pk=pk)
    if lock:
        # Until this save commits (the admin view runs in a transaction), so two saves of
        # the same version cannot both pass the check.
        rows = rows.select_for_update()
    row = rows.values(*(field.attname for field in model._meta.concrete_fields)).first()
    if row is None:
        return ""
    instance = model(pk=pk)
    for field in model._meta.many_to_many:
        row[field.name] = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    text = json.dumps(row, cls=DjangoJSONEncoder, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class ConcurrentEditForm(forms.ModelForm):
    """A save over a version someone else saved meanwhile is refused, as for releases
    and speeches (PublicationForm), told by a fingerprint of the stored row."""

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_token"].initial = stored_fingerprint(
                type(self.instance), self.instance.pk
            )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = stored_fingerprint(type(self.instance), self.instance.pk, lock=True)
            if cleaned.get("edit_token") != current:
                raise forms.ValidationError(
                    format_html(
                        "Someone else saved this {} while you were editing. Your changes "
                        "were <strong>not</strong> saved. Reload this page to see theirs, "
                        "then make your changes again.",
                        self.instance._meta.verbose_name,
                    ),
                    code="stale",
                )
        return cleaned


class ListedByEditorMixin:
    """Speakers and events: only an editor publishes one on its own (`listed`)."""

    form = ConcurrentEditForm

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm(f"articles.publish_{self.opts.model_name}"):
            fields.append("listed")
        return fields


@admin.register(Speaker)
class SpeakerAdmin(ListedByEditorMixin, admin.ModelAdmin):
    list_display = ["name", "role", "organisation", "country", "listed"]
    list_filter = ["listed", "organisation", "country"]
    search_fields = ["name", "role", "organisation", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    save_on_top = True


@admin.register(Event)
class EventAdmin(ListedByEditorMixin, SaneDateHierarchyMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "start_on", "end_on", "location", "listed"]
    list_filter = ["listed", "kind"]
    date_hierarchy = "start_on"
    search_fields = ["name", "location", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    save_on_top = True


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """The shared vocabulary. Not taggit's own admin: its inline and its "merge tags"
    action work on taggit's generic table, which this project's items do not use."""

    form = ConcurrentEditForm
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
