"""The tag vocabulary in the admin (issue 22): tags are picked from the existing ones,
never created by a typo.

An item's "Tags" box is the admin's autocomplete (select2, searching the tag admin's
`search_fields`): it posts the chosen tags' ids. A name is accepted too (comma-separated,
as taggit's text box took them, for scripts and older forms) when a tag of that name
exists, in any case; an unknown name is refused with the closest names. A new tag is
made on purpose, by an editor, on the Tags page; two tags are merged there too.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.urls import reverse
from django.utils.html import format_html
from taggit.models import Tag
from taggit.utils import parse_tags

from articles.names import fold, suggest


def split_names(text: str) -> list[str]:
    """Tag names typed in one box: comma-separated ("Black Sea, Ukraine"); taggit's quoted
    form when quotes are used. Spaces alone do not separate: a name may hold them."""
    if '"' in text:
        return parse_tags(text)
    return [part.strip() for part in text.split(",") if part.strip()]


class TagAutocomplete(AutocompleteSelectMultiple):
    """The admin's autocomplete over tags, for an item's `tags` (a TaggableManager)."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def optgroups(self, name, value, attrs=None):
        # Names (from a refused form, or a script) shown as the tags they name.
        return super().optgroups(name, [str(pk) for pk in tag_ids(value)], attrs)


def tag_ids(values) -> list[int]:
    """The ids of the existing tags that `values` (ids, Tags or names) name; others dropped."""
    ids, names = [], []
    for value in values or []:
        if isinstance(value, Tag):
            ids.append(value.pk)
        elif str(value).isdigit():
            ids.append(int(value))
        else:
            names += split_names(str(value))
    if names:
        wanted = {fold(name) for name in names}
        ids += [pk for pk, name in Tag.objects.values_list("pk", "name") if fold(name) in wanted]
    return ids


class VocabularyField(forms.ModelMultipleChoiceField):
    """Existing tags only: cleaned to their names (what the item's TaggableManager saves).
    A model choice field for its widget (the autocomplete reads the queryset)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Tag.objects.all(), **kwargs)

    def clean(self, value) -> list[str]:
        names = self.to_python(value)
        self.run_validators(names)
        return names

    def to_python(self, value) -> list[str]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        ids = [int(v) for v in values if str(v).isdigit()]
        names = [name for v in values if not str(v).isdigit() for name in split_names(str(v))]
        found = dict(Tag.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
        if len(found) < len(set(ids)):
            raise forms.ValidationError("A chosen tag no longer exists: choose again.")
        chosen = list(found.values())
        if names:
            by_fold = {fold(name): name for name in Tag.objects.values_list("name", flat=True)}
            unknown = [name for name in names if fold(name) not in by_fold]
            if unknown:
                raise forms.ValidationError(self.unknown_message(unknown))
            chosen += [by_fold[fold(name)] for name in names]
        return sorted(dict.fromkeys(chosen), key=str.casefold)

    def has_changed(self, initial, data) -> bool:
        try:
            new = self.to_python(data)
        except forms.ValidationError:
            return True
        old = [tag.name if isinstance(tag, Tag) else str(tag) for tag in initial or []]
        return sorted(old, key=str.casefold) != new

    @staticmethod
    def unknown_message(unknown: list[str]) -> str:
        index = {tag.slug: (tag.pk, tag.name) for tag in Tag.objects.only("slug", "name")}
        parts = []
        for name in unknown:
            close = [shown for _slug, shown in suggest(name, index)]
            hint = f" Did you mean {' or '.join(f'“{c}”' for c in close)}?" if close else ""
            parts.append(f"There is no tag “{name}”.{hint}")
        tags_page = reverse("admin:taggit_tag_changelist")
        return format_html(
            '{} Choose existing tags; an editor adds new ones on the <a href="{}">Tags</a> page.',
            " ".join(parts),
            tags_page,
        )


def use_vocabulary(form: forms.ModelForm) -> None:
    """Give an item form's `tags` the autocomplete over existing tags."""
    if "tags" not in form.fields:
        return
    old = form.fields["tags"]
    source = type(form.instance)._meta.get_field("tags")
    form.fields["tags"] = VocabularyField(
        required=False,
        label=old.label,
        help_text="Type to find a tag; choose from the list. New tags are added by an editor "
        "on the Tags page.",
        widget=TagAutocomplete(source, admin.site),
        initial=form.initial.get("tags"),
    )
