"""The indexes the portal's counts and catalogue lists read instead of every item (plain SQL:
wagtailcore_page belongs to Wagtail, and the same syntax serves SQLite and PostgreSQL):
- (depth, path) of the pages that are not live: drafts and withdrawn pages, a few per column
  (`items.live_child_item_count`, `catalog._live_counts`);
- (content_type_id, depth, path): a column's live children of one type (its sub-columns and information
  pages) without walking its items;
- on each item table (statutory_category, organisation_id, page_ptr_id) and (organisation_id,
  page_ptr_id): a category's or an organ's items read and counted from the index alone (the category
  index of migration 0002 made the database read 71,000 rows of the table to list 20 of category 11).
"""

from django.db import migrations

ITEM_TABLES = [
    ("article", "disclosure_articlepage"),
    ("policy", "disclosure_policydocumentpage"),
    ("interp", "disclosure_interpretationpage"),
]

INDEXES = [
    ("zwgk_page_not_live", "wagtailcore_page (depth, path) WHERE NOT live"),
    ("zwgk_page_type_depth_path", "wagtailcore_page (content_type_id, depth, path)"),
    *(
        (f"zwgk_{short}_category_items", f"{table} (statutory_category, organisation_id, page_ptr_id)")
        for short, table in ITEM_TABLES
    ),
    *((f"zwgk_{short}_organ_items", f"{table} (organisation_id, page_ptr_id)") for short, table in ITEM_TABLES),
]


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0004_policy_review_cleanup_registration"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {target}", f"DROP INDEX IF EXISTS {name}")
        for name, target in INDEXES
    ] + [
        # Superseded by the category_items indexes (their leading column).
        migrations.RunSQL(
            f"DROP INDEX IF EXISTS zwgk_{short}_category",
            f"CREATE INDEX IF NOT EXISTS zwgk_{short}_category ON {table} (statutory_category)",
        )
        for short, table in ITEM_TABLES
    ]
