"""Staff act only inside their organisation's subtree (a township clerk never sees the county's drafts)."""

from .models import Organisation


def user_organisation(user) -> Organisation | None:
    profile = getattr(user, "staff_profile", None) if getattr(user, "is_authenticated", False) else None
    return profile.organisation if profile else None


def scope_for(user):
    """Organisations the user may act for: their own and everything under it.

    Superusers see everything; a staff member without an organisation sees nothing.
    """
    if getattr(user, "is_superuser", False):
        return Organisation.objects.all()
    org = user_organisation(user)
    if org is None:
        return Organisation.objects.none()
    return org.subtree()


def can_act_for(user, organisation: Organisation | None) -> bool:
    """True if `organisation` is inside the user's subtree (items without an organisation: superusers only)."""
    if getattr(user, "is_superuser", False):
        return True
    own = user_organisation(user)
    if own is None or organisation is None:
        return False
    return organisation.path.startswith(own.path)
