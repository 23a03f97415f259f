from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import audit, workdays
from .models import CalendarDay, CalendarYear, Organisation


@receiver([post_save, post_delete], sender=CalendarDay)
@receiver([post_save, post_delete], sender=CalendarYear)
def calendar_changed(**kwargs):
    workdays.clear_cache()


@receiver(post_save, sender=Organisation)
def organisation_saved(instance, raw=False, **kwargs):
    """Every organ has its collection of documents and images, nested like the organ tree."""
    if not raw:
        instance.ensure_collection()


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    if request is not None:  # a test client's force_login() has a request; a bare login() in code may not
        audit.record_access(request, "zwgk.auth.login", user=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if request is not None and user is not None:
        reason = getattr(request, "zwgk_logout_reason", "")
        audit.record_access(
            request, "zwgk.auth.logout", user=user, data={"reason": reason} if reason else None
        )


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    username = str(credentials.get("username") or "")
    User = get_user_model()
    user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    audit.record_access(request, "zwgk.auth.login_failed", user=user, username=username)
