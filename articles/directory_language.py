"""Speakers and events in the language being read (issue 19).

A speaker or event is one entry in every language; its published version in another
language (SpeakerVersion, EventVersion) gives its words there. Every public page that
names one passes it through `localise()`: on the French site a speaker with a published
French version reads in French, and one without reads in English, marked `lang="en"`
(`text_language`). The newsroom's first language is never overlaid.

The texts come from one map per language and process, read again whenever the content
version changes (any save of a version or an entry raises it), so a page reads them
without a query of its own. Only published versions are in it, and a version's words
replace an entry's only where a page already shows that entry (through `visible()` or a
public item naming it): a draft version shows nowhere, and a published version of an
entry the public cannot see shows nowhere either.
"""

import copy
from collections.abc import Iterable
from typing import TypeVar

from articles import languages
from articles.cache import _VersionMemo, content_version
from articles.models import Event, EventVersion, Speaker, SpeakerVersion

Entry = TypeVar("Entry", Speaker, Event)

VERSIONS = {"speaker": (SpeakerVersion, Speaker), "event": (EventVersion, Event)}

_held: dict[str, tuple[tuple[int, int], dict]] = {}  # language -> (version, texts)


def _read(language: str) -> dict[str, dict[int, dict]]:
    texts = {}
    for kind, (model, entry) in VERSIONS.items():
        rows = model.objects.filter(language=language, published=True).values(
            f"{kind}_id", *entry.TRANSLATED_FIELDS
        )
        texts[kind] = {row.pop(f"{kind}_id"): row for row in rows}
    return texts


def _texts(language: str) -> dict[str, dict[int, dict]]:
    stamp = (content_version(), _VersionMemo.generation)
    held = _held.get(language)
    if held is None or held[0] != stamp:
        held = _held[language] = (stamp, _read(language))
    return held[1]


def version_texts(kind: str) -> dict[int, dict]:
    """Entry id -> the words of its published version in the language being read ({} in
    the newsroom's first language)."""
    language = languages.current()
    if language == languages.default():
        return {}
    return _texts(language)[kind]


def published_versions(entry: Speaker | Event) -> dict[str, dict]:
    """Language -> the words of `entry`'s published version in it, for each of the other
    languages it has one in (the API's `versions`)."""
    found = {}
    for language in languages.others(languages.default()):
        words = _texts(language)[_kind(entry)].get(entry.pk)
        if words is not None:
            found[language] = words
    return found


def _kind(entry: Speaker | Event) -> str:
    return entry._meta.model_name


def localise(entries: Iterable[Entry]) -> list[Entry]:
    """Copies of `entries` in the language being read: a published version's words where
    there is one, else the entry's own, with `text_language` saying which."""
    entries = list(entries)
    if not entries or languages.current() == languages.default():
        return entries
    texts = version_texts(_kind(entries[0]))
    shown = []
    for entry in entries:
        entry = copy.copy(entry)
        found = texts.get(entry.pk)
        if found is None:
            entry.text_language = languages.default()
        else:
            for field in type(entry).TRANSLATED_FIELDS:
                if field in found and field in entry.__dict__:
                    setattr(entry, field, found[field])
            entry.text_language = languages.current()
        shown.append(entry)
    return shown


def localise_one(entry: Entry | None) -> Entry | None:
    return localise([entry])[0] if entry is not None else None


def localise_names(kind: str, rows: Iterable[dict], key: str = "id") -> list[dict]:
    """Rows naming speakers or events (`{key: id, "name": …}`), named in the language being
    read where a published version exists."""
    language = languages.current()
    if language == languages.default():
        return list(rows)
    texts = version_texts(kind)
    return [
        {**row, "name": texts[row[key]]["name"], "text_language": language}
        if row[key] in texts
        else {**row, "text_language": languages.default()}
        for row in rows
    ]


def name_in_language(kind: str, pk: int, name: str) -> str:
    found = version_texts(kind).get(pk)
    return found["name"] if found else name
