"""Entries of registered sources (sources.Source, e.g. published 互动交流 messages): no page, a source
name and the object's id instead. SQLite rewrites the entry table once to drop page's NOT NULL (the
FTS5 table reads it by name and rowid, both kept)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_jobs"),
        ("zwgk_search", "0012_starter_synonyms"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="object_id",
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="source",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.AlterField(
            model_name="searchentry",
            name="page",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="search_entry",
                to=settings.WAGTAIL_PAGE_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="searchentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("object_id__isnull", False)),
                fields=("source", "object_id"),
                name="search_entry_source_object",
            ),
        ),
    ]
