"""Injected spam (疑似暗链/被植入内容) is a finding kind of its own ("spam"), no longer a 敏感词: the findings
stored before are moved to it (they are the 敏感词 findings whose suggestion names the spam)."""

from django.db import migrations, models

LABEL = "疑似暗链/被植入内容"  # spam.LABEL when this migration was written


def forwards(apps, schema_editor):
    PageFinding = apps.get_model("screening", "PageFinding")
    PageFinding.objects.filter(kind="sensitive_word", suggestion__startswith=LABEL).update(kind="spam")


def backwards(apps, schema_editor):
    PageFinding = apps.get_model("screening", "PageFinding")
    PageFinding.objects.filter(kind="spam").update(kind="sensitive_word")


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0008_lexicon_starter"),
    ]

    operations = [
        migrations.AlterField(
            model_name="pagefinding",
            name="kind",
            field=models.CharField(
                choices=[
                    ("id_card", "身份证号码"),
                    ("mobile", "手机号码"),
                    ("landline", "固定电话"),
                    ("bank_card", "银行卡号"),
                    ("email", "电子邮箱"),
                    ("passport", "护照/通行证号码"),
                    ("sensitive_word", "敏感词"),
                    ("spam", "疑似暗链/被植入内容"),
                    ("expression", "严重表述错误"),
                    ("typo", "错别字"),
                    ("link", "链接"),
                    ("attachment_pending", "附件待审查"),
                    ("attachment_limit", "附件超出限制"),
                    ("unreadable", "无法读取，需人工审查"),
                ],
                max_length=20,
                verbose_name="类型",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
