"""The starter lexicon (zwgk/screening/lexicon/*.csv, see its README): categories fixed, a 来源 column,
and the curated entries added to what a site has (words it already has are left as the site set them)."""

from django.db import migrations, models

RENAMED = {"广告/SEO": "诈骗/黑产"}
SOFTENED = ("网络赌博", "六合彩", "刷单返利")


def load(apps, schema_editor):
    from zwgk.screening.lexicon import categories, starter_entries

    SensitiveWord = apps.get_model("screening", "SensitiveWord")
    for old, new in RENAMED.items():
        SensitiveWord.objects.filter(category=old).update(category=new)
    # Words of the first starter list that are also the wording of government notices (打击网络赌博,
    # 警惕刷单返利类诈骗): 提示, where the site has left them as shipped.
    for word in SOFTENED:
        SensitiveWord.objects.filter(word=word, severity="禁止").update(severity="提示")
    # A category a site typed that is not one of the fixed ones stays (shown as is) until edited.
    known = set(SensitiveWord.objects.values_list("word", flat=True))
    SensitiveWord.objects.bulk_create(
        [
            SensitiveWord(word=e.word, category=e.category, severity=e.severity, source=e.source, enabled=True)
            for e in starter_entries()
            if e.word not in known and e.category in categories()
        ],
        batch_size=500,
    )


def unload(apps, schema_editor):
    SensitiveWord = apps.get_model("screening", "SensitiveWord")
    SensitiveWord.objects.exclude(source="").delete()
    for old, new in RENAMED.items():
        SensitiveWord.objects.filter(category=new).update(category=old)


class Migration(migrations.Migration):
    dependencies = [("screening", "0007_ocr_locations")]

    operations = [
        migrations.AddField(
            model_name="sensitiveword",
            name="source",
            field=models.CharField(
                blank=True,
                default="",
                help_text="词库来源（软件包及版本），本地添加的词为空",
                max_length=80,
                verbose_name="来源",
            ),
        ),
        migrations.AlterField(
            model_name="sensitiveword",
            name="category",
            field=models.CharField(
                choices=[
                    ("政治", "政治"),
                    ("色情", "色情"),
                    ("赌博", "赌博"),
                    ("涉毒", "涉毒"),
                    ("暴恐", "暴恐"),
                    ("诈骗/黑产", "诈骗/黑产（代开发票、办证、刷单、贷款等）"),
                    ("低俗辱骂", "低俗辱骂"),
                ],
                max_length=20,
                verbose_name="类别",
            ),
        ),
        migrations.RunPython(load, unload),
    ]
