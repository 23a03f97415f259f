"""The starter list of 检索同义词 (zwgk/search/starter_synonyms.csv): rows whose term is not in the
table yet; existing rows (edited in the back office) are left as they are. Reversing keeps the rows."""

from django.db import migrations


def load(apps, schema_editor):
    from zwgk.search.synonyms import load_starter

    load_starter(apps.get_model("zwgk_search", "Synonym"))


class Migration(migrations.Migration):
    dependencies = [("zwgk_search", "0011_postgresql_small_sample_gin")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
