"""A previous generated archive: counted, and deleted (only it) with set-based SQL."""

from django.db import connection
from django.db.models import Model, QuerySet
from taggit.models import Tag

from articles.generator.shape import PREFIX
from articles.models import (
    Event,
    Release,
    Speaker,
    Speech,
    SpeechSpeaker,
    TaggedEvent,
    TaggedRelease,
    TaggedSpeech,
)


def generated_counts() -> dict[str, int]:
    models = {"releases": Release, "speeches": Speech, "speakers": Speaker, "events": Event}
    counts = {name: _generated(model).count() for name, model in models.items()}
    counts["tags"] = _generated(Tag).count()
    return counts


def delete_generated() -> None:
    """Delete generated rows with set-based SQL: fast and memory-flat at any size.

    Rows of the seed archive that point at generated ones (an editor may have
    linked a generated speaker or tag) lose only that link.
    """
    releases, speeches = _generated(Release), _generated(Speech)
    speakers, events, tags = _generated(Speaker), _generated(Event), _generated(Tag)
    quoted, reported = Release.speakers.through, Release.events.through
    with connection.cursor() as cursor:
        for model, column, ids in [
            (TaggedRelease, "content_object_id", releases),
            (TaggedSpeech, "content_object_id", speeches),
            (TaggedEvent, "content_object_id", events),
            (TaggedRelease, "tag_id", tags),
            (TaggedSpeech, "tag_id", tags),
            (TaggedEvent, "tag_id", tags),
            (quoted, "release_id", releases),
            (quoted, "speaker_id", speakers),
            (reported, "release_id", releases),
            (reported, "event_id", events),
            (SpeechSpeaker, "speech_id", speeches),
            (SpeechSpeaker, "speaker_id", speakers),
        ]:
            _delete_where_in(cursor, model, column, ids)
        table = connection.ops.quote_name(Speech._meta.db_table)
        sql, params = _ids_sql(events)
        cursor.execute(f"UPDATE {table} SET event_id = NULL WHERE event_id IN ({sql})", params)
        for model, ids in [
            (Release, releases),
            (Speech, speeches),
            (Speaker, speakers),
            (Event, events),
            (Tag, tags),
        ]:
            _delete_where_in(cursor, model, "id", ids)


def _generated(model: type[Model]) -> QuerySet:
    return model._default_manager.filter(slug__startswith=PREFIX)


def _ids_sql(queryset: QuerySet) -> tuple[str, tuple]:
    return queryset.order_by().values("pk").query.sql_with_params()


def _delete_where_in(cursor, model: type[Model], column: str, ids: QuerySet) -> None:
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(column)
    sql, params = _ids_sql(ids)
    cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({sql})", params)
