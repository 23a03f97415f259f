from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .engine import clear_rules_cache
from .models import ExpressionRule, SensitiveWord, WhitelistEntry


@receiver([post_save, post_delete], sender=SensitiveWord)
@receiver([post_save, post_delete], sender=ExpressionRule)
@receiver([post_save, post_delete], sender=WhitelistEntry)
def rules_changed(**kwargs):
    clear_rules_cache()
