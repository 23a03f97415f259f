"""Lexicon changes: clear the rules cache at once, and re-screen what the change can affect
(`rescreen.queue_rescreen`: one background task per transaction, not one per word).
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .engine import clear_rules_cache
from .models import ExpressionRule, SensitiveWord, WhitelistEntry
from .rescreen import queue_rescreen


def _term(instance) -> str:
    return instance.word if isinstance(instance, SensitiveWord) else instance.wrong


def _verdict(instance) -> tuple:
    """What a finding of this rule says: a change here changes the findings of its term."""
    if isinstance(instance, SensitiveWord):
        return (instance.category, instance.severity)
    return (instance.kind, instance.correct, instance.severity, instance.note)


@receiver(pre_save, sender=SensitiveWord)
@receiver(pre_save, sender=ExpressionRule)
@receiver(pre_save, sender=WhitelistEntry)
def remember_previous(sender, instance, **kwargs):
    instance._zwgk_previous = sender.objects.filter(pk=instance.pk).first() if instance.pk else None


@receiver(post_save, sender=SensitiveWord)
@receiver(post_save, sender=ExpressionRule)
def rule_saved(sender, instance, **kwargs):
    clear_rules_cache()
    old = getattr(instance, "_zwgk_previous", None)
    added, removed = [], []
    if old is not None and old.enabled:
        if not instance.enabled or _term(old) != _term(instance):
            removed.append(_term(old))
        elif _verdict(old) != _verdict(instance):
            removed.append(_term(old))  # same term, another severity or correction: redo its findings
    if instance.enabled and (old is None or not old.enabled or _term(old) != _term(instance)):
        added.append(_term(instance))
    queue_rescreen(added=added, removed=removed)


@receiver(post_delete, sender=SensitiveWord)
@receiver(post_delete, sender=ExpressionRule)
def rule_deleted(sender, instance, **kwargs):
    clear_rules_cache()
    queue_rescreen(removed=[_term(instance)])


@receiver(post_save, sender=WhitelistEntry)
def whitelist_saved(sender, instance, **kwargs):
    clear_rules_cache()
    old = getattr(instance, "_zwgk_previous", None)
    gone = [old.value] if old is not None and old.value != instance.value else []
    queue_rescreen(whitelisted=[instance.value], unwhitelisted=gone)


@receiver(post_delete, sender=WhitelistEntry)
def whitelist_deleted(sender, instance, **kwargs):
    clear_rules_cache()
    queue_rescreen(unwhitelisted=[instance.value])
