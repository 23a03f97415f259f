"""PostgreSQL: a partial GIN index per token partition over the sample entries alone (the ids that
hash to 0 of 16, indexing.SAMPLE_SQL), for estimated totals: their posting lists are 1/16 of the full
ones, so GIN no longer decodes a common bigram's whole list to count the sample's hits. The sample
token per entry (`_z…`) is no longer read. SQLite: unchanged (rowid ranges)."""

from django.db import migrations

PARTITIONS = 2
GIN = "USING gin ((string_to_array(terms, ' ')) COLLATE \"C\") WHERE (hashint8(id) & 15) = 0"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from zwgk.search.management.commands.reindex import _gin_build_memory_mb

    schema_editor.execute(f"SET LOCAL maintenance_work_mem = '{_gin_build_memory_mb()}MB'")
    for n in range(PARTITIONS):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS zwgk_search_tokens_gin_sample_p{n} ON zwgk_search_tokens_p{n} {GIN}"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for n in range(PARTITIONS):
        schema_editor.execute(f"DROP INDEX IF EXISTS zwgk_search_tokens_gin_sample_p{n}")


class Migration(migrations.Migration):
    dependencies = [("zwgk_search", "0009_sqlite_ascii_tokenizer")]
    operations = [migrations.RunPython(forwards, backwards)]
