"""Seed the default template of every notice (补正、延期、征求意见、收费、转送); see notices.py."""

from django.db import migrations


def install(apps, schema_editor):
    from zwgk.applications.notices import install_starter_notices

    install_starter_notices(apps.get_model("applications", "NoticeTemplate"))


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0006_notices_fees_answer_forms"),
    ]

    # Reversing keeps the templates: they may have been edited since.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
