"""The indexes `items.live_child_item_count` reads instead of a column's items (plain SQL: wagtailcore_page
belongs to Wagtail; same syntax on SQLite and PostgreSQL):
- (depth, path) of the pages that are not live: drafts and withdrawn pages, a few per column;
- (content_type_id, depth, path): a column's live children of one type (its sub-columns and information
  pages) without walking its items.
"""

from django.db import migrations

INDEXES = [
    ("zwgk_page_not_live", "wagtailcore_page (depth, path) WHERE NOT live"),
    ("zwgk_page_type_depth_path", "wagtailcore_page (content_type_id, depth, path)"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0004_policy_review_cleanup_registration"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {target}", f"DROP INDEX IF EXISTS {name}")
        for name, target in INDEXES
    ]
