"""Seed one 答复告知书 template per 答复类型 (never overwriting a county's own); see letter_templates.py."""

from django.db import migrations


def install(apps, schema_editor):
    from zwgk.applications.letter_templates import install_starter_templates

    install_starter_templates(apps.get_model("applications", "LetterTemplate"))


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_reply_draft"),
    ]

    # Reversing keeps the templates: they may have been edited since.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
