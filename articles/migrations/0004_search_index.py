"""Full-text search documents and their GIN indexes, on PostgreSQL only.

Each release and speech row gets a `search_document` tsvector: title (weight A),
summary (B) and body (C) in the `english` configuration. A trigger computes it on
every insert and on every update of those three columns, so it is never stale and
needs no refresh; `articles.search` matches it with the GIN index and ranks by it
without parsing the text again (an expression index alone would make every ranked
search re-parse every matching body: tens of seconds at 100,000 items).

The column is deliberately not a model field: Django never selects it (list pages,
revisions and fixtures do not carry it) and SQLite, whose development search reads the
text itself, has none. A trigger rather than a generated column, because PostgreSQL
refuses `ALTER COLUMN ... TYPE` (e.g. a new `max_length` for `title`) on a column a
generated column depends on. If `title`, `summary` or `body` is ever renamed, update
`newsroom_search_document()` in a migration of its own.

Applying this migration fills the column for existing rows: about three minutes for
100,000 long items on a laptop; new rows cost a few milliseconds each.
"""

from django.db import migrations

TABLES = {"articles_release": "release", "articles_speech": "speech"}

DOCUMENT = """
    setweight(to_tsvector('english'::regconfig, coalesce({row}title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce({row}summary, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce({row}body, '')), 'C')
"""

FUNCTION = f"""
CREATE OR REPLACE FUNCTION newsroom_search_document() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := {DOCUMENT.format(row="NEW.")};
    RETURN NEW;
END
$$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Filling the column reads every row: not bound by the site's per-query timeout.
    schema_editor.execute("SET LOCAL statement_timeout = 0")
    schema_editor.execute(FUNCTION)
    for table, name in TABLES.items():
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN search_document tsvector")
        schema_editor.execute(f"UPDATE {table} SET search_document = {DOCUMENT.format(row='')}")
        schema_editor.execute(
            f"CREATE TRIGGER {name}_search_document"
            f" BEFORE INSERT OR UPDATE OF title, summary, body ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION newsroom_search_document()"
        )
        # Serves articles.search: `search_document @@ websearch_to_tsquery(...)`.
        schema_editor.execute(
            f"CREATE INDEX {name}_search_idx ON {table} USING gin (search_document)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name in TABLES.items():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_search_document ON {table}")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_document")
    schema_editor.execute("DROP FUNCTION IF EXISTS newsroom_search_document()")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_roles"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
