"""Revisions of releases and speeches: snapshots, comparison and restore.

Storage is django-simple-history (one historical row per save). This module adds
what a press office needs on top: the tags/speakers/events of each revision, a
readable diff of any two, and a restore that itself becomes a new revision.
"""

import difflib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape, unescape

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from articles.models import Event, Release, Speaker, Speech, now_ms
from articles.querysets import RevisionQuerySet, Status

# Fields compared and restored, in reading order: each kind's `REVISED_FIELDS`. Workflow
# fields (status, publication time) and the slug are deliberately not restored:
# restoring old text must neither publish, unpublish nor move an item.
CONTENT_FIELDS = {model: model.REVISED_FIELDS for model in (Release, Speech)}
WORKFLOW_FIELDS = ["status", "published_at", "slug"]
LIST_FIELDS = ["tag_names", "speaker_slugs", "event_slugs"]


def snapshot(item: Release | Speech) -> dict[str, list[str]]:
    """The related data a revision keeps: tag names, speaker slugs (in order), event slugs."""
    if item.pk is None:
        return {"tag_names": [], "speaker_slugs": [], "event_slugs": []}
    tags = sorted(item.tags.names(), key=str.lower)

    def slugs(key: str, order: str | None = None) -> list[str]:
        """Read afresh (not from a prefetch made before the save); in `order`, else
        sorted by slug (in Python, as revisions always were, whatever the collation)."""
        link = type(item).links(key)
        rows = link.rows.filter(**{link.item: item.pk}).exclude(**{link.target: None})
        found = rows.order_by(order or "pk", "pk").values_list(f"{link.target}__slug", flat=True)
        return list(found) if order else sorted(found)

    # Speakers in their order (a speech's main speaker first), else by slug.
    speakers = slugs("speaker", item.SPEAKER_POSITION)
    return {
        "tag_names": tags,
        "speaker_slugs": speakers,
        "event_slugs": slugs("event"),
    }


def fill_snapshot(sender, instance, history_instance, **kwargs) -> None:
    """pre_create_historical_record receiver: store the item's related data."""
    for field, value in snapshot(instance).items():
        setattr(history_instance, field, value)


def refresh_latest_snapshot(item: Release | Speech, reason: str) -> None:
    """After the admin has saved tags and relations, make the newest revision complete,
    with the public change note the editor gave for it (`item._public_note`, a kind and
    a text), if any."""
    # The revision this save made (stamped with the save's time), not merely the newest.
    moment = getattr(item, "_history_date", None)
    revisions = item.history.order_by("-history_date")
    latest = (revisions.filter(history_date=moment) if moment else revisions).first()
    if latest is None:
        return
    for field, value in snapshot(item).items():
        setattr(latest, field, value)
    latest.history_change_reason = reason[:100]
    latest.change_kind, latest.change_note = getattr(item, "_public_note", ("", ""))
    latest.save(update_fields=[*LIST_FIELDS, "history_change_reason", "change_kind", "change_note"])


def fix_loaded_revision_id(sender, instance, raw: bool = False, **kwargs) -> None:
    """pre_save receiver: a loaded revision (seed or backup) names its item by slug; the
    item's id in this database comes from that, not from the file."""
    if raw and instance.history_relation_id:
        instance.id = instance.history_relation_id


def keep_baseline(sender, instance, raw: bool = False, **kwargs) -> None:
    """pre_save receiver: before the first recorded edit of an imported item, keep its
    stored state as a revision, so the original text is never lost."""
    if raw or instance.pk is None or instance.history.exists():
        return
    stored = sender.objects.filter(pk=instance.pk).first()
    if stored is None:
        return
    stored._history_user = None  # nobody's edit: the state as imported
    sender.history.bulk_history_create(
        [stored],
        default_change_reason="As stored before the first recorded edit",
        default_date=stored.updated_at,
        custom_historical_attrs=snapshot(stored),
    )


def record_proposal(*, item, user, related: dict[str, list[str]]):
    """Keep an edit as a revision without changing the item (for an editor to restore)."""
    model = type(item)
    keep_baseline(model, model.objects.get(pk=item.pk))
    item._history_user = user
    return model.history.bulk_history_create(
        [item],
        update=True,
        default_user=user,
        default_date=now_ms(),
        default_change_reason=f"{PROPOSAL_PREFIX}{user.get_username()}: awaiting an editor"[:100],
        custom_historical_attrs=related,
    )[0]


PROPOSAL_PREFIX = RevisionQuerySet.PROPOSAL_PREFIX


def first_public_time(item: Release | Speech) -> datetime | None:
    """When `item` was first public, read from its revisions; None if it never was.

    Each revision is the item's state from its own time until the next revision (or
    now). The item was public in that span if it was published and its publication time
    came before the span ended; the earliest such publication time is its first.
    Proposals are not states of the item and are skipped.
    """
    states = list(
        item.history.exclude(history_change_reason__startswith=PROPOSAL_PREFIX)
        .order_by("history_date")
        .values_list("history_date", "status", "published_at")
    )
    if not states:
        return None
    ends = [when for when, _, _ in states[1:]] + [timezone.now()]
    public = [
        published_at
        for (_, status, published_at), end in zip(states, ends, strict=True)
        if status == Status.PUBLISHED and published_at <= end
    ]
    return min(public, default=None)


# How close to its revision's own time a republication's date must be to count as dated
# "now" by "Publish now" (and not chosen by an editor): saves take well under a minute.
REPUBLISHED_WITHIN = timedelta(minutes=1)


def lost_publication_date(item: Release | Speech) -> datetime | None:
    """The first publication time a republication took from `item`, or None.

    Before issue 21, "Publish now" on a withdrawn item dated it at that moment. This
    finds exactly that in the item's revisions: a state that published it again, after a
    state that was not published, after a time when it was public, dated within a minute
    of that revision; and the item still has that date. A re-release scheduled for later,
    or a date an editor corrected while the item was live, is not that.
    """
    states = list(
        item.history.exclude(history_change_reason__startswith=PROPOSAL_PREFIX)
        .order_by("history_date")
        .values_list("history_date", "status", "published_at")
    )
    ends = [when for when, _, _ in states[1:]] + [timezone.now()]
    first, withdrawn = None, False
    for (when, status, published_at), end in zip(states, ends, strict=True):
        if status != Status.PUBLISHED:
            withdrawn = first is not None
            continue
        republished_now = abs(published_at - when) <= REPUBLISHED_WITHIN
        if withdrawn and republished_now and first < published_at == item.published_at:
            return first
        if published_at <= end:
            first = published_at if first is None else min(first, published_at)
        withdrawn = False
    return None


def current_tag_names(names: list[str]) -> list[str]:
    """`names` with each tag merged since into another (TagRedirect) read as that tag."""
    from articles.models import TagRedirect

    merged = {
        old.casefold(): kept
        for old, kept in TagRedirect.objects.values_list("old_name", "tag__name")
    }
    return list(dict.fromkeys(merged.get(name.casefold(), name) for name in names))


@transaction.atomic
def restore_revision(*, revision, user, reason: str = "") -> Release | Speech:
    """Make `revision`'s content the item's current content, as a new revision.

    Keeps the item's status, publication time and slug; restores text, metadata,
    tags, speakers (in order) and events. Nothing is lost: the state before the
    restore stays in the history.
    """
    model = revision.instance_type
    item = model.objects.select_for_update().get(pk=revision.id)
    for field in CONTENT_FIELDS[model]:
        if field != "event_id":  # by slug below: the event may have been deleted since
            setattr(item, field, getattr(revision, field))
    events = Event.objects.filter(slug__in=revision.event_slugs)
    event_link = model.links("event")
    if event_link.item == "pk":  # a column of the item's own row: set before the save
        setattr(item, event_link.target, events.first())
    when = revision.history_date
    local = timezone.localtime(when)  # the newsroom's zone, named, as every admin time
    default = f"Restored the revision of {local:%d %b %Y %H:%M} {local.tzname()}"
    item._change_reason = (reason or default)[:100]
    item._history_user = user
    item.save()
    item.tags.set(current_tag_names(revision.tag_names))
    speakers = {s.slug: s for s in Speaker.objects.filter(slug__in=revision.speaker_slugs)}
    item.set_speakers([speakers[slug] for slug in revision.speaker_slugs if slug in speakers])
    if event_link.item != "pk":
        getattr(item, model.EVENTS_FIELD).set(events)
    refresh_latest_snapshot(item, item._change_reason)
    return item


# --- comparison -----------------------------------------------------------------

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption|figure)>|<br\s*/?>", re.I)


def html_to_lines(html: str) -> list[str]:
    """Readable lines of rich text: one per paragraph, heading, list item or line break."""
    text = unescape(strip_tags(_BLOCK_END.sub("\n", html or "")))
    return [line.strip() for line in text.splitlines() if line.strip()]


# Labels inside <del> and <ins> on public pages: the change is told in words, not by
# colour or strike-through alone (and read out by screen readers, which ignore both).
DIFF_LABELS = {
    "del": '<span class="diff__label">removed:</span> ',
    "ins": '<span class="diff__label">added:</span> ',
}


def word_diff(old: str, new: str, *, labelled: bool = False) -> SafeString:
    """Words removed in <del>, added in <ins>; everything escaped. `labelled` starts
    each with a visible "removed:" or "added:"."""
    a, b = old.split(), new.split()
    out: list[str] = []

    def mark(tag: str, words: list[str]) -> str:
        label = DIFF_LABELS[tag] if labelled else ""
        return f"<{tag}>{label}{escape(' '.join(words))}</{tag}>"

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(mark("del", a[i1:i2]))
        if j2 > j1:
            out.append(mark("ins", b[j1:j2]))
    return mark_safe(" ".join(out))


SIMILAR = 0.5  # paragraphs at least this alike are shown as one edited paragraph


def _paired_diff(old: list[str], new: list[str], labelled: bool = False) -> list[SafeString]:
    """Diff a block of changed paragraphs: an edited paragraph is paired with its new
    version and shown word by word; the rest are whole deletions or insertions."""
    out: list[SafeString] = []
    start = 0
    for line in old:
        match = next(
            (
                k
                for k in range(start, len(new))
                if difflib.SequenceMatcher(a=line, b=new[k], autojunk=False).ratio() >= SIMILAR
            ),
            None,
        )
        if match is None:
            out.append(word_diff(line, "", labelled=labelled))
            continue
        out.extend(word_diff("", added, labelled=labelled) for added in new[start:match])
        out.append(word_diff(line, new[match], labelled=labelled))
        start = match + 1
    out.extend(word_diff("", added, labelled=labelled) for added in new[start:])
    return out


@dataclass
class FieldChange:
    label: str
    diff: SafeString | list[SafeString]
    changed: bool


def _display(revision, field: str) -> str:
    value = getattr(revision, field)
    if field == "event_id":
        return str(Event.objects.filter(pk=value).first() or "—") if value else "—"
    if field in ("speaker_slugs", "event_slugs"):
        # People and events by name, as editors know them (a deleted one by its slug).
        model = Speaker if field == "speaker_slugs" else Event
        names = dict(model.objects.filter(slug__in=value or []).values_list("slug", "name"))
        return ", ".join(names.get(slug, slug) for slug in value or []) or "—"
    if field in LIST_FIELDS:
        return ", ".join(value or []) or "—"
    if hasattr(revision, f"get_{field}_display"):
        return str(getattr(revision, f"get_{field}_display")() or "—")
    return "—" if value in (None, "") else str(value)


def compare(
    old, new, *, fields: list[str] | None = None, labelled: bool = False
) -> list[FieldChange]:
    """A readable diff of two revisions of the same item, field by field: every field a
    revision keeps, or only `fields`; `labelled` for the public pages (word_diff)."""
    model = old.instance_type
    labels = {f.name: f.verbose_name for f in model._meta.fields}
    labels.update(
        event_id="event", tag_names="tags", speaker_slugs="speakers", event_slugs="events"
    )
    changes = []
    if fields is None:
        fields = [*CONTENT_FIELDS[model], *WORKFLOW_FIELDS, *LIST_FIELDS]
        if "event_id" in fields:  # the event is a column, compared as such
            fields.remove("event_slugs")
    for field in fields:
        label = str(labels.get(field, field)).capitalize()
        if field == "body":
            before, after = html_to_lines(old.body), html_to_lines(new.body)
            lines = []
            matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
            for op, i1, i2, j1, j2 in matcher.get_opcodes():
                if op == "equal":
                    lines.extend(mark_safe(escape(line)) for line in before[i1:i2])
                else:
                    lines.extend(_paired_diff(before[i1:i2], after[j1:j2], labelled))
            changes.append(FieldChange(label, lines, before != after))
        else:
            a, b = _display(old, field), _display(new, field)
            changes.append(FieldChange(label, word_diff(a, b, labelled=labelled), a != b))
    return changes
