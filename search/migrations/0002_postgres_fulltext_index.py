"""PostgreSQL: a GIN index on title || body, the expression Wagtail's database backend
matches full-text queries against (the per-column indexes cannot serve it): with
5,000 services a search goes from a scan of every index entry to an index lookup."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_indexentry_title_body_fts "
            "ON wagtailsearch_indexentry USING gin ((title || body))"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_indexentry_title_body_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_postgres_search_extensions")]

    operations = [migrations.RunPython(forwards, backwards)]
