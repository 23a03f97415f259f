from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import workdays
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
