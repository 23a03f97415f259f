from django.db import migrations


def load(apps, schema_editor):
    from zwgk.screening import starter

    SensitiveWord = apps.get_model("screening", "SensitiveWord")
    ExpressionRule = apps.get_model("screening", "ExpressionRule")
    for word, category, severity in starter.SENSITIVE_WORDS:
        SensitiveWord.objects.get_or_create(word=word, defaults={"category": category, "severity": severity})
    for wrong, correct, severity, note in starter.EXPRESSIONS:
        ExpressionRule.objects.get_or_create(
            wrong=wrong, defaults={"kind": "expression", "correct": correct, "severity": severity, "note": note}
        )
    for wrong, correct in starter.TYPOS:
        ExpressionRule.objects.get_or_create(wrong=wrong, defaults={"kind": "typo", "correct": correct, "severity": "提示"})


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
