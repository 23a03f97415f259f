"""Entry ids become sort keys (ascending = newest first) and the tokens carry the filters (`_o12`, `_y2025` …): the FTS5 table
is recreated with `_` as a token character. The index is derived data: it is emptied here and
rebuilt by `zwgk reindex`."""

from django.db import migrations

FTS = (
    "CREATE VIRTUAL TABLE zwgk_search_fts USING fts5(terms, content='zwgk_search_searchentry', "
    "content_rowid='id', tokenize=\"unicode61 remove_diacritics 0 tokenchars '_'\")"
)


def forwards(apps, schema_editor):
    schema_editor.execute("DELETE FROM zwgk_search_searchentry")
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS zwgk_search_fts")
        schema_editor.execute(FTS)


def backwards(apps, schema_editor):
    schema_editor.execute("DELETE FROM zwgk_search_searchentry")
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS zwgk_search_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE zwgk_search_fts USING fts5(terms, content='zwgk_search_searchentry', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
        )


class Migration(migrations.Migration):
    dependencies = [("zwgk_search", "0002_fulltext_index")]
    operations = [migrations.RunPython(forwards, backwards)]
