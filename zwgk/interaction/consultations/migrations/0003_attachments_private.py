import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import zwgk.core.storage


def move_files_to_private_storage(apps, schema_editor):
    """Files uploaded before this migration sit under MEDIA_ROOT, where anyone could fetch them by URL:
    move each to the private storage under the same name (the view serves it after its checks)."""
    Attachment = apps.get_model("consultations", "Attachment")
    private = Path(settings.ZWGK_PRIVATE_DIR)
    for name in Attachment.objects.exclude(file="").values_list("file", flat=True):
        source, target = Path(settings.MEDIA_ROOT) / name, private / name
        if source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0002_attachment_screening"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attachment",
            name="file",
            field=models.FileField(
                storage=zwgk.core.storage.private_storage, upload_to="consultations/%Y/", verbose_name="文件"
            ),
        ),
        migrations.RunPython(move_files_to_private_storage, migrations.RunPython.noop),
    ]
