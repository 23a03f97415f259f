"""Indexes the portal needs at city scale (450,000 items); see tests/portal/test_queries.py.

wagtailcore_page belongs to Wagtail, so its index is created here with plain SQL (same syntax on
SQLite and PostgreSQL):
- (depth, path, live, content_type_id): `get_children()` filters depth = n AND path BETWEEN …; the
  unique index on path alone walks every descendant (the navigation's home.get_children() read all
  450,000 rows); live and content type make it covering for a column's COUNT(*).
- (depth, first_published_at, id): a column's items newest first (`child_of` filters depth = n and
  path LIKE 'prefix%', which no index serves): the index yields them already in order, so a page of
  20 stops after about 20 / (the column's share) rows instead of sorting 200,000.
- statutory_category on the item tables: 法定主动公开内容 lists per category.
"""

from django.db import migrations

INDEXES = [
    ("zwgk_page_depth_path", "wagtailcore_page", "depth, path, live, content_type_id"),
    ("zwgk_page_depth_published", "wagtailcore_page", "depth, first_published_at, id"),
    ("zwgk_article_category", "disclosure_articlepage", "statutory_category"),
    ("zwgk_policy_category", "disclosure_policydocumentpage", "statutory_category"),
    ("zwgk_interp_category", "disclosure_interpretationpage", "statutory_category"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, table, columns in INDEXES
    ]
