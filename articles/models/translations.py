"""What a release or speech knows of its versions in other languages (issue 19).

The versions of one item share its `translation_key`; each is an item of its own with
its own status and embargo, so only its public versions are named here. The version in
the newsroom's first language is the source translations are made from.
"""

from datetime import datetime
from typing import NamedTuple

from django.utils.functional import cached_property

from articles import languages
from articles.models.common import json_moment


class Translation(NamedTuple):
    """A public version of an item in another language, as its pages name it."""

    language: str
    title: str
    slug: str
    url: str
    revised_at: datetime | None  # when its readers were last told of a substantive change

    @property
    def language_name(self) -> str:
        return languages.name(self.language)


class TranslationsMixin:
    """`translations` and `outdated_by` for releases and speeches (their `language` and
    `translation_key` fields are declared on `Publication`)."""

    @cached_property
    def translations(self) -> list[Translation]:
        """Its public versions in the other languages, in the settings' order: from the
        `translation_rows` column of `for_detail()`, else a query."""
        rows = self._column("translation_rows")
        if rows is None:
            rows = []
            if self.translation_key:
                found = type(self).objects.public().filter(translation_key=self.translation_key)
                fields = ("id", "language", "slug", "title", "revised_at")
                rows = found.exclude(pk=self.pk).values(*fields)
        order = languages.codes()
        found = [
            Translation(
                row["language"],
                row["title"],
                row["slug"],
                type(self)(slug=row["slug"], language=row["language"]).get_absolute_url(),
                json_moment(row["revised_at"]),
            )
            for row in rows
            if row["language"] in order
        ]
        return sorted(found, key=lambda version: order.index(version.language))

    @property
    def outdated_by(self) -> Translation | None:
        """The public version in the newsroom's first language when it was updated for its
        readers (an update or a correction) after this translation last changed: readers
        are told "The English version was updated on <date> after this translation"."""
        source = next(
            (version for version in self.translations if version.language == languages.default()),
            None,
        )
        if source is None or source.revised_at is None or self.language == source.language:
            return None
        return source if source.revised_at > self.updated_at else None
