"""A second, small search document per row: title and summary only, on PostgreSQL only.

`search_lead` holds title (weight A) and summary (B) in the `english` configuration,
exactly as they begin `search_document` (migration 0004), so a query that matches the
lead also matches the whole document unless it excludes a word. The trigger function
of 0004 now fills both columns; the GIN index serves the search page's best matches.

Why (issue 7): a common query ("cyber defence") matches a third of 100,000 items, and
ranking every match by its whole `search_document` (2 KB or more, mostly TOASTed) took
600 ms. `articles.search` now ranks only the matches in title and summary, by this
vector (a few hundred bytes, stored in the row), and lists the other matches newest
first, so the first pages never read the long documents. See `articles/search.py`.

Like `search_document`, the column is not a model field. Applying this migration
fills it for existing rows: about half a minute for 100,000 items; every filled row
is rewritten, so run `VACUUM ANALYZE articles_release, articles_speech` afterwards.
"""

from django.db import migrations

TABLES = {"articles_release": "release", "articles_speech": "speech"}

LEAD = """
    setweight(to_tsvector('english'::regconfig, coalesce({row}title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce({row}summary, '')), 'B')
"""

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
    NEW.search_lead := {LEAD.format(row="NEW.")};
    RETURN NEW;
END
$$;
"""

# The function as migration 0004 created it, for going backwards.
PREVIOUS_FUNCTION = f"""
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
    for table, name in TABLES.items():
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN search_lead tsvector")
        # Not an UPDATE OF title, summary or body: the trigger does not fire.
        schema_editor.execute(f"UPDATE {table} SET search_lead = {LEAD.format(row='')}")
        # Serves articles.search's best matches: `search_lead @@ websearch_to_tsquery(...)`.
        schema_editor.execute(
            f"CREATE INDEX {name}_search_lead_idx ON {table} USING gin (search_lead)"
        )
    schema_editor.execute(FUNCTION)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(PREVIOUS_FUNCTION)
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_lead")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_changelist_order_indexes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
