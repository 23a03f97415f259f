"""Back-office branding: the name of the government that runs the platform."""

from django import template
from django.conf import settings

from zwgk.core.models import Organisation

register = template.Library()


@register.simple_tag
def government_name() -> str:
    """The top organ's name (the 县/市人民政府 of this installation); empty before one is entered."""
    top = Organisation.objects.filter(parent__isnull=True).order_by("sort_order", "pk").first()
    return top.name if top else ""


@register.simple_tag
def platform_name() -> str:
    return settings.WAGTAIL_SITE_NAME
