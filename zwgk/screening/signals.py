"""Lexicon changes: clear the rules cache at once, and re-screen what the change can affect.

Changes made in one transaction (a 管理员 importing a word list) are collected and re-screened by one
background task after the commit, not one task per word.
"""

from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .engine import clear_rules_cache
from .models import ExpressionRule, SensitiveWord, WhitelistEntry


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
    _queue(added=added, removed=removed)


@receiver(post_delete, sender=SensitiveWord)
@receiver(post_delete, sender=ExpressionRule)
def rule_deleted(sender, instance, **kwargs):
    clear_rules_cache()
    _queue(removed=[_term(instance)])


@receiver(post_save, sender=WhitelistEntry)
def whitelist_saved(sender, instance, **kwargs):
    clear_rules_cache()
    old = getattr(instance, "_zwgk_previous", None)
    gone = [old.value] if old is not None and old.value != instance.value else []
    _queue(whitelisted=[instance.value], unwhitelisted=gone)


@receiver(post_delete, sender=WhitelistEntry)
def whitelist_deleted(sender, instance, **kwargs):
    clear_rules_cache()
    _queue(unwhitelisted=[instance.value])


def _queue(**change):
    """Record the change in a LexiconRescreen row (in this transaction) and run it after the commit.
    Returns the row (the lexicon import records its audit entry against it)."""
    from .models import LexiconRescreen

    deferred = connection.in_atomic_block and getattr(settings, "TASKS_MODE", "") != "immediate"
    job = getattr(connection, "_zwgk_rescreen_job", None) if deferred else None
    if job is not None and not any(f is job.run for _, f, _ in connection.run_on_commit):
        job = None  # the transaction that created it was rolled back, and the job row with it
    created = job is None
    if created:
        job = LexiconRescreen.objects.create()
        job.run = partial(_run, job)
    for key, values in change.items():
        getattr(job, key).extend(v for v in values if v not in getattr(job, key))
    job.save(update_fields=["added", "removed", "whitelisted", "unwhitelisted"])
    if not deferred:
        _run(job)
    elif created:  # one job and one task per transaction, however many words it changes
        connection._zwgk_rescreen_job = job
        transaction.on_commit(job.run)
    return job


def _run(job):
    from .rescreen import rescreen_after_change

    if getattr(connection, "_zwgk_rescreen_job", None) is job:
        connection._zwgk_rescreen_job = None
    rescreen_after_change.enqueue(job.pk)
