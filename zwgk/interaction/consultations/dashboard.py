"""工作台: consultations whose window has ended and whose 采纳情况 is not published yet (a consultation
cannot be closed without it, rules.closing_refusal)."""

from django.urls import reverse
from django.utils import timezone

from zwgk.core.dashboard import TodoPanel
from zwgk.core.scoping import scope_for

from .models import Consultation
from .permissions import can
from .vocab import Status


def ended_without_feedback(user, today=None):
    today = today or timezone.localdate()
    return list(
        Consultation.objects.filter(
            organisation__in=scope_for(user), status=Status.PUBLISHED, ends_on__lt=today
        )
        .select_related("organisation", "feedback")
        .order_by("ends_on", "pk")
    )


class EndedWithoutFeedbackPanel(TodoPanel):
    heading = "意见征集：征集期已结束、尚未发布采纳情况"
    panel_id = "zwgk-todo-consultations"
    body_template = "consultations/dashboard/ended.html"
    icon = "comment"
    full_label = "打开意见征集"
    order = 104

    def is_shown(self, user):
        return can(user, "view")

    def items(self, request):
        rows = ended_without_feedback(request.user)
        return len(rows), rows

    def full_url(self, request):
        return reverse("consultations_admin_ended")
