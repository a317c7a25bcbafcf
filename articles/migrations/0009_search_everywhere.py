"""Full-text search on SQLite (FTS5), accent-proof search on PostgreSQL (issue 15).

SQLite: an external-content FTS5 index of releases and speeches kept in step by
triggers (`articles/search/fts5.py` holds the statements and says why they look the
way they do). Stops with a clear error, before changing anything, if this Python's
SQLite has no FTS5. Filling the index reads every row: about 17 seconds for 100,000
items.

PostgreSQL: the `unaccent` extension (a trusted extension: the database owner may
create it) and a text search configuration, `newsroom_english`: the `english`
configuration with `unaccent` before the stemmer, so "Geoana", "Geoană" and "Geoană"
written with a combining breve are the same word in the stored documents and in the
query. The stored `search_document` and `search_lead` columns (migrations 0004, 0007)
are recomputed in it; the trigger and the GIN indexes go on serving them, so no
expression index needs an immutable wrapper around `unaccent()`. Recomputing reads
every row: a few minutes for 100,000 items; run `VACUUM ANALYZE articles_release,
articles_speech` afterwards.
"""

from django.db import migrations

from articles.search import fts5

TABLES = ("articles_release", "articles_speech")

CONFIGURATION = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DROP TEXT SEARCH CONFIGURATION IF EXISTS newsroom_english;
CREATE TEXT SEARCH CONFIGURATION newsroom_english (COPY = english);
ALTER TEXT SEARCH CONFIGURATION newsroom_english
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH unaccent, english_stem;
"""


def _vector(config: str, row: str, columns: dict[str, str]) -> str:
    return " || ".join(
        f"setweight(to_tsvector('{config}'::regconfig,"
        f" normalize(coalesce({row}{column}, ''), NFC)), '{weight}')"
        for column, weight in columns.items()
    )


LEAD = {"title": "A", "summary": "B"}
DOCUMENT = {**LEAD, "body": "C"}


def _function(config: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION newsroom_search_document() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := {_vector(config, "NEW.", DOCUMENT)};
    NEW.search_lead := {_vector(config, "NEW.", LEAD)};
    RETURN NEW;
END
$$;
"""


def _recompute(schema_editor, config: str) -> None:
    schema_editor.execute("SET LOCAL statement_timeout = 0")
    schema_editor.execute(_function(config))
    for table in TABLES:
        schema_editor.execute(
            f"UPDATE {table} SET search_document = {_vector(config, '', DOCUMENT)},"
            f" search_lead = {_vector(config, '', LEAD)}"
        )


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            fts5.create_index(cursor)
    elif connection.vendor == "postgresql":
        schema_editor.execute(CONFIGURATION)
        _recompute(schema_editor, "newsroom_english")


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            fts5.drop_index(cursor)
    elif connection.vendor == "postgresql":
        _recompute(schema_editor, "english")
        schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS newsroom_english")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_listed_and_content_version"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
