"""PostgreSQL: a second partial GIN index per token partition, over the entries whose id hashes to 0
of 256 (indexing.SMALL_SAMPLE_SHARE, inside the 1/16 sample of migration 0010): a common query's
estimated total is counted there first (query._postgresql_estimate). SQLite: unchanged."""

from django.db import migrations

PARTITIONS = 2
GIN = "USING gin ((string_to_array(terms, ' ')) COLLATE \"C\") WHERE (hashint8(id) & 255) = 0"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from zwgk.search.management.commands.reindex import _gin_build_memory_mb

    schema_editor.execute(f"SET LOCAL maintenance_work_mem = '{_gin_build_memory_mb()}MB'")
    for n in range(PARTITIONS):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS zwgk_search_tokens_gin_sample256_p{n} ON zwgk_search_tokens_p{n} {GIN}"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for n in range(PARTITIONS):
        schema_editor.execute(f"DROP INDEX IF EXISTS zwgk_search_tokens_gin_sample256_p{n}")


class Migration(migrations.Migration):
    dependencies = [("zwgk_search", "0010_postgresql_sample_gin")]
    operations = [migrations.RunPython(forwards, backwards)]
