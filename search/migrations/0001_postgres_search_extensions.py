"""PostgreSQL: unaccent (with the immutable f_unaccent() wrapper) and pg_trgm, plus
trigram indexes on the normalised index text, for the fuzzy retry of search.
Nothing happens on other databases (SQLite gets the same normalisation without them)."""

from django.db import migrations

FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS
       $func$ SELECT public.unaccent('public.unaccent', $1) $func$""",
    "CREATE INDEX IF NOT EXISTS search_indexentry_title_text_trgm "
    "ON wagtailsearch_indexentry USING gin (f_unaccent(title_text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS search_indexentry_body_text_trgm "
    "ON wagtailsearch_indexentry USING gin (f_unaccent(body_text) gin_trgm_ops)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS search_indexentry_body_text_trgm",
    "DROP INDEX IF EXISTS search_indexentry_title_text_trgm",
    "DROP FUNCTION IF EXISTS f_unaccent(text)",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(run(FORWARDS), run(BACKWARDS))]
