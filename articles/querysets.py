"""Who may see a release or speech: the only code that states the rule.

Every public surface (lists, search, feeds, sitemap, speaker/event/tag pages, home,
counts) starts from `public()`. A detail page alone starts from `readable()`, which adds
the items withdrawn after being public (shown with their notice); a removed item's address
answers 410 (`removed()`). Earlier versions of an item and their public change notes
come from `RevisionQuerySet.public_versions()` and `public_notes()`. Nothing else tests
`status` or `published_at` to decide visibility.
"""

from datetime import datetime
from functools import cache
from typing import Self

from django.db import models
from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    DateTimeField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    JSONField,
    OuterRef,
    Q,
    Subquery,
    When,
    Window,
)
from django.db.models.functions import Lead
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoricalQuerySet


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    # After being public, by an editor with a public explanation (`withdrawal_note`):
    # a withdrawn item's page stays readable with the notice; a removed item's answers 410.
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REMOVED = "removed", _("Removed")


class ChangeKind(models.TextChoices):
    """What a public change note announces (kept on the revision the change made)."""

    MINOR = "minor", _("Minor change")
    SUBSTANTIVE = "substantive", _("Update")
    CORRECTION = "correction", _("Correction")

    @classmethod
    def substantive(cls) -> list[str]:
        """The kinds readers are told about ("Updated <time>: <note>"), which alone move
        "Last updated", JSON-LD `dateModified` and a feed entry's `updated`. A minor change
        (a typo, the layout) is kept in the item's history, not announced."""
        return [cls.SUBSTANTIVE, cls.CORRECTION]


class TimeOfQuery(Expression):
    """The time a query is run: `timezone.now()`, read when its SQL is written, not when
    the queryset is built (`public(at=TimeOfQuery())`).

    For the columns a detail query adds about other items (public translations, a
    speech's public script), so the query can be built once per process and cloned per
    request (`detail_rows()`). It follows the application's clock, as tests travel in
    time with it; the database's own (`Now()`) would not. Lists and counts keep the
    moment their queryset was built: the queries of one page agree on what was public.
    """

    output_field = DateTimeField()

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        return "%s", [self.output_field.get_db_prep_value(timezone.now(), connection)]


def public_q(at: datetime | Expression | None = None) -> Q:
    """The rule itself: published, and its publication time has come (not embargoed).
    `at`: the moment it is judged at (by default now, or `TimeOfQuery()`).

    Only `public()` filters with it and only `with_visibility()` reads it as a flag, so
    the list the public sees and the admin's "Live" label cannot disagree.
    """
    return Q(status=Status.PUBLISHED, published_at__lte=timezone.now() if at is None else at)


def _taken_down_q(status: Status) -> Q:
    """Withdrawn or removed by an editor after it had been public (its publication time
    came before the withdrawal): an item taken down during its embargo was never public."""
    return Q(status=status, withdrawn_at__isnull=False, published_at__lte=F("withdrawn_at"))


class PublicationQuerySet(models.QuerySet):
    def public(self, at: datetime | Expression | None = None) -> Self:
        """Published, and its publication time has come (not embargoed). Every list,
        count, feed, search and sitemap: a withdrawn item is not in them."""
        return self.filter(public_q(at))

    def in_language(self, language: str | None = None) -> Self:
        """Items written in `language`, by default the one being read: a list shows one
        language at a time (French under /fr/). Not a visibility rule: chain it to
        `public()`."""
        from articles import languages

        return self.filter(language=language or languages.current())

    def readable(self) -> Self:
        """For detail pages only: the public items and those withdrawn after being
        public, whose page stays readable under its withdrawal notice."""
        return self.filter(public_q() | _taken_down_q(Status.WITHDRAWN))

    def withdrawn(self) -> Self:
        """Withdrawn after being public: readable by its address, listed nowhere but on
        /corrections/."""
        return self.filter(_taken_down_q(Status.WITHDRAWN))

    def removed(self) -> Self:
        """Removed after being public: its address answers 410 with the editor's short
        note (and /corrections/ lists the note, never the title)."""
        return self.filter(_taken_down_q(Status.REMOVED))

    def previewable(self) -> Self:
        """For preview links (`/preview/<token>/`): any item not taken down. A withdrawn or
        removed item's text is shown to nobody outside the newsroom any more, so its links
        stop working."""
        return self.exclude(status__in=[Status.WITHDRAWN, Status.REMOVED])

    def embargoed(self, at: datetime | None = None) -> Self:
        """Published but not yet due (at `at`, by default now); for the admin and cache
        expiry, never for display."""
        moment = timezone.now() if at is None else at
        return self.filter(status=Status.PUBLISHED, published_at__gt=moment)

    def for_detail(self) -> Self:
        """Everything a detail page reads about the item, in one query: here its public
        translations (`translation_rows`); each kind adds its own columns."""
        return self.annotate(translation_rows=translation_column(self.model))

    def with_visibility(self) -> Self:
        """Annotate `is_public` for the admin: the public rule read from the row's own
        columns (no subquery per row, which cost 20 ms a page on PostgreSQL)."""
        return self.annotate(is_public=ExpressionWrapper(public_q(), output_field=BooleanField()))


class RevisionQuerySet(HistoricalQuerySet):
    """Revisions of releases and speeches (django-simple-history rows): which of them the
    public may read as earlier versions, and which change notes it sees."""

    PROPOSAL_PREFIX = "Proposed by "  # a press officer's edit kept for an editor: no state

    def states(self) -> Self:
        """The states the item was in, each from its revision's time until the next's."""
        return self.exclude(history_change_reason__startswith=self.PROPOSAL_PREFIX)

    def public_versions(
        self, also: Q | None = None, at: datetime | Expression | None = None
    ) -> Self:
        """Revisions whose text the public could read: published, and its publication
        time came before the next revision replaced it (or, for the newest, by now).

        A draft, a text in review, or an embargoed text edited again before its lift was
        never public and is never offered as an earlier version, nor in a diff. `also`
        narrows them (a speech's script: `Q(delivery_status=…)`) after the window, so it
        never changes which revision replaced which.
        """
        replaced_at = Window(
            Lead("history_date"), partition_by=[F("id")], order_by=F("history_date").asc()
        )
        was_public = Q(status=Status.PUBLISHED) & (
            Q(published_at__lt=F("replaced_at"))
            | Q(replaced_at__isnull=True, published_at__lte=timezone.now() if at is None else at)
        )
        if also is not None:
            was_public &= also
        # One boolean over the window: conditions beside a window function would be
        # applied before it and change which revision comes next.
        return (
            self.states()
            .annotate(replaced_at=replaced_at)
            .annotate(was_public=ExpressionWrapper(was_public, output_field=BooleanField()))
            .filter(was_public=True)
        )

    def public_notes(self) -> Self:
        """Change notes readers see: of a substantive change (an update or a correction)
        made while the item was public (the admin takes a note only then), newest first.
        The newest one's time is the item's public "Last updated"."""
        return (
            self.states()
            .filter(change_kind__in=ChangeKind.substantive())
            .filter(status=Status.PUBLISHED, published_at__lte=F("history_date"))
            .order_by("-history_date")
        )


class JSONList(Aggregate):
    """A JSON array of the grouped values (json_group_array / jsonb_agg)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


class JSONRow(models.Func):
    """A JSON object of named columns: `json_object('id', …)` on SQLite,
    `jsonb_build_object('id', …)` on PostgreSQL.

    Django's `JSONObject` makes each key a parameter and, on PostgreSQL, a cast to text,
    building fields and casts again for every query: about a tenth of a list or detail
    page's time went into compiling its JSON columns. The keys here are our own names
    (identifiers, checked), written into the SQL as literals.
    """

    output_field = JSONField()

    def __init__(self, **fields):
        if not all(key.isidentifier() and key.isascii() for key in fields):
            raise ValueError(f"JSON keys must be identifiers: {list(fields)}")
        self.keys = list(fields)
        super().__init__(*fields.values())

    def as_sql(self, compiler, connection, **extra_context):
        function = "jsonb_build_object" if connection.vendor == "postgresql" else "json_object"
        parts, params = [], []
        for key, expression in zip(self.keys, self.get_source_expressions(), strict=True):
            sql, expression_params = compiler.compile(expression)
            parts.append(f"'{key}', {sql}")
            params.extend(expression_params)
        return f"{function}({', '.join(parts)})", params


def json_column(links: models.QuerySet, owner: str, **fields) -> Subquery:
    """Each row's linked tags, speakers or events as a JSON list in one column.

    A detail page then reads the item and everything it names in one query, instead of
    one query per relation (each costing Django a millisecond to build and run).
    """
    linked = links.filter(**{owner: OuterRef("pk")}).values(owner).order_by()
    return Subquery(linked.annotate(rows=JSONList(JSONRow(**fields))).values("rows"))


def speaker_column(model) -> Subquery:
    """Each item's speakers (id, name, slug, role, and a speech's order) as JSON, read by
    `speaker_list`: a list row or a detail page names its speakers without a second query
    and a model per speaker."""
    speaker = model.links("speaker")
    position = {"position": model.SPEAKER_POSITION} if model.SPEAKER_POSITION else {}
    return json_column(
        speaker.rows, speaker.item, id="speaker_id", name="speaker__name",
        slug="speaker__slug", role="speaker__role", **position,
    )  # fmt: skip


def detail_columns(model) -> dict[str, Subquery]:
    """The JSON columns of a detail page: its tags and speakers (and a release's events),
    and its public change notes."""
    tag = model.links("tag")
    return {
        "note_rows": json_column(
            model.history.public_notes(), "id", version="history_id", at="history_date",
            kind="change_kind", note="change_note",
        ),
        "topic_list": json_column(
            tag.rows, tag.item, id="tag_id", name="tag__name", slug="tag__slug"
        ),
        "speaker_rows": speaker_column(model),
    }  # fmt: skip


def translation_column(model) -> Case:
    """Each item's public translations (the other items with its translation key) as JSON:
    id, language, slug, title and when readers were last told of a change. An embargoed
    or draft translation is not in it, so no page announces one.

    Most items have no translation key; for them the subquery is not run at all. Run, it
    cost 100 ms an item on an archive with no translations: SQLite's statistics then say
    a key matches every row, and its planner walked the public-order index instead."""
    others = (
        model.objects.public(at=TimeOfQuery())
        .filter(translation_key=OuterRef("translation_key"))
        .exclude(pk=OuterRef("pk"))
        .values("translation_key")
        .order_by()
    )
    rows = JSONList(
        JSONRow(id="id", language="language", slug="slug", title="title", revised_at="revised_at")
    )
    found = Subquery(others.annotate(rows=rows).values("rows"))
    return Case(When(translation_key__isnull=False, then=found), output_field=JSONField())


@cache
def detail_rows(model) -> models.QuerySet:
    """`model.objects.for_detail()`, built once per process, cloned per request: narrow
    it with `public()` or `readable()` after the clone.

    Building the JSON columns of tags, speakers, events, change notes and translations
    anew cost Django about 2 ms a request (the SQL itself runs in 0.1 ms); a clone
    narrowed by the request's filters costs a tenth of that. The columns that test the
    clock read it when the query runs (`TimeOfQuery`), so they can be built in advance.
    """
    return model.objects.for_detail()


class ReleaseQuerySet(PublicationQuerySet):
    def for_listing(self) -> Self:
        """What a list row shows: kind, date, summary and the people quoted (not the body),
        in one query."""
        return (
            self.defer("body")
            .select_related("lead_image")
            .annotate(speaker_rows=speaker_column(self.model))
        )

    def for_detail(self) -> Self:
        """The release with its tags, speakers, events and downloads: one query."""
        event = self.model.links("event")
        downloads = self.model.downloads.rel.related_model.objects.all()
        return super().for_detail().select_related("lead_image").annotate(
            **detail_columns(self.model),
            event_rows=json_column(
                event.rows, event.item, id="event_id", name="event__name",
                slug="event__slug", start_on="event__start_on",
            ),
            download_rows=json_column(
                downloads, "release", position="position", id="document_id",
                title="document__title", kind="document__kind", language="document__language",
                file="document__file", url="document__url", mime_type="document__mime_type",
                file_size="document__file_size",
            ),
        )  # fmt: skip


class SpeechQuerySet(PublicationQuerySet):
    def for_listing(self) -> Self:
        return (
            self.defer("body")
            .select_related("event", "lead_image")
            .annotate(speaker_rows=speaker_column(self.model))
        )

    def for_detail(self) -> Self:
        """The speech with its event, tags and speakers in order, and its script as
        released if it had one: one query."""
        return (
            super()
            .for_detail()
            .select_related("event", "lead_image")
            .annotate(**detail_columns(self.model), script_version=self.script_version())
        )

    def script_version(self) -> Subquery:
        """The newest public "Check against delivery" version of each speech (its script
        as released), or NULL: a script that was never public (a draft, an embargo
        rewritten before its lift) is never it."""
        script = Q(delivery_status=self.model.Delivery.CHECK_AGAINST_DELIVERY)
        history = self.model.history.filter(id=OuterRef("pk"))
        versions = history.public_versions(also=script, at=TimeOfQuery())
        return Subquery(versions.order_by("-history_date").values("history_id")[:1])


# Speakers and events: who may see one. An editor publishes it (`listed`), or publishes
# a release or speech that names it; nothing a press officer does alone makes one public
# (a new appointee's role and biography, an unannounced summit). Named only by drafts or
# embargoed items, an unlisted one stays hidden until one of its items is public.


class SpeakerQuerySet(models.QuerySet):
    def visible(self) -> Self:
        """Published by an editor, or named by a public release or speech."""
        return self.filter(Q(listed=True) | _named_by_public(self.model, "speaker"))


class EventQuerySet(models.QuerySet):
    def visible(self) -> Self:
        """Published by an editor, or reported by a public release or speech."""
        return self.filter(Q(listed=True) | _named_by_public(self.model, "event"))


def _named_by_public(model: type[models.Model], key: str) -> Q:
    """Speakers or events (`model`, as `key`) that a public release or speech names. The
    two kinds are reached through the reverse relations both models have."""
    named = Q()
    for relation in ("releases", "speeches"):
        item = model._meta.get_field(relation).related_model
        named |= Exists(item.objects.public().filter(**{item.naming(key): OuterRef("pk")}))
    return named
