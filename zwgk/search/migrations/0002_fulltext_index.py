"""The full-text structures: FTS5 over bigram tokens on SQLite, a GIN index on the token array on PostgreSQL."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS zwgk_search_fts USING fts5(terms, "
            "content='zwgk_search_searchentry', content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
        )
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS zwgk_search_terms_gin ON zwgk_search_searchentry "
            "USING gin (string_to_array(terms, ' '))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS zwgk_search_fts")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS zwgk_search_terms_gin")


class Migration(migrations.Migration):
    dependencies = [("zwgk_search", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
