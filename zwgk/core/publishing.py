"""The publish guard: no revision goes live while a registered check objects, whatever path publishes it.

Checks are registered by the apps that own them (`register_check`; screening's: no open 禁止 finding),
so the page models need not know them. The back office's buttons are guarded by hooks
(screening/wagtail_hooks.py) that answer with a message. Other paths publish a revision directly:
Wagtail's `publish_scheduled` command (a go-live date set while the content was clean, then an
attachment or the lexicon changed), the final 三审 approval, bulk publish of descendants, code. They all end in `Page.publish(revision)`, so our page models publish through
`ScreenedPublishing.publish`, which runs the checks on the revision's own content first.

A scheduled publish that is blocked is unscheduled and written to the audit log (the command goes on
with the other revisions); any other blocked publish raises `PublishBlocked`.
"""

import contextlib
import contextvars
from collections.abc import Callable

from django.core.exceptions import PermissionDenied

from .audit import record

SCHEDULED = "wagtail.publish.scheduled"
BLOCKED_ACTION = "zwgk.screening.publish_blocked"
UNSCREENED_ACTION = "zwgk.screening.published_unscreened"

_unscreened_reason = contextvars.ContextVar("zwgk_publishing_unscreened", default="")
_checks: list[Callable] = []


def register_check(check: Callable) -> None:
    """`check(page, revision) -> list[str]`: reasons the revision may not go live (empty: it may)."""
    if check not in _checks:
        _checks.append(check)


class PublishBlocked(PermissionDenied):
    def __init__(self, page, blockers):
        self.page, self.blockers = page, blockers
        super().__init__(
            f"“{page.title}”未发布：存在禁止类审查问题，须修改或经保密审查员同意后才能发布："
            + "；".join(blockers)
        )


@contextlib.contextmanager
def publishing_unscreened(reason: str):
    """Publish without the guard, for a stated reason (masking re-publishes a page to *remove* data, so
    holding it back would keep the unmasked version live)."""
    if not reason.strip():
        raise ValueError("publishing_unscreened needs a reason")
    token = _unscreened_reason.set(reason)
    try:
        yield
    finally:
        _unscreened_reason.reset(token)


def mark_screened(revision):
    """The admin's `before_publish_page` hook has just screened this very revision: don't do it twice."""
    if revision is not None:
        revision._zwgk_screened = True


def publish_blockers(page, revision) -> list[str]:
    """Reasons `revision` of `page` may not go live (empty: it may), from every registered check."""
    if _unscreened_reason.get() or getattr(revision, "_zwgk_screened", False):
        return []
    return [reason for check in _checks for reason in check(page, revision)]


class ScreenedPublishing:
    """Mixin for page models: `publish` runs the guard before Wagtail's own publish."""

    def publish(
        self,
        revision,
        user=None,
        changed=True,
        log_action=True,
        previous_revision=None,
        skip_permission_checks=False,
    ):
        blockers = publish_blockers(self, revision)
        if blockers:
            if log_action == SCHEDULED:
                return _unschedule(self, revision, blockers)
            raise PublishBlocked(self, blockers)
        if reason := _unscreened_reason.get():
            # The audit log says which revision went live without the guard, and why.
            record(self, UNSCREENED_ACTION, user=user, data={"revision": revision.pk, "reason": reason})
        return super().publish(
            revision,
            user=user,
            changed=changed,
            log_action=log_action,
            previous_revision=previous_revision,
            skip_permission_checks=skip_permission_checks,
        )


def _unschedule(page, revision, blockers):
    """A blocked scheduled publish: the revision stays a draft, not scheduled, and the log says why."""
    go_live_at = revision.approved_go_live_at
    revision.approved_go_live_at = None
    revision.save(update_fields=["approved_go_live_at"])
    record(
        page,
        BLOCKED_ACTION,
        data={
            "revision": revision.pk,
            "go_live_at": go_live_at.isoformat() if go_live_at else None,
            "blockers": blockers,
        },
    )
    return None
