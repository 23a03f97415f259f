"""PostgreSQL: the GIN index on the token array in the "C" collation (indexing.GIN_SQL): its keys
compared byte by byte, a third less time to build. Rebuilds the index (minutes at 450,000 items)."""

from django.db import migrations

GIN = "CREATE INDEX IF NOT EXISTS zwgk_search_tokens_gin ON zwgk_search_tokens USING gin ({})"
NEW_GIN = GIN.format("(string_to_array(terms, ' ')) COLLATE \"C\"")
OLD_GIN = GIN.format("string_to_array(terms, ' ')")


def rebuild(apps, schema_editor, sql):
    if schema_editor.connection.vendor == "postgresql":
        from zwgk.search.management.commands.reindex import _gin_build_memory_mb

        schema_editor.execute(f"SET LOCAL maintenance_work_mem = '{_gin_build_memory_mb()}MB'")
        schema_editor.execute("DROP INDEX IF EXISTS zwgk_search_tokens_gin")
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    rebuild(apps, schema_editor, NEW_GIN)


def backwards(apps, schema_editor):
    rebuild(apps, schema_editor, OLD_GIN)


class Migration(migrations.Migration):
    dependencies = [("zwgk_search", "0005_sqlite_run_boundaries")]
    operations = [migrations.RunPython(forwards, backwards)]
