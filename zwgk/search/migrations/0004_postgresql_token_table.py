"""PostgreSQL: the tokens move out of the wide entry table into `zwgk_search_tokens` (see
models.SearchTokens) with its own GIN index; the entries keep an empty `terms`. SQLite is unchanged
(its FTS5 table reads `terms` from the entries); the token table stays empty there."""

import django.db.models.deletion
from django.db import migrations, models

POSTGRESQL = [
    "ALTER TABLE zwgk_search_tokens SET (toast_tuple_target = 128)",
    "ALTER TABLE zwgk_search_tokens ADD CONSTRAINT zwgk_search_tokens_entry_fk FOREIGN KEY (id)"
    " REFERENCES zwgk_search_searchentry (id) ON DELETE CASCADE",
    "DROP INDEX IF EXISTS zwgk_search_terms_gin",
    "INSERT INTO zwgk_search_tokens (id, terms) SELECT id, terms FROM zwgk_search_searchentry",
    "UPDATE zwgk_search_searchentry SET terms = '' WHERE terms <> ''",
    "CREATE INDEX IF NOT EXISTS zwgk_search_tokens_gin ON zwgk_search_tokens"
    " USING gin (string_to_array(terms, ' '))",
]
POSTGRESQL_BACK = [
    "UPDATE zwgk_search_searchentry e SET terms = t.terms FROM zwgk_search_tokens t WHERE t.id = e.id",
    "DROP INDEX IF EXISTS zwgk_search_tokens_gin",
    "ALTER TABLE zwgk_search_tokens DROP CONSTRAINT IF EXISTS zwgk_search_tokens_entry_fk",
    "CREATE INDEX IF NOT EXISTS zwgk_search_terms_gin ON zwgk_search_searchentry"
    " USING gin (string_to_array(terms, ' '))",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRESQL:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRESQL_BACK:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("zwgk_search", "0003_sort_key_and_facets")]
    operations = [
        migrations.CreateModel(
            name="SearchTokens",
            fields=[
                (
                    "entry",
                    models.OneToOneField(
                        db_column="id",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="zwgk_search.searchentry",
                    ),
                ),
                ("terms", models.TextField()),
            ],
            options={"db_table": "zwgk_search_tokens"},
        ),
        migrations.RunPython(forwards, backwards),
    ]
