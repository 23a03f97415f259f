"""Screening's check in the publish guard (zwgk.core.publishing): no revision with an open 禁止 finding
goes live, whatever path publishes it. Registered from the app's ready(); the guard's names are
re-exported here for screening's own modules."""

from zwgk.core.publishing import (  # noqa: F401  (screening's modules and tests use them from here)
    BLOCKED_ACTION,
    SCHEDULED,
    UNSCREENED_ACTION,
    PublishBlocked,
    ScreenedPublishing,
    mark_screened,
    publishing_unscreened,
    register_check,
)

from .services import approval_blockers, screen_page


def screening_blockers(page, revision) -> list[str]:
    """Screen the revision's own content (storing its findings); its open 禁止 findings block it."""
    screen_page(revision.as_object())
    return approval_blockers(page)


def register() -> None:
    register_check(screening_blockers)
