"""Daily (with `zwgk send-digest`): screen the draft attachments a crash left unscreened."""

from django_tasks import task

from . import services


@task()
def screen_pending_attachments() -> int:
    return services.screen_pending_attachments()
