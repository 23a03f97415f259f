"""Enqueueing background work from inside a transaction."""

from django.conf import settings
from django.db import transaction


def enqueue_after_commit(task, *args):
    """Run `task` inline in immediate mode (tests: it sees this transaction's state); otherwise enqueue it
    once the transaction commits, so a worker never reads rows that are not committed yet."""
    if getattr(settings, "TASKS_MODE", "") == "immediate":
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))
