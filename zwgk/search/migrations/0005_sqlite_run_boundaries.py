"""SQLite: re-tokenise the index with a boundary token between CJK runs (tokenize.RUN_BOUNDARY).

Before it, FTS5 matched a phrase of bigrams across punctuation or a space (`全省政 政府` for 省政府).
The stored text is normalised already, so the tokens are recomputed from it (no page is loaded) and
FTS5 rebuilds its index from them. PostgreSQL checks the substring of such queries: unchanged.
"""

import sys

from django.db import migrations

BATCH = 5000


def retokenise(apps, schema_editor):
    from zwgk.text.tokenize import normalised_terms

    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM zwgk_search_searchentry")
        total = cursor.fetchone()[0]
        if not total:
            return
        last, done = -1, 0  # entry ids (sort keys) are >= 0
        while True:
            cursor.execute(
                "SELECT id, text, terms FROM zwgk_search_searchentry WHERE id > %s ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            updates = []
            for pk, text, terms in rows:
                # The filter tokens (`_ta`, `_o12` …) follow the text's tokens.
                facets = [token for token in terms.split() if token.startswith("_") and len(token) > 1]
                updates.append((" ".join([normalised_terms(text, boundaries=True), *facets]), pk))
            cursor.cursor.executemany("UPDATE zwgk_search_searchentry SET terms = ? WHERE id = ?", updates)
            done += len(rows)
            if total > BATCH:  # 450,000 entries take about 4 minutes
                sys.stderr.write(f"\r检索索引重新分词：{done}/{total}")
        if total > BATCH:
            sys.stderr.write("\n检索索引重建全文索引……\n")
        cursor.execute("INSERT INTO zwgk_search_fts(zwgk_search_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [("zwgk_search", "0004_postgresql_token_table")]
    operations = [migrations.RunPython(retokenise, migrations.RunPython.noop)]
