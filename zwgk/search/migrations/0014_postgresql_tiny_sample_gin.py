"""PostgreSQL: a third partial GIN index per token partition, over the entries whose id hashes to 0
of 4,096 (indexing.TINY_SAMPLE_SHARE, inside the 1/256 sample of migration 0011): at millions of
entries a common query's estimated total is counted there first (query._postgresql_estimate).
SQLite: unchanged."""

from django.db import migrations

PARTITIONS = 2
GIN = "USING gin ((string_to_array(terms, ' ')) COLLATE \"C\") WHERE (hashint8(id) & 4095) = 0"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from zwgk.search.management.commands.reindex import _gin_build_memory_mb

    schema_editor.execute(f"SET LOCAL maintenance_work_mem = '{_gin_build_memory_mb()}MB'")
    for n in range(PARTITIONS):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS zwgk_search_tokens_gin_sample4096_p{n} ON zwgk_search_tokens_p{n} {GIN}"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for n in range(PARTITIONS):
        schema_editor.execute(f"DROP INDEX IF EXISTS zwgk_search_tokens_gin_sample4096_p{n}")


class Migration(migrations.Migration):
    dependencies = [("zwgk_search", "0013_source_objects")]
    operations = [migrations.RunPython(forwards, backwards)]
