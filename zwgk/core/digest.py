"""The daily digest (`zwgk send-digest`): each app registers the background tasks that mail its reminders.

The core knows no app's reminders; applications (due dates) and interaction (留言 2 months unanswered)
register theirs from their `ready()`, so neither app imports the other.
"""

_TASKS: list[tuple[str, object]] = []


def register(label: str, task) -> None:
    """`task` is a django-tasks task taking no arguments; `label` says what it mails."""
    if all(existing is not task for _, existing in _TASKS):
        _TASKS.append((label, task))


def tasks() -> list[tuple[str, object]]:
    return list(_TASKS)
