"""The admin's forms: lost-update guards for items, speakers, events and tags; an item's
language; scheduling."""

import hashlib
import json
import re
from html import unescape

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext, gettext_lazy

from articles import languages
from articles.admin.display import local_time
from articles.admin.vocabulary import use_vocabulary
from articles.querysets import ChangeKind, Status


def edit_token(moment) -> str:
    return moment.isoformat() if moment else ""


NOTE_HELP = (
    "Required for an update or a correction: readers see “Updated <time>: <your note>” on "
    "the page. A correction also goes on the public Corrections page: say what was wrong "
    "and what is right now (e.g. “We said the meeting was on 12 March; it was on 14 March.”)."
)
KIND_CHOICES = [
    (ChangeKind.MINOR, "Minor: a typo or the layout. Readers are not told; “Last updated” "
     "does not move."),
    (ChangeKind.SUBSTANTIVE, "Substantive, an update: new or changed information. Readers "
     "see your note."),
    (ChangeKind.CORRECTION, "Substantive, a correction: something published was wrong. "
     "Readers see your note, also on the Corrections page."),
]  # fmt: skip
QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"")


def quotations(html: str) -> set[str]:
    """The passages inside quotation marks (“…” or "…") of a text or HTML field."""
    text = unescape(strip_tags(html or ""))
    return {" ".join((curly or straight).split()) for curly, straight in QUOTED.findall(text)}


def edited_quotations(before: dict, after: dict, fields: tuple[str, ...]) -> list[str]:
    """Quotations in `before` that `after` no longer has word for word: the change edits
    (or drops) what someone is quoted as saying."""
    edited = []
    for field in fields:
        kept = quotations(after.get(field, ""))
        edited += sorted(quote for quote in quotations(before.get(field, "")) - kept)
    return edited


class LanguageField(forms.ChoiceField):
    """An item's language. A post without it (a script, a form opened before the field
    was added) keeps the stored language: not required, and not a change."""

    def has_changed(self, initial, data) -> bool:
        return data not in self.empty_values and super().has_changed(initial, data)


class PublicationForm(forms.ModelForm):
    """Carries the version being edited, so a save over a newer one is refused; and,
    for a live item, whether this save is a minor or a substantive change (with its
    public note)."""

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)
    change_kind = forms.ChoiceField(
        label="This change is",
        required=False,  # asked of a live item that stays live (see _clean_change_note)
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        help_text="Asked for every save of a live item.",
    )
    change_note = forms.CharField(
        label="Public change note", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000, help_text=NOTE_HELP,
    )  # fmt: skip
    language = LanguageField(
        label=gettext_lazy("Language"),
        choices=languages.choices,
        required=False,
        help_text=gettext_lazy(
            "The language this version is written in. Its versions in other languages are "
            "items of their own (“Translate into …” makes one)."
        ),
    )
    QUOTED_FIELDS = ("title", "summary", "body")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_status = self.instance.status if self.instance.pk else None
        model = type(self.instance)
        self.stored_public = bool(
            self.instance.pk and model.objects.public().filter(pk=self.instance.pk).exists()
        )
        self.stored_token = edit_token(self.instance.updated_at) if self.instance.pk else ""
        self.fields["edit_token"].initial = self.stored_token
        zone = timezone.get_current_timezone_name()
        if "published_at" in self.fields:
            self.fields[
                "published_at"
            ].help_text = (
                f"Visible to the public from this time ({zone} time). A future time is an embargo."
            )
        use_vocabulary(self)  # tags from the vocabulary, by autocomplete
        if "title" in self.fields:  # a box that shows a long title whole (it wraps)
            self.fields["title"].widget = forms.Textarea(
                attrs={"rows": 2, "class": "title-box", "maxlength": 300}
            )

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or self.instance.language or languages.default()

    def clean_title(self) -> str:
        """One line: the title box wraps, and Enter must not put a line break in a title."""
        return " ".join(self.cleaned_data["title"].split())

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
        self._clean_change_note(cleaned)
        self._clean_language(cleaned)
        return cleaned

    def _clean_language(self, cleaned: dict) -> None:
        """One version per language: a language the item's translations already have is
        refused here, naming that version, rather than by the database."""
        language, key = cleaned.get("language"), self.instance.translation_key
        if not language or key is None:
            return
        model = type(self.instance)
        taken = (
            model._default_manager.filter(translation_key=key, language=language)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if taken is not None:
            url = reverse(f"admin:articles_{model._meta.model_name}_change", args=[taken.pk])
            self.add_error(
                "language",
                forms.ValidationError(
                    format_html(
                        gettext(
                            'This item already has a version in {language}: <a href="{url}">'
                            "{title}</a>. Keep this version's language, or edit that one."
                        ),
                        language=languages.name(language),
                        url=url,
                        title=taken.title,
                    ),
                    code="language_taken",
                ),
            )

    def _clean_change_note(self, cleaned: dict) -> None:
        """A live item that stays live: minor (no note) or substantive (a note). Any
        other save takes no note (readers have no changed page to be told about)."""
        kind, note = cleaned.get("change_kind", ""), cleaned.get("change_note", "").strip()
        cleaned["change_note"] = note
        self.quotations_edited: list[str] = []
        status = cleaned.get("status", self.stored_status)
        moment = cleaned.get("published_at") or self.instance.published_at
        stays_live = status == Status.PUBLISHED and moment <= timezone.now()
        announces = bool(note) or kind in ChangeKind.substantive()
        if not self.stored_public or not stays_live:
            cleaned["change_kind"] = ""  # a minor choice left over: nothing to record
            if announces and not self.stored_public:
                raise forms.ValidationError(
                    "This item is not live, so readers have no earlier version to be told "
                    "about: leave the change note empty.",
                    code="note_not_live",
                )
            if announces:
                raise forms.ValidationError(
                    "This save takes the item off the public site, so there is no changed "
                    "page for a change note: leave the note empty, or keep it published.",
                    code="note_not_live",
                )
            return
        if "change_kind" not in self.fields:
            return  # a press officer's edit of a live item is a proposal: an editor decides
        if not kind:
            self.add_error(
                "change_kind",
                "Say whether this change is minor (a typo, the layout) or substantive (an "
                "update or a correction): readers are told only of substantive changes.",
            )
        elif kind == ChangeKind.MINOR and note:
            self.add_error(
                "change_note",
                "A minor change has no public note: leave it empty, or choose an update "
                "or a correction if readers should be told.",
            )
        elif kind != ChangeKind.MINOR and not note:
            self.add_error(
                "change_note",
                "Readers need a note for an update or a correction: say what changed "
                "(for a correction, what was wrong and what is right now).",
            )
        # A review hint, not a refusal: the admin shows it as a warning after the save.
        before = {field: getattr(self.instance, field, "") for field in self.QUOTED_FIELDS}
        before.update({f: self.initial.get(f, before[f]) for f in self.QUOTED_FIELDS})
        self.quotations_edited = edited_quotations(before, cleaned, self.QUOTED_FIELDS)


class TakedownForm(forms.Form):
    """The public explanation of a withdrawal or a removal."""

    note = forms.CharField(
        label="Public notice",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        help_text="Shown to readers with the item (or, for a removal, instead of it) and on "
        "the Corrections page. Say why, in plain words.",
        error_messages={"required": "Write the notice readers will see: it cannot be empty."},
    )


class ScheduleForm(forms.Form):
    publish_at = forms.SplitDateTimeField(
        label="Publish at", widget=AdminSplitDateTime, help_text="In the newsroom's time zone."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        self.fields["publish_at"].help_text = f"In the newsroom's time zone: {zone} time."

    def clean_publish_at(self):
        moment = self.cleaned_data["publish_at"]
        if moment <= timezone.now():
            raise forms.ValidationError("Choose a time in the future, or use “Publish now”.")
        return moment


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
