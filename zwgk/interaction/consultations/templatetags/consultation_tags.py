"""{% consultations_for page as consultations %}: the public consultations that produced a document."""

from django import template

from ..models import Consultation
from ..vocab import Status

register = template.Library()


@register.simple_tag
def consultations_for(document):
    if document is None or not getattr(document, "pk", None):
        return []
    return list(
        Consultation.objects.filter(
            result_document_id=document.pk, status__in=(Status.PUBLISHED, Status.CLOSED)
        )
    )
