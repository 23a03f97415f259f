"""Importing a word list into the lexicon (敏感词导入): what it would change, and the change itself with
its re-screening and audit entry. The CSV format is `lexicon`'s."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from zwgk.core.audit import record

from .engine import clear_rules_cache
from .lexicon import Entry
from .models import SensitiveWord
from .rescreen import queue_rescreen
from .services import may_decide_blocking


def preview(entries: list[Entry]) -> dict:
    """What importing `entries` would do: counts of new, changed and unchanged words."""
    existing = {w.word: w for w in SensitiveWord.objects.filter(word__in=[e.word for e in entries])}
    new = [e for e in entries if e.word not in existing]
    changed = [e for e in entries if e.word in existing and _differs(existing[e.word], e)]
    return {"new": new, "changed": changed, "unchanged": len(entries) - len(new) - len(changed)}


def _differs(word, entry: Entry) -> bool:
    return (word.category, word.severity, word.source, word.enabled) != (
        entry.category,
        entry.severity,
        entry.source,
        entry.enabled,
    )


def import_entries(entries: list[Entry], *, user, filename: str = "") -> dict:
    """Add new words and update changed ones in one transaction, re-screen what the change affects (one
    background job) and write the audit entry. Only the 保密审查员 and the 管理员 may."""
    if not may_decide_blocking(user):
        raise PermissionDenied("只有保密审查员或管理员可以导入敏感词。")
    with transaction.atomic():
        existing = {
            w.word: w
            for w in SensitiveWord.objects.select_for_update().filter(word__in=[e.word for e in entries])
        }
        created, updated, added, removed = [], [], [], []
        for e in entries:
            old = existing.get(e.word)
            if old is None:
                created.append(
                    SensitiveWord(
                        word=e.word,
                        category=e.category,
                        severity=e.severity,
                        source=e.source,
                        enabled=e.enabled,
                    )
                )
                if e.enabled:
                    added.append(e.word)
            elif _differs(old, e):
                if old.enabled and (
                    not e.enabled or (old.category, old.severity) != (e.category, e.severity)
                ):
                    removed.append(e.word)
                if e.enabled and (
                    not old.enabled or (old.category, old.severity) != (e.category, e.severity)
                ):
                    added.append(e.word)
                old.category, old.severity, old.source, old.enabled = (
                    e.category,
                    e.severity,
                    e.source,
                    e.enabled,
                )
                updated.append(old)
        SensitiveWord.objects.bulk_create(created, batch_size=500)
        SensitiveWord.objects.bulk_update(
            updated, ["category", "severity", "source", "enabled"], batch_size=500
        )
        clear_rules_cache()
        summary = {
            "file": filename[:200],
            "created": len(created),
            "updated": len(updated),
            "unchanged": len(entries) - len(created) - len(updated),
        }
        if not created and not updated:
            return summary  # nothing changed: no state change to record
        # The change record: the re-screen job of this import, or (only 来源 changed) a changed word.
        job = queue_rescreen(added=added, removed=removed) if (added or removed) else None
        record(
            job if job is not None else (updated or created)[0],
            "zwgk.screening.lexicon_import",
            user=user,
            data={**summary, "words": [e.word for e in entries][:200]},
            title="敏感词导入",
        )
    return summary
