"""The statements that keep PostgreSQL's stored search vectors, for the migrations that
change them (not a migration: the loader skips modules named with a leading "_").

`config` is SQL giving the text search configuration, and may name the row's columns
as `{row}` (the trigger's `NEW.`, or nothing in an UPDATE).
"""

TABLES = ("articles_release", "articles_speech")
LEAD = {"title": "A", "summary": "B"}
DOCUMENT = {**LEAD, "body": "C"}


def vector(config: str, row: str, columns: dict[str, str]) -> str:
    chosen = config.format(row=row)
    return " || ".join(
        f"setweight(to_tsvector({chosen}::regconfig,"
        f" normalize(coalesce({row}{column}, ''), NFC)), '{weight}')"
        for column, weight in columns.items()
    )


def trigger_function(config: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION newsroom_search_document() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := {vector(config, "NEW.", DOCUMENT)};
    NEW.search_lead := {vector(config, "NEW.", LEAD)};
    RETURN NEW;
END
$$;
"""
