"""PostgreSQL: the entries' text and the token lists compressed with LZ4 instead of pglz (PostgreSQL
14+ built with LZ4, as Debian's is). Substring rechecks, snippets and the GIN build decompress them.
New values only: `zwgk reindex --restart` rewrites the existing ones."""

from django.db import migrations

COLUMNS = (("zwgk_search_searchentry", "text"), ("zwgk_search_tokens", "terms"))


def compression(method):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND %s = ANY(enumvals)",
                [method],
            )
            if cursor.fetchone() is None:
                return  # a server built without LZ4: pglz stays
        for table, column in COLUMNS:
            schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION {method}")

    return apply


class Migration(migrations.Migration):
    dependencies = [("zwgk_search", "0006_postgresql_gin_c_collation")]
    operations = [migrations.RunPython(compression("lz4"), compression("pglz"))]
