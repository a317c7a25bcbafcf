"""French search on PostgreSQL (issue 19): a `newsroom_french` text search configuration
(`french` with `unaccent` before the stemmer, as `newsroom_english` is built in 0009),
and the trigger that keeps `search_document` and `search_lead` picks each row's
configuration by its language, so a French release is stemmed as French ("négociations"
finds "négociation"). The public search asks in the configuration of the language being
read (articles/search/postgresql.py). Only French rows are recomputed: none, when the
newsroom has just begun translating. SQLite's FTS5 index is accent-insensitive for
every language already (`remove_diacritics 2`); it has no French stemmer.
"""

from django.db import migrations

from articles.migrations import _search_sql as sql

FRENCH = """
DROP TEXT SEARCH CONFIGURATION IF EXISTS newsroom_french;
CREATE TEXT SEARCH CONFIGURATION newsroom_french (COPY = french);
ALTER TEXT SEARCH CONFIGURATION newsroom_french
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH unaccent, french_stem;
"""

BY_LANGUAGE = "(CASE {row}language WHEN 'fr' THEN 'newsroom_french' ELSE 'newsroom_english' END)"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FRENCH)
    schema_editor.execute(sql.trigger_function(BY_LANGUAGE))
    for table in sql.TABLES:
        schema_editor.execute(
            f"UPDATE {table} SET search_document = {sql.vector(BY_LANGUAGE, '', sql.DOCUMENT)},"
            f" search_lead = {sql.vector(BY_LANGUAGE, '', sql.LEAD)} WHERE language = 'fr'"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    english = "'newsroom_english'"
    schema_editor.execute(sql.trigger_function(english))
    for table in sql.TABLES:
        schema_editor.execute(
            f"UPDATE {table} SET search_document = {sql.vector(english, '', sql.DOCUMENT)},"
            f" search_lead = {sql.vector(english, '', sql.LEAD)} WHERE language = 'fr'"
        )
    schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS newsroom_french")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_translations"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
