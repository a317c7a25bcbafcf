"""What readers see of an item's life after publication: its public earlier versions and
what changed between them, withdrawals and removals, and the `/corrections/` record.

Which revisions and notes are public is decided in `articles/querysets.py`
(`RevisionQuerySet.public_versions()`, `public_notes()`, `readable()`, `withdrawn()`,
`removed()`); this module only arranges what those return.
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db.models import CharField, F, QuerySet, UUIDField, Value
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.models import Publication, Release, Speech
from articles.querysets import ChangeKind
from articles.results import noun
from articles.revisions import DIFF_LABELS, FieldChange, compare


class ItemRemoved(Exception):
    """The address belongs to an item an editor removed: answered 410 with its note."""

    def __init__(self, item: Publication):
        super().__init__(f"{item._meta.verbose_name} removed")
        self.item = item


def readable_item(model: type[Publication], slug: str, queryset: QuerySet | None = None):
    """The item at `slug` if readers may open it; ItemRemoved if it was removed; else None."""
    found = (queryset if queryset is not None else model.objects.readable()).filter(slug=slug)
    item = found.first()
    if item is None:
        gone = model.objects.removed().filter(slug=slug).first()
        if gone is not None:
            raise ItemRemoved(gone)
    return item


# --- earlier versions ------------------------------------------------------------------


@dataclass
class Version:
    """A public version of an item: its revision, when it was published, until when."""

    number: int
    revision: object  # the historical row (title, summary, body, … as they were)
    since: datetime
    until: datetime | None  # when the next state replaced it; None: the current text
    url: str
    changes_url: str | None  # what changed from the version before; None for the first

    @property
    def note(self) -> str:
        return self.revision.change_note

    @property
    def note_label(self) -> str:
        kind = self.revision.change_kind
        return ChangeKind(kind).label if kind else ""

    @property
    def is_correction(self) -> bool:
        return self.revision.change_kind == ChangeKind.CORRECTION


def public_versions(item: Publication) -> list[Version]:
    """The item's public versions, oldest first, numbered from 1."""
    rows = list(item.history.public_versions().order_by("history_date"))
    name = item._meta.model_name
    versions = []
    for number, revision in enumerate(rows, start=1):
        since = max(revision.history_date, revision.published_at)  # an embargo's lift
        kwargs = {"slug": item.slug, "version": revision.history_id}
        versions.append(
            Version(
                number=number,
                revision=revision,
                since=since,
                until=revision.replaced_at,  # the next state (None: the current text)
                url=reverse(f"articles:{name}-version", kwargs=kwargs),
                changes_url=reverse(f"articles:{name}-version-changes", kwargs=kwargs)
                if number > 1
                else None,
            )
        )
    return versions


def find_version(versions: list[Version], version: UUID) -> Version | None:
    return next((v for v in versions if v.revision.history_id == version), None)


def script_and_delivered(versions: list[Version]) -> tuple[Version, Version] | None:
    """A speech's newest public script ("Check against delivery") and its current text
    as delivered; None while the current text is not the delivered one, or no script
    was public."""
    if not versions:
        return None
    current = versions[-1]
    delivery = type(current.revision).instance_type.Delivery
    if current.revision.delivery_status != delivery.AS_DELIVERED:
        return None
    scripts = [
        version for version in versions[:-1]
        if version.revision.delivery_status == delivery.CHECK_AGAINST_DELIVERY
    ]  # fmt: skip
    return (scripts[-1], current) if scripts else None


# The fields readers see compared, by name, in the language being read.
FIELD_LABELS = {
    "title": _("Title"),
    "kind": _("Kind"),
    "summary": _("Summary"),
    "body": _("Body"),
    "source": _("Source"),
    "delivered_on": _("Delivered on"),
    "delivered_time": _("Time of delivery"),
    "location": _("Location"),
    "delivery_status": _("Delivery status"),
}


def public_changes(old: Version, new: Version) -> list[FieldChange]:
    """What changed between two public versions, in the fields readers read: the item's
    own text and details (not its workflow, nor links that may name what is not public),
    labelled in the language being read."""
    model = type(old.revision).instance_type
    fields = [field for field in model.REVISED_FIELDS if field != "event_id"]
    changes = compare(old.revision, new.revision, fields=fields, labelled=True)
    # The "removed:" and "added:" inside each <del> and <ins>, in the reader's language.
    words = {
        DIFF_LABELS["del"]: format_html(
            '<span class="diff__label">{}</span> ', gettext("removed:")
        ),
        DIFF_LABELS["ins"]: format_html('<span class="diff__label">{}</span> ', gettext("added:")),
    }
    words = {english: shown for english, shown in words.items() if english != shown}

    def told(diff):
        for english, shown in words.items():
            diff = diff.replace(english, shown)
        return mark_safe(diff)  # only our own labels replaced in the escaped diff

    for field, change in zip(fields, changes, strict=True):
        change.label = str(FIELD_LABELS.get(field, change.label))
        if words:
            lines = change.diff if isinstance(change.diff, list) else None
            change.diff = [told(line) for line in lines] if lines is not None else told(change.diff)
    return changes


# --- /corrections/ ---------------------------------------------------------------------

ENTRY_FIELDS = ("entry", "item_type", "item_title", "item_slug", "note_text", "noted_at",
                "version_id")  # fmt: skip


def _rows(queryset: QuerySet, entry: str, model: type[Publication], **columns) -> QuerySet:
    """`queryset` as rows of the corrections record, lining up for one UNION ALL."""
    annotated = queryset.order_by().annotate(
        entry=Value(entry, output_field=CharField()),
        item_type=Value(model._meta.model_name, output_field=CharField()),
        **columns,
    )
    return annotated.values(*ENTRY_FIELDS)


def correction_record() -> QuerySet:
    """Every public correction and withdrawal, newest first: corrections of readable
    items (with the version they made), withdrawn items (title and notice), removed items
    (the notice alone: what was removed is not repeated)."""
    parts = []
    nothing = Value(None, output_field=UUIDField())
    for model in (Release, Speech):
        corrections = model.history.public_notes().filter(
            change_kind=ChangeKind.CORRECTION, id__in=model.objects.readable().values("pk")
        )
        parts.append(
            _rows(
                corrections, "correction", model,
                item_title=F("history_relation__title"), item_slug=F("history_relation__slug"),
                note_text=F("change_note"), noted_at=F("history_date"), version_id=F("history_id"),
            )
        )  # fmt: skip
        parts.append(
            _rows(
                model.objects.withdrawn(), "withdrawal", model,
                item_title=F("title"), item_slug=F("slug"), note_text=F("withdrawal_note"),
                noted_at=F("withdrawn_at"), version_id=nothing,
            )
        )  # fmt: skip
        parts.append(
            _rows(
                model.objects.removed(), "removal", model,
                item_title=Value("", output_field=CharField()),
                item_slug=Value("", output_field=CharField()),
                note_text=F("withdrawal_note"), noted_at=F("withdrawn_at"), version_id=nothing,
            )
        )  # fmt: skip
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-noted_at", "entry", "item_slug")


@dataclass
class Entry:
    """A line of the corrections record."""

    entry: str  # "correction", "withdrawal" or "removal"
    item_type: str  # "release" or "speech"
    item_title: str
    item_slug: str
    note_text: str
    noted_at: datetime
    version_id: UUID | None

    LABELS = {"correction": _("Correction"), "withdrawal": _("Withdrawn"), "removal": _("Removed")}

    @property
    def label(self) -> str:
        return self.LABELS[self.entry]

    @property
    def noun(self) -> str:
        return noun(self.item_type)  # "release" or "speech", as readers say it

    @property
    def item_url(self) -> str | None:
        if self.entry == "removal":
            return None
        return reverse(f"articles:{self.item_type}-detail", kwargs={"slug": self.item_slug})

    @property
    def changes_url(self) -> str | None:
        """A correction's "what changed" page."""
        if self.entry != "correction":
            return None
        kwargs = {"slug": self.item_slug, "version": self.version_id}
        return reverse(f"articles:{self.item_type}-version-changes", kwargs=kwargs)

    @property
    def anchor(self) -> str:
        moment = self.noted_at.strftime("%Y%m%d%H%M%S%f")
        return f"{self.entry}-{self.item_type}-{self.version_id or self.item_slug or moment}"


def entries(rows) -> list[Entry]:
    return [Entry(**row) for row in rows]
