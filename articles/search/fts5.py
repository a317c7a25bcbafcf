"""SQLite's full-text index (FTS5): the tables, the triggers that keep them in step, checks.

For each of `articles_release` and `articles_speech`:

- `<table>_search_text`, a view: the row's title, summary and body as plain text (tags
  stripped from the HTML body, entities decoded, NFC), through `newsroom_search_text()`,
  a Python function registered on every connection Django opens (`sqlite.py`).
- `<table>_fts`, an external-content FTS5 table over that view: it stores only the index,
  not a second copy of the text; `snippet()` reads the text back from the view for the
  rows of one page. Tokenizer `porter unicode61 remove_diacritics 2`: case-, accent- and
  NFC/NFD-insensitive ("geoana" finds "Geoană"), English stemming ("summits" finds
  "summit"), like PostgreSQL's `english` configuration.
- Three triggers on the table (after insert, update of title/summary/body, delete) that
  write the same plain text into the index, so `loaddata`, `generate_archive`'s bulk
  inserts and the admin all keep it right. A write therefore needs the function: write
  through Django (`manage.py shell`), not the `sqlite3` command line, which says
  "no such function: newsroom_search_text" and changes nothing.

Why a view and a function rather than indexing the stored HTML: tag and attribute names
("strong", "figure", "title", "href") would be indexed as words and found by a search
for them.

The view exists only outside `migrate`. Django rebuilds a SQLite table to alter one of
its columns (copy, drop, rename), which SQLite refuses while a view names the table
("error in view ...: no such table"), and which drops the table's triggers. So the view
is dropped before every `migrate` (`pre_migrate`) and `ensure_index()` runs after it
(`post_migrate`, `apps.py`): it recreates the view and any missing trigger, and rebuilds
an index whose triggers were missing, so a later migration can neither fail on the
index nor silently leave search stale. While `migrate` runs, search snippets on SQLite
fail; run it before starting the new code, as usual.
"""

from django.db import DatabaseError

TABLES = ("articles_release", "articles_speech")
TOKENIZER = "porter unicode61 remove_diacritics 2"
TEXT_FUNCTION = "newsroom_search_text"


class FTS5Unavailable(RuntimeError):
    """This Python's SQLite was built without FTS5."""


def _text(column: str, row: str = "") -> str:
    return f"{TEXT_FUNCTION}({row}{column}, {1 if column == 'body' else 0})"


def _values(row: str) -> str:
    return ", ".join(_text(column, row) for column in ("title", "summary", "body"))


def view(table: str) -> str:
    return (
        f"CREATE VIEW IF NOT EXISTS {table}_search_text AS SELECT id, {_text('title')} AS title,"
        f" {_text('summary')} AS summary, {_text('body')} AS body FROM {table}"
    )


def schema(table: str) -> list[str]:
    """The statements that create `table`'s view, index and triggers (if not there yet)."""
    fts, view_name = f"{table}_fts", f"{table}_search_text"
    delete = (
        f"INSERT INTO {fts}({fts}, rowid, title, summary, body)"
        f" VALUES ('delete', old.id, {_values('old.')});"
    )
    insert = f"INSERT INTO {fts}(rowid, title, summary, body) VALUES (new.id, {_values('new.')});"
    return [
        view(table),
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(title, summary, body,"
        f" content='{view_name}', content_rowid='id', tokenize='{TOKENIZER}')",
        f"CREATE TRIGGER IF NOT EXISTS {table}_fts_insert AFTER INSERT ON {table}"
        f" BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_fts_update"
        f" AFTER UPDATE OF title, summary, body ON {table} BEGIN {delete} {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_fts_delete AFTER DELETE ON {table}"
        f" BEGIN {delete} END",
    ]


def triggers(table: str) -> set[str]:
    return {f"{table}_fts_insert", f"{table}_fts_update", f"{table}_fts_delete"}


def require_fts5(cursor) -> None:
    """Raise a clear error when SQLite lacks FTS5 (at `migrate`, before anything changes)."""
    try:
        cursor.execute("CREATE VIRTUAL TABLE temp.newsroom_fts5_probe USING fts5(x)")
        cursor.execute("DROP TABLE temp.newsroom_fts5_probe")
    except DatabaseError as error:
        import sqlite3

        raise FTS5Unavailable(
            f"Newsroom's search needs SQLite with the FTS5 extension; this Python's SQLite"
            f" {sqlite3.sqlite_version} has none ({error}). Use a Python whose sqlite3 module"
            " includes FTS5 (python.org, pyenv and Debian builds do), or PostgreSQL"
            " (DATABASE_URL)."
        ) from error


def create_index(cursor) -> None:
    """Create the indexes and triggers and fill the indexes from every row (migration
    0009); the views are dropped again until `migrate` ends (see the module docstring)."""
    require_fts5(cursor)
    for table in TABLES:
        for statement in schema(table):
            cursor.execute(statement)
        cursor.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")
    drop_views(cursor)


def drop_views(cursor) -> None:
    for table in TABLES:
        cursor.execute(f"DROP VIEW IF EXISTS {table}_search_text")


def drop_index(cursor) -> None:
    for table in TABLES:
        for trigger in sorted(triggers(table)):
            cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        cursor.execute(f"DROP TABLE IF EXISTS {table}_fts")
        cursor.execute(f"DROP VIEW IF EXISTS {table}_search_text")


def before_migrate(connection) -> None:
    """Drop the views, which would make SQLite refuse Django's table rebuilds."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            drop_views(cursor)


def detach(apps, schema_editor) -> None:
    """For a migration that makes SQLite rebuild a release or speech table (adding a
    NOT NULL column, say): drop the view and triggers that name the table, which would
    make its rename fail; `reattach` brings them back and rebuilds the index."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table in TABLES:
            for trigger in sorted(triggers(table)):
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            cursor.execute(f"DROP VIEW IF EXISTS {table}_search_text")


def reattach(apps, schema_editor) -> None:
    """Recreate the triggers and rebuild the index; the views wait for `migrate`'s end."""
    connection = schema_editor.connection
    ensure_index(connection)
    before_migrate(connection)


def ensure_index(connection) -> list[str]:
    """Recreate the views, and whatever of the index a table rebuild dropped; rebuild
    that table's index.

    Returns the tables whose index was rebuilt. Does nothing on other databases or before
    the migration that creates the index has run.
    """
    if connection.vendor != "sqlite":
        return []
    rebuilt = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master")
        present = {name for (name,) in cursor.fetchall()}
        for table in TABLES:
            if table not in present or f"{table}_fts" not in present:
                continue  # not migrated that far (or going backwards)
            cursor.execute(view(table))
            if triggers(table) <= present:
                continue
            for statement in schema(table):
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")
            rebuilt.append(table)
    return rebuilt
